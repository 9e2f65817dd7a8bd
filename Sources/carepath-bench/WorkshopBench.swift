import CarePathStore
import CarePathWorkshop
import Foundation

extension Benchmark {
    /// Workshop latency (issue 14): the discharge scenario, an option changed (the shared record
    /// instead of point-to-point), 20 replications of baseline and option on common random numbers:
    /// from the request (settings checked, run started) to the first update (one replication of
    /// each), and to the last (all 20, stored in a results store). Targets: 300 ms and 2 s.
    static func workshop() {
        let url = root.appendingPathComponent("Scenarios/discharge-architectures.yaml")
        let setup: WorkshopSetup
        do { setup = try WorkshopSetup.load(url) } catch {
            print("workshop: cannot load \(url.path): \(error)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bench-workshop-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var first: [Double] = [], last: [Double] = []
        for i in 0..<runs {
            guard let store = try? ResultsStore(path: folder.appendingPathComponent("run-\(i).sqlite").path) else { return }
            let times = Timings()
            let done = DispatchSemaphore(value: 0)
            let start = Date()
            Task {
                do {
                    let run = try WorkshopRun(setup: setup, settings: ["architecture.option": "shared-record"], replications: 20)
                    for await update in run.updates(store: store) {
                        times.seen(update, at: Date().timeIntervalSince(start))
                    }
                } catch {
                    print("workshop: \(error)")
                }
                done.signal()
            }
            done.wait()
            first.append(times.first ?? .nan)
            last.append(times.last ?? .nan)
            if i == 0, let sentence = times.sentence { print("\nWorkshop, discharge, shared record vs point-to-point: \(sentence)") }
        }
        let f = median(first), l = median(last)
        print("Workshop live run, discharge (3,000 patients), 20 replications of baseline and option, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("  first update (1 replication each)   median \(f3(f)) s  (runs: \(first.map(f3).joined(separator: ", ")))")
        print("  last update (20 each, stored)       median \(f3(l)) s  (runs: \(last.map(f3).joined(separator: ", ")))")
        emit(Figure(benchmark: "workshop", figures: ["first_update_s": f, "last_update_s": l, "runs": Double(runs)]))
        verdicts.append(Verdict(benchmark: "Workshop, first estimate", figure: "\(f3(f)) s", target: "<= 0.3 s", met: f <= 0.3))
        verdicts.append(Verdict(benchmark: "Workshop, full answer (20 replications)", figure: "\(f3(l)) s", target: "<= 2 s", met: l <= 2))
    }
}

/// When the first and the last update of a run came.
final class Timings: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var first: Double?
    private(set) var last: Double?
    private(set) var sentence: String?
    func seen(_ update: WorkshopUpdate, at seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        if first == nil { first = seconds }
        if update.finished {
            last = seconds
            sentence = update.headlines.first { $0.name == "gaps_per_patient" }?.sentence
        }
    }
}
