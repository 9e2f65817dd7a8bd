import CarePathModel
import Yams

/// A scenario's `workshop:`: the levers a workshop room may move, in plain words and within a
/// range or among choices.
///
///     workshop:
///       - place: capacities.hub/coordinator
///         label: Hub coordinators
///         min: 1
///         max: 10
///       - place: architecture.option
///         label: How information is shared
///         options: [point-to-point, shared-record]
///
/// Each place is read with the one lever parser; `min`/`max`/`step` only for numbers (whole
/// numbers, shares, weights, and arrival rates in patients a day); `options` are values the
/// place takes. The baseline's own value (the first option's) must be in the range or among the
/// options, so that the room can always come back to it.
extension ScenarioFile {
    static let workshopKeys = ["place", "label", "min", "max", "step", "options"]

    static func readWorkshop(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context, baseline scenario: Scenario?,
                             variant: Variant?) -> [WorkshopDeclaration] {
        guard let items = r.sequence(node, path, what: "a list of levers such as { place: capacities.hub/coordinator, label: Hub coordinators, min: 1, max: 10 }") else {
            return []
        }
        guard let pathway = c.pathway else { return [] }
        var out: [WorkshopDeclaration] = []
        var seen: [LeverPlace: String] = [:]
        for (item, p) in items {
            guard let entries = r.mapping(item, p, allowed: workshopKeys, what: "a lever { place: ..., label: ..., min: ..., max: ... }") else { continue }
            r.require(["place"], in: entries, of: item, p)
            guard let (placeNode, placePath) = entries.first(where: { $0.key == "place" }).map({ ($0.value, $0.path) }),
                  let written = r.scalar(placeNode, placePath, what: "a lever's place, such as capacities.hub/coordinator") else { continue }
            let place: LeverPlace
            switch LeverPlace.parse(written, pathway: pathway) {
            case .failure(let problem): r.error(placeNode, placePath, problem.message); continue
            case .success(let read): place = read
            }
            if let first = seen[place] {
                r.error(placeNode, placePath, "\(place) is already offered above (as '\(first)'); offer each place once")
                continue
            }
            seen[place] = written
            var d = WorkshopDeclaration(place: place, written: written.trimming(" \t"))
            let numeric = Self.workshopNumeric(place.kind)
            for (key, value, vp) in entries {
                switch key {
                case "label":
                    guard let label = r.string(value, vp, what: "plain words for the room") else { continue }
                    if label.trimming(" \t").isEmpty || label.count > 200 { r.error(value, vp, "expected plain words of 1 to 200 characters for the room") }
                    else { d.label = label.trimming(" \t") }
                case "min", "max", "step":
                    guard numeric else {
                        r.error(value, vp, "'\(key)' is for numbers; \(place) takes \(place.kind)\(place.kind == .option ? ": give options" : "")")
                        continue
                    }
                    guard let x = r.number(value, vp, what: "a number") else { continue }
                    if key == "min" { d.minimum = x } else if key == "max" { d.maximum = x } else { d.step = x }
                case "options":
                    guard let list = r.sequence(value, vp, what: "a list of values") else { continue }
                    var options: [String] = []
                    for (o, op) in list {
                        guard let text = r.scalar(o, op, what: "a value of \(place)") else { continue }
                        switch LeverValue.parse(text, as: place.kind) {
                        case .failure(let problem): r.error(o, op, problem.message)
                        case .success: options.append(text.trimming(" \t"))
                        }
                    }
                    if options.count < 2 { r.error(value, vp, "expected at least two options to choose from") }
                    d.options = options
                default: break
                }
            }
            checkRange(d, entries, item, p, &r, pathway: pathway, scenario: scenario, variant: variant)
            out.append(d)
        }
        return out
    }

    /// The kinds a slider moves: a number with a range.
    static func workshopNumeric(_ kind: LeverKind) -> Bool {
        switch kind {
        case .wholeNumber, .probability, .probabilityBelowOne, .availability, .weight, .rate: return true
        default: return false
        }
    }

    /// The range is ordered, holds values the place takes, and holds the baseline's value.
    static func checkRange(_ d: WorkshopDeclaration, _ entries: [(key: String, value: Node, path: DocumentPath)], _ item: Node,
                           _ p: DocumentPath, _ r: inout NodeReader, pathway: Pathway, scenario: Scenario?, variant: Variant?) {
        func at(_ key: String) -> (Node?, DocumentPath) {
            let e = entries.first { $0.key == key }
            return (e?.value ?? item, e?.path ?? p)
        }
        let kind = d.place.kind
        if d.options != nil && (d.minimum != nil || d.maximum != nil || d.step != nil) {
            let (n, path) = at("options")
            r.error(n, path, "give either options or min/max/step, not both")
            return
        }
        // In the place's own terms: a rate's range is in patients a day.
        func value(_ x: Double) -> LeverValue {
            switch kind {
            case .wholeNumber: return .wholeNumber(x == x.rounded() && abs(x) < 1e15 ? Int(x) : Int.min)
            case .rate: return .ratePerHour(x / 24)
            default: return .number(x)
            }
        }
        for key in ["min", "max"] {
            guard let x = key == "min" ? d.minimum : d.maximum else { continue }
            if let problem = kind.problem(with: value(x)) {
                let (n, path) = at(key)
                r.error(n, path, "\(key) \(ScenarioFile.formatNumber(x)): \(problem)\(kind == .rate ? " (a rate's range is in patients a day)" : "")")
            }
        }
        if let low = d.minimum, let high = d.maximum, low > high {
            let (n, path) = at("min")
            r.error(n, path, "min (\(ScenarioFile.formatNumber(low))) is above max (\(ScenarioFile.formatNumber(high)))")
        }
        if let step = d.step, !(step > 0) || (d.minimum.flatMap { low in d.maximum.map { $0 - low } }.map { step > $0 && $0 > 0 } ?? false) {
            let (n, path) = at("step")
            r.error(n, path, "expected a step above 0 and at most max - min, found \(ScenarioFile.formatNumber(step))")
        }
        // The baseline's value, where the room starts from.
        guard let scenario, let variant, let current = d.place.value(in: variant.pathway(over: pathway), scenario.seen(by: variant)) else { return }
        let shown = current.text(as: kind)
        if let options = d.options, !options.isEmpty {
            let parsed = options.compactMap { try? LeverValue.parse($0, as: kind).get() }
            if !parsed.contains(current) {
                let (n, path) = at("options")
                r.error(n, path, "the baseline's value (\(shown)) is not among the options: add it, so that the room can come back to it")
            }
            return
        }
        let x: Double?
        switch current {
        case .wholeNumber(let n): x = Double(n)
        case .number(let v): x = v
        case .ratePerHour(let v): x = v * 24
        default: x = nil
        }
        guard let x else { return }
        if let low = d.minimum, x < low - 1e-9 {
            let (n, path) = at("min")
            r.error(n, path, "the baseline's value (\(shown)) is below min (\(ScenarioFile.formatNumber(low))): the room could not come back to it")
        }
        if let high = d.maximum, x > high + 1e-9 {
            let (n, path) = at("max")
            r.error(n, path, "the baseline's value (\(shown)) is above max (\(ScenarioFile.formatNumber(high))): the room could not come back to it")
        }
    }
}
