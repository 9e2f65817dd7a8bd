import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation

/// The bias of the percentiles, before (the top of a two-significant-digit bucket, as the
/// HdrHistogram library reads it) and after (interpolated within the bucket), on an M/M/infinity
/// model: exponential times of mean 1 h with no queue, whose q-quantile is -ln(1 - q) h.
extension Benchmark {
    static func percentiles() {
        let samples = 20_000, trials = max(runs, 1) * 400
        let ps = [50.0, 90, 95, 99]
        print("\nPercentile bias on exponential(mean 1h) samples (M/M/infinity times in the pathway), \(trials) samples of \(samples)")
        print("  bias against the exact quantile -ln(1-q) h, and against each sample's own sorted quantile (paired: the histogram's part alone)")
        var rng = SplitMix(seed: 12)
        var before = [Double](repeating: 0, count: ps.count), after = before, sorted = before
        var pairedBefore = before, pairedAfter = before, worstAfter = before
        for _ in 0..<trials {
            var h = DurationHistogram(highestTrackableValue: 3_600 * 24 * 365 * 50)
            var values = [Double](repeating: 0, count: samples)
            for i in 0..<samples {
                values[i] = -log(1 - rng.uniform())
                h.record(hours: values[i])
            }
            values.sort()
            for (k, p) in ps.enumerated() {
                // The sample's own quantile at the rank the histogram reads (rank p/100 x n, rounded up).
                let own = values[min(max(Int((p / 100 * Double(samples)).rounded(.up)) - 1, 0), samples - 1)]
                let old = h.bucketTopPercentile(p), new = h.percentile(p).hours
                before[k] += old; after[k] += new; sorted[k] += own
                pairedBefore[k] += old / own - 1; pairedAfter[k] += new / own - 1
                worstAfter[k] = max(worstAfter[k], abs(new / own - 1))
            }
        }
        let n = Double(trials)
        func pct(_ x: Double) -> String { String(format: "%+.3f%%", 100 * x) }
        print("  p     exact h   sorted sample   before (bucket top)        after (interpolated)     paired: before   after   worst after")
        var figures: [String: Double] = [:]
        for (k, p) in ps.enumerated() {
            let exact = -log(1 - p / 100)
            let b = before[k] / n, a = after[k] / n, s = sorted[k] / n
            print("  p\(Int(p))   \(f4(exact))    \(f4(s)) \(pct(s / exact - 1))   \(f4(b)) \(pct(b / exact - 1))        \(f4(a)) \(pct(a / exact - 1))"
                  + "          \(pct(pairedBefore[k] / n))   \(pct(pairedAfter[k] / n))   \(pct(worstAfter[k]))")
            figures["p\(Int(p))_bias_before_pct"] = 100 * (pairedBefore[k] / n)
            figures["p\(Int(p))_bias_after_pct"] = 100 * (pairedAfter[k] / n)
        }
        emit(Figure(benchmark: "percentiles", figures: figures))
        let worst = ps.indices.map { abs(pairedAfter[$0] / n) }.max() ?? 0
        verdicts.append(Verdict(benchmark: "percentiles", figure: "bias after \(String(format: "%.4f%%", 100 * worst)) (before \(String(format: "%.3f%%", 100 * (ps.indices.map { abs(pairedBefore[$0] / n) }.max() ?? 0))))",
                                target: "< 0.05%", met: worst < 0.0005))
        percentilesThroughTheEngine()
    }

    /// The same through the simulation: a station with far more staff than patients (no queue),
    /// many replications, the median time in the pathway with its 95% interval against ln 2 h.
    static func percentilesThroughTheEngine() {
        let pathway = """
        pathway: mm-infinity
        title: M/M/infinity
        start: serve
        organisations:
          clinic:
            name: Clinic
            sector: community
            maturity: basic
            connects: [messaging]
            roles:
              staff: { capacity: 1000 }
        states:
          serve:
            owner: clinic/staff
            duration: exponential(mean=1h)
            next:
              - { to: done }
          done: { title: Done, terminal: true }
        """
        let replications = 100 * max(runs, 1)
        let scenario = """
        scenario: mm-infinity
        title: M/M/infinity
        pathway: mm-infinity.yaml
        cohort: { patients: 20000, arrivals: 10/h }
        replications: \(replications)
        seed: 11
        """
        let checked = ScenarioFile.check(text: scenario, file: "mm-infinity-scenario.yaml", baseDirectory: URL(fileURLWithPath: "/"),
                                         pathwayText: pathway)
        guard let s = checked.scenario, let p = checked.pathway else {
            print("  the M/M/infinity scenario does not read: \(checked.problems)")
            return
        }
        let (summary, t) = time { ScenarioRunner.run(s, pathway: p, options: .init(threads: ProcessInfo.processInfo.activeProcessorCount)) }
        print("  through the engine: \(replications) replications of 20,000 patients (\(f1(t)) s), time in pathway, mean and 95% interval:")
        for (p, name) in [(50.0, "time_in_pathway_p50_h"), (90, "time_in_pathway_p90_h"), (95, "time_in_pathway_p95_h")] {
            guard let m = summary.variants.first?.metric(name), let low = m.low, let high = m.high else { continue }
            let exact = -log(1 - p / 100)
            print("    p\(Int(p)) \(f4(m.mean)) h [\(f4(low)), \(f4(high))], exact \(f4(exact)) (\(String(format: "%+.3f%%", 100 * (m.mean / exact - 1)))): "
                  + (low <= exact && exact <= high ? "inside" : "OUTSIDE") + " the interval")
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator for the benchmark's samples.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// In [0, 1), 53 bits.
    mutating func uniform() -> Double { Double(next() >> 11) / 9_007_199_254_740_992 }
}
