import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation

/// A live run: the baseline and the room's option on common random numbers (replication r of
/// both on the same seed, hence the same patients), replication by replication, with an update
/// after each. A value: two rooms' runs share nothing but the store they are written to.
public struct WorkshopRun: Sendable {
    public let setup: WorkshopSetup
    /// The room's settings, lever id: value, as given.
    public let settings: [String: String]
    /// The option's levers, read and checked.
    public let levers: [Lever]
    /// The scenario run: the baseline and the option as its two variants (stored so).
    public let scenario: Scenario
    public let replications: Int
    public let threads: Int

    /// Checks the settings (every problem at once) and makes the option. `name` is the option's
    /// name in the store; `replications` defaults to the scenario's.
    public init(setup: WorkshopSetup, settings: [String: String], name: String = "option", replications: Int? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(WorkshopProblems) {
        let levers: [Lever]
        switch setup.levers(for: settings) {
        case .failure(let problems): throw problems
        case .success(let l): levers = l
        }
        let baseline = setup.baseline
        var option: Variant
        switch baseline.pulling(levers, pathway: setup.pathway, scenario: setup.scenario) {
        case .failure(let p): throw WorkshopProblems(p.problems.map { WorkshopProblem(lever: "", message: $0.message) })
        case .success(let v): option = v
        }
        option.name = WorkshopNames.slug(name, avoiding: [baseline.name])
        option.title = levers.isEmpty ? "\(baseline.title ?? baseline.name), unchanged"
            : "\(baseline.title ?? baseline.name), with " + levers.map(\.description).joined(separator: "; ")
        var scenario = setup.scenario
        scenario.variants = [baseline, option]
        let n = replications ?? setup.scenario.replications
        guard (1...Bounds.maximumReplications).contains(n) else {
            throw WorkshopProblems([WorkshopProblem(lever: "", message: "replications must be from 1 to \(Bounds.maximumReplications), found \(n)")])
        }
        scenario.replications = n
        self.setup = setup; self.settings = settings; self.levers = levers; self.scenario = scenario
        self.replications = n; self.threads = max(1, threads)
    }

    /// The updates, one after each replication of both options in replication order, the last
    /// `finished` (and stored when `store` is given). Ending the stream's consumer (a cancelled
    /// task, a dropped iterator) stops the run: no replication starts after that.
    public func updates(store: ResultsStore? = nil) -> AsyncStream<WorkshopUpdate> {
        let run = self
        return AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let live = LiveReplications(run: run) { continuation.yield($0) }
            continuation.onTermination = { _ in live.cancel() }
            DispatchQueue.global(qos: .userInitiated).async {
                if let final = live.runAll(store: store) { continuation.yield(final) }
                continuation.finish()
            }
        }
    }

    /// Runs to the end (or until the calling task is cancelled), handing each update to
    /// `onUpdate`; returns the last update, nil when cancelled before the end.
    public func run(store: ResultsStore? = nil, onUpdate: @Sendable (WorkshopUpdate) -> Void = { _ in }) async -> WorkshopUpdate? {
        var last: WorkshopUpdate?
        for await update in updates(store: store) {
            if Task.isCancelled { return nil }
            onUpdate(update)
            last = update
        }
        return Task.isCancelled || last?.finished != true ? nil : last
    }
}
