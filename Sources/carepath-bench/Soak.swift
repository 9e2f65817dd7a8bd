import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// The soak test (not in CI): long stored runs with the event log, at growing cohorts, each in a
/// process of its own so that its peak memory is its own. The store streams outcomes and events
/// in batches, so the peak should stay flat while the cohort grows (issue 12: about 125 bytes a
/// patient used to accumulate). `carepath-bench soak`; cohorts from `CAREPATH_SOAK_PATIENTS`
/// (comma-separated, ascending, default 250000,1000000,4000000); growth is read between the two largest.
extension Benchmark {
    static func soak() {
        let cohorts = (ProcessInfo.processInfo.environment["CAREPATH_SOAK_PATIENTS"] ?? "250000,1000000,4000000")
            .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        print("\nSoak: M/M/3 reference station, 1 replication, stored with its event log, one process per cohort")
        var peaks: [(Int, Double)] = []
        for patients in cohorts {
            guard let output = run(CommandLine.arguments[0], ["soak-child", String(patients)]),
                  let peak = jsonNumber(output, "peak_mb"), let seconds = jsonNumber(output, "seconds"),
                  let events = jsonNumber(output, "events") else {
                print("  \(patients) patients: the run failed")
                continue
            }
            peaks.append((patients, peak))
            print("  \(patients) patients: \(Int(events)) events stored in \(f1(seconds)) s, peak memory \(f1(peak)) MB")
            emit(Figure(benchmark: "soak", figures: ["patients": Double(patients), "peak_mb": peak, "seconds": seconds, "events": events]))
        }
        // Between the two largest cohorts: the smaller ones are still filling SQLite's page cache (64 MB).
        guard peaks.count >= 2 else { return }
        let first = peaks[peaks.count - 2], last = peaks[peaks.count - 1]
        guard last.0 > first.0 else { return }
        let perPatient = (last.1 - first.1) * 1_048_576 / Double(last.0 - first.0)
        print("  growth: \(f1(perPatient)) bytes of peak memory per extra patient (flat: near 0; before streaming: about 125)")
        verdicts.append(Verdict(benchmark: "Store memory with the cohort", figure: "\(f1(perPatient)) B/patient",
                                target: "< 10 B/patient", met: perPatient < 10))
    }

    /// One stored run of `patients` (the child of `soak`): prints its figures as one JSON line.
    static func soakChild(patients: Int) -> Never {
        var (scenario, pathway) = load("Scenarios/reference/mmc.yaml")
        scenario.cohort.size = .patients(patients)
        scenario.replications = 1
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-soak-\(getpid()).sqlite").path
        defer { for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try ResultsStore(path: path)
            let writer = try store.beginRun(
                RunRecord(startedAt: "soak", carepathVersion: ScenarioRunner.version, command: "carepath-bench soak",
                          scenario: scenario.id, title: scenario.title, pathway: pathway.id, seed: scenario.seed, replications: 1),
                inputs: [], variants: VariantRecord.variants(of: scenario))
            let seed = scenario.seed
            let (summary, seconds) = time {
                ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 1, threads: 1),
                                   watch: { v, r in ReplicationRecorder(events: true, streamingTo: writer, variant: v, replication: r) },
                                   finished: { v, r, result, recorder in
                                       writer.record(variant: v, replication: r, seed: ScenarioRunner.replicationSeed(seed, r),
                                                     result: result, recorder: recorder)
                                   })
            }
            try writer.finish(summary: summary)
            let events = try store.runs().first.map { Double($0.eventsStored) } ?? 0
            try store.close()
            print("{\"peak_mb\": \(peakMemoryMB()), \"seconds\": \(seconds), \"events\": \(events)}")
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("soak: \(error)\n".utf8))
            exit(1)
        }
    }
}
