import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation

/// Runs a design's scenario (one variant per point) with `ScenarioRunner`, keeping each
/// replication's outcomes: every point's replication r sees the same patients (common random
/// numbers), so differences between points are paired.
public enum SensitivityRunner {
    public struct Run: Sendable {
        public var summary: RunSummary
        public var outcomes: DesignOutcomes
    }

    /// `finished` sees each replication as it ends (to stream it to a store), one call at a time.
    public static func run(_ study: SensitivityStudy, design: SensitivityDesign, scenario: Scenario, options: ScenarioRunner.Options,
                           progress: (@Sendable (RunProgress) -> Void)? = nil,
                           finished: @escaping @Sendable (Int, Int, ReplicationResult) -> Void = { _, _, _ in }) -> Run {
        let replications = options.replications ?? scenario.replications
        let table = OutcomeTable(points: design.points.count, replications: replications, outcomes: study.outcomes)
        let summary = ScenarioRunner.run(scenario, pathway: study.pathway, options: options, progress: progress,
                                         watch: { _, _ in NoObserver() },
                                         finished: { v, r, result, _ in
                                             table.set(v, r, result.metrics)
                                             finished(v, r, result)
                                         })
        return Run(summary: summary, outcomes: table.outcomes)
    }

    /// The outcomes of a stored run's replications (`replication_metrics`), in the same table.
    public static func outcomes(_ study: SensitivityStudy, points: Int, replications: Int,
                                metrics: (_ variant: Int, _ replication: Int) throws -> [Metric]) rethrows -> DesignOutcomes {
        let table = OutcomeTable(points: points, replications: replications, outcomes: study.outcomes)
        for v in 0..<points { for r in 0..<replications { table.set(v, r, try metrics(v, r)) } }
        return table.outcomes
    }
}

/// Outcomes filled in by replications as they finish, from any thread.
final class OutcomeTable: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[[Double]]]
    private let wanted: [Outcome]

    init(points: Int, replications: Int, outcomes: [Outcome]) {
        wanted = outcomes
        values = Array(repeating: Array(repeating: Array(repeating: .nan, count: outcomes.count), count: replications), count: points)
    }

    func set(_ v: Int, _ r: Int, _ metrics: [Metric]) {
        let row = wanted.map { $0.value(in: metrics) ?? .nan }
        lock.lock(); defer { lock.unlock() }
        guard values.indices.contains(v), values[v].indices.contains(r) else { return }
        values[v][r] = row
    }

    var outcomes: DesignOutcomes {
        lock.lock(); defer { lock.unlock() }
        return DesignOutcomes(values: values)
    }
}
