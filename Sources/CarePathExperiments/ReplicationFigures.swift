import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation

/// What the walk asks for: replications `replications` (by their number, so by their seed) of
/// one configuration, whose variant is given.
struct ReplicationRequest {
    var capacities: [Int]
    var variant: Variant
    var replications: Range<Int>
}

/// The figures a search needs from one replication.
struct ReplicationFigures: Sendable {
    var values: [Double]
    var beyondRange: [Bool]
    var stuck: String?

    /// `stuck` is the replication's (a stored result carries it as `result.stuck`).
    init(_ result: ReplicationResult, constraints: [CapacityConstraint], stuck: StuckRun?) {
        var lookup: [MetricKey: Double] = [:]
        for m in result.metrics where m.group.isEmpty { lookup[m.key] = m.value }
        // A figure not measured in a replication (no patient reached the role) counts as 0, as in summaries.
        values = constraints.map { lookup[MetricKey(name: $0.metric, subject: $0.subject)] ?? 0 }
        beyondRange = constraints.map { (lookup[MetricKey(name: $0.metric + PercentileRange.atLeastSuffix, subject: $0.subject)] ?? 0) > 0 }
        self.stuck = stuck.map(\.message)
    }
}

/// Results written into fixed slots by worker threads, read once all are done.
final class Slots<T>: @unchecked Sendable {
    private var slots: [T?]
    private var claimed = 0
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard claimed < slots.count else { return nil }
        claimed += 1
        return claimed - 1
    }
    func set(_ i: Int, _ value: T) {
        lock.lock(); defer { lock.unlock() }
        slots[i] = value
    }
    var values: [T] {
        lock.lock(); defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
