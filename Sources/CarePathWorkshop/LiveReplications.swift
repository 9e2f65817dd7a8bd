import CarePathEngine
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// The replications of a live run on worker threads: jobs handed out in replication order
/// (baseline then option), results kept by job, and an update sent as soon as every replication
/// up to one more is done in both options, so that update k rests on replications 1...k whoever
/// ran them.
final class LiveReplications: @unchecked Sendable {
    let run: WorkshopRun
    let send: @Sendable (WorkshopUpdate) -> Void
    private let lock = NSLock()
    private var results: [ReplicationResult?]
    private var claimed = 0
    private var sent = 0
    private var cancelled = false
    private var stopped: String?
    /// Stops the replications in progress when the run is cancelled, not only those not started.
    private let stopSignal = StopSignal()
    private let figures: LiveFigures

    init(run: WorkshopRun, send: @escaping @Sendable (WorkshopUpdate) -> Void) {
        self.run = run; self.send = send
        results = Array(repeating: nil, count: 2 * run.replications)
        figures = LiveFigures(pathway: run.setup.pathway, replications: run.replications)
    }

    func cancel() {
        lock.lock(); defer { lock.unlock() }
        cancelled = true
        stopSignal.stop()
    }

    var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelled
    }

    private func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard !cancelled, stopped == nil, claimed < results.count else { return nil }
        claimed += 1
        return claimed - 1
    }

    /// Runs every replication; the final update (stored if `store` is given), or nil when
    /// cancelled. Updates before the last are sent as they come.
    func runAll(store: ResultsStore?) -> WorkshopUpdate? {
        let scenario = run.scenario, pathway = run.setup.pathway
        let variants = scenario.effectiveVariants
        let seed = scenario.seed
        DispatchQueue.concurrentPerform(iterations: min(run.threads, results.count)) { _ in
            while let job = claim() {
                let r = job / 2, v = job % 2
                var stuck: StuckRun?
                let collector = ScenarioRunner.replicate(scenario, pathway: pathway, variant: variants[v],
                                                         seed: ScenarioRunner.replicationSeed(seed, r), maximumStateEntries: nil,
                                                         stopSignal: stopSignal, observer: MetricsCollector(), stuck: &stuck)
                var result = collector.result()
                result.stuck = stuck
                finished(job, result)
            }
        }
        lock.lock()
        let all = results.compactMap { $0 }, stoppedWith = stopped, wasCancelled = cancelled
        lock.unlock()
        if let stoppedWith {
            return WorkshopUpdate(replicationsDone: sent, replications: run.replications, headlines: [], nodes: [], finished: true,
                                  stopped: stoppedWith)
        }
        guard !wasCancelled, all.count == results.count else { return nil }
        var final = figures.update(done: run.replications, finished: true)
        if let store {
            do {
                final.storedRun = try WorkshopStoring.store(run, results: all, in: store)
            } catch {
                final.storeProblem = "\(store.path): the run could not be stored: \(error)"
            }
        }
        return final
    }

    /// Keeps a result and sends the updates it completes (all but the last, which `runAll` sends
    /// once stored), in order.
    private func finished(_ job: Int, _ result: ReplicationResult) {
        lock.lock(); defer { lock.unlock() }
        // A cancelled run keeps and sends nothing (its replications in progress stopped part way).
        if cancelled { return }
        if let s = result.stuck {
            // Figures of a run that could not finish are not to be shown.
            if stopped == nil { stopped = "replication \(job / 2 + 1) of \(job % 2 == 0 ? "the baseline" : "the option"): \(s.message)" }
            return
        }
        results[job] = result
        while sent < run.replications, let b = results[2 * sent], let o = results[2 * sent + 1] {
            figures.add(baseline: b, option: o)
            sent += 1
            if sent < run.replications && !cancelled { send(figures.update(done: sent, finished: false)) }
        }
    }
}
