/// One alternative of a value that depends on the patient: taken when `condition` holds and no
/// alternative before it did. A list of them is followed by a default for everyone else:
///
///     duration:
///       - when: age >= 85
///         is: lognormal(mean=7d, sd=5d)
///       - is: lognormal(mean=4d, sd=3.5d)     # the default: no `when`, always last
///
/// The same form serves durations (`State.durationCases`), branch shares
/// (`Transition.probabilityCases`) and cohort attributes (`AttributeDistribution.conditional`).
public struct Alternative<Value: Hashable & Sendable>: Hashable, Sendable {
    public var condition: Condition
    public var value: Value
    public init(when condition: Condition, _ value: Value) { self.condition = condition; self.value = value }
}

extension State {
    /// Every duration the state may draw from: the alternatives with their conditions, then the
    /// default (`duration`) with none.
    public var allDurations: [(condition: Condition?, distribution: Distribution)] {
        durationCases.map { ($0.condition, $0.value) } + [(nil, duration)]
    }
}

extension Transition {
    /// Whether the branch's share depends on patient attributes.
    public var hasShareCases: Bool { !probabilityCases.isEmpty }
}

extension AttributeDistribution {
    /// Attribute names the distribution's conditions read (none for a plain distribution).
    public var attributeNames: Set<String> {
        guard case .conditional(let cases, let otherwise) = self else { return [] }
        return cases.reduce(otherwise.attributeNames) { $0.union($1.condition.attributeNames).union($1.value.attributeNames) }
    }
}

extension Expression {
    /// The first place (in reading order) where the expression reads one of `names`.
    public func firstReference(to names: Set<String>) -> (name: String, column: Int)? {
        switch self {
        case .number, .text, .boolean: return nil
        case .attribute(let name, let column): return names.contains(name) ? (name, column) : nil
        case .not(let e, _): return e.firstReference(to: names)
        case .and(let a, let b), .or(let a, let b), .compare(let a, _, let b, _):
            return a.firstReference(to: names) ?? b.firstReference(to: names)
        case .member(let e, let list, _, _):
            return ([e] + list).lazy.compactMap { $0.firstReference(to: names) }.first
        }
    }
}
