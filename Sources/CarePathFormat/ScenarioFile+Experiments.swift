import CarePathModel
import Yams

/// The scenario's `experiments:` section: each experiment read by its own reader.
///
///     experiments:
///       sensitivity:
///         method: morris
///         outcomes: [delayed_transfer_mean_h, "wait_p90_h at council/social-worker"]
///         parameters:
///           - states.inpatient-treatment.duration                 # the baseline +-20%
///           - { place: roles.council/social-worker.capacity, low: 4, high: 8 }
///           - { place: handoffs.loss, distribution: "triangular(0, 0.02, 0.1)" }
///
/// Outcomes are kept as written with their place: their metric names are checked by the
/// experiments module (which knows the metrics), located at their line.
extension ScenarioFile {
    static let experimentsKeys = ["sensitivity", "optimise"]
    static let sensitivityKeys = ["variant", "method", "parameters", "outcomes", "trajectories", "levels", "samples", "seed", "replications"]
    static let parameterKeys = ["place", "low", "high", "distribution"]

    static func readExperiments(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> Experiments {
        var experiments = Experiments()
        guard let entries = r.mapping(node, path, allowed: experimentsKeys,
                                      what: "a mapping of experiments, such as sensitivity: { parameters: [...], outcomes: [...] }") else { return experiments }
        for (key, value, p) in entries {
            switch key {
            case "sensitivity": experiments.sensitivity = readSensitivity(value, p, &r, c)
            case "optimise": experiments.optimise = readOptimise(value, p, &r, c)
            default: break
            }
        }
        return experiments
    }

    static func writtenAt(_ node: Node?, _ path: DocumentPath, _ r: NodeReader) -> WrittenAt {
        let mark = node?.mark ?? r.keyLocations[path]
        return WrittenAt(file: r.file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path)
    }

    static func readSensitivity(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> SensitivitySettings? {
        guard let entries = r.mapping(node, path, allowed: sensitivityKeys,
                                      what: "a sensitivity analysis (a mapping with parameters and outcomes)") else { return nil }
        r.require(["parameters", "outcomes"], in: entries, of: node, path)
        var s = SensitivitySettings(at: writtenAt(node, path, r))
        for (key, value, p) in entries {
            switch key {
            case "variant": s.variant = r.name(value, p, what: "the name of the variant whose model is the baseline")
            case "method": s.method = r.choice(value, p, SensitivityMethod.self, what: "sensitivity method") ?? s.method
            case "parameters": s.parameters = readParameters(value, p, &r, c)
            case "outcomes":
                guard let items = r.sequence(value, p, what: "a list of outcomes, such as [delayed_transfer_mean_h, \"wait_p90_h at council/social-worker\"]") else { continue }
                if items.isEmpty { r.error(value, p, "expected at least one outcome") }
                for (item, ip) in items {
                    if let text = r.string(item, ip, what: "an outcome: METRIC or METRIC at SUBJECT") {
                        s.outcomes.append(WrittenText(text, at: writtenAt(item, ip, r)))
                    }
                }
            case "trajectories": s.trajectories = bounded(value, p, 2...1_000, what: "a number of Morris trajectories", &r) ?? s.trajectories
            case "levels":
                if let n = bounded(value, p, 2...100, what: "a number of Morris grid levels", &r) {
                    if n % 2 == 0 { s.levels = n } else { r.error(value, p, "expected an even number of levels (Morris's step of p/(2(p-1)) keeps the design balanced only then), found \(n)") }
                }
            case "samples": s.samples = bounded(value, p, 2...1_000_000, what: "a number of Sobol base samples", &r) ?? s.samples
            case "replications":
                s.replications = bounded(value, p, 1...maximumReplications, what: "a number of replications per design point", &r)
            case "seed":
                if let text = r.scalar(value, p, what: "a seed (a whole number)") {
                    if let v = UInt64(text.trimming(" \t").replacingOccurrences(of: "_", with: "")) { s.seed = v }
                    else { r.error(value, p, "expected a seed, a whole number from 0 to \(UInt64.max), found '\(text.prefix(60))'") }
                }
            default: break
            }
        }
        return s
    }

    static func bounded(_ node: Node, _ path: DocumentPath, _ range: ClosedRange<Int>, what: String, _ r: inout NodeReader) -> Int? {
        guard let n = r.integer(node, path, what: "\(what) (a whole number from \(range.lowerBound) to \(Bounds.grouped(range.upperBound)))") else { return nil }
        guard range.contains(n) else {
            r.error(node, path, "expected \(what) from \(range.lowerBound) to \(Bounds.grouped(range.upperBound)), found \(n)")
            return nil
        }
        return n
    }

    static let parameterExample = "{ place: roles.council/social-worker.capacity, low: 4, high: 8 }"

    static func readParameters(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> [SensitivityParameter] {
        guard let items = r.sequence(node, path, what: "a list of lever places, each alone (+-20%) or as \(parameterExample)") else { return [] }
        if items.isEmpty { r.error(node, path, "expected at least one parameter") }
        // Without a pathway the places cannot be checked: the pathway's own problems say why.
        guard let pathway = c.pathway else { return [] }
        var out: [SensitivityParameter] = [], seen: [LeverPlace: Int] = [:]
        for (item, ip) in items {
            var placeNode = item, placePath = ip
            var fields: [(key: String, value: Node, path: DocumentPath)] = []
            if case .mapping = item {
                guard let entries = r.mapping(item, ip, allowed: parameterKeys, what: "a parameter such as \(parameterExample)") else { continue }
                guard let entry = entries.first(where: { $0.key == "place" }) else {
                    r.error(item, ip, "expected the parameter's place, such as \(parameterExample)")
                    continue
                }
                placeNode = entry.value; placePath = entry.path
                fields = entries.filter { $0.key != "place" }
            }
            guard let written = r.scalar(placeNode, placePath, what: "a lever place such as states.assessment.duration") else { continue }
            let place: LeverPlace
            switch LeverPlace.parse(written.trimming(" \t"), pathway: pathway) {
            case .failure(let problem): r.error(placeNode, placePath, problem.message); continue
            case .success(let read): place = read
            }
            guard let unit = ParameterUnit(place.kind) else {
                r.error(placeNode, placePath, "\(place) takes \(place.kind), not a number that can vary: choose a place with a number, a time, a rate or a distribution")
                continue
            }
            if let first = seen[place] {
                r.error(placeNode, placePath, "\(place) is already a parameter (item \(first + 1)); name each place once")
                continue
            }
            seen[place] = out.count
            guard let range = readRange(fields, unit, ip, item, &r) else { continue }
            out.append(SensitivityParameter(place: place, range: range, at: writtenAt(placeNode, placePath, r)))
        }
        return out
    }

    /// low/high, or a distribution, or neither (the baseline +-20%), in the place's scalar.
    static func readRange(_ fields: [(key: String, value: Node, path: DocumentPath)], _ unit: ParameterUnit, _ path: DocumentPath,
                          _ node: Node, _ r: inout NodeReader) -> ParameterRange? {
        let low = fields.first { $0.key == "low" }, high = fields.first { $0.key == "high" }
        let distribution = fields.first { $0.key == "distribution" }
        if let distribution {
            if low != nil || high != nil {
                r.error(distribution.value, distribution.path, "give either low and high or a distribution, not both")
                return nil
            }
            guard unit.allowsDistribution else {
                r.error(distribution.value, distribution.path, "a distribution of \(unit.what) is not read here: give low and high (\(unit.example))")
                return nil
            }
            guard let d = r.distribution(distribution.value, distribution.path, durations: unit == .hours) else { return nil }
            switch d {
            case .uniform, .triangular, .normal: break
            default:
                r.error(distribution.value, distribution.path, "expected uniform, triangular or normal (truncated to the place's range), found \(d.name)")
                return nil
            }
            // A normal is truncated to the place's bounds (and to +-3 sd): its mean must be inside them.
            let (lowest, highest) = if case .normal(let m, _) = d { (m, m) } else { (d.lowest, d.highest) }
            if let problem = unit.problem(lowest: lowest, highest: highest) {
                r.error(distribution.value, distribution.path, problem)
                return nil
            }
            return .distribution(d)
        }
        guard low != nil || high != nil else { return .aroundBaseline(share: SensitivitySettings.defaultShare) }
        guard let low, let high else {
            r.error(node, path, "expected both low and high (or neither, for the baseline +-20%)")
            return nil
        }
        guard let lo = unit.read(low.value, low.path, &r), let hi = unit.read(high.value, high.path, &r) else { return nil }
        guard lo < hi else {
            r.error(high.value, high.path, "expected high above low (\(unit.format(lo))), found \(unit.format(hi))")
            return nil
        }
        if let problem = unit.problem(lowest: lo, highest: hi) {
            r.error(low.value, low.path, problem)
            return nil
        }
        return .interval(low: lo, high: hi)
    }
}

/// The scalar a parameter varies for a kind of place, and how its values are written.
public enum ParameterUnit: Hashable, Sendable {
    case wholeNumber(minimum: Int)
    /// A probability, a share or a weight, within these bounds.
    case number(lowest: Double, highest: Double, lowestIncluded: Bool, highestIncluded: Bool)
    /// Hours: a time, a time of day, or a duration's mean (the distribution scaled to it).
    case hours
    /// A number attribute's mean (its distribution scaled to it).
    case plain
    /// Patients an hour.
    case rate

    public init?(_ kind: LeverKind) {
        switch kind {
        case .wholeNumber(let m): self = .wholeNumber(minimum: m)
        case .probability: self = .number(lowest: 0, highest: 1, lowestIncluded: true, highestIncluded: true)
        case .probabilityBelowOne: self = .number(lowest: 0, highest: 1, lowestIncluded: true, highestIncluded: false)
        case .availability: self = .number(lowest: 0, highest: 1, lowestIncluded: false, highestIncluded: true)
        case .weight: self = .number(lowest: 0, highest: 1e12, lowestIncluded: true, highestIncluded: true)
        case .distribution(true), .duration: self = .hours
        case .distribution(false): self = .plain
        case .rate: self = .rate
        case .timeOfDay, .option: return nil
        }
    }

    /// The values the place can take, for truncating a normal (open ends are nudged inside).
    public var bounds: (lowest: Double, highest: Double) {
        switch self {
        case .wholeNumber(let m): return (Double(m), .infinity)
        case .number(let lo, let hi, let loIn, let hiIn): return (loIn ? lo : lo.nextUp, hiIn ? hi : hi.nextDown)
        case .hours, .rate: return (Double.leastNormalMagnitude, .infinity)
        case .plain: return (-.infinity, .infinity)
        }
    }

    public var what: String {
        switch self {
        case .wholeNumber: "whole numbers"
        case .number: "numbers"
        case .hours: "times"
        case .plain: "numbers"
        case .rate: "rates"
        }
    }
    public var example: String {
        switch self {
        case .wholeNumber: "low: 4, high: 8"
        case .number: "low: 0.01, high: 0.1"
        case .hours: "low: 2d, high: 5d"
        case .plain: "low: 70, high: 90"
        case .rate: "low: 15/d, high: 25/d"
        }
    }
    var allowsDistribution: Bool {
        switch self { case .wholeNumber, .rate: false; default: true }
    }

    func read(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Double? {
        switch self {
        case .wholeNumber: return r.integer(node, path, what: "a whole number").map(Double.init)
        case .number, .plain: return r.number(node, path)
        case .hours: return r.duration(node, path)
        case .rate:
            guard let text = r.scalar(node, path, what: "a rate such as 20/d") else { return nil }
            switch LeverValue.parse(text, as: .rate) {
            case .success(.ratePerHour(let v)): return v
            case .success: return nil
            case .failure(let problem): r.error(node, path, problem.message); return nil
            }
        }
    }

    /// What is wrong with values from `lowest` to `highest` for the place; nil when they fit.
    public func problem(lowest: Double, highest: Double) -> String? {
        switch self {
        case .wholeNumber(let m):
            return lowest >= Double(m) ? nil : "expected whole numbers >= \(m), found \(format(lowest))"
        case .number(let lo, let hi, let loIn, let hiIn):
            let aboveLow = loIn ? lowest >= lo : lowest > lo, belowHigh = hiIn ? highest <= hi : highest < hi
            guard aboveLow && belowHigh else {
                return "expected values from \(format(lo)) \(loIn ? "" : "(excluded) ")to \(format(hi))\(hiIn ? "" : " (excluded)"), found \(format(lowest)) to \(format(highest))"
            }
            return nil
        case .hours, .rate:
            return lowest > 0 ? nil : "expected values above 0, found \(format(lowest))"
        case .plain:
            return nil
        }
    }

    public func format(_ x: Double) -> String {
        switch self {
        case .hours: return DurationText.format(hours: x)
        case .rate: return LeverValue.ratePerHour(x).text(as: .rate)
        default: return LeverValue.number(x).text(as: .probability)
        }
    }
}

extension Distribution {
    /// The least and greatest value a parameter's distribution may give (a normal's: its mean
    /// +- 3 sd, where it is truncated).
    public var lowest: Double {
        switch self {
        case .uniform(let a, _), .triangular(let a, _, _): return a
        case .normal(let m, let s): return m - 3 * s
        default: return mean
        }
    }
    public var highest: Double {
        switch self {
        case .uniform(_, let b), .triangular(_, _, let b): return b
        case .normal(let m, let s): return m + 3 * s
        default: return mean
        }
    }
}
