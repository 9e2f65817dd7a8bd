import CarePathModel
import Foundation

/// A metric summarised over replications: mean and 95% confidence interval.
public struct SummaryMetric: Codable, Hashable, Sendable {
    public var name: String
    public var subject: String
    public var group: String
    public var mean: Double
    /// Half-width of the 95% interval (Student t); nil with one replication.
    public var halfWidth: Double?
    /// A percentile that fell past its histogram's range in some replication (true; else nil,
    /// absent from the JSON): the mean is a lower bound and the interval is not to be read. A
    /// difference with it has no value (NaN): one side is only known to be at least something.
    public var beyondRange: Bool?

    public init(name: String, subject: String = "", group: String = "", mean: Double, halfWidth: Double? = nil, beyondRange: Bool? = nil) {
        self.name = name; self.subject = subject; self.group = group; self.mean = mean; self.halfWidth = halfWidth
        self.beyondRange = beyondRange
    }

    public var key: MetricKey { MetricKey(name: name, subject: subject, group: group) }
    public var low: Double? { halfWidth.map { mean - $0 } }
    public var high: Double? { halfWidth.map { mean + $0 } }
}

/// One variant's figures over all replications, and its paired difference from the first variant.
public struct VariantSummary: Codable, Sendable {
    public var name: String
    public var title: String?
    public var architecture: String
    public var metrics: [SummaryMetric]
    /// This variant minus the first, replication by replication (common random numbers); empty for the first.
    public var differences: [SummaryMetric]
    /// Shapes for charts from the first replication.
    public var series: RunSeries
    public var events: Int
    /// The levers the variant pulls, place (as the validator names it) to value as written; nil
    /// when it pulls none (the key is then absent from the JSON, as in summaries from before levers).
    public var overrides: [String: String]?

    public func metric(_ name: String, subject: String = "", group: String = "") -> SummaryMetric? {
        metrics.first { $0.name == name && $0.subject == subject && $0.group == group }
    }
    public func difference(_ name: String, subject: String = "", group: String = "") -> SummaryMetric? {
        differences.first { $0.name == name && $0.subject == subject && $0.group == group }
    }
}

/// Everything `simulate` found, as written to JSON.
public struct RunSummary: Codable, Sendable {
    public var carepathVersion: String
    public var scenario: String
    public var title: String
    public var question: String?
    public var pathway: String
    public var seed: UInt64
    public var replications: Int
    public var variants: [VariantSummary]
    /// What could make the figures read wrongly (an overloaded role, a warm-up that swallows the
    /// cohort, a queue still growing): empty when checked and none found; nil in summaries stored
    /// before warnings existed (the key is then absent from the JSON).
    public var warnings: [RunWarning]?
    /// Every pair of options on the figures reports rank them by (`PairedDifference.figures`);
    /// nil in summaries from before pairs were kept (the key is then absent from the JSON).
    public var pairs: [PairedDifference]?

    /// Deterministic JSON: sorted keys, the same bytes for the same inputs and seed.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> RunSummary {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(RunSummary.self, from: data)
    }
}

extension VariantSummary {
    /// A variant's levers as `overrides`: nil when it pulls none.
    public static func overrides(_ levers: [Lever]) -> [String: String]? {
        levers.isEmpty ? nil : Dictionary(levers.map { ($0.place.description, $0.text) }, uniquingKeysWith: { _, last in last })
    }

    /// Summarises one variant's replications; `baseline` gives the paired differences.
    static func summarise(name: String, title: String?, architecture: String, replications: [ReplicationResult],
                          baseline: [ReplicationResult]?) -> VariantSummary {
        let metrics = flagBeyondRange(summarise(replications.map(\.metrics)))
        var differences: [SummaryMetric] = []
        if let baseline, baseline.count == replications.count {
            // Pair replication r of this variant with replication r of the first: same patients.
            let paired = zip(replications, baseline).map { mine, base -> [Metric] in
                let baseValues = Dictionary(base.metrics.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                return mine.metrics.compactMap { m in baseValues[m.key].map { Metric(m.name, subject: m.subject, group: m.group, m.value - $0) } }
            }
            // A percentile known only as a lower bound on either side has no difference.
            let flagged = Set((metrics + flagBeyondRange(summarise(baseline.map(\.metrics)))).filter { $0.beyondRange == true }.map(\.key))
            differences = summarise(paired).map { d in
                guard flagged.contains(d.key) else { return d }
                return SummaryMetric(name: d.name, subject: d.subject, group: d.group, mean: .nan, halfWidth: nil, beyondRange: true)
            }
        }
        return VariantSummary(name: name, title: title, architecture: architecture, metrics: metrics, differences: differences,
                              series: replications.first?.series ?? RunSeries(queueLength: [:], queueBinHours: 1, queueStartHour: 0, waitShares: [:], waitBinEdges: [], crossHandoffShares: [], timeInPathwayShares: [], timeBinEdges: []),
                              events: replications.reduce(0) { $0 + $1.events })
    }

    /// Marks the percentiles whose flag (`NAME_at_least`) some replication raised.
    static func flagBeyondRange(_ metrics: [SummaryMetric]) -> [SummaryMetric] {
        let flags = Set(metrics.filter { $0.name.hasSuffix(PercentileRange.atLeastSuffix) && $0.mean > 0 }
            .map { MetricKey(name: String($0.name.dropLast(PercentileRange.atLeastSuffix.count)), subject: $0.subject, group: $0.group) })
        guard !flags.isEmpty else { return metrics }
        return metrics.map { m in
            var m = m
            // A lower bound has no interval: its spread is the limit's, not the figure's.
            if flags.contains(m.key) { m.beyondRange = true; m.halfWidth = nil }
            return m
        }
    }

    /// Mean and interval per metric key, in the order keys first appear. A key missing from a
    /// replication (a cohort group nobody fell in) counts as zero there.
    static func summarise(_ runs: [[Metric]]) -> [SummaryMetric] {
        var order: [MetricKey] = []
        var seen = Set<MetricKey>()
        for run in runs { for m in run where seen.insert(m.key).inserted { order.append(m.key) } }
        let lookups = runs.map { Dictionary($0.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
        return order.map { key in
            let estimate = Estimate(lookups.map { $0[key] ?? 0 })
            return SummaryMetric(name: key.name, subject: key.subject, group: key.group, mean: estimate.mean, halfWidth: estimate.halfWidth)
        }
    }
}

/// Something a planner must know to read the figures right, found before the run (from the files)
/// or after it (from the replications).
public struct RunWarning: Codable, Hashable, Sendable {
    /// Whether the run's figures must not be used at all (rather than read with care).
    public var isFatal: Bool { kind == .stuck }

    /// An open set of kinds, so that a summary written by a later CarePath still decodes.
    public struct Kind: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }

        /// A role's offered load is 1 or more: its queue cannot be stable.
        public static let overload = Kind(rawValue: "overload")
        /// The warm-up leaves (almost) no patient to measure.
        public static let warmUp = Kind(rawValue: "warm-up")
        /// A declared pathway attribute that nothing reads.
        public static let unusedAttribute = Kind(rawValue: "unused-attribute")
        /// A role's queue was still growing at the end of the measurement window.
        public static let queueGrowing = Kind(rawValue: "queue-growing")
        /// Durations past the percentile histograms' range: percentiles among them are lower bounds.
        public static let beyondRange = Kind(rawValue: "beyond-range")
        /// Replications that measured no patient (all arrived during the warm-up).
        public static let noPatients = Kind(rawValue: "no-patients")
        /// A replication ended with patients who could never move on (circular holding, a role
        /// never open again): its figures are not to be used, and `simulate` fails.
        public static let stuck = Kind(rawValue: "stuck")
    }

    public var kind: Kind
    /// The variant it concerns; nil for every variant.
    public var variant: String?
    /// What it is about: a role (`council/social-worker`), an attribute, or empty for the cohort.
    public var subject: String
    /// The whole warning in words, ready to print.
    public var message: String
    /// The figure behind it: the offered load (overload), the warm-up over the arrival period
    /// (warm-up), the mean growth of the queue from the first to the last quarter (queue-growing).
    public var figure: Double?

    public init(_ kind: Kind, variant: String? = nil, subject: String, message: String, figure: Double? = nil) {
        self.kind = kind; self.variant = variant; self.subject = subject; self.message = message; self.figure = figure
    }
}
