import CarePathInterop
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation

extension Benchmark {
    /// `carepath export` of discharge to assess (its first variant, `CAREPATH_BENCH_EXPORT_PATIENTS`,
    /// default 100,000 patients, 1 replication), taken apart:
    /// (a) the simulation alone, as `carepath simulate` runs it (every statistic), and the engine
    ///     with nothing observing;
    /// (b) the simulation with the journeys the writers are fed built and dropped (an export
    ///     writing no file);
    /// (c) each writer alone: events / seconds of writing journeys captured in memory beforehand
    ///     (the same journeys, the same bytes as the export writes);
    /// (d) the whole export, simulation included.
    /// The 1,000,000 events/s target is judged on (c); "at the engine's pace" on (d) against (a).
    /// Each figure is given as wall time and as the processor time this process used, user and
    /// system: on a machine shared with other work the wall time counts the waits for a core too.
    /// The writing alone is judged on its user time, the writer's own work; its system time is the
    /// kernel putting the bytes in the file, which bounds the rate whatever the writer does.
    static func exportLogs() {
        var (scenario, pathway) = load("Scenarios/discharge-architectures.yaml")
        scenario.variants = Array(scenario.variants.prefix(1))
        let patients = ProcessInfo.processInfo.environment["CAREPATH_BENCH_EXPORT_PATIENTS"].flatMap(Int.init) ?? 100_000
        scenario.cohort.size = .patients(patients)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bench-export-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let repeats = min(runs, 3)
        print("\nEvent log export, discharge to assess, \(patients) patients, 1 replication, median of \(repeats)")

        // (a) The simulation alone.
        let simulate = Timing.median((0..<repeats).map { _ in
            Timing.measure { _ = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 1, threads: 1)) }
        })
        let engine = Timing.median((0..<repeats).map { _ in
            Timing.measure {
                _ = ScenarioRunner.replicate(scenario, pathway: pathway, variant: scenario.effectiveVariants[0],
                                             seed: ScenarioRunner.replicationSeed(scenario.seed, 0), observer: NoObserver())
            }
        })
        // (b) With the journeys built and dropped.
        let options = EventLogExport.Options(replications: 1)
        let journeys = Timing.median((0..<repeats).map { _ in Timing.measure { _ = try? EventLogExport.run(scenario, pathway: pathway, options: options) } })
        print("  times: wall s / processor s (user + system)")
        print("  (a) simulation alone (carepath simulate, every statistic)  \(simulate);  engine with nothing observing \(engine)")
        print("  (b) simulation and journeys, no file                        \(journeys)")
        let captured: CapturedJourneys
        do { captured = try EventLogExport.capture(scenario, pathway: pathway, options: options) } catch {
            print("  capture failed: \(error)")
            verdicts.append(Verdict(benchmark: "event log writing", figure: "failed: \(error)", target: ">= 1 M events/s", met: false))
            return
        }
        var figures: [String: Double] = ["patients": Double(patients), "simulate_s": simulate.wall, "simulate_cpu_s": simulate.cpu,
                                         "engine_s": engine.wall, "engine_cpu_s": engine.cpu,
                                         "journeys_s": journeys.wall, "journeys_cpu_s": journeys.cpu, "journeys_captured": Double(captured.journeys)]

        let files = ["xes": "log.xes", "ocel-json": "log.json", "ocel-sqlite": "log.sqlite"]
        let formats = (ProcessInfo.processInfo.environment["CAREPATH_BENCH_EXPORT_FORMATS"] ?? "xes,ocel-json,ocel-sqlite").split(separator: ",").map(String.init)
        for format in formats {
            guard let name = files[format] else { print("  unknown format \(format)"); continue }
            let url = directory.appendingPathComponent(name)
            var options = EventLogExport.Options(replications: 1)
            if format == "xes" { options.xes = url } else { options.ocel = url }
            func count(_ c: EventLogExport.Counts) -> Int { format == "xes" ? c.xesEvents : c.ocelEvents }
            var events = 0, bytes = 0
            var writing: [Timing] = [], whole: [Timing] = []
            do {
                for _ in 0..<repeats {
                    // (c) Writing alone, file put in place included.
                    var counts = EventLogExport.Counts()
                    writing.append(try Timing.measure { counts = try EventLogExport.write(captured, scenario: scenario, pathway: pathway, options: options) })
                    events = count(counts)
                    bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                }
                for _ in 0..<repeats {
                    // (d) End to end.
                    var exported = EventLogExport.Counts()
                    whole.append(try Timing.measure { exported = try EventLogExport.run(scenario, pathway: pathway, options: options).counts })
                    if count(exported) != events { print("  \(format): \(count(exported)) events exported, \(events) from the capture") }
                }
            } catch {
                print("  \(format) export failed: \(error)")
                verdicts.append(Verdict(benchmark: "\(format) writing alone", figure: "failed: \(error)", target: ">= 1 M events/s", met: false))
                continue
            }
            let write = Timing.median(writing), end = Timing.median(whole)
            let n = Double(events)
            func rate(_ s: Double) -> String { String(format: "%.0f", n / s) }
            print("  \(format): \(events) events, \(String(format: "%.0f", Double(bytes) / max(n, 1))) bytes each")
            print("    (c) writing alone  \(write): \(rate(write.wall)) events/s wall, \(rate(write.cpu)) events/s of processor time,"
                  + " \(rate(write.user)) events/s of the writer's own (user) time, \(String(format: "%.0f", Double(bytes) / max(write.system, 1e-9) / 1e6)) MB/s into the file system")
            print("    (d) end to end     \(end): \(rate(end.wall)) events/s wall, \(rate(end.cpu)) of processor time;"
                  + " \(f2(end.cpu / simulate.cpu)) times the simulation alone's processor time")
            figures["\(format)_events"] = n
            figures["\(format)_bytes_per_event"] = Double(bytes) / max(n, 1)
            figures["\(format)_writing_s"] = write.wall
            figures["\(format)_writing_cpu_s"] = write.cpu
            figures["\(format)_writing_events_per_s"] = n / write.wall
            figures["\(format)_writing_events_per_cpu_s"] = n / write.cpu
            figures["\(format)_writing_user_s"] = write.user
            figures["\(format)_writing_system_s"] = write.system
            figures["\(format)_writing_events_per_user_s"] = n / write.user
            figures["\(format)_end_to_end_s"] = end.wall
            figures["\(format)_end_to_end_cpu_s"] = end.cpu
            // Judged on the wall time, what a user waits for. The writer's own (user) rate is shown
            // beside it: the rest is the kernel putting the bytes into the file system.
            verdicts.append(Verdict(benchmark: "\(format) writing alone",
                                    figure: "\(mega(n / write.wall)) events/s wall (writer's own time \(mega(n / write.user)), with the kernel's \(mega(n / write.cpu)))",
                                    target: ">= 1 M events/s", met: n / write.wall >= 1_000_000))
            verdicts.append(Verdict(benchmark: "\(format) export end to end", figure: "\(f2(end.cpu / simulate.cpu)) x simulate (processor time)",
                                    target: "(at the engine's pace)", met: nil))
        }
        emit(Figure(benchmark: "export", figures: figures))
    }
}

/// Wall and processor time of one piece of work; the processor time split into this process's
/// own work (user) and the kernel's on its behalf (system: mostly putting the bytes in the file).
struct Timing: CustomStringConvertible {
    var wall: Double
    var user: Double
    var system: Double
    var cpu: Double { user + system }

    var description: String { String(format: "%.2f s / %.2f s (user %.2f, system %.2f)", wall, cpu, user, system) }

    /// User and system processor time of this process so far, in seconds.
    static func processorSeconds() -> (Double, Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (s(usage.ru_utime), s(usage.ru_stime))
    }

    static func measure(_ body: () throws -> Void) rethrows -> Timing {
        let wall = DispatchTime.now().uptimeNanoseconds, (user, system) = processorSeconds()
        try body()
        let (user2, system2) = processorSeconds()
        return Timing(wall: Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9, user: user2 - user, system: system2 - system)
    }

    /// Each figure's own median.
    static func median(_ all: [Timing]) -> Timing {
        Timing(wall: Benchmark.median(all.map(\.wall)), user: Benchmark.median(all.map(\.user)), system: Benchmark.median(all.map(\.system)))
    }
}
