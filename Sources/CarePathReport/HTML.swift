import CarePathRender

/// A piece of markup. The only way to put text into it is through string interpolation, which
/// escapes every interpolated `String` (model names, titles, notes, ids, conditions) for both
/// element content and attribute values; only the string literals written in this module and other
/// `HTML` values are inserted as markup. So a pathway called `<script>"&` shows as text.
///
///     let cell: HTML = "<td class=\"\(cssClass)\">\(state.title)</td>"   // both escaped
struct HTML: ExpressibleByStringInterpolation, Hashable, Sendable {
    private(set) var markup: String

    init(stringLiteral value: String) { markup = value }
    init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.out }
    /// Markup this module produced itself (an SVG from Graphviz): never model text.
    init(trusted markup: String) { self.markup = markup }

    static let empty = HTML(trusted: "")

    var isEmpty: Bool { markup.isEmpty }

    static func + (a: HTML, b: HTML) -> HTML { HTML(trusted: a.markup + b.markup) }
    static func += (a: inout HTML, b: HTML) { a.markup += b.markup }

    struct StringInterpolation: StringInterpolationProtocol {
        var out = ""
        init(literalCapacity: Int, interpolationCount: Int) { out.reserveCapacity(literalCapacity + 16 * interpolationCount) }
        mutating func appendLiteral(_ literal: String) { out += literal }
        mutating func appendInterpolation(_ text: String) { out += HTML.escape(text) }
        mutating func appendInterpolation(_ text: Substring) { out += HTML.escape(String(text)) }
        mutating func appendInterpolation(_ html: HTML) { out += html.markup }
        mutating func appendInterpolation(_ parts: [HTML]) { for p in parts { out += p.markup } }
        mutating func appendInterpolation(_ n: Int) { out += String(n) }
    }

    /// Escapes text for element content and for double- or single-quoted attribute values, and
    /// replaces characters XML 1.0 forbids (control characters, lone surrogates cannot occur in a
    /// Swift String, U+FFFE/U+FFFF) with U+FFFD so the page always parses as XML too.
    static func escape(_ text: String) -> String {
        XMLEscape.escape(text, whitespace: .keep)
    }
}

extension Array where Element == HTML {
    func joined(separator: HTML = .empty) -> HTML {
        var out = HTML.empty
        for (i, part) in enumerated() {
            if i > 0 { out += separator }
            out += part
        }
        return out
    }
}

/// Unique, deterministic element ids within one page (charts' titles and descriptions).
final class IDMaker {
    private var counts: [String: Int] = [:]
    func make(_ prefix: String) -> String {
        let n = (counts[prefix] ?? 0) + 1
        counts[prefix] = n
        return "\(prefix)-\(n)"
    }
}
