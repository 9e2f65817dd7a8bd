import GRDB

/// One summarised figure of one variant, as stored in `metrics` (or, for paired differences from
/// the first variant, in `differences`): the mean over replications and its 95% interval.
public struct MetricRow: Hashable, Sendable {
    public var run: Int64
    public var variant: Int
    /// Order of the figure in the run's summary.
    public var position: Int
    public var metric: String
    /// What the figure is about (a role, a state, `role|item`), or empty.
    public var subject: String
    /// The cohort breakdown group (`deprivation=1`), or empty for everyone.
    public var group: String
    /// NaN when the figure was not a number (SQLite keeps NaN as NULL).
    public var mean: Double
    /// Nil with one replication.
    public var halfWidth: Double?
    public var low: Double? { halfWidth.map { mean - $0 } }
    public var high: Double? { halfWidth.map { mean + $0 } }

    public init(run: Int64, variant: Int, position: Int, metric: String, subject: String, group: String, mean: Double, halfWidth: Double?) {
        self.run = run; self.variant = variant; self.position = position; self.metric = metric
        self.subject = subject; self.group = group; self.mean = mean; self.halfWidth = halfWidth
    }
}

extension MetricRow: FetchableRecord {
    public init(row: Row) throws {
        let mean: Double? = try row.decode(forColumn: "mean")
        self.init(run: try row.decode(forColumn: "run"), variant: try row.decode(forColumn: "variant"),
                  position: try row.decode(forColumn: "position"), metric: try row.decode(forColumn: "metric"),
                  subject: try row.decode(forColumn: "subject"), group: try row.decode(forColumn: "cohort_group"),
                  mean: mean ?? .nan, halfWidth: try row.decode(forColumn: "half_width"))
    }
}
