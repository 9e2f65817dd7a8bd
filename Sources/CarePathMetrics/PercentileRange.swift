/// How a percentile past its histogram's range is written: its value is the range's limit (a
/// lower bound), flagged by `NAME_at_least`, with the durations past the range counted in
/// `FAMILY_beyond_range` (docs/simulation.md, "Percentiles"). The ranges: 20 years for waits and
/// transfer delays, 50 years for time in the pathway.
public enum PercentileRange {
    public static let atLeastSuffix = "_at_least"
    public static let beyondRangeSuffix = "_beyond_range"

    /// The flag's name of a percentile metric (`wait_p90_h_at_least`).
    public static func flag(of name: String) -> String { name + atLeastSuffix }
}

extension VariantSummary {
    /// Whether a percentile fell past its histogram's range in some replication: its mean is then
    /// a lower bound (the share of such replications is the flag's mean).
    public func isAtLeast(_ name: String, subject: String = "", group: String = "") -> Bool {
        (metric(PercentileRange.flag(of: name), subject: subject, group: group)?.mean ?? 0) > 0
    }
}
