import CarePathMetrics

/// What a live run has found so far, sent after each replication (in replication order, so that
/// the same settings give the same updates whatever the threads).
public struct WorkshopUpdate: Sendable, Codable, Hashable {
    /// Replications of both options done, and planned.
    public var replicationsDone: Int
    public var replications: Int
    /// The headline figures (`HeadlineFigure.all`) with the option's paired difference.
    public var headlines: [WorkshopHeadline]
    /// Figures by state and role, for colouring the diagram.
    public var nodes: [WorkshopNodeFigures]
    /// The last update of a run that went to its end.
    public var finished: Bool
    /// The run in the results store, once stored (the last update).
    public var storedRun: Int64?
    /// Why the finished run could not be stored, if it could not.
    public var storeProblem: String?
    /// Why the run stopped without an answer (a run-away patient), if it did.
    public var stopped: String?

    public init(replicationsDone: Int, replications: Int, headlines: [WorkshopHeadline], nodes: [WorkshopNodeFigures], finished: Bool,
                storedRun: Int64? = nil, storeProblem: String? = nil, stopped: String? = nil) {
        self.replicationsDone = replicationsDone; self.replications = replications; self.headlines = headlines; self.nodes = nodes
        self.finished = finished; self.storedRun = storedRun; self.storeProblem = storeProblem; self.stopped = stopped
    }
}

/// A mean over the replications done, with its 95% interval (Student t) from two replications on.
public struct WorkshopEstimate: Sendable, Codable, Hashable {
    public var mean: Double
    public var low: Double?
    public var high: Double?
    public init(mean: Double, low: Double? = nil, high: Double? = nil) { self.mean = mean; self.low = low; self.high = high }
    init(_ e: Estimate) { self.init(mean: e.mean, low: e.low, high: e.high) }
}

/// One headline figure: the baseline, the option, and the option minus the baseline replication
/// by replication on the same patients, with the sentence the page shows.
public struct WorkshopHeadline: Sendable, Codable, Hashable {
    /// The metric (`gaps_per_patient`) and its words (`data gaps per patient`).
    public var name: String
    public var noun: String
    /// Shown multiplied by `scale`, followed by `unit` (time in days).
    public var scale: Double
    public var unit: String
    public var baseline: WorkshopEstimate
    public var option: WorkshopEstimate
    public var difference: WorkshopEstimate
    /// Whether the difference's interval excludes zero.
    public var clear: Bool
    /// "Data gaps per patient fall by 0.12, 95% CI 0.10 to 0.14."
    public var sentence: String
}

/// A state's or a role's figures in the baseline and the option (means over the replications
/// done), by metric: `utilisation`, `wait_mean_h`, `queue_length_mean`,
/// `blocked_bed_days_per_month` for roles; `state_gap_rate` for states (docs/simulation.md).
public struct WorkshopNodeFigures: Sendable, Codable, Hashable {
    public var subject: WorkshopSubject
    public var baseline: [String: Double]
    public var option: [String: Double]
}
