import CarePathMetrics

/// Comma-separated values for spreadsheet users (RFC 4180: a header line, CRLF line ends, fields
/// holding a comma, a double quote or a line break quoted, quotes doubled). Numbers are written
/// in the shortest form that reads back to the same value; a missing interval is an empty field,
/// and non-finite values are spelled as in the JSON summary (`nan`, `inf`, `-inf`).
///
/// Text cells (variant names, categorical levels, names) are neutralised against formula injection
/// by OWASP's rule: one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return, which a
/// spreadsheet would read as a formula, gets a single quote in front and is quoted
/// (`=HYPERLINK(...)` is written `"'=HYPERLINK(...)"`). Number cells are never changed: `-0.5` is
/// a number, written as such.
public enum CSVExport {
    public static let metricsHeader = ["variant", "metric", "subject", "group", "mean", "half_width", "low", "high",
                                       "difference_mean", "difference_half_width", "difference_low", "difference_high"]

    /// Every variant's metrics, one line each in summary order, with the paired difference from
    /// the first variant (common random numbers) on the same line; empty for the first variant.
    public static func metrics(_ summary: RunSummary) -> String {
        var lines = [line(metricsHeader)]
        for variant in summary.variants {
            var differences: [MetricKey: SummaryMetric] = [:]
            for d in variant.differences where differences[d.key] == nil { differences[d.key] = d }
            for m in variant.metrics {
                let d = differences[m.key]
                lines.append(line([variant.name, m.name, m.subject, m.group],
                                  numbers: [number(m.mean), number(m.halfWidth), number(m.low), number(m.high),
                                            number(d?.mean), number(d?.halfWidth), number(d?.low), number(d?.high)]))
            }
        }
        return lines.joined()
    }

    /// One record: the text fields quoted and neutralised where needed, then the number fields as
    /// they are, joined by commas, ended by CRLF.
    public static func line(_ fields: [String], numbers: [String] = []) -> String {
        (fields.map(field) + numbers).joined(separator: ",") + "\r\n"
    }

    /// A text field: quoted if it holds a comma, a double quote, CR or LF, and neutralised (a
    /// leading single quote, then quoted) if a spreadsheet would take it for a formula.
    public static func field(_ text: String) -> String {
        let utf8 = text.utf8
        let formula = utf8.first.map(formulaStarts.contains) ?? false
        guard formula || utf8.contains(where: needsQuotes.contains) else { return text }
        let quoted = utf8.contains(UInt8(ascii: "\"")) ? text.replacingOccurrences(of: "\"", with: "\"\"") : text
        return formula ? "\"'" + quoted + "\"" : "\"" + quoted + "\""
    }

    /// `=`, `+`, `-`, `@`, tab, carriage return: what starts a formula in Excel, LibreOffice and Sheets.
    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13]
    static let needsQuotes: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), 10, 13]

    public static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }
}
