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
