import CarePathModel
import Foundation
import Yams

/// A YAML file parsed into Yams nodes, keeping the text for locating problems.
struct YAMLDocument {
    let file: String
    let root: Node

    /// Refuse files that are large enough to be a mistake or an attack before parsing them.
    static let maximumBytes = 4 * 1024 * 1024

    /// Parses `text`; a syntax error becomes one located problem.
    static func parse(_ text: String, file: String) throws(FormatErrors) -> YAMLDocument {
        func fail(_ line: Int, _ column: Int, _ message: String) -> FormatErrors {
            FormatErrors([FormatProblem(.error, file: file, line: line, column: column, path: .root, message: message)])
        }
        if text.utf8.count > maximumBytes {
            throw fail(1, 1, "the file is larger than \(maximumBytes / 1024 / 1024) MB; expected a pathway or scenario of a few hundred lines")
        }
        if let (line, column) = aliasUsedAsKey(in: text) {
            throw fail(line, column, "a YAML alias used as a mapping key is not supported; write the key out")
        }
        if let (line, column) = complexKeyWithAliases(in: text) {
            throw fail(line, column, "a list or mapping used as a mapping key is not supported in a file that uses YAML aliases; keys are plain names")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw FormatErrors(duplicateKeys(duplicates, near: context.mark, in: text).map { place in
                FormatProblem(.error, file: file, line: place.line, column: place.column, path: .root, message: place.message)
            })
        } catch let error as YamlError {
            let (line, column, message) = describe(error)
            throw fail(line, column, message)
        } catch {
            throw fail(1, 1, "could not read YAML: \(error)")
        }
        guard let node else { throw fail(1, 1, "the file is empty; expected a YAML mapping") }
        return YAMLDocument(file: file, root: node)
    }

    static func describe(_ error: YamlError) -> (Int, Int, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem.hasPrefix("Maximum nesting level reached") {
                // libyaml's own words name its C function; say what is wrong in the file instead.
                return (mark.line, mark.column, "YAML: lists or mappings are nested more than \(nestingLimit) levels deep here;"
                        + " a pathway or scenario needs fewer than ten")
            }
            let detail = context.map { " (\($0.text))" } ?? ""
            // The usual cause in CarePath files: `mean: 4h` inside an unquoted distribution.
            let hint = problem.contains("mapping values are not allowed")
                ? "; a distribution with named arguments is written mean=4h, or quote the whole value" : ""
            return (mark.line, mark.column, "YAML syntax: \(problem)\(detail)\(hint)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return (context.mark.line, context.mark.column, "duplicate key \(keys) in one mapping: each key may appear once")
        case .reader(let problem, _, _, _):
            return (1, 1, "YAML reader: \(problem) (is the file UTF-8 text?)")
        default:
            return (1, 1, "YAML: \(error)")
        }
    }

    /// libyaml's limit on nested lists and mappings (`MAX_NESTING_LEVEL` in its parser.c).
    static let nestingLimit = 1000

    /// Yams reports the duplicate keys of a mapping at one place, its first key's. Each repeat is
    /// found again in the text among that key's siblings (the lines indented as it is, up to the
    /// first line indented less), and reported where it is, naming where the key first came; a key
    /// not found so (a flow mapping, `{a: 1, a: 2}`) is reported at Yams' place.
    static func duplicateKeys(_ keys: [String], near mark: Mark, in text: String) -> [(line: Int, column: Int, message: String)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let indent = mark.column - 1
        /// A line's key if it is one of the mapping's (nil key: inside the mapping, not a key), or
        /// `.outside`; `opensItem`: the key follows a list's "- " on its line, so the mapping starts there.
        enum Place { case sibling(String?, opensItem: Bool), outside }
        func place(_ row: Int) -> Place {
            let line = lines[row]
            let spaces = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(spaces)
            if rest.isEmpty || rest.hasPrefix("#") { return .sibling(nil, opensItem: false) }
            if spaces > indent { return .sibling(nil, opensItem: false) }
            if spaces == indent { return .sibling(plainKey(rest), opensItem: false) }
            let lead = line.prefix(indent)
            guard line.count > indent, lead.hasSuffix("- "), lead.allSatisfy({ $0 == " " || $0 == "-" }) else { return .outside }
            return .sibling(plainKey(line.dropFirst(indent)), opensItem: true)
        }
        guard mark.line >= 1, mark.line <= lines.count else { return [(mark.line, mark.column, "duplicate key(s) \(keys.map { "'\($0)'" }.joined(separator: ", ")) in one mapping: each key may appear once")] }
        // Back to the mapping's first line, then forward to its end.
        var first = mark.line - 1
        while first > 0, case .sibling(_, let opensItem) = place(first), !opensItem {
            if case .outside = place(first - 1) { break }
            first -= 1
        }
        var seen: [String: [Int]] = [:]
        var row = first
        while row < lines.count, case .sibling(let key, let opensItem) = place(row), row == first || !opensItem {
            if let key, keys.contains(key) { seen[key, default: []].append(row + 1) }
            row += 1
        }
        var places: [(line: Int, column: Int, message: String)] = []
        for key in keys {
            let rows = seen[key] ?? []
            guard rows.count > 1 else {
                places.append((mark.line, mark.column, "duplicate key '\(key)' in one mapping: each key may appear once"))
                continue
            }
            for repeated in rows.dropFirst() {
                places.append((repeated, mark.column, "duplicate key '\(key)' (first at line \(rows[0])): each key may appear once in a mapping"))
            }
        }
        return places.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// The key of a `key: value` line (plain or quoted), if the line is one.
    private static func plainKey(_ text: Substring) -> String? {
        if let quote = text.first, quote == "\"" || quote == "'" {
            guard let end = text.dropFirst().firstIndex(of: quote) else { return nil }
            let after = text[text.index(after: end)...].drop { $0 == " " }
            return after.hasPrefix(":") ? String(text[text.index(after: text.startIndex)..<end]) : nil
        }
        guard let colon = text.range(of: ":") else { return nil }
        let after = text[colon.upperBound...]
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        return String(text[..<colon.lowerBound]).trimmingCharacters(in: .whitespaces)
    }

    /// A list or mapping used as a key (`[*a, *a]: x`, `{k: *a}: x`, `? [*a]`) is hashed by the YAML
    /// library too, aliases expanded, so a few lines could take forever. Where the text has an alias,
    /// refuse any `?` key indicator and any `]` or `}` followed by `:`. Quotes and comments are not
    /// skipped on purpose: a scan that misjudged one could be led past a key; at worst a file with
    /// aliases and such text in a note is refused.
    private static func complexKeyWithAliases(in text: String) -> (Int, Int)? {
        guard text.contains("*") else { return nil }
        let tokenStart = " \t\r\u{85}\u{2028}\u{2029}{[,?:".unicodeScalars
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let hasAlias = lines.contains { chars in
            chars.indices.contains { j in
                chars[j] == "*" && (j == 0 || tokenStart.contains(chars[j - 1]))
                    && j + 1 < chars.count && !" \t\r\u{85}\u{2028}\u{2029},]}".unicodeScalars.contains(chars[j + 1])
            }
        }
        guard hasAlias else { return nil }
        for (i, chars) in lines.enumerated() {
            for j in chars.indices {
                let c = chars[j]
                if c == "?" && (j == 0 || " \t\r\u{85}\u{2028}\u{2029}{[,".unicodeScalars.contains(chars[j - 1]))
                    && (j + 1 == chars.count || " \t\r\u{85}\u{2028}\u{2029}".unicodeScalars.contains(chars[j + 1])) {
                    return (i + 1, j + 1)
                }
                if c == "]" || c == "}" {
                    var k = j + 1
                    while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 }
                    if k < chars.count && chars[k] == ":" { return (i + 1, j + 1) }
                }
            }
        }
        return nil
    }

    /// A `*alias:` key would make the YAML library hash an arbitrarily large node; find one by its text.
    /// Quotes and comments are not skipped: a plain `it's` or a `#` inside quotes would lead such a
    /// scan past a real key. `\r` (and the other breaks YAML knows) count as spaces.
    private static func aliasUsedAsKey(in text: String) -> (Int, Int)? {
        guard text.contains("*") else { return nil }
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let chars = Array(line.unicodeScalars)
            var j = 0
            while j < chars.count {
                let c = chars[j]
                let startsToken = j == 0 || " \t\r\u{85}\u{2028}\u{2029}{[,?".unicodeScalars.contains(chars[j - 1])
                if c == "*" && startsToken {
                    var k = j + 1
                    while k < chars.count, !" \t\r\u{85}\u{2028}\u{2029},]}".unicodeScalars.contains(chars[k]) { k += 1 }
                    var m = k
                    while m < chars.count, chars[m] == " " || chars[m] == "\t" { m += 1 }
                    let aliasEndsInColon = k > j + 1 && chars[k - 1] == ":"
                    if aliasEndsInColon || (m < chars.count && chars[m] == ":") || (j > 0 && chars[j - 1] == "?") {
                        return (i + 1, j + 1)
                    }
                    j = k
                    continue
                }
                j += 1
            }
        }
        return nil
    }
}
