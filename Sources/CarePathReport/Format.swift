import CarePathMetrics
import CarePathModel
import Foundation

/// Texts for numbers and model values: deterministic (no locale), and safe for any value.
enum Format {
    /// Fixed decimals with a true minus sign; "n/a" for a value that is not finite.
    static func number(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "n/a" }
        var text = String(format: "%.\(max(0, min(digits, 8)))f", x)
        // -0.00 reads as a difference where there is none.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        if text.hasPrefix("-") { text = "\u{2212}" + text.dropFirst() }
        return text
    }

    /// A signed number for differences: "+1.20", "−0.35", "0.00".
    static func signed(_ x: Double, _ digits: Int) -> String {
        let text = number(x, digits)
        guard x.isFinite, !text.hasPrefix("\u{2212}"), text.contains(where: { $0 != "0" && $0 != "." }) else { return text }
        return "+" + text
    }

    /// A number for machine use (sorting keys, SVG coordinates): plain ASCII, no exponent.
    static func plain(_ x: Double, _ digits: Int = 6) -> String {
        guard x.isFinite else { return "" }
        var text = String(format: "%.\(digits)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return text
    }

    /// 0.375 → "37.5%".
    static func percent(_ p: Double, _ digits: Int = 1) -> String {
        guard p.isFinite else { return "n/a" }
        return number(p * 100, digits) + "%"
    }

    /// Whole numbers without decimals, others with up to three significant decimals.
    static func compact(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if x == x.rounded() && abs(x) < 1e15 { return number(x, 0) }
        if abs(x) >= 100 { return number(x, 1) }
        if abs(x) >= 1 { return trimmed(number(x, 2)) }
        return trimmed(number(x, 3))
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = text
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// Hours as `45m`, `4h`, `2.5d`; guarded against values DurationText cannot take.
    static func duration(_ hours: Double) -> String {
        guard hours.isFinite, abs(hours) < 1e9 else { return hours.isFinite ? compact(hours) + "h" : "n/a" }
        if hours < 0 { return "\u{2212}" + duration(-hours) }
        // 43h reads better than 1.79d; whole days (24h, 48h) stay in days.
        if hours >= 24 && hours < 72 && abs(hours / 24 - (hours / 24).rounded()) > 0.01 {
            return trimmed(number(hours, 1)) + "h"
        }
        return DurationText.format(hours: hours)
    }

    /// An hour of the day as `04:00`.
    static func clock(_ hour: Double) -> String {
        guard hour.isFinite else { return "n/a" }
        let minutes = Int(clampingFloor: (hour * 60).rounded()) % (24 * 60)
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    /// A distribution of durations (`hours: true`) or of plain numbers (an attribute such as age).
    static func distribution(_ d: Distribution, hours: Bool = true) -> String {
        let v: (Double) -> String = { x in hours ? Format.duration(x) : Format.compact(x) }
        switch d {
        case .fixed(let x): return hours ? v(x) : "always " + v(x)
        case .exponential(let m): return "exponential, mean " + v(m)
        case .uniform(let a, let b): return "uniform " + v(a) + " to " + v(b)
        case .triangular(let a, let c, let b): return "triangular " + v(a) + ", " + v(c) + ", " + v(b)
        case .normal(let m, let s): return "normal, mean " + v(m) + ", sd " + v(s)
        case .lognormal(let m, let s): return "lognormal, mean " + v(m) + ", sd " + v(s)
        case .gamma(let k, let theta): return "gamma, shape " + compact(k) + ", scale " + v(theta) + " (mean " + v(d.mean) + ")"
        case .weibull(let k, let lambda): return "Weibull, shape " + compact(k) + ", scale " + v(lambda) + " (mean " + v(d.mean) + ")"
        case .empirical(let values, let weights):
            let total = weights.reduce(0, +)
            let parts = zip(values, weights).map { value, w in v(value) + (total > 0 ? " (" + percent(w / total, 0) + ")" : "") }
            return "empirical: " + parts.joined(separator: ", ")
        }
    }

    static func attribute(_ a: AttributeDistribution) -> String {
        switch a {
        case .bernoulli(let p): return "yes for " + percent(p) + " of patients"
        case .categorical(let levels, let weights):
            let total = weights.reduce(0, +)
            return zip(levels, weights).map { level, w in level + " " + (total > 0 ? percent(w / total) : "?") }.joined(separator: ", ")
        case .integers(let lo, let hi): return "whole number \(lo) to \(hi), equally likely"
        case .numeric(let d): return distribution(d, hours: false)
        case .conditional(let cases, let otherwise):
            return cases.map { "if \($0.condition.source): " + attribute($0.value) }.joined(separator: "; ")
                + "; otherwise " + attribute(otherwise)
        }
    }

    static func arrivals(_ a: ArrivalProcess) -> String {
        switch a {
        case .poisson(let rate):
            return "Poisson, " + compact(rate * 24) + " a day (" + compact(rate) + " an hour)"
        case .weekly(let rates):
            let peak = rates.max() ?? 0
            return "weekly profile (168 hourly rates), on average " + compact(a.meanRatePerHour * 24) + " a day, peak " + compact(peak) + " an hour"
        }
    }

    static func cohortSize(_ s: Cohort.Size) -> String {
        switch s {
        case .patients(let n): return "\(n) patients per replication"
        case .horizon(let h): return "patients arriving during " + duration(h) + " per replication"
        }
    }

    static func warmUp(_ w: WarmUp) -> String {
        switch w {
        case .none: return "none: every patient is counted"
        case .hours(let h): return duration(h) + ": patients arriving earlier are not counted"
        case .fraction(let f): return "the first " + percent(f, 0) + " of patients are not counted"
        }
    }

    static func queue(_ q: QueueDiscipline) -> String {
        switch q {
        case .fifo: return "first come, first served"
        case .priority(let attribute, let highest): return "priority by " + attribute + (highest ? ", highest first" : ", lowest first")
        }
    }

    static func optionName(_ o: ArchitectureOption) -> String {
        switch o {
        case .pointToPoint: return "point-to-point messages"
        case .sharedRecord: return "shared record (central repository)"
        case .federatedQuery: return "federated query (regional viewer)"
        case .paper: return "paper, post and phone"
        }
    }
}

/// A variant's metrics by key, for fast lookups.
struct MetricIndex {
    private var metrics: [MetricKey: SummaryMetric] = [:]
    private var differences: [MetricKey: SummaryMetric] = [:]
    /// Breakdown groups in the order they first appear.
    private(set) var groups: [String] = []

    init(_ v: VariantSummary) {
        for m in v.metrics where metrics[m.key] == nil {
            metrics[m.key] = m
            if !m.group.isEmpty && !groups.contains(m.group) { groups.append(m.group) }
        }
        for m in v.differences where differences[m.key] == nil { differences[m.key] = m }
    }

    func metric(_ name: String, _ subject: String = "", group: String = "") -> SummaryMetric? {
        metrics[MetricKey(name: name, subject: subject, group: group)]
    }
    func difference(_ name: String, _ subject: String = "", group: String = "") -> SummaryMetric? {
        differences[MetricKey(name: name, subject: subject, group: group)]
    }
    func mean(_ name: String, _ subject: String = "", group: String = "") -> Double? {
        metric(name, subject, group: group)?.mean
    }
    var hasDifferences: Bool { !differences.isEmpty }
}
