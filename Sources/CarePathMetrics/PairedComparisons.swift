/// One option minus another on one figure, replication by replication on the same patients
/// (common random numbers), with its 95% interval: what "clearly better" rests on when a report
/// names the best option, not only its difference from the first.
public struct PairedDifference: Codable, Hashable, Sendable {
    public var name: String
    public var subject: String
    /// The options, by name: the difference is `option` minus `other`.
    public var option: String
    public var other: String
    public var mean: Double
    public var halfWidth: Double?

    public init(name: String, subject: String, option: String, other: String, mean: Double, halfWidth: Double?) {
        self.name = name; self.subject = subject; self.option = option; self.other = other; self.mean = mean; self.halfWidth = halfWidth
    }

    /// Whether the interval excludes zero (false with one replication: no interval).
    public var isClear: Bool {
        guard let h = halfWidth, h.isFinite, mean.isFinite else { return false }
        return abs(mean) > h
    }

    /// The figures every pair of options is compared on: those a report answers with and ranks.
    /// Lower is better on each.
    public static let figures: Set<String> = [
        "gaps_per_patient", "gaps_late_per_patient", "gaps_missing_per_patient", "gaps_blocked_per_patient",
        "gaps_unavailable_per_patient", "gaps_stale_per_patient", "gap_rate", "state_gap_rate", "risks_per_patient",
        "time_in_pathway_mean_h", "delayed_transfer_mean_h", "handoff_delay_mean_h", "blocked_bed_days_per_month",
        "chases_per_patient", "duplicates_per_patient",
    ]

    /// Every pair of options (each earlier one minus each later one) on `figures`, all groups
    /// left out; nothing with fewer than two options or unequal replications.
    static func all(_ variants: [(name: String, replications: [ReplicationResult])]) -> [PairedDifference] {
        guard variants.count > 1 else { return [] }
        let lookups = variants.map { v in
            v.replications.map { r in
                Dictionary(r.metrics.lazy.filter { $0.group.isEmpty && figures.contains($0.name) }.map { ($0.key, $0.value) },
                           uniquingKeysWith: { a, _ in a })
            }
        }
        // Keys in the order the first option gives them, so that the JSON is the same every time.
        var keys: [MetricKey] = []
        var seen = Set<MetricKey>()
        for r in variants[0].replications {
            for m in r.metrics where m.group.isEmpty && figures.contains(m.name) && seen.insert(m.key).inserted { keys.append(m.key) }
        }
        var out: [PairedDifference] = []
        for a in variants.indices {
            for b in variants.indices where b > a && variants[a].replications.count == variants[b].replications.count {
                for key in keys {
                    let values = zip(lookups[a], lookups[b]).compactMap { x, y -> Double? in
                        guard let u = x[key], let v = y[key] else { return nil }
                        return u - v
                    }
                    guard values.count == variants[a].replications.count, !values.isEmpty else { continue }
                    let e = Estimate(values)
                    out.append(PairedDifference(name: key.name, subject: key.subject, option: variants[a].name, other: variants[b].name,
                                                mean: e.mean, halfWidth: e.halfWidth))
                }
            }
        }
        return out
    }
}

extension RunSummary {
    /// `option` minus `other` on a figure, whichever order it was stored in; nil when not compared.
    public func paired(_ name: String, subject: String = "", _ option: String, minus other: String) -> PairedDifference? {
        guard let pairs else { return nil }
        if let d = pairs.first(where: { $0.name == name && $0.subject == subject && $0.option == option && $0.other == other }) { return d }
        guard var d = pairs.first(where: { $0.name == name && $0.subject == subject && $0.option == other && $0.other == option }) else { return nil }
        d.mean = -d.mean
        swap(&d.option, &d.other)
        return d
    }
}
