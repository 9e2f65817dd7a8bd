import CarePathFormat
import CarePathInterop
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// CarePath's benchmark: the figures the performance goals are judged by, printed as they come,
/// as JSON lines, and as a table against the targets at the end. Run it from a release build:
/// `swift run -c release carepath-bench [r1|engine|anchors|discharge|replications|eventlog|percentiles|soak|export|diagrams|sensitivity|shards|workshop]...`
/// (the soak test only when named: it takes minutes).
///
/// Timed runs are repeated (`CAREPATH_BENCH_RUNS`, default 5) and the median is the figure: shared
/// machines vary by a third from one second to the next, and one run says little.
@main
struct Benchmark {
    struct Figure: Encodable {
        var benchmark: String
        var figures: [String: Double]
    }

    /// One line of the closing table.
    struct Verdict {
        var benchmark: String
        var figure: String
        var target: String
        var met: Bool?
    }

    nonisolated(unsafe) static var verdicts: [Verdict] = []

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static let runs = max(ProcessInfo.processInfo.environment["CAREPATH_BENCH_RUNS"].flatMap(Int.init) ?? 5, 1)

    static func main() {
        let list = Array(CommandLine.arguments.dropFirst())
        if list.count == 2, list[0] == "soak-child", let patients = Int(list[1]) { soakChild(patients: patients) }
        let arguments = Set(list)
        let known: Set = ["r1", "engine", "anchors", "discharge", "replications", "eventlog", "percentiles", "soak", "export", "sensitivity", "shards", "diagrams", "workshop"]
        if let unknown = arguments.subtracting(known).first {
            FileHandle.standardError.write(Data("carepath-bench: unknown benchmark '\(unknown)'; expected any of \(known.sorted().joined(separator: ", "))\n".utf8))
            exit(2)
        }
        func wanted(_ name: String) -> Bool { arguments.isEmpty || arguments.contains(name) }
        let soakOnly = arguments == ["soak"]
        let patients = ProcessInfo.processInfo.environment["CAREPATH_BENCH_PATIENTS"].flatMap(Int.init) ?? 1_000_000
        #if DEBUG
        print("warning: a debug build; the figures mean nothing (swift run -c release carepath-bench)")
        #endif
        print("CarePath benchmark, \(ProcessInfo.processInfo.activeProcessorCount) cores, median of \(runs) runs where timed")
        var r1Rate: Double?
        if wanted("r1") && !soakOnly { r1Rate = r1(patients: patients) }
        if wanted("engine") && !soakOnly { r1Engine(patients: patients) }
        if wanted("anchors") && !soakOnly { anchors(patients: patients, carePath: r1Rate) }
        if wanted("discharge") && !soakOnly { discharge(patients: patients) }
        if wanted("replications") && !soakOnly { replications() }
        if wanted("eventlog") && !soakOnly { eventLog() }
        if wanted("percentiles") && !soakOnly { percentiles() }
        if wanted("export") && !soakOnly { exportLogs() }
        if wanted("sensitivity") && !soakOnly { sensitivity() }
        if wanted("diagrams") && !soakOnly { diagrams() }
        if wanted("workshop") && !soakOnly { workshop(); workshopHTTP() }
        if arguments.contains("soak") { soak() }
        if arguments.contains("shards") { shardThroughput() }
        printVerdicts()
    }

    // MARK: R1, the tandem clinic

    /// R1 through the scenario file and the runner `carepath simulate` uses, every statistic on.
    /// Returns the median events per second.
    static func r1(patients: Int) -> Double {
        var (scenario, pathway) = load("Scenarios/reference/tandem-clinic.yaml")
        scenario.cohort.size = .patients(patients)
        var seconds: [Double] = []
        var summary: RunSummary?
        for _ in 0..<runs {
            let (s, t) = time { ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 1, threads: 1)) }
            summary = s
            seconds.append(t)
        }
        let events = Double(patients * 7)
        let counted = summary?.variants.first?.events ?? 0
        let median = Self.median(seconds), best = seconds.min() ?? median
        print("\nR1 tandem clinic, \(patients) patients, 1 thread, every statistic (scenario file, ScenarioRunner)")
        print("  wall time           median \(f3(median)) s, best \(f3(best)) s  (runs: \(seconds.map(f3).joined(separator: ", ")))")
        print("  events per second   median \(mega(events / median)), best \(mega(events / best)) (7 per patient; the engine counted \(counted))")
        print("  peak memory         \(f1(peakMemoryMB())) MB")
        var figures: [String: Double] = ["patients": Double(patients), "runs": Double(runs), "wall_s_median": median, "wall_s_best": best,
                                         "events_per_s": events / median, "events_per_s_best": events / best,
                                         "peak_memory_mb": peakMemoryMB()]
        for station in erlangC(pathway, scenario) {
            let simulated = summary?.variants.first?.metrics.first { $0.name == "wait_mean_h" && $0.subject == station.role && $0.group.isEmpty }?.mean ?? .nan
            print("  mean wait \(station.role)  \(f4(simulated)) h   Erlang C \(f4(station.wait)) h")
            figures["wait_\(station.role)_h"] = simulated
            figures["theory_\(station.role)_h"] = station.wait
        }
        emit(Figure(benchmark: "r1", figures: figures))
        verdicts.append(Verdict(benchmark: "R1, 1 thread, every statistic", figure: "\(mega(events / median)) events/s",
                                target: ">= 15 M events/s", met: events / median >= 15_000_000))
        return events / median
    }

    /// R1 with nothing observing: the engine's own speed, to see what the statistics cost.
    static func r1Engine(patients: Int) {
        var (scenario, pathway) = load("Scenarios/reference/tandem-clinic.yaml")
        scenario.cohort.size = .patients(patients)
        var seconds: [Double] = []
        for _ in 0..<runs {
            let (_, t) = time {
                ScenarioRunner.replicate(scenario, pathway: pathway, variant: scenario.effectiveVariants[0],
                                         seed: ScenarioRunner.replicationSeed(scenario.seed, 0), observer: NoObserver())
            }
            seconds.append(t)
        }
        let median = Self.median(seconds)
        let rate = Double(patients * 7) / median
        print("\nR1 engine alone (no statistics), \(patients) patients: median \(f3(median)) s, \(mega(rate)) events per second")
        emit(Figure(benchmark: "r1-engine-only", figures: ["wall_s_median": median, "events_per_s": rate]))
        verdicts.append(Verdict(benchmark: "R1 engine alone", figure: "\(mega(rate)) events/s", target: "(what observing costs)", met: nil))
    }

    /// Erlang C mean queue wait of each station of a pathway whose states hold a role for an
    /// exponential time, under Poisson arrivals (the Jackson-network answer for R1).
    static func erlangC(_ pathway: Pathway, _ scenario: Scenario) -> [(role: String, wait: Double)] {
        guard case .poisson(let lambda) = scenario.cohort.arrivals else { return [] }
        return pathway.states.compactMap { state in
            guard let owner = state.owner, let role = pathway.role(owner), case .exponential(let mean) = state.duration else { return nil }
            let c = role.capacity, a = lambda * mean, rho = a / Double(c)
            guard rho < 1 else { return nil }
            var sum = 0.0, term = 1.0
            for k in 0..<c { sum += term; term *= a / Double(k + 1) }
            let top = term / (1 - rho)
            return (owner.description, (top / (sum + top)) / (Double(c) / mean - lambda))
        }
    }

    // MARK: Reference engines

    /// The anchors of `../shared/anchors` (a bare C heap loop, SimPy) on R1, in the same run, when
    /// they are there (`CAREPATH_ANCHORS` names another folder); each skipped with a note otherwise.
    static func anchors(patients: Int, carePath: Double?) {
        let folder = ProcessInfo.processInfo.environment["CAREPATH_ANCHORS"].map { URL(fileURLWithPath: $0) }
            ?? root.deletingLastPathComponent().appendingPathComponent("shared/anchors")
        print("\nReference engines on R1 (\(folder.path))")
        if let c = bareCRate(folder, patients: patients) {
            report(anchor: "c", engine: "bare C binary heap, gcc -O2, \(patients) patients: median", rate: c, carePath: carePath,
                   verdict: "R1 against the bare C loop", target: "close to half", goal: 0.45,
                   ratio: { "\(String(format: "%.0f", 100 * $0))% of the bare C loop" })
        }
        // SimPy runs about a hundred times slower: 200,000 patients give a steady rate in seconds.
        let simpyPatients = min(patients, 200_000)
        if let simpy = simPyRate(folder, patients: simpyPatients) {
            report(anchor: "simpy", engine: "SimPy, \(simpyPatients) patients:", rate: simpy, carePath: carePath,
                   verdict: "R1 against SimPy", target: ">= 50 x", goal: 50,
                   ratio: { "\(String(format: "%.0f", $0)) times SimPy" })
        }
    }

    /// The C anchor built with gcc and run `runs` times: its median events per second.
    static func bareCRate(_ folder: URL, patients: Int) -> Double? {
        let source = folder.appendingPathComponent("r1_c.c")
        guard FileManager.default.fileExists(atPath: source.path) else {
            print("  bare C loop: skipped (no r1_c.c there)")
            return nil
        }
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bench-r1c-\(getpid())")
        defer { try? FileManager.default.removeItem(at: binary) }
        guard run("/usr/bin/env", ["gcc", "-O2", "-o", binary.path, source.path, "-lm"]) != nil else {
            print("  bare C loop: skipped (gcc could not build r1_c.c)")
            return nil
        }
        let rates = (0..<runs).compactMap { _ in run(binary.path, ["\(patients)", "1"]).flatMap { jsonNumber($0, "events_per_s_sim") } }
        return rates.isEmpty ? nil : median(rates)
    }

    /// The SimPy anchor's events per second, when SimPy is installed.
    static func simPyRate(_ folder: URL, patients: Int) -> Double? {
        guard run("/usr/bin/env", ["python3", "-c", "import simpy"]) != nil,
              let line = run("/usr/bin/env", ["python3", folder.appendingPathComponent("r1_simpy.py").path, "\(patients)", "1"]),
              let rate = jsonNumber(line, "events_per_s_sim") else {
            print("  SimPy: skipped (pip install simpy to compare)")
            return nil
        }
        return rate
    }

    /// A reference engine's rate, and CarePath's beside it: printed, as a JSON line and a verdict.
    static func report(anchor: String, engine: String, rate: Double, carePath: Double?, verdict: String, target: String,
                       goal: Double, ratio describe: (Double) -> String) {
        print("  \(engine) \(mega(rate)) events/s")
        var figures = ["\(anchor)_events_per_s": rate]
        if let carePath {
            let ratio = carePath / rate
            print("  CarePath with every statistic: \(describe(ratio))")
            figures["carepath_over_\(anchor)"] = ratio
            verdicts.append(Verdict(benchmark: verdict, figure: "\(describe(ratio)), \(mega(rate))", target: target, met: ratio >= goal))
        }
        emit(Figure(benchmark: "anchor-\(anchor)", figures: figures))
    }

    // MARK: Discharge to assess

    /// The discharge scenario with every metric and the information-flow model on, at a tenth of
    /// the cohort and at the whole: the memory should stay flat as the cohort grows.
    static func discharge(patients: Int) {
        var (scenario, pathway) = load("Scenarios/discharge-architectures.yaml")
        scenario.variants = Array(scenario.variants.prefix(1))
        print("\nDischarge to assess (\(scenario.effectiveVariants[0].name)), 1 thread, every metric, information flows")
        var figures: [String: Double] = [:]
        var last: (seconds: Double, peak: Double, n: Int)?
        var first: Double?
        for n in [patients / 10, patients] {
            scenario.cohort.size = .patients(n)
            let (summary, seconds) = time { ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 1, threads: 1)) }
            let peak = peakMemoryMB()
            print("  \(n) patients: wall \(f2(seconds)) s, \(String(format: "%.0f", Double(n) / seconds)) patients/s, peak memory \(f1(peak)) MB, events \(summary.variants.first?.events ?? 0)")
            figures["wall_s_\(n)"] = seconds
            figures["patients_per_s_\(n)"] = Double(n) / seconds
            figures["peak_memory_mb_\(n)"] = peak
            if first == nil { first = peak }
            last = (seconds, peak, n)
        }
        emit(Figure(benchmark: "discharge", figures: figures))
        if let last, let first {
            verdicts.append(Verdict(benchmark: "Discharge, \(last.n) patients", figure: "\(f2(last.seconds)) s, \(f1(last.peak)) MB",
                                    target: "< 10 s, < 300 MB", met: last.seconds < 10 && last.peak < 300))
            verdicts.append(Verdict(benchmark: "Discharge memory, tenth to whole cohort", figure: "\(f1(first)) -> \(f1(last.peak)) MB",
                                    target: "flat", met: last.peak < first * 1.25))
        }
    }

    /// 8 replications of the discharge scenario on 1 thread and on all cores; results must match.
    static func replications() {
        var (scenario, pathway) = load("Scenarios/discharge-architectures.yaml")
        scenario.variants = Array(scenario.variants.prefix(1))
        // Large enough that thread start-up is noise: 50,000 patients per replication.
        scenario.cohort.size = .patients(50_000)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var single: [Double] = [], parallel: [Double] = []
        var identical = true
        // Rounds alternate the two, so that a slow spell of the machine falls on both.
        for _ in 0..<min(runs, 3) {
            let (one, t1) = time { ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 8, threads: 1)) }
            let (all, tn) = time { ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 8, threads: cores)) }
            identical = identical && (try? one.json()) == (try? all.json())
            single.append(t1)
            parallel.append(tn)
        }
        let t1 = median(single), tn = median(parallel)
        print("\n8 replications of discharge to assess, 50000 patients each, median of \(single.count) rounds")
        print("  1 thread \(f2(t1)) s, \(cores) threads \(f2(tn)) s, speed-up \(f2(t1 / tn)), identical results: \(identical)")
        emit(Figure(benchmark: "replications", figures: ["threads_1_s": t1, "threads_all_s": tn, "cores": Double(cores),
                                                         "speedup": t1 / tn, "identical": identical ? 1 : 0]))
        verdicts.append(Verdict(benchmark: "8 replications, 1 -> \(cores) threads", figure: "speed-up \(f2(t1 / tn)), identical: \(identical)",
                                target: cores >= 2 ? ">= 1.8 on 2 cores, identical" : "identical (1 core)",
                                met: identical && (cores < 2 || t1 / tn >= 1.8)))
    }

    /// The SQLite event log: rows written per second, batched in one transaction with prepared
    /// statements, as `simulate --events` writes them.
    static func eventLog() {
        var (scenario, pathway) = load("Scenarios/discharge-architectures.yaml")
        scenario.variants = Array(scenario.variants.prefix(1))
        scenario.cohort.size = .patients(100_000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bench-\(getpid()).sqlite").path
        defer { for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try ResultsStore(path: path)
            let writer = try store.beginRun(
                RunRecord(startedAt: "benchmark", carepathVersion: ScenarioRunner.version, command: "carepath-bench eventlog",
                          scenario: scenario.id, title: scenario.title, pathway: pathway.id, seed: scenario.seed, replications: 1),
                inputs: [], variants: VariantRecord.variants(of: scenario))
            // Simulate first, then time the writing alone.
            let observers = ScenarioRunner.replicate(scenario, pathway: pathway, variant: scenario.effectiveVariants[0],
                                                     seed: ScenarioRunner.replicationSeed(scenario.seed, 0),
                                                     observer: ObserverPair(MetricsCollector(), ReplicationRecorder(events: true)))
            let rows = observers.second.events?.records.count ?? 0
            let (_, seconds) = try time {
                try writer.addReplication(variant: 0, replication: 0, seed: ScenarioRunner.replicationSeed(scenario.seed, 0),
                                          result: observers.first.result(), recorder: observers.second)
            }
            writer.abandon()
            let rate = Double(rows) / seconds
            print("\nSQLite event log, discharge to assess at 100000 patients")
            print("  \(rows) event rows in \(f2(seconds)) s: \(String(format: "%.0f", rate)) rows per second (with the patients' outcomes)")
            emit(Figure(benchmark: "eventlog", figures: ["rows": Double(rows), "seconds": seconds, "rows_per_s": rate]))
            verdicts.append(Verdict(benchmark: "SQLite event log", figure: "\(mega(rate)) rows/s", target: ">= 1 M rows/s", met: rate >= 1_000_000))
        } catch {
            print("event log benchmark failed: \(error)")
            verdicts.append(Verdict(benchmark: "SQLite event log", figure: "failed: \(error)", target: ">= 1 M rows/s", met: false))
        }
    }

    // MARK: Output

    static func printVerdicts() {
        guard !verdicts.isEmpty else { return }
        let w0 = verdicts.map(\.benchmark.count).max() ?? 0, w1 = verdicts.map(\.figure.count).max() ?? 0
        let w2 = verdicts.map(\.target.count).max() ?? 0
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(w - s.count, 0)) }
        print("\n" + pad("benchmark", w0) + "  " + pad("figure", w1) + "  " + pad("target", w2) + "  met")
        for v in verdicts {
            let met = v.met.map { $0 ? "yes" : "NO" } ?? ""
            print(pad(v.benchmark, w0) + "  " + pad(v.figure, w1) + "  " + pad(v.target, w2) + "  " + met)
        }
    }

    static func emit(_ figure: Figure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(figure), let line = String(data: data, encoding: .utf8) { print("JSON " + line) }
    }

    // MARK: Helpers

    static func load(_ path: String) -> (Scenario, Pathway) {
        do {
            let (scenario, pathway, _) = try ScenarioFile.load(root.appendingPathComponent(path))
            return (scenario, pathway)
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            exit(1)
        }
    }

    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Peak resident memory of this process so far, in MB.
    static func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Runs a program and returns its standard output, or nil if it could not run or failed.
    static func run(_ executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A number field of the JSON object on the last line of `text`.
    static func jsonNumber(_ text: String, _ key: String) -> Double? {
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return (object[key] as? NSNumber)?.doubleValue
    }

    static func f1(_ x: Double) -> String { String(format: "%.1f", x) }
    static func f2(_ x: Double) -> String { String(format: "%.2f", x) }
    static func f3(_ x: Double) -> String { String(format: "%.3f", x) }
    static func f4(_ x: Double) -> String { String(format: "%.4f", x) }
    static func mega(_ x: Double) -> String { String(format: x < 1e6 ? "%.2f M" : "%.1f M", x / 1e6) }
}
