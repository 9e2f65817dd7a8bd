/// An HTML-like Graphviz label (`label=<...>`) built only from escaped pieces.
///
/// There is deliberately no initialiser taking raw markup: text always goes through
/// `DOTEscape.html`, and the few tags CarePath needs (bold, italic, font, line break, table) are
/// produced here with escaped attribute values, so the markup is always well formed and a model name
/// such as `<script>"&` is shown as text rather than parsed.
public struct HTMLLabel: Hashable, Sendable {
    /// The markup between the label's outer `<` and `>`.
    public private(set) var markup: String

    private init(markup: String) { self.markup = markup }

    /// An empty label.
    public init() { markup = "" }

    /// Plain text; line breaks in it become `<BR/>`.
    public init(_ text: String) { markup = DOTEscape.html(text) }

    public static func text(_ text: String) -> HTMLLabel { HTMLLabel(text) }

    public static let lineBreak = HTMLLabel(markup: "<BR/>")

    public var isEmpty: Bool { markup.isEmpty }

    public static func + (a: HTMLLabel, b: HTMLLabel) -> HTMLLabel { HTMLLabel(markup: a.markup + b.markup) }
    public static func += (a: inout HTMLLabel, b: HTMLLabel) { a.markup += b.markup }

    /// The labels one per line.
    public static func lines(_ lines: [HTMLLabel]) -> HTMLLabel {
        HTMLLabel(markup: lines.map(\.markup).joined(separator: "<BR/>"))
    }

    public func bold() -> HTMLLabel { HTMLLabel(markup: "<B>" + markup + "</B>") }
    public func italic() -> HTMLLabel { HTMLLabel(markup: "<I>" + markup + "</I>") }

    /// `<FONT>` with any of size (points), colour (`#rrggbb` or a Graphviz colour name) and face.
    public func font(size: Double? = nil, color: String? = nil, face: String? = nil) -> HTMLLabel {
        var open = "<FONT"
        if let size { open += " POINT-SIZE=\"" + DOTEscape.number(size) + "\"" }
        if let color { open += " COLOR=\"" + DOTEscape.html(color, lineBreaks: false) + "\"" }
        if let face { open += " FACE=\"" + DOTEscape.html(face, lineBreaks: false) + "\"" }
        guard open != "<FONT" else { return self }
        return HTMLLabel(markup: open + ">" + markup + "</FONT>")
    }

    /// A table cell.
    public struct Cell: Hashable, Sendable {
        public var content: HTMLLabel
        public var background: String?
        public var align: String?
        public var width: Int?
        public var height: Int?
        public var border: Int?
        public init(_ content: HTMLLabel, background: String? = nil, align: String? = nil,
                    width: Int? = nil, height: Int? = nil, border: Int? = nil) {
            self.content = content; self.background = background; self.align = align
            self.width = width; self.height = height; self.border = border
        }
    }

    /// A `<TABLE>` of rows of cells.
    public static func table(_ rows: [[Cell]], border: Int = 0, cellBorder: Int = 0, cellSpacing: Int = 2,
                             cellPadding: Int = 2) -> HTMLLabel {
        var m = "<TABLE BORDER=\"\(border)\" CELLBORDER=\"\(cellBorder)\" CELLSPACING=\"\(cellSpacing)\" CELLPADDING=\"\(cellPadding)\">"
        for row in rows {
            m += "<TR>"
            for cell in row {
                m += "<TD"
                if let bg = cell.background { m += " BGCOLOR=\"" + DOTEscape.html(bg, lineBreaks: false) + "\"" }
                if let align = cell.align { m += " ALIGN=\"" + DOTEscape.html(align, lineBreaks: false) + "\"" }
                if let w = cell.width { m += " WIDTH=\"\(w)\"" }
                if let h = cell.height { m += " HEIGHT=\"\(h)\"" }
                if let b = cell.border { m += " BORDER=\"\(b)\"" }
                // Graphviz rejects a cell with nothing in it in some versions; a space keeps it valid.
                m += ">" + (cell.content.isEmpty ? " " : cell.content.markup) + "</TD>"
            }
            m += "</TR>"
        }
        return HTMLLabel(markup: m + "</TABLE>")
    }
}
