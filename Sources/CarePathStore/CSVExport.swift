import CarePathMetrics

/// Comma-separated values for spreadsheet users (RFC 4180: a header line, CRLF line ends, fields
/// holding a comma, a double quote or a line break quoted, quotes doubled). Numbers are written
/// in the shortest form that reads back to the same value; a missing interval is an empty field,
/// and non-finite values are spelled as in the JSON summary (`nan`, `inf`, `-inf`).
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
                lines.append(line([variant.name, m.name, m.subject, m.group,
                                   number(m.mean), number(m.halfWidth), number(m.low), number(m.high),
                                   number(d?.mean), number(d?.halfWidth), number(d?.low), number(d?.high)]))
            }
        }
        return lines.joined()
    }

    /// One record: the fields quoted where needed, joined by commas, ended by CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A field, quoted if it holds a comma, a double quote, CR or LF.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }
}
