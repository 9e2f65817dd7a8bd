import CarePathModel
import Foundation

/// What a capacity search found, as written to JSON: every configuration it reached in cost
/// order (run, or pruned by monotonicity), the chosen one, and how confident the choice is.
public struct CapacitySearchResult: Codable, Sendable {
    public var carepathVersion: String
    public var scenario: String
    public var title: String
    public var pathway: String
    public var seed: UInt64
    public var procedure: String
    public var objective: String
    /// The joint confidence that the chosen configuration meets every constraint.
    public var confidence: Double
    public var initialReplications: Int
    public var maximumReplications: Int
    /// The replication counts at which constraints were looked at.
    public var looks: [Int]
    /// 1 - confidence, shared by constraints and looks (Bonferroni): each one-sided test's error.
    public var alphaPerTest: Double
    public var monotone: Bool
    public var decisions: [DecisionRecord]
    public var constraints: [ConstraintRecord]
    public var latticeSize: Int
    public var replicationsRun: Int
    /// `chosen`, `infeasible-within-ranges` (every configuration shown infeasible) or
    /// `none-shown-feasible` (some were undecided at the budget).
    public var outcome: Outcome
    /// The position of the chosen configuration in `configurations`.
    public var chosen: Int?
    public var configurations: [EvaluatedConfiguration]

    public enum Outcome: String, Codable, Sendable {
        case chosen
        case infeasibleWithinRanges = "infeasible-within-ranges"
        case noneShownFeasible = "none-shown-feasible"
    }

    public struct DecisionRecord: Codable, Sendable {
        public var role: String
        public var place: String
        public var minimum: Int
        public var maximum: Int
        public var cost: Double
    }

    public struct ConstraintRecord: Codable, Sendable {
        public var figure: String
        public var metric: String
        public var subject: String
        public var relation: String
        public var limit: Double
        public var text: String
    }

    public static let procedureName = "Walk of the capacity lattice in increasing cost; each configuration on common random numbers "
        + "with sequential replications (n0 doubled up to the budget) and one-sided Student t bounds, Bonferroni-adjusted over "
        + "constraints and looks; least-cost configuration shown feasible (in the spirit of Batur & Kim 2010, ACM TOMACS 20(3):13)"

    public init(spec: CapacitySearchSpec, scenario: String, title: String, pathway: String, seed: UInt64, looks: [Int], alphaPerTest: Double,
                configurations: [EvaluatedConfiguration], chosen: Int?, latticeSize: Int, replicationsRun: Int) {
        carepathVersion = ScenarioRunner.version
        self.scenario = scenario
        self.title = title
        self.pathway = pathway
        self.seed = seed
        procedure = Self.procedureName
        objective = spec.objective.rawValue
        confidence = spec.confidence
        initialReplications = spec.initialReplications
        maximumReplications = spec.maximumReplications
        self.looks = looks
        self.alphaPerTest = alphaPerTest
        monotone = spec.monotone
        decisions = spec.decisions.map { DecisionRecord(role: $0.role.description, place: $0.place, minimum: $0.minimum, maximum: $0.maximum, cost: $0.cost) }
        constraints = spec.constraints.map {
            ConstraintRecord(figure: $0.figure, metric: $0.metric, subject: $0.subject, relation: $0.relation.rawValue, limit: $0.limit, text: $0.text)
        }
        self.latticeSize = latticeSize
        self.replicationsRun = replicationsRun
        self.configurations = configurations
        self.chosen = chosen
        if chosen != nil { outcome = .chosen }
        else if configurations.count == latticeSize && configurations.allSatisfy({ $0.status == .infeasible || $0.status == .pruned }) {
            outcome = .infeasibleWithinRanges
        } else { outcome = .noneShownFeasible }
        markFrontier()
    }

    public var chosenConfiguration: EvaluatedConfiguration? { chosen.map { configurations[$0] } }

    /// Marks the configurations run that no other run configuration beats: no more costly, and at
    /// least as good on every constrained figure's mean (lower for `<=`, higher for `>=`), better on one.
    private mutating func markFrontier() {
        let run = configurations.indices.filter { !configurations[$0].figures.isEmpty }
        func better(_ a: EvaluatedConfiguration, _ b: EvaluatedConfiguration) -> Bool {
            guard a.cost <= b.cost else { return false }
            var strictly = a.cost < b.cost
            for (k, c) in constraints.enumerated() {
                let x = a.figures[k].mean, y = b.figures[k].mean
                let (good, worse) = c.relation == "<=" ? (x < y, x > y) : (x > y, x < y)
                if worse { return false }
                if good { strictly = true }
            }
            return strictly
        }
        for i in run {
            configurations[i].frontier = !run.contains { j in j != i && better(configurations[j], configurations[i]) }
        }
    }

    /// Deterministic JSON: sorted keys, the same bytes for the same inputs and seed.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

/// One configuration the walk reached.
public struct EvaluatedConfiguration: Codable, Sendable, Hashable {
    /// Capacity of each decision's role, in the decisions' order.
    public var capacities: [Int]
    public var cost: Double
    public var status: Status
    public var replications: Int
    /// One per constraint, in their order; empty when it was not run.
    public var figures: [FigureEstimate]
    /// Why it is feasible, infeasible, undecided or pruned, in words.
    public var reason: String
    /// Not beaten by another configuration run (cost and every constrained figure's mean).
    public var frontier: Bool?
    /// Whether it was run to bound a role's capacity (the others at their maximum) or in the walk.
    public var phase: Phase = .walk

    public init(capacities: [Int], cost: Double, status: Status, replications: Int, figures: [FigureEstimate], reason: String,
                phase: Phase = .walk) {
        self.capacities = capacities; self.cost = cost; self.status = status; self.replications = replications
        self.figures = figures; self.reason = reason; self.phase = phase
    }

    public enum Phase: String, Codable, Sendable {
        case bounds, walk
    }

    /// Shown to break a constraint (not merely refused by the model or stuck): what monotonicity extends.
    public var shownInfeasible: Bool { status == .infeasible && figures.contains { $0.verdict == .fails } }

    public enum Status: String, Codable, Sendable {
        case feasible, infeasible, undecided, pruned
    }
}

/// A constrained figure of one configuration over its replications.
public struct FigureEstimate: Codable, Sendable, Hashable {
    public var mean: Double
    /// Half-width of the two-sided 95% interval (Student t), as in summaries; nil with one replication.
    public var halfWidth: Double?
    /// The one-sided bound at the adjusted level on the side the limit must be met: the upper bound
    /// for `<=`, the lower for `>=`.
    public var bound: Double
    /// The bound on the other side, which shows a constraint broken.
    public var opposite: Double
    public var verdict: Verdict
    /// Some replication's percentile fell past its histogram's range (a lower bound); nil otherwise.
    public var beyondRange: Bool?

    public init(mean: Double, halfWidth: Double?, bound: Double, opposite: Double, verdict: Verdict, beyondRange: Bool?) {
        self.mean = mean; self.halfWidth = halfWidth; self.bound = bound; self.opposite = opposite; self.verdict = verdict
        self.beyondRange = beyondRange
    }

    public enum Verdict: String, Codable, Sendable {
        case holds, fails, undecided
    }
}

