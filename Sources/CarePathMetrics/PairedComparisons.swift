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
    static func all(_ variants: [(name: String, replications: [ReplicationResult])],
                    threads: Int = 1) -> [PairedDifference] {
        guard variants.count > 1 else { return [] }
        // Keys in the order the first option gives them, so that the JSON is the same every time.
        var ordered: [MetricKey] = []
        var seen = Set<MetricKey>()
        for r in variants[0].replications {
            for m in r.metrics where m.group.isEmpty && figures.contains(m.name) && seen.insert(m.key).inserted { ordered.append(m.key) }
        }
        let keys = ordered
        let slot = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Each replication's figures by key number (the first of a repeated key), looked up once
        // rather than once per pair: a design of hundreds of options has tens of thousands of pairs.
        let values: [[[Double?]]] = variants.map { v in
            v.replications.map { r in
                var row = [Double?](repeating: nil, count: keys.count)
                for m in r.metrics where m.group.isEmpty {
                    if let k = slot[m.key], row[k] == nil { row[k] = m.value }
                }
                return row
            }
        }
        // Each option's pairs with the later ones on its own thread, joined in order.
        return ScenarioRunner.inParallel(variants.count, threads: threads) { a -> [PairedDifference] in
            var out: [PairedDifference] = []
            let n = variants[a].replications.count
            for b in variants.indices where b > a && n == variants[b].replications.count && n > 0 {
                for k in keys.indices {
                    var differences: [Double] = []
                    differences.reserveCapacity(n)
                    for r in 0..<n {
                        guard let u = values[a][r][k], let v = values[b][r][k] else { break }
                        differences.append(u - v)
                    }
                    guard differences.count == n else { continue }
                    let e = Estimate(differences)
                    out.append(PairedDifference(name: keys[k].name, subject: keys[k].subject, option: variants[a].name, other: variants[b].name,
                                                mean: e.mean, halfWidth: e.halfWidth))
                }
            }
            return out
        }.flatMap { $0 }
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
