import CarePathMetrics
import CarePathModel
import Foundation

/// Replications of one configuration the search needs and has not got: a search stage's work.
public struct SearchNeed: Hashable, Sendable {
    public var capacities: [Int]
    /// Replication numbers (each has its own seed, the same in every configuration), ascending.
    public var replications: [Int]

    public init(capacities: [Int], replications: [Int]) {
        self.capacities = capacities; self.replications = replications
    }
}

/// Where a replayed search stands: finished, or waiting for the replications of a next stage.
public enum SearchReplay: Sendable {
    /// The very result `CapacitySearch.run` gives on one machine.
    case finished(CapacitySearchResult)
    /// The first need is the one the search is waiting for; the others are speculative (the
    /// configurations it may reach next), at most `width` needs in all.
    case waiting([SearchNeed])
}

/// A capacity search in stages, for shards on other machines (docs/simulation.md, "Capacity
/// search in stages"). The search is replayed over the replications already run: every decision
/// depends only on the figures of replications (a replication's seed depends only on its number),
/// so a replay reaches exactly the configurations and looks the single-machine walk reaches, and
/// stops at the first replications it has not got. Those, with the next looks of the
/// configurations it may reach after them, are the next stage.
extension CapacitySearch {
    /// Replays the search over `known` (a configuration's replication by its number, or nil when
    /// not run yet); `width` is the most configurations a stage may ask for (1: only the one the
    /// search waits for).
    public func replay(width: Int, known: @escaping ([Int], Int) -> ReplicationResult?) -> SearchReplay {
        let source = TableSource(constraints: spec.constraints, known: known)
        do throws(Waiting) {
            return .finished(try walk { (request) throws(Waiting) in try source.figures(request) })
        } catch {
            let ahead = speculate(source).filter { $0.capacities != error.need.capacities }
            return .waiting([error.need] + ahead.prefix(max(width, 1) - 1))
        }
    }

    /// The needs of the configurations the walk may reach, in the order it would reach them, as
    /// far as the figures known tell: the bounds of each role (monotone), then the walk in cost
    /// order, skipping what known infeasible configurations prune and stopping at a configuration
    /// known feasible. A configuration waiting for replications counts as if it could go either way.
    func speculate(_ source: TableSource) -> [SearchNeed] {
        var needs: [SearchNeed] = []
        var infeasible: [[Int]] = []
        var probed: [[Int]: EvaluatedConfiguration?] = [:]
        /// The configuration decided by the known figures, or nil when it waits (its need recorded).
        func probe(_ capacities: [Int]) -> EvaluatedConfiguration? {
            if let done = probed[capacities] { return done }
            let outcome: EvaluatedConfiguration?
            do throws(Waiting) {
                outcome = try evaluate(capacities, source: { (request) throws(Waiting) in try source.figures(request) }, looked: { _ in })
            } catch {
                needs.append(error.need)
                outcome = nil
            }
            probed[capacities] = outcome
            if let outcome, outcome.shownInfeasible { infeasible.append(capacities) }
            return outcome
        }
        if spec.monotone && spec.decisions.count > 1 {
            let most = spec.decisions.map(\.maximum)
            for (i, d) in spec.decisions.enumerated() {
                for c in d.minimum...d.maximum {
                    var capacities = most
                    capacities[i] = c
                    if let decided = probe(capacities), !decided.shownInfeasible { break }
                }
            }
        }
        for capacities in configurations() {
            if spec.monotone, probed.index(forKey: capacities) == nil, infeasible.contains(where: { dominates($0, capacities) }) { continue }
            if let decided = probe(capacities), decided.status == .feasible { break }
        }
        return needs
    }
}

/// Thrown by a replay at the first replications it has not got.
struct Waiting: Error {
    var need: SearchNeed
}

/// Replications read from a table (the shards of earlier stages) instead of simulated.
struct TableSource {
    var constraints: [CapacityConstraint]
    var known: ([Int], Int) -> ReplicationResult?

    func figures(_ request: ReplicationRequest) throws(Waiting) -> [ReplicationFigures] {
        var out: [ReplicationFigures] = []
        var missing: [Int] = []
        for r in request.replications {
            if let result = known(request.capacities, r) {
                out.append(ReplicationFigures(result, constraints: constraints, stuck: result.stuck))
            } else {
                missing.append(r)
            }
        }
        guard missing.isEmpty else { throw Waiting(need: SearchNeed(capacities: request.capacities, replications: missing)) }
        return out
    }
}
