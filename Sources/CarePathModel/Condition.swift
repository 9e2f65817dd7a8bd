/// A condition on patient attributes, in CarePath's small expression language:
///
///     age >= 85 and lives_alone
///     deprivation in [1, 2]
///     not consent_opt_out or (sex == "female" and age > 75)
///
/// Grammar, loosest first: `or`, `and`, `not`, comparison (`== != < <= > >=`, `in [..]`,
/// `not in [..]`), then a number, a "string", `true`/`false`, an attribute name or `( .. )`.
/// There is no arithmetic, no call and no loop: a condition always ends and cannot touch anything
/// but the patient's attributes. Parse once with `Condition.parse`, check types against the
/// pathway's attributes, then `compile` for fast evaluation.
public struct Condition: Hashable, Sendable, CustomStringConvertible {
    public let source: String
    public let expression: Expression

    public var description: String { source }

    public init(source: String, expression: Expression) {
        self.source = source; self.expression = expression
    }

    public static func parse(_ source: String) throws(ConditionError) -> Condition {
        var parser = ConditionParser(source: source)
        return Condition(source: source, expression: try parser.parseAll())
    }

    /// Attribute names the condition reads.
    public var attributeNames: Set<String> { expression.attributeNames }
}

/// Where a condition went wrong: a 1-based column within the condition text.
public struct ConditionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var column: Int
    public var message: String
    public init(column: Int, message: String) { self.column = column; self.message = message }
    public var description: String { "column \(column): \(message)" }
}

public indirect enum Expression: Hashable, Sendable {
    case number(Double, column: Int)
    case text(String, column: Int)
    case boolean(Bool, column: Int)
    case attribute(String, column: Int)
    case not(Expression, column: Int)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case compare(Expression, ComparisonOperator, Expression, column: Int)
    /// `x in [..]`; `negated` for `not in`.
    case member(Expression, [Expression], negated: Bool, column: Int)

    public var column: Int {
        switch self {
        case .number(_, let c), .text(_, let c), .boolean(_, let c), .attribute(_, let c), .not(_, let c),
             .compare(_, _, _, let c), .member(_, _, _, let c): return c
        case .and(let a, _), .or(let a, _): return a.column
        }
    }

    var attributeNames: Set<String> {
        switch self {
        case .number, .text, .boolean: return []
        case .attribute(let name, _): return [name]
        case .not(let e, _): return e.attributeNames
        case .and(let a, let b), .or(let a, let b): return a.attributeNames.union(b.attributeNames)
        case .compare(let a, _, let b, _): return a.attributeNames.union(b.attributeNames)
        case .member(let e, let list, _, _): return list.reduce(e.attributeNames) { $0.union($1.attributeNames) }
        }
    }
}

public enum ComparisonOperator: String, Hashable, Sendable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

// MARK: - Lexing and parsing

struct ConditionToken: Equatable {
    enum Kind: Equatable {
        case number(Double), text(String), word(String), symbol(String), end
    }
    var kind: Kind
    var column: Int
}

struct ConditionParser {
    private var tokens: [ConditionToken] = []
    private var position = 0
    private let source: String
    private var lexError: ConditionError?
    /// Deep nesting is refused rather than risking the stack on hostile input.
    private static let maximumDepth = 64
    /// A long `a and b and ...` chain builds a tree as deep as it is long, and compiling,
    /// evaluating, comparing or freeing it recurses that deep: bound its length too.
    static let maximumTokens = 1000
    private var depth = 0

    init(source: String) {
        self.source = source
        do throws(ConditionError) { tokens = try Self.lex(source) } catch { lexError = error }
    }

    static func lex(_ source: String) throws(ConditionError) -> [ConditionToken] {
        var tokens: [ConditionToken] = []
        let chars = Array(source.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let column = i + 1
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if tokens.count >= maximumTokens {
                throw ConditionError(column: column, message: "the condition is too long (more than \(maximumTokens) words, numbers and symbols)")
            }
            // A minus sign belongs to a number where no value precedes it (`age > -1`, `[-2, 3]`).
            let afterValue: Bool
            switch tokens.last?.kind {
            case .word(let w)?: afterValue = !["and", "or", "not", "in"].contains(w)
            case .number?, .text?, .symbol(")")?: afterValue = true
            default: afterValue = false
            }
            let negative = c == "-" && !afterValue && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])
            if negative || ("0"..."9").contains(c) || (c == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                var j = negative ? i + 1 : i
                while j < chars.count, ("0"..."9").contains(chars[j]) || chars[j] == "." { j += 1 }
                let text = String(String.UnicodeScalarView(chars[i..<j]))
                guard let value = Double(text) else { throw ConditionError(column: column, message: "'\(text)' is not a number") }
                tokens.append(.init(kind: .number(value), column: column))
                i = j
            } else if c == "\"" || c == "'" {
                var j = i + 1
                var text = String.UnicodeScalarView()
                while j < chars.count, chars[j] != c { text.append(chars[j]); j += 1 }
                guard j < chars.count else { throw ConditionError(column: column, message: "text starting here has no closing \(c)") }
                tokens.append(.init(kind: .text(String(text)), column: column))
                i = j + 1
            } else if c.properties.isAlphabetic || c == "_" {
                var j = i
                while j < chars.count, chars[j].properties.isAlphabetic || chars[j] == "_" || chars[j] == "-"
                        || ("0"..."9").contains(chars[j]) { j += 1 }
                tokens.append(.init(kind: .word(String(String.UnicodeScalarView(chars[i..<j]))), column: column))
                i = j
            } else {
                let two = i + 1 < chars.count ? String(String.UnicodeScalarView([c, chars[i + 1]])) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    tokens.append(.init(kind: .symbol(two), column: column)); i += 2
                } else if "<>()[],".unicodeScalars.contains(c) {
                    tokens.append(.init(kind: .symbol(String(c)), column: column)); i += 1
                } else if c == "=" {
                    throw ConditionError(column: column, message: "'=' is not an operator: use '==' to compare")
                } else if c == "&" || c == "|" || c == "!" {
                    throw ConditionError(column: column, message: "'\(c)' is not an operator: use 'and', 'or', 'not'")
                } else {
                    throw ConditionError(column: column, message: "unexpected character '\(c)'")
                }
            }
        }
        tokens.append(.init(kind: .end, column: chars.count + 1))
        return tokens
    }

    private var current: ConditionToken { tokens[min(position, tokens.count - 1)] }

    private func describe(_ token: ConditionToken) -> String {
        switch token.kind {
        case .number(let v): return "number \(v)"
        case .text(let t): return "text \"\(t)\""
        case .word(let w): return "'\(w)'"
        case .symbol(let s): return "'\(s)'"
        case .end: return "the end of the condition"
        }
    }

    private func isWord(_ w: String) -> Bool { current.kind == .word(w) }
    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }

    mutating func parseAll() throws(ConditionError) -> Expression {
        if let lexError { throw lexError }
        if current.kind == .end { throw ConditionError(column: 1, message: "the condition is empty") }
        let e = try parseOr()
        guard current.kind == .end else {
            throw ConditionError(column: current.column, message: "expected 'and', 'or' or the end of the condition, found \(describe(current))")
        }
        return e
    }

    private mutating func nest() throws(ConditionError) {
        depth += 1
        if depth > Self.maximumDepth { throw ConditionError(column: current.column, message: "the condition is nested too deeply") }
    }

    private mutating func parseOr() throws(ConditionError) -> Expression {
        try nest(); defer { depth -= 1 }
        var e = try parseAnd()
        while isWord("or") { position += 1; e = .or(e, try parseAnd()) }
        return e
    }

    private mutating func parseAnd() throws(ConditionError) -> Expression {
        var e = try parseNot()
        while isWord("and") { position += 1; e = .and(e, try parseNot()) }
        return e
    }

    private mutating func parseNot() throws(ConditionError) -> Expression {
        if isWord("not") {
            let column = current.column
            position += 1
            try nest(); defer { depth -= 1 }
            return .not(try parseNot(), column: column)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ConditionError) -> Expression {
        let left = try parsePrimary()
        let column = current.column
        if case .symbol(let s) = current.kind, let op = ComparisonOperator(rawValue: s) {
            position += 1
            return .compare(left, op, try parsePrimary(), column: column)
        }
        if isWord("in") {
            position += 1
            return .member(left, try parseList(), negated: false, column: column)
        }
        if isWord("not"), position + 1 < tokens.count, tokens[position + 1].kind == .word("in") {
            position += 2
            return .member(left, try parseList(), negated: true, column: column)
        }
        return left
    }

    private mutating func parseList() throws(ConditionError) -> [Expression] {
        guard isSymbol("[") else { throw ConditionError(column: current.column, message: "expected '[' to start a list after 'in', found \(describe(current))") }
        position += 1
        var items: [Expression] = []
        if isSymbol("]") { throw ConditionError(column: current.column, message: "the list is empty") }
        while true {
            let item = try parsePrimary()
            switch item {
            case .number, .text, .boolean: items.append(item)
            default: throw ConditionError(column: item.column, message: "a list after 'in' holds only numbers, texts or true/false")
            }
            if isSymbol(",") { position += 1; continue }
            if isSymbol("]") { position += 1; return items }
            throw ConditionError(column: current.column, message: "expected ',' or ']' in the list, found \(describe(current))")
        }
    }

    private static let reserved: Set<String> = ["and", "or", "not", "in", "true", "false"]

    private mutating func parsePrimary() throws(ConditionError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let v): position += 1; return .number(v, column: token.column)
        case .text(let t): position += 1; return .text(t, column: token.column)
        case .word("true"): position += 1; return .boolean(true, column: token.column)
        case .word("false"): position += 1; return .boolean(false, column: token.column)
        case .word(let w) where !Self.reserved.contains(w): position += 1; return .attribute(w, column: token.column)
        case .symbol("("):
            position += 1
            let e = try parseOr()
            guard isSymbol(")") else { throw ConditionError(column: current.column, message: "expected ')' to close the '(' at column \(token.column), found \(describe(current))") }
            position += 1
            return e
        default:
            throw ConditionError(column: token.column, message: "expected an attribute, a number, a text or '(', found \(describe(token))")
        }
    }
}
