import CarePathModel
import Foundation
import Yams

/// Reads typed values out of Yams nodes, collecting every problem with its location instead of
/// stopping at the first, and remembering where each path sits so that problems found later in
/// the model (unreachable states, bad references) can be located too.
struct NodeReader {
    let file: String
    private(set) var problems: [FormatProblem] = []
    /// Line and column of each mapping key (or sequence item) by path.
    private(set) var keyLocations: [DocumentPath: Mark] = [:]
    /// Line and column of each value by path, and whether it was quoted (for columns inside text).
    private(set) var valueLocations: [DocumentPath: (mark: Mark, quoted: Bool)] = [:]

    /// Nodes visited; bounds the work on documents that aliases expand exponentially.
    private var budget = 200_000
    private(set) var exhausted = false
    static let maximumProblems = 500
    /// Calendar windows read so far: checking them for overlaps costs a walk of the week each.
    var calendarWindows = 0
    static let maximumCalendarWindows = 2_000

    init(file: String) { self.file = file }

    mutating func report(_ severity: FormatProblem.Severity, _ mark: Mark?, _ path: DocumentPath, _ message: String) {
        report(severity, line: mark?.line ?? 1, column: mark?.column ?? 1, path, message)
    }

    mutating func report(_ severity: FormatProblem.Severity, line: Int, column: Int, _ path: DocumentPath, _ message: String) {
        guard problems.count < Self.maximumProblems else { return }
        problems.append(FormatProblem(severity, file: file, line: line, column: column, path: path, message: message))
    }

    mutating func error(_ node: Node?, _ path: DocumentPath, _ message: String) {
        report(.error, node?.mark ?? keyLocations[path], path, message)
    }

    /// Counts a visit; false (with one problem reported) once the document is too large to walk.
    mutating func visit(_ node: Node, _ path: DocumentPath) -> Bool {
        if exhausted { return false }
        budget -= 1
        if budget < 0 {
            exhausted = true
            report(.error, node.mark, path, "the document expands to more than 200,000 values (YAML aliases?); refused")
            return false
        }
        if valueLocations[path] == nil, let mark = node.mark {
            let quoted: Bool
            if case .scalar(let s) = node { quoted = s.style == .singleQuoted || s.style == .doubleQuoted } else { quoted = false }
            valueLocations[path] = (mark, quoted)
        }
        return true
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string.isEmpty ? "an empty value" : "'\(s.string.prefix(60))'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The entries of a mapping, in file order; keys outside `allowed` are reported (with the
    /// closest allowed key as a suggestion) and skipped.
    mutating func mapping(_ node: Node, _ path: DocumentPath, allowed: [String]? = nil, what: String = "a mapping")
        -> [(key: String, value: Node, path: DocumentPath)]? {
        guard visit(node, path) else { return nil }
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected \(what), found \(describe(node))")
            return nil
        }
        var entries: [(key: String, value: Node, path: DocumentPath)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                error(keyNode, path, "expected a name as key, found \(describe(keyNode))")
                continue
            }
            let key = keyScalar.string
            let entryPath = path.key(key)
            if let mark = keyNode.mark { keyLocations[entryPath] = mark }
            if let allowed, !allowed.contains(key) {
                var message = "unknown key '\(key)'"
                if let close = closest(key, in: allowed) { message += "; did you mean '\(close)'?" }
                message += " (expected one of: \(allowed.joined(separator: ", ")))"
                report(.error, keyNode.mark, entryPath, message)
                continue
            }
            entries.append((key, value, entryPath))
        }
        return entries
    }

    /// Checks that every key in `required` is present. A missing key is reported at its own path
    /// (located at the mapping), so that only problems below that key count as unreadable and the
    /// model's other problems in the mapping are still reported.
    mutating func require(_ keys: [String], in entries: [(key: String, value: Node, path: DocumentPath)],
                          of node: Node, _ path: DocumentPath) {
        for key in keys where !entries.contains(where: { $0.key == key }) {
            report(.error, node.mark, path.key(key), "missing required key '\(key)'")
        }
    }

    mutating func sequence(_ node: Node, _ path: DocumentPath, what: String = "a list") -> [(Node, DocumentPath)]? {
        guard visit(node, path) else { return nil }
        guard case .sequence(let seq) = node else {
            error(node, path, "expected \(what), found \(describe(node))")
            return nil
        }
        return seq.enumerated().map { i, item in
            let itemPath = path.index(i)
            if let mark = item.mark { keyLocations[itemPath] = mark }
            return (item, itemPath)
        }
    }

    mutating func scalar(_ node: Node, _ path: DocumentPath, what: String) -> String? {
        guard visit(node, path) else { return nil }
        guard case .scalar(let s) = node else {
            error(node, path, "expected \(what), found \(describe(node))")
            return nil
        }
        return s.string
    }

    mutating func string(_ node: Node, _ path: DocumentPath, what: String = "a text") -> String? {
        scalar(node, path, what: what)
    }

    /// A name: lower-case letters, digits, `-` and `_`, starting with a letter.
    mutating func name(_ node: Node, _ path: DocumentPath, what: String = "a name") -> String? {
        guard let s = scalar(node, path, what: what) else { return nil }
        guard Self.isName(s) else {
            error(node, path, "expected \(what) (letters, digits, '-' or '_', starting with a letter), found '\(s.prefix(60))'")
            return nil
        }
        return s
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic, s.count <= 100 else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    mutating func names(_ node: Node, _ path: DocumentPath, what: String) -> [String] {
        guard let items = sequence(node, path, what: "a list of \(what)s") else { return [] }
        return items.compactMap { name($0.0, $0.1, what: what) }
    }

    mutating func number(_ node: Node, _ path: DocumentPath, what: String = "a number") -> Double? {
        guard let s = scalar(node, path, what: what) else { return nil }
        guard let v = Double(s.replacingOccurrences(of: "_", with: "")), v.isFinite else {
            error(node, path, "expected \(what), found '\(s.prefix(60))'")
            return nil
        }
        return v
    }

    mutating func integer(_ node: Node, _ path: DocumentPath, what: String = "a whole number") -> Int? {
        guard let s = scalar(node, path, what: what) else { return nil }
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
            error(node, path, "expected \(what), found '\(s.prefix(60))'")
            return nil
        }
        let limit = Bounds.maximumWholeNumber
        guard v >= -limit && v <= limit else {
            error(node, path, "expected \(what), found \(Bounds.grouped(v)): a whole number in a file is at most "
                  + "\(Bounds.grouped(limit)) in size (Bounds)")
            return nil
        }
        return v
    }

    mutating func probability(_ node: Node, _ path: DocumentPath) -> Double? {
        guard let p = number(node, path, what: "a probability between 0 and 1") else { return nil }
        guard p >= 0 && p <= 1 else {
            error(node, path, "expected a probability between 0 and 1, found \(p)")
            return nil
        }
        return p
    }

    mutating func boolean(_ node: Node, _ path: DocumentPath) -> Bool? {
        guard let s = scalar(node, path, what: "true or false") else { return nil }
        switch s {
        case "true", "yes", "True", "TRUE": return true
        case "false", "no", "False", "FALSE": return false
        default:
            error(node, path, "expected true or false, found '\(s.prefix(60))'")
            return nil
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: DocumentPath, _ type: T.Type, what: String) -> T?
        where T.RawValue == String {
        guard let s = scalar(node, path, what: what) else { return nil }
        guard let v = T(rawValue: s) else {
            let options = T.allCases.map(\.rawValue)
            var message = "unknown \(what) '\(s.prefix(60))'"
            if let close = closest(s, in: options) { message += "; did you mean '\(close)'?" }
            error(node, path, message + " (expected one of: \(options.joined(separator: ", ")))")
            return nil
        }
        return v
    }

    /// A duration with a unit (`30m`, `4h`, `6d`, `2w`), in hours.
    mutating func duration(_ node: Node, _ path: DocumentPath) -> Double? {
        guard let s = scalar(node, path, what: "a duration") else { return nil }
        guard let hours = DurationText.hours(s), hours >= 0 else {
            error(node, path, "expected a duration with a unit (45s, 30m, 4h, 6d, 2w), found '\(s.prefix(60))'")
            return nil
        }
        if let problem = Bounds.timeProblem(hours, what: "a duration") {
            error(node, path, problem)
            return nil
        }
        return hours
    }

    /// A distribution written as text (`lognormal(mean: 6d, sd: 4d)`); `durations` says whether
    /// its values carry time units.
    mutating func distribution(_ node: Node, _ path: DocumentPath, durations: Bool = true) -> Distribution? {
        guard let s = scalar(node, path, what: "a distribution") else { return nil }
        do throws(DistributionText.ParseError) {
            let d = try DistributionText.parse(s, durations: durations)
            for p in d.problems(durations: durations) { error(node, path, p) }
            return d
        } catch {
            self.error(node, path, error.message)
            return nil
        }
    }

    /// Merges problems found by another reader over the same file (a nested document).
    mutating func absorb(_ other: NodeReader) {
        for p in other.problems where problems.count < Self.maximumProblems { problems.append(p) }
    }

    /// Adds problems found in another file (a bank holiday file a scenario names).
    mutating func absorb(_ others: [FormatProblem]) {
        for p in others where problems.count < Self.maximumProblems { problems.append(p) }
    }

    /// Locates a problem found in the model after reading: the deepest known place on its path.
    func locate(_ problem: ModelProblem) -> FormatProblem {
        var path: DocumentPath? = problem.path
        while let p = path {
            if let offset = problem.columnOffset, let value = valueLocations[p] {
                let column = value.mark.column + offset - 1 + (value.quoted ? 1 : 0)
                return FormatProblem(problem.severity, file: file, line: value.mark.line, column: column,
                                     path: problem.path, message: problem.message)
            }
            if let mark = keyLocations[p] ?? valueLocations[p]?.mark {
                return FormatProblem(problem.severity, file: file, line: mark.line, column: mark.column,
                                     path: problem.path, message: problem.message)
            }
            path = p.parent
        }
        return FormatProblem(problem.severity, file: file, line: 1, column: 1, path: problem.path, message: problem.message)
    }
}

/// The closest candidate by edit distance, when close enough to be a likely typo.
func closest(_ word: String, in candidates: [String]) -> String? {
    let a = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let b = Array(candidate.lowercased())
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        let distance = a.isEmpty ? b.count : previous[b.count]
        if distance <= max(1, min(a.count, b.count) / 3), distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    return best?.0
}
