import CarePathSimulation

/// One figure of one replication, in long form: what (`wait_mean_h`), of what (`council/social-worker`,
/// a state, an item), for which cohort group (`deprivation=1`, or empty for everyone).
public struct Metric: Codable, Hashable, Sendable {
    public var name: String
    public var subject: String
    public var group: String
    public var value: Double

    public init(_ name: String, subject: String = "", group: String = "", _ value: Double) {
        self.name = name; self.subject = subject; self.group = group; self.value = value
    }

    public var key: MetricKey { MetricKey(name: name, subject: subject, group: group) }
}

public struct MetricKey: Codable, Hashable, Sendable, Comparable {
    public var name: String
    public var subject: String
    public var group: String
    public init(name: String, subject: String = "", group: String = "") {
        self.name = name; self.subject = subject; self.group = group
    }
    public static func < (a: Self, b: Self) -> Bool { (a.name, a.subject, a.group) < (b.name, b.subject, b.group) }
}

/// What one replication measured: the metrics, plus series for charts.
public struct ReplicationResult: Codable, Sendable {
    public var metrics: [Metric]
    public var series: RunSeries
    /// Events processed, for speed figures.
    public var events: Int
    /// Set when the run ended with patients who could never move on: its figures are not to be used.
    public var stuck: StuckRun?
}

/// Shapes for charts, from one replication.
public struct RunSeries: Codable, Sendable {
    /// Per role: time-average queue length per time bin, and the bin width in hours.
    public var queueLength: [String: [Double]]
    public var queueBinHours: Double
    public var queueStartHour: Double
    /// Per role: share of waits in each of `waitBinEdges` (hours; last bin open-ended).
    public var waitShares: [String: [Double]]
    public var waitBinEdges: [Double]
    /// Share of patients by number of cross-organisation handoffs (0, 1, 2, ...).
    public var crossHandoffShares: [Double]
    /// Share of patients by time in pathway, in `timeBinEdges` (hours).
    public var timeInPathwayShares: [Double]
    public var timeBinEdges: [Double]
}
