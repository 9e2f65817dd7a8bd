import CarePathModel
import Yams

/// A scenario's `experiments: { optimise: ... }`: the capacity search `carepath optimise` runs.
///
///     experiments:
///       optimise:
///         decisions:
///           capacities.council/social-worker: { min: 4, max: 10, cost: 1 }
///         constraints:
///           - wait_p90_h at council/social-worker <= 48h
///         objective: least-cost
///         confidence: 0.95
///         replications: { initial: 10, max: 40 }
///
/// Every field is checked where it is written: places against the pathway (a role's capacity
/// only), figures against the glossary, limits in the figure's unit.
extension ScenarioFile {
    static let optimiseKeys = ["decisions", "constraints", "objective", "confidence", "replications", "monotone"]
    static let decisionKeys = ["min", "max", "cost"]
    static let optimiseExample = "decisions: { capacities.council/social-worker: { min: 4, max: 10, cost: 1 } }, constraints: [ \"wait_p90_h at council/social-worker <= 48h\" ]"
    /// The largest capacity a decision may range to.
    static let maximumDecisionCapacity = 100_000

    static func readOptimise(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> CapacitySearchSpec? {
        guard let entries = r.mapping(node, path, allowed: optimiseKeys, what: "a capacity search (a mapping with \(optimiseExample))") else { return nil }
        r.require(["decisions", "constraints"], in: entries, of: node, path)
        var decisions: [CapacityDecision] = [], constraints: [CapacityConstraint] = []
        var spec = CapacitySearchSpec(decisions: [], constraints: [])
        var ok = true
        for (key, value, p) in entries {
            switch key {
            case "decisions":
                if let read = readDecisions(value, p, &r, c) { decisions = read } else { ok = false }
            case "constraints":
                if let read = readConstraints(value, p, &r, c) { constraints = read } else { ok = false }
            case "objective":
                if let s = r.scalar(value, p, what: "an objective"), s.trimming(" \t") != CapacitySearchSpec.Objective.leastCost.rawValue {
                    r.error(value, p, "expected the objective least-cost (the least sum of capacity x cost per unit), found '\(s.prefix(60))'")
                    ok = false
                }
            case "confidence":
                if let x = r.number(value, p, what: "a confidence such as 0.95") {
                    if x >= 0.5 && x < 1 { spec.confidence = x } else {
                        r.error(value, p, "expected a confidence from 0.5 to below 1, such as 0.95, found \(x)")
                        ok = false
                    }
                } else { ok = false }
            case "replications":
                if !readSearchReplications(value, p, &r, into: &spec) { ok = false }
            case "monotone":
                if let b = r.boolean(value, p) { spec.monotone = b } else { ok = false }
            default: break
            }
        }
        spec.decisions = decisions
        spec.constraints = constraints
        if decisions.isEmpty || constraints.isEmpty { return nil }
        if spec.latticeSize > Double(CapacitySearchSpec.maximumLattice) {
            let p = path.key("decisions")
            r.report(.error, r.keyLocations[p], p, "the decisions' ranges give \(Bounds.grouped(Int(min(spec.latticeSize, 1e15)))) configurations; "
                     + "at most \(Bounds.grouped(CapacitySearchSpec.maximumLattice)): narrow the ranges")
            return nil
        }
        return ok ? spec : nil
    }

    /// `{ initial: 10, max: 40 }`: replications every configuration gets first, and the most one may get.
    static func readSearchReplications(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, into spec: inout CapacitySearchSpec) -> Bool {
        guard let entries = r.mapping(node, path, allowed: ["initial", "max"], what: "replications per configuration, such as { initial: 10, max: 40 }")
        else { return false }
        var ok = true
        let most = Bounds.maximumReplications
        for (key, value, p) in entries {
            guard let n = r.integer(value, p, what: "a number of replications") else { ok = false; continue }
            let least = 2
            guard n >= least && n <= most else {
                r.error(value, p, "expected a number of replications from \(least) to \(Bounds.grouped(most))"
                        + (key == "initial" ? " (a bound needs the spread of two replications at least)" : "") + ", found \(n)")
                ok = false
                continue
            }
            if key == "initial" { spec.initialReplications = n } else { spec.maximumReplications = n }
        }
        if ok, entries.contains(where: { $0.key == "initial" }), !entries.contains(where: { $0.key == "max" }) {
            spec.maximumReplications = max(spec.maximumReplications, spec.initialReplications)
        }
        if ok && spec.maximumReplications < spec.initialReplications {
            let p = path.key("max")
            r.report(.error, r.keyLocations[p] ?? r.keyLocations[path], p,
                     "expected max (\(spec.maximumReplications)) at least initial (\(spec.initialReplications))")
            ok = false
        }
        return ok
    }

    /// `capacities.ORG/ROLE: { min, max, cost }`, one per role.
    static func readDecisions(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> [CapacityDecision]? {
        guard let entries = r.mapping(node, path, what: "decisions, a mapping of capacities.ORG/ROLE: { min: 4, max: 10, cost: 1 }") else { return nil }
        guard let pathway = c.pathway else { return nil }
        if entries.isEmpty { r.error(node, path, "expected at least one decision, such as capacities.council/social-worker: { min: 4, max: 10, cost: 1 }") }
        var out: [CapacityDecision] = [], ok = !entries.isEmpty
        var seen: Set<RoleReference> = []
        for (written, value, p) in entries {
            let role: RoleReference
            switch LeverPlace.parse(written, pathway: pathway) {
            case .failure(let problem):
                r.report(.error, r.keyLocations[p], p, problem.message); ok = false; continue
            case .success(.roleCapacity(let ref)): role = ref
            case .success(let other):
                r.report(.error, r.keyLocations[p], p, "a decision is a role's capacity (capacities.ORG/ROLE), found \(other)"); ok = false; continue
            }
            if !seen.insert(role).inserted {
                r.report(.error, r.keyLocations[p], p, "capacities.\(role) is already a decision above; give each role once"); ok = false; continue
            }
            guard let fields = r.mapping(value, p, allowed: decisionKeys, what: "{ min: 4, max: 10, cost: 1 }") else { ok = false; continue }
            r.require(decisionKeys, in: fields, of: value, p)
            var low: Int?, high: Int?, cost: Double?
            for (key, v, fp) in fields {
                switch key {
                case "min", "max":
                    guard let n = r.integer(v, fp, what: "a capacity (a whole number)") else { ok = false; continue }
                    guard n >= 1 && n <= maximumDecisionCapacity else {
                        r.error(v, fp, "expected a capacity from 1 to \(Bounds.grouped(maximumDecisionCapacity)), found \(n)"); ok = false; continue
                    }
                    if key == "min" { low = n } else { high = n }
                default:
                    guard let x = r.number(v, fp, what: "a cost per unit (a number of 0 or more)") else { ok = false; continue }
                    guard x >= 0 && x <= 1e12 else { r.error(v, fp, "expected a cost per unit from 0 to 1e12, found \(x)"); ok = false; continue }
                    cost = x
                }
            }
            guard let low, let high, let cost else { ok = false; continue }
            guard low <= high else {
                let fp = p.key("max")
                r.error(fields.first { $0.key == "max" }?.value, fp, "expected max (\(high)) at least min (\(low))"); ok = false; continue
            }
            out.append(CapacityDecision(role: role, minimum: low, maximum: high, cost: cost))
        }
        return ok ? out : nil
    }

    /// `- wait_p90_h at council/social-worker <= 48h`, `- blocked_bed_days_per_month <= 300 per month`.
    static func readConstraints(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> [CapacityConstraint]? {
        guard let items = r.sequence(node, path, what: "a list of constraints such as - wait_p90_h at council/social-worker <= 48h") else { return nil }
        if items.isEmpty { r.error(node, path, "expected at least one constraint, such as - wait_p90_h at council/social-worker <= 48h") }
        var out: [CapacityConstraint] = [], ok = !items.isEmpty
        for (item, p) in items {
            guard let text = r.scalar(item, p, what: "a constraint such as wait_p90_h at council/social-worker <= 48h") else { ok = false; continue }
            switch ConstraintText.parse(text, pathway: c.pathway) {
            case .success(var constraint):
                let mark = item.mark ?? r.keyLocations[p]
                constraint.file = r.file
                (constraint.line, constraint.column, constraint.path) = (mark?.line ?? 1, mark?.column ?? 1, p)
                out.append(constraint)
            case .failure(let problem): r.error(item, p, problem.message); ok = false
            }
        }
        return ok ? out : nil
    }
}

/// A constraint as written: `FIGURE OPERATOR LIMIT`, the figure `METRIC` or `METRIC at SUBJECT`.
public enum ConstraintText {
    public struct Problem: Error, Sendable { public var message: String }

    public static func parse(_ written: String, pathway: Pathway?) -> Result<CapacityConstraint, Problem> {
        let text = written.trimming(" \t")
        let operators: [(String, CapacityConstraint.Relation)] = [("<=", .atMost), (">=", .atLeast)]
        guard let (op, relation) = operators.first(where: { text.contains($0.0) }),
              let range = text.range(of: op) else {
            return .failure(Problem(message: "expected a constraint FIGURE <= LIMIT or FIGURE >= LIMIT, such as wait_p90_h at council/social-worker <= 48h, found '\(text.prefix(80))'"))
        }
        let left = String(text[..<range.lowerBound]).trimming(" \t"), right = String(text[range.upperBound...]).trimming(" \t")
        let parts = left.components(separatedBy: " at ")
        let metric = parts[0].trimming(" \t")
        let subject = parts.count > 1 ? parts.dropFirst().joined(separator: " at ").trimming(" \t") : ""
        // The figure is checked against the metrics and the pathway where they are known (CapacitySearch.figureProblems).
        guard !metric.isEmpty, metric.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return .failure(Problem(message: "expected a figure, METRIC or METRIC at SUBJECT (such as wait_p90_h at council/social-worker), found '\(left.prefix(80))'"))
        }
        guard !right.isEmpty else {
            return .failure(Problem(message: "expected a limit after \(op), such as 48h, found nothing"))
        }
        switch limit(right, metric: metric) {
        case .failure(let p): return .failure(p)
        case .success(let value):
            return .success(CapacityConstraint(metric: metric, subject: subject, relation: relation, limit: value, text: text))
        }
    }

    /// The limit in the figure's unit: a time with its unit for `_h` figures (`48h`, `2d`); else
    /// a number, optionally followed by the figure's unit (`300 per month`).
    static func limit(_ text: String, metric: String) -> Result<Double, Problem> {
        if metric.hasSuffix("_h") {
            guard let hours = DurationText.hours(text), hours.isFinite, hours >= 0 else {
                return .failure(Problem(message: "expected a time with its unit for \(metric), such as 48h or 2d, found '\(text.prefix(60))'"))
            }
            return .success(hours)
        }
        let number = text.prefix { "0123456789.-+eE_".contains($0) }
        let unit = String(text.dropFirst(number.count)).trimming(" \t")
        guard let value = Double(number.replacingOccurrences(of: "_", with: "")), value.isFinite, abs(value) <= 1e12 else {
            return .failure(Problem(message: "expected a number for \(metric), such as 300, found '\(text.prefix(60))'"))
        }
        let units = unitWords(metric)
        if !unit.isEmpty && !units.contains(unit.lowercased()) {
            let expected = units.isEmpty ? "no unit" : units.map { "'\($0)'" }.joined(separator: " or ")
            return .failure(Problem(message: "expected \(expected) after the number for \(metric), found '\(unit.prefix(40))'"))
        }
        return .success(value)
    }

    /// The units a limit may name, from the figure's name.
    static func unitWords(_ metric: String) -> [String] {
        if metric.hasSuffix("_per_month") { return ["per month", "a month", "bed-days per month", "bed-days a month"] }
        if metric.hasSuffix("_per_100_patients") { return ["per 100 patients"] }
        if metric.hasSuffix("_per_patient") { return ["per patient", "a patient"] }
        if metric.hasSuffix("_per_day") { return ["per day", "a day"] }
        return []
    }
}
