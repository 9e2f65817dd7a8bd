/// A Graphviz DOT graph as a value: graph, clusters, nodes and edges with their attributes.
///
/// The graph is built from model names and other untrusted text, so nothing here is ever written
/// by concatenation: `dotText` quotes and escapes every ID and every string value, and HTML-like
/// labels can only be made through `HTMLLabel`, which escapes its text. Serialisation keeps the
/// order statements and attributes were added in, so the same graph always gives the same bytes.
public struct DOTGraph: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case digraph, graph
        var edgeOperator: String { self == .digraph ? "->" : "--" }
    }

    public var kind: Kind
    public var name: String
    public var strict: Bool
    /// Attributes of the graph itself (`rankdir`, `label`...).
    public var attributes: DOTAttributes
    /// Defaults for every node (`node [...]`).
    public var nodeDefaults: DOTAttributes
    /// Defaults for every edge (`edge [...]`).
    public var edgeDefaults: DOTAttributes
    public var statements: [DOTStatement]

    public init(kind: Kind = .digraph, name: String, strict: Bool = false, attributes: DOTAttributes = [:],
                nodeDefaults: DOTAttributes = [:], edgeDefaults: DOTAttributes = [:], statements: [DOTStatement] = []) {
        self.kind = kind; self.name = name; self.strict = strict; self.attributes = attributes
        self.nodeDefaults = nodeDefaults; self.edgeDefaults = edgeDefaults; self.statements = statements
    }

    public mutating func add(_ node: DOTNode) { statements.append(.node(node)) }
    public mutating func add(_ edge: DOTEdge) { statements.append(.edge(edge)) }
    public mutating func add(_ subgraph: DOTSubgraph) { statements.append(.subgraph(subgraph)) }

    /// The DOT source, ending with a newline.
    public var dotText: String {
        var out = ""
        if strict { out += "strict " }
        out += kind.rawValue + " " + DOTEscape.id(name) + " {\n"
        DOTWriter(kind: kind).body(attributes: attributes, nodeDefaults: nodeDefaults, edgeDefaults: edgeDefaults,
                                   statements: statements, indent: 1, into: &out)
        out += "}\n"
        return out
    }
}

/// A statement inside a graph or subgraph.
public enum DOTStatement: Hashable, Sendable {
    case node(DOTNode)
    case edge(DOTEdge)
    case subgraph(DOTSubgraph)
}

public struct DOTNode: Hashable, Sendable {
    public var id: String
    public var attributes: DOTAttributes
    public init(_ id: String, _ attributes: DOTAttributes = [:]) { self.id = id; self.attributes = attributes }
}

public struct DOTEdge: Hashable, Sendable {
    public var from: String
    public var to: String
    public var attributes: DOTAttributes
    public init(from: String, to: String, _ attributes: DOTAttributes = [:]) {
        self.from = from; self.to = to; self.attributes = attributes
    }
}

/// A subgraph; a name starting with `cluster` makes Graphviz draw it as a box around its nodes.
/// A nil name gives an anonymous subgraph (used for `rank=same` groups).
public struct DOTSubgraph: Hashable, Sendable {
    public var name: String?
    public var attributes: DOTAttributes
    public var nodeDefaults: DOTAttributes
    public var edgeDefaults: DOTAttributes
    public var statements: [DOTStatement]

    public init(name: String?, attributes: DOTAttributes = [:], nodeDefaults: DOTAttributes = [:],
                edgeDefaults: DOTAttributes = [:], statements: [DOTStatement] = []) {
        self.name = name; self.attributes = attributes; self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults; self.statements = statements
    }

    public mutating func add(_ node: DOTNode) { statements.append(.node(node)) }
    public mutating func add(_ edge: DOTEdge) { statements.append(.edge(edge)) }
    public mutating func add(_ subgraph: DOTSubgraph) { statements.append(.subgraph(subgraph)) }
}

/// An attribute value: an ordinary string (quoted and escaped) or an HTML-like label (`<...>`).
public enum DOTValue: Hashable, Sendable, ExpressibleByStringLiteral {
    case string(String)
    case html(HTMLLabel)

    public init(stringLiteral value: String) { self = .string(value) }

    /// A number written without locale and without a trailing `.0`, so output never depends on the machine.
    public static func number(_ value: Double) -> DOTValue { .string(DOTEscape.number(value)) }

    /// A tooltip from model text. Graphviz reads a tooltip's backslashes twice (measured with
    /// libgvc: `\\\\N` in the DOT file shows `\N`), so each is doubled once more than in a label,
    /// or `\N`, `\G`, `\E`, `\H`, `\T` and `\L` would become the object's name or the graph's.
    public static func tooltip(_ text: String) -> DOTValue {
        .string(text.replacingOccurrences(of: "\\", with: "\\\\"))
    }

    var dotText: String {
        switch self {
        case .string(let s): return DOTEscape.id(s)
        case .html(let label): return "<" + label.markup + ">"
        }
    }
}

/// Ordered attributes: setting a key again replaces its value in place, so output order is the
/// order keys were first set, never a hash order.
public struct DOTAttributes: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var entries: [(key: String, value: DOTValue)] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, DOTValue)...) {
        for (k, v) in elements { self[k] = v }
    }

    public subscript(key: String) -> DOTValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public func makeIterator() -> IndexingIterator<[(key: String, value: DOTValue)]> { entries.makeIterator() }

    /// The attributes of `self` overridden by those of `other`.
    public func merging(_ other: DOTAttributes) -> DOTAttributes {
        var merged = self
        for (k, v) in other.entries { merged[k] = v }
        return merged
    }

    // Tuples are not Hashable, so equality and hashing are spelled out.
    public static func == (a: DOTAttributes, b: DOTAttributes) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for (k, v) in entries { hasher.combine(k); hasher.combine(v) }
    }

    var dotList: String {
        "[" + entries.map { DOTEscape.attributeName($0.key) + "=" + $0.value.dotText }.joined(separator: ", ") + "]"
    }
}

/// The escaping rules, in one place.
public enum DOTEscape {
    /// A double-quoted DOT ID. Inside quotes only `"` and `\` need escaping; line breaks become
    /// `\n` (the centred line break in labels, and still one ID elsewhere). NUL and other control
    /// characters are replaced by spaces: libcgraph reads a C string, and they have no place in a label.
    public static func id(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// Attribute names are written bare when they are plain identifiers (readability), quoted otherwise.
    static func attributeName(_ name: String) -> String {
        isPlainIdentifier(name) ? name : id(name)
    }

    static let keywords: Set<String> = ["node", "edge", "graph", "digraph", "subgraph", "strict"]

    static func isPlainIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !keywords.contains(s.lowercased()) else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        return letter(first) && s.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }

    /// Text escaped for an HTML-like label or an XML attribute inside one: the five XML specials
    /// become entities, line breaks become `<BR/>` (when `lineBreaks`), and control characters, which
    /// XML forbids, become spaces. A backslash is doubled: Graphviz reads `\N`, `\G`, `\E`, `\H`,
    /// `\T` and `\L` in label text as the names of the node, graph, edge and its ends (an entity
    /// such as `&#92;` does not stop it; `\\` shows one backslash).
    public static func html(_ text: String, lineBreaks: Bool = true) -> String {
        XMLEscape.escape(text, whitespace: .replace(lineBreak: lineBreaks ? "<BR/>" : " "), forbidden: " ")
            .replacingOccurrences(of: "\\", with: "\\\\")
    }

    /// A finite number with at most four decimals and no trailing zeros; non-finite values become 0
    /// because Graphviz cannot read `nan` or `inf`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "0" }
        let scaled = (value * 10_000).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / 10_000
        var fraction = magnitude % 10_000
        var text = (negative && magnitude != 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = 4
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let f = String(fraction)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return text
    }
}

private struct DOTWriter {
    let kind: DOTGraph.Kind

    func body(attributes: DOTAttributes, nodeDefaults: DOTAttributes, edgeDefaults: DOTAttributes,
              statements: [DOTStatement], indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        if !attributes.isEmpty { out += pad + "graph " + attributes.dotList + ";\n" }
        if !nodeDefaults.isEmpty { out += pad + "node " + nodeDefaults.dotList + ";\n" }
        if !edgeDefaults.isEmpty { out += pad + "edge " + edgeDefaults.dotList + ";\n" }
        for statement in statements {
            switch statement {
            case .node(let node):
                out += pad + DOTEscape.id(node.id)
                if !node.attributes.isEmpty { out += " " + node.attributes.dotList }
                out += ";\n"
            case .edge(let edge):
                out += pad + DOTEscape.id(edge.from) + " " + kind.edgeOperator + " " + DOTEscape.id(edge.to)
                if !edge.attributes.isEmpty { out += " " + edge.attributes.dotList }
                out += ";\n"
            case .subgraph(let sub):
                out += pad + "subgraph" + (sub.name.map { " " + DOTEscape.id($0) } ?? "") + " {\n"
                body(attributes: sub.attributes, nodeDefaults: sub.nodeDefaults, edgeDefaults: sub.edgeDefaults,
                     statements: sub.statements, indent: indent + 1, into: &out)
                out += pad + "}\n"
            }
        }
    }
}
