import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// CarePath's benchmark: the figures the performance goals are judged by, printed as a table and
/// as JSON lines. Run it from a release build: `swift run -c release carepath-bench`.
@main
struct Benchmark {
    struct Figure: Encodable {
        var benchmark: String
        var figures: [String: Double]
    }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Peak resident memory of this process so far, in MB.
    static func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Current resident memory, in MB (from /proc; 0 where unavailable).
    static func currentMemoryMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func load(_ path: String) -> (Scenario, Pathway) {
        do {
            let (scenario, pathway, _) = try ScenarioFile.load(root.appendingPathComponent(path))
            return (scenario, pathway)
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            exit(1)
        }
    }

    static func emit(_ figure: Figure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(figure), let line = String(data: data, encoding: .utf8) { print("JSON " + line) }
    }

    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        let only = arguments.first
        let patients = ProcessInfo.processInfo.environment["CAREPATH_BENCH_PATIENTS"].flatMap(Int.init) ?? 1_000_000
        print("CarePath benchmark (release build expected), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        if only == nil || only == "r1" { r1(patients: patients); r1Bare(patients: patients) }
        if only == nil || only == "discharge" { discharge(patients: patients) }
        if only == nil || only == "replications" { replications() }
        if only == nil || only == "eventlog" { eventLog() }
    }

    /// R1, the tandem clinic, through the real scenario file and engine, single-threaded.
    static func r1(patients: Int) {
        var (scenario, pathway) = load("Scenarios/reference/tandem-clinic.yaml")
        scenario.cohort.size = .patients(patients)
        let variant = scenario.effectiveVariants[0]
        let (collector, seconds) = time {
            ScenarioRunner.replicate(scenario, pathway: pathway, variant: variant, seed: ScenarioRunner.replicationSeed(scenario.seed, 0),
                                     observer: MetricsCollector())
        }
        let result = collector.result()
        let events = Double(patients * 7)
        let theory = ["station-a/a": 1.9286, "station-b/b": 2.5888, "station-c/c": 3.2000]
        print("\nR1 tandem clinic, \(patients) patients, 1 thread")
        print("  wall time           \(String(format: "%.3f", seconds)) s")
        print("  events per second   \(String(format: "%.0f", events / seconds)) (7 per patient)")
        print("  peak memory         \(String(format: "%.1f", peakMemoryMB())) MB")
        var figures: [String: Double] = ["patients": Double(patients), "wall_s": seconds, "events_per_s": events / seconds,
                                         "peak_memory_mb": peakMemoryMB()]
        for station in theory.keys.sorted() {
            let simulated = result.metrics.first { $0.name == "wait_mean_h" && $0.subject == station }?.value ?? .nan
            print("  mean wait \(station)  \(String(format: "%.4f", simulated)) h   theory \(String(format: "%.4f", theory[station] ?? 0)) h")
            figures["wait_\(station)_h"] = simulated
            figures["theory_\(station)_h"] = theory[station] ?? 0
        }
        emit(Figure(benchmark: "r1", figures: figures))
    }

    /// The discharge scenario with every metric and the information-flow model on, at 100,000 and
    /// at the full cohort: memory should stay flat as the cohort grows.
    static func discharge(patients: Int) {
        var (scenario, pathway) = load("Scenarios/discharge-architectures.yaml")
        print("\nDischarge to assess (\(scenario.effectiveVariants[0].name)), 1 thread")
        var figures: [String: Double] = [:]
        for n in [patients / 10, patients] {
            scenario.cohort.size = .patients(n)
            let variant = scenario.effectiveVariants[0]
            let (collector, seconds) = time {
                ScenarioRunner.replicate(scenario, pathway: pathway, variant: variant, seed: 1, observer: MetricsCollector())
            }
            _ = collector.result()
            let peak = peakMemoryMB()
            print("  \(n) patients: wall \(String(format: "%.2f", seconds)) s, \(String(format: "%.0f", Double(n) / seconds)) patients/s, peak memory \(String(format: "%.1f", peak)) MB, events \(collector.events)")
            figures["wall_s_\(n)"] = seconds
            figures["patients_per_s_\(n)"] = Double(n) / seconds
            figures["peak_memory_mb_\(n)"] = peak
        }
        emit(Figure(benchmark: "discharge", figures: figures))
    }

    /// 8 replications of the discharge scenario on 1 thread and on all cores; results must match.
    static func replications() {
        var (scenario, pathway) = load("Scenarios/discharge-architectures.yaml")
        scenario.variants = Array(scenario.variants.prefix(1))
        // Large enough that thread start-up is noise: 50,000 patients per replication.
        scenario.cohort.size = .patients(50_000)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let (one, t1) = time { ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 8, threads: 1)) }
        let (all, tn) = time { ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 8, threads: cores)) }
        let identical = (try? one.json()) == (try? all.json())
        print("\n8 replications of discharge to assess, 50000 patients each")
        print("  1 thread \(String(format: "%.2f", t1)) s, \(cores) threads \(String(format: "%.2f", tn)) s, speed-up \(String(format: "%.2f", t1 / tn)), identical results: \(identical)")
        emit(Figure(benchmark: "replications", figures: ["threads_1_s": t1, "threads_all_s": tn, "cores": Double(cores),
                                                         "speedup": t1 / tn, "identical": identical ? 1 : 0]))
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
            print("\nSQLite event log, discharge to assess at 100000 patients")
            print("  \(rows) event rows in \(String(format: "%.2f", seconds)) s: \(String(format: "%.0f", Double(rows) / seconds)) rows per second (with the patients' outcomes)")
            emit(Figure(benchmark: "eventlog", figures: ["rows": Double(rows), "seconds": seconds, "rows_per_s": Double(rows) / seconds]))
        } catch {
            print("event log benchmark failed: \(error)")
        }
    }
}

extension Benchmark {
    /// R1 with no statistics at all: the engine's own speed, to see what observing costs.
    static func r1Bare(patients: Int) {
        var (scenario, pathway) = load("Scenarios/reference/tandem-clinic.yaml")
        scenario.cohort.size = .patients(patients)
        let (_, seconds) = time {
            ScenarioRunner.replicate(scenario, pathway: pathway, variant: scenario.effectiveVariants[0],
                                     seed: ScenarioRunner.replicationSeed(scenario.seed, 0), observer: NoObserver())
        }
        print("\nR1 engine alone (no statistics), \(patients) patients: \(String(format: "%.3f", seconds)) s, \(String(format: "%.0f", Double(patients * 7) / seconds)) events per second")
        emit(Figure(benchmark: "r1-engine-only", figures: ["wall_s": seconds, "events_per_s": Double(patients * 7) / seconds]))
    }
}
