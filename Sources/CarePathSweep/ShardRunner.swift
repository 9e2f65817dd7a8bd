import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// Runs one shard's units, each as `ScenarioRunner` runs that replication on one machine (the
/// same variant, the same replication seed, the same observers' figures), into its shard file.
public enum ShardRunner {
    /// Progress: units done of the shard's.
    public typealias Progress = @Sendable (_ done: Int, _ of: Int) -> Void

    /// Runs shard `index` of the plan and writes its file; a replication that was stopped (a
    /// run-away patient) fails the shard, which then leaves a failure record with the message.
    /// Returns the shard's file.
    @discardableResult
    public static func run(_ directory: URL, manifest: SweepManifest, planSHA256: String, inputs: SweepInputs, index: Int,
                           threads: Int, now: @Sendable () -> String, progress: Progress? = nil) throws -> URL {
        let shard = manifest.shards[index]
        let url = ShardFile.url(directory, shard: index)
        let writer = try ShardFile.Writer(url)
        let variants = inputs.variants
        // A search stage's units keep only their figures, and a stopped replication is one of
        // them (the search decides the configuration infeasible, as on one machine).
        let search = manifest.search != nil
        let units = shard.units
        let next = Counter(), done = Counter()
        let failure = FirstFailure()
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, units.count))) { _ in
            while failure.message == nil, let i = next.take(below: units.count) {
                let unit = units[i]
                let seed = ScenarioRunner.replicationSeed(manifest.seed, unit.replication)
                var stuck: StuckRun?
                var result: ReplicationResult
                var outcomes: [PatientOutcome] = []
                if search {
                    // As `CapacitySearch` runs a replication: the metrics alone.
                    result = ScenarioRunner.replicate(inputs.scenario, pathway: inputs.pathway, variant: variants[unit.variant], seed: seed,
                                                      maximumStateEntries: nil, observer: MetricsCollector(), stuck: &stuck).result()
                } else {
                    let observers = ScenarioRunner.replicate(inputs.scenario, pathway: inputs.pathway, variant: variants[unit.variant], seed: seed,
                                                             maximumStateEntries: nil,
                                                             observer: ObserverPair(MetricsCollector(), ReplicationRecorder(events: false)),
                                                             stuck: &stuck)
                    result = observers.first.result()
                    outcomes = observers.second.outcomes.outcomes
                }
                result.stuck = stuck
                if !search, let stopped = stuck?.stopped {
                    failure.set(unit, "variant \(variants[unit.variant].name), replication \(unit.replication + 1) was stopped: \(stopped)")
                    return
                }
                do {
                    try writer.add(unit, seed: seed, result: result, outcomes: outcomes)
                } catch {
                    failure.set(unit, "\(url.path): cannot write the shard: \(error)")
                    return
                }
                progress?(done.take(below: Int.max)! + 1, units.count)
            }
        }
        let message = failure.message
        try writer.finish(shard: index, plan: planSHA256, version: ScenarioRunner.version,
                          status: message == nil ? ShardFile.complete : ShardFile.failed, message: message, at: now())
        if let message { throw SweepError("shard \(index) failed: \(message) (recorded in \(url.path))") }
        return url
    }

    /// Records a failure before anything could run (inputs refused): `status` shows the message.
    public static func recordFailure(_ directory: URL, index: Int, planSHA256: String, message: String, at time: String) throws {
        let writer = try ShardFile.Writer(ShardFile.url(directory, shard: index))
        try writer.finish(shard: index, plan: planSHA256, version: ScenarioRunner.version, status: ShardFile.failed, message: message, at: time)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// The next number, if below `limit`.
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// The failure of the first unit, in (variant, replication) order, among those that failed: the
/// one a single-machine run names.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var first: (unit: SweepManifest.Unit, message: String)?
    var message: String? { lock.lock(); defer { lock.unlock() }; return first?.message }
    func set(_ unit: SweepManifest.Unit, _ message: String) {
        lock.lock(); defer { lock.unlock() }
        if first == nil || unit < first!.unit { first = (unit, message) }
    }
}
