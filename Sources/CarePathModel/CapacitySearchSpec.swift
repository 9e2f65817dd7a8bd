/// What `carepath optimise` is asked: which role capacities it may choose (integers in ranges,
/// each with a cost per unit), which figures must stay within limits, with what confidence, and
/// how many replications it may spend on one configuration. Read from a scenario's
/// `experiments: { optimise: ... }` (docs/simulation.md, "Capacity search").
public struct CapacitySearchSpec: Hashable, Sendable {
    public var decisions: [CapacityDecision]
    public var constraints: [CapacityConstraint]
    /// The objective; least cost is the only one (the sum of capacity x cost per unit).
    public var objective: Objective = .leastCost
    /// The joint confidence that the chosen configuration meets every constraint (default 0.95).
    public var confidence: Double = 0.95
    /// Replications every configuration gets first (n0), and the most one may get.
    public var initialReplications: Int = 10
    public var maximumReplications: Int = 40
    /// Whether more capacity never makes a constrained figure worse (true for waits, queues and
    /// delays): a configuration with no more of any role than one shown infeasible is then
    /// infeasible too and is not simulated. False simulates every configuration it reaches.
    public var monotone: Bool = true

    public enum Objective: String, Hashable, Sendable, CaseIterable {
        case leastCost = "least-cost"
    }

    public init(decisions: [CapacityDecision], constraints: [CapacityConstraint]) {
        self.decisions = decisions; self.constraints = constraints
    }

    /// The configurations of the lattice: the product of the decisions' ranges.
    public var latticeSize: Double {
        decisions.reduce(1.0) { $0 * Double($1.maximum - $1.minimum + 1) }
    }

    /// The most configurations a search may enumerate (the lattice is walked in cost order).
    public static let maximumLattice = 10_000
}

/// One decision: a role's capacity (the lever place `capacities.ORG/ROLE`), from `minimum` to
/// `maximum`, at `cost` per unit.
public struct CapacityDecision: Hashable, Sendable {
    public var role: RoleReference
    public var minimum: Int
    public var maximum: Int
    public var cost: Double

    public init(role: RoleReference, minimum: Int, maximum: Int, cost: Double) {
        self.role = role; self.minimum = minimum; self.maximum = maximum; self.cost = cost
    }

    /// The lever place, as the validator names it and `set:` accepts it.
    public var place: String { "capacities.\(role)" }
}

/// A limit on one figure of a replication: `wait_p90_h at council/social-worker <= 48h`. The
/// figure is a run's metric (its name and subject as in the JSON summary and the glossary),
/// evaluated on every replication; the limit is on its mean over replications.
public struct CapacityConstraint: Hashable, Sendable, CustomStringConvertible {
    public enum Relation: String, Hashable, Sendable {
        case atMost = "<="
        case atLeast = ">="
    }

    public var metric: String
    /// A role, state or other subject of the metric; empty for a figure of the whole cohort.
    public var subject: String
    public var relation: Relation
    /// In the metric's own unit (hours for `_h` figures).
    public var limit: Double
    /// The constraint as written, for reports.
    public var text: String
    /// Where it is written, for problems found once the metrics are known (the figure's name).
    public var file = "", line = 1, column = 1
    public var path = DocumentPath.root

    public init(metric: String, subject: String = "", relation: Relation, limit: Double, text: String) {
        self.metric = metric; self.subject = subject; self.relation = relation; self.limit = limit; self.text = text
    }

    /// `wait_p90_h at council/social-worker`.
    public var figure: String { subject.isEmpty ? metric : "\(metric) at \(subject)" }

    public var description: String { text }

    /// Whether `value` meets the limit.
    public func holds(_ value: Double) -> Bool {
        switch relation {
        case .atMost: return value <= limit
        case .atLeast: return value >= limit
        }
    }
}

extension CapacitySearchSpec {
    /// The scenario's base settings with a configuration's capacities pulled as levers: what the
    /// search runs for it, on one machine or in a shard of a search stage.
    public func variant(_ capacities: [Int], scenario: Scenario, pathway: Pathway) -> Result<Variant, LeverProblems> {
        let levers = zip(decisions, capacities).map { d, c in
            Lever(place: .roleCapacity(d.role), value: .wholeNumber(c), text: String(c))
        }
        let base = Variant(name: "optimise", title: scenario.title, settings: scenario.settings)
        return base.pulling(levers, pathway: pathway, scenario: scenario)
    }

    /// `council/social-worker 4, hub/coordinator 2`.
    public func describe(_ capacities: [Int]) -> String {
        zip(decisions, capacities).map { "\($0.role) \($1)" }.joined(separator: ", ")
    }

    /// Whether `capacities` is a configuration of the lattice: one capacity per decision, each in its range.
    public func contains(_ capacities: [Int]) -> Bool {
        capacities.count == decisions.count && zip(decisions, capacities).allSatisfy { ($0.minimum...$0.maximum).contains($1) }
    }
}
