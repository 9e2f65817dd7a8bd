import Foundation
import CarePathMetrics
import CarePathModel

/// The figures of a live run so far: each replication's headline and node figures, baseline and
/// option side by side, and the update they make.
final class LiveFigures {
    /// Figures by node the diagram is coloured by (definitions: docs/simulation.md).
    /// Blocked bed-days are a role's (its units held by patients ready to move on), not a state's.
    static let roleFigures: Set<String> = ["utilisation", "wait_mean_h", "queue_length_mean", "blocked_bed_days_per_month"]
    static let stateFigures: Set<String> = ["state_gap_rate"]

    let pathway: Pathway
    let replications: Int
    let roles: Set<String>, states: Set<String>
    private var baseline: [[MetricKey: Double]] = []
    private var option: [[MetricKey: Double]] = []
    private var nodeOrder: [MetricKey] = []

    init(pathway: Pathway, replications: Int) {
        self.pathway = pathway; self.replications = replications
        roles = Set(pathway.roles.map(\.reference.description))
        states = Set(pathway.states.map(\.id))
    }

    private func wanted(_ m: Metric) -> Bool {
        guard m.group.isEmpty else { return false }
        if m.subject.isEmpty { return HeadlineFigure.all.contains { $0.name == m.name } }
        return (Self.roleFigures.contains(m.name) && roles.contains(m.subject)) || (Self.stateFigures.contains(m.name) && states.contains(m.subject))
    }

    func add(baseline b: ReplicationResult, option o: ReplicationResult) {
        func lookup(_ r: ReplicationResult) -> [MetricKey: Double] {
            Dictionary(r.metrics.lazy.filter(wanted).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        if baseline.isEmpty {
            nodeOrder = b.metrics.filter { wanted($0) && !$0.subject.isEmpty }.map(\.key)
        }
        baseline.append(lookup(b))
        option.append(lookup(o))
    }

    func update(done: Int, finished: Bool) -> WorkshopUpdate {
        let k = min(done, baseline.count)
        var headlines: [WorkshopHeadline] = []
        for f in HeadlineFigure.all {
            let key = MetricKey(name: f.name)
            let pairs = (0..<k).compactMap { i -> (Double, Double)? in
                guard let b = baseline[i][key], let o = option[i][key] else { return nil }
                return (b, o)
            }
            guard pairs.count == k, k > 0 else { continue }
            let b = Estimate(pairs.map(\.0)), o = Estimate(pairs.map(\.1)), d = Estimate(pairs.map { $0.1 - $0.0 })
            let paired = PairedDifference(name: f.name, subject: "", option: "option", other: "baseline", mean: d.mean, halfWidth: d.halfWidth)
            headlines.append(WorkshopHeadline(name: f.name, noun: f.noun, scale: f.scale, unit: f.unit, baseline: WorkshopEstimate(b),
                                              option: WorkshopEstimate(o), difference: WorkshopEstimate(d), clear: paired.isClear,
                                              sentence: WorkshopSentence.make(f, WorkshopEstimate(d))))
        }
        var nodes: [String: WorkshopNodeFigures] = [:], order: [String] = []
        for key in nodeOrder {
            let b = (0..<k).compactMap { baseline[$0][key] }, o = (0..<k).compactMap { option[$0][key] }
            guard !b.isEmpty, !o.isEmpty else { continue }
            let isRole = roles.contains(key.subject) && Self.roleFigures.contains(key.name)
            let id = (isRole ? "role " : "state ") + key.subject
            if nodes[id] == nil {
                order.append(id)
                let subject = isRole ? WorkshopSubject(kind: .role, id: key.subject, organisation: key.subject.split(separator: "/").first.map(String.init))
                    : WorkshopSubject(kind: .state, id: key.subject)
                nodes[id] = WorkshopNodeFigures(subject: subject, baseline: [:], option: [:])
            }
            nodes[id]?.baseline[key.name] = b.reduce(0, +) / Double(b.count)
            nodes[id]?.option[key.name] = o.reduce(0, +) / Double(o.count)
        }
        return WorkshopUpdate(replicationsDone: k, replications: replications, headlines: headlines, nodes: order.compactMap { nodes[$0] },
                              finished: finished)
    }
}

/// A paired difference in plain words.
enum WorkshopSentence {
    static func make(_ f: HeadlineFigure, _ d: WorkshopEstimate) -> String {
        let noun = f.noun.prefix(1).uppercased() + f.noun.dropFirst()
        func value(_ x: Double) -> String { number(abs(x) * f.scale, f.digits) }
        let verb = f.counted ? ("fall", "rise") : ("falls", "rises")
        guard d.mean.isFinite else { return "\(noun): not measured." }
        guard let low = d.low, let high = d.high, low.isFinite, high.isFinite else {
            if d.mean == 0 { return "\(noun): no difference in the first replication; an interval comes with the second." }
            return "\(noun): an estimated \(d.mean < 0 ? "fall" : "rise") of \(value(d.mean))\(f.unit) after one replication; an interval comes with the second."
        }
        if low == 0 && high == 0 {
            return "\(noun): no difference (the same in every replication so far)."
        }
        guard low > 0 || high < 0 else {
            return "\(noun): no clear difference (\(signed(d.mean * f.scale, f.digits))\(f.unit), 95% CI \(signed(low * f.scale, f.digits)) to \(signed(high * f.scale, f.digits))\(f.unit))."
        }
        let (a, b) = d.mean < 0 ? (-high, -low) : (low, high)
        return "\(noun) \(d.mean < 0 ? verb.0 : verb.1) by \(value(d.mean))\(f.unit), 95% CI \(number(a * f.scale, f.digits)) to \(number(b * f.scale, f.digits))\(f.unit)."
    }

    static func number(_ x: Double, _ digits: Int) -> String {
        let s = String(format: "%.\(max(0, min(digits, 6)))f", x)
        return s == "-0" || s.hasPrefix("-0.") && Double(s) == 0 ? String(s.dropFirst()) : s
    }

    static func signed(_ x: Double, _ digits: Int) -> String {
        let s = number(x, digits)
        return s.hasPrefix("-") || Double(s) == 0 ? s : "+" + s
    }
}
