/// A condition checked against the pathway's attribute types and turned into a tree over
/// attribute slots: evaluation reads doubles, with no string or dictionary work per patient.
/// Numbers are stored as they are, booleans as 0/1, categorical values as the level's index.
public indirect enum CompiledCondition: Hashable, Sendable {
    case constant(Bool)
    case flag(slot: Int)
    case compare(Operand, ComparisonOperator, Operand)
    case member(slot: Int, values: [Double], negated: Bool)
    case not(CompiledCondition)
    case and(CompiledCondition, CompiledCondition)
    case or(CompiledCondition, CompiledCondition)

    public enum Operand: Hashable, Sendable {
        case slot(Int)
        case value(Double)
        @inline(__always) func read(_ attributes: UnsafeBufferPointer<Double>) -> Double {
            switch self {
            case .slot(let i): attributes[i]
            case .value(let v): v
            }
        }
    }

    public func evaluate(_ attributes: UnsafeBufferPointer<Double>) -> Bool {
        switch self {
        case .constant(let b): return b
        case .flag(let slot): return attributes[slot] != 0
        case .compare(let a, let op, let b):
            let x = a.read(attributes), y = b.read(attributes)
            switch op {
            case .equal: return x == y
            case .notEqual: return x != y
            case .less: return x < y
            case .lessOrEqual: return x <= y
            case .greater: return x > y
            case .greaterOrEqual: return x >= y
            }
        case .member(let slot, let values, let negated): return values.contains(attributes[slot]) != negated
        case .not(let c): return !c.evaluate(attributes)
        case .and(let a, let b): return a.evaluate(attributes) && b.evaluate(attributes)
        case .or(let a, let b): return a.evaluate(attributes) || b.evaluate(attributes)
        }
    }

    public func evaluate(_ attributes: [Double]) -> Bool {
        attributes.withUnsafeBufferPointer { evaluate($0) }
    }
}

extension Condition {
    /// Checks types and resolves attribute names to slots (their index in `attributes`).
    /// Every problem is reported with its column; an empty error list means it compiled.
    public func compile(attributes: [PatientAttribute]) throws(ConditionError) -> CompiledCondition {
        let compiler = ConditionCompiler(attributes: attributes)
        let (compiled, type) = try compiler.compile(expression)
        guard type == .boolean else {
            throw ConditionError(column: expression.column, message: "a condition must be true or false, but this is a \(type)")
        }
        return compiled
    }
}

private struct ConditionCompiler {
    enum ValueType: Equatable, CustomStringConvertible {
        case number, boolean, text, categorical(String, [String])
        var description: String {
            switch self {
            case .number: "number"
            case .boolean: "true/false value"
            case .text: "text"
            case .categorical(let name, _): "categorical attribute '\(name)'"
            }
        }
    }

    let slots: [String: (Int, AttributeType)]
    let names: [String]

    init(attributes: [PatientAttribute]) {
        var slots: [String: (Int, AttributeType)] = [:]
        for (i, a) in attributes.enumerated() where slots[a.name] == nil { slots[a.name] = (i, a.type) }
        self.slots = slots
        self.names = attributes.map(\.name)
    }

    /// A value operand: either a compiled boolean tree or something comparable.
    enum Value { case condition(CompiledCondition), operand(CompiledCondition.Operand), text(String) }

    func compile(_ e: Expression) throws(ConditionError) -> (CompiledCondition, ValueType) {
        let (value, type) = try value(e)
        guard case .condition(let c) = value, type == .boolean else {
            throw ConditionError(column: e.column, message: "expected a true/false value here, found a \(type)")
        }
        return (c, .boolean)
    }

    private func attribute(_ name: String, column: Int) throws(ConditionError) -> (Int, AttributeType) {
        guard let found = slots[name] else {
            let known = names.isEmpty ? "the pathway declares no attributes" : "known attributes: " + names.joined(separator: ", ")
            throw ConditionError(column: column, message: "unknown attribute '\(name)' (\(known))")
        }
        return found
    }

    func value(_ e: Expression) throws(ConditionError) -> (Value, ValueType) {
        switch e {
        case .number(let v, _): return (.operand(.value(v)), .number)
        case .text(let t, _): return (.text(t), .text)
        case .boolean(let b, _): return (.condition(.constant(b)), .boolean)
        case .attribute(let name, let column):
            let (slot, type) = try attribute(name, column: column)
            switch type {
            case .number: return (.operand(.slot(slot)), .number)
            case .boolean: return (.condition(.flag(slot: slot)), .boolean)
            case .categorical(let levels): return (.operand(.slot(slot)), .categorical(name, levels))
            }
        case .not(let inner, _):
            let (c, _) = try compile(inner)
            return (.condition(.not(c)), .boolean)
        case .and(let a, let b):
            let (x, _) = try compile(a), (y, _) = try compile(b)
            return (.condition(.and(x, y)), .boolean)
        case .or(let a, let b):
            let (x, _) = try compile(a), (y, _) = try compile(b)
            return (.condition(.or(x, y)), .boolean)
        case .compare(let a, let op, let b, let column):
            return (.condition(try comparison(a, op, b, column: column)), .boolean)
        case .member(let subject, let list, let negated, let column):
            guard case .attribute(let name, let attrColumn) = subject else {
                throw ConditionError(column: subject.column, message: "the left of 'in' must be an attribute")
            }
            let (slot, type) = try attribute(name, column: attrColumn)
            var values: [Double] = []
            for item in list {
                values.append(try literal(item, for: name, type: type))
            }
            _ = column
            return (.condition(.member(slot: slot, values: values, negated: negated)), .boolean)
        }
    }

    /// A literal converted to the stored form of an attribute of `type`.
    private func literal(_ item: Expression, for name: String, type: AttributeType) throws(ConditionError) -> Double {
        switch (type, item) {
        case (.number, .number(let v, _)): return v
        case (.boolean, .boolean(let b, _)): return b ? 1 : 0
        case (.categorical(let levels), .text(let t, let c)):
            guard let i = levels.firstIndex(of: t) else {
                throw ConditionError(column: c, message: "'\(t)' is not a level of '\(name)' (levels: \(levels.joined(separator: ", ")))")
            }
            return Double(i)
        default:
            throw ConditionError(column: item.column, message: "'\(name)' is a \(type), so it cannot be compared with this value")
        }
    }

    private func comparison(_ a: Expression, _ op: ComparisonOperator, _ b: Expression, column: Int) throws(ConditionError) -> CompiledCondition {
        let (va, ta) = try value(a), (vb, tb) = try value(b)
        switch (ta, tb) {
        case (.number, .number):
            guard case .operand(let x) = va, case .operand(let y) = vb else { break }
            return .compare(x, op, y)
        case (.boolean, .boolean):
            guard op == .equal || op == .notEqual else {
                throw ConditionError(column: column, message: "true/false values can only be compared with == or !=")
            }
            guard case .condition(let x) = va, case .condition(let y) = vb else { break }
            // x == y is (x and y) or (not x and not y)
            let equal = CompiledCondition.or(.and(x, y), .and(.not(x), .not(y)))
            return op == .equal ? equal : .not(equal)
        case (.categorical(let name, let levels), .text), (.text, .categorical(let name, let levels)):
            guard op == .equal || op == .notEqual else {
                throw ConditionError(column: column, message: "categorical attribute '\(name)' can only be compared with == or !=")
            }
            let (slotValue, textValue, textExpr) = ta == .text ? (vb, va, a) : (va, vb, b)
            guard case .operand(let slot) = slotValue, case .text(let t) = textValue else { break }
            guard let i = levels.firstIndex(of: t) else {
                throw ConditionError(column: textExpr.column, message: "'\(t)' is not a level of '\(name)' (levels: \(levels.joined(separator: ", ")))")
            }
            return .compare(slot, op, .value(Double(i)))
        default: break
        }
        throw ConditionError(column: column, message: "cannot compare a \(ta) with a \(tb)")
    }
}

extension Condition {
    /// The compiled condition, or one that is always false when it does not compile: the checks
    /// refuse such a file before any run, so this only keeps a run from trapping on one.
    public func compiledOrFalse(attributes: [PatientAttribute]) -> CompiledCondition {
        do throws(ConditionError) { return try compile(attributes: attributes) } catch { return .constant(false) }
    }
}
