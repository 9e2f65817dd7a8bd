import CarePathFormat
import CarePathModel
import Foundation

/// The levers a workshop shows: those the scenario declares, else every role's capacity, the
/// architecture, the arrival rate and every place the scenario's options change that takes a
/// number, a choice or a duration (a distribution only when declared).
enum WorkshopLevers {
    static func make(_ scenario: Scenario, _ pathway: Pathway) -> [WorkshopLever] {
        let baseline = scenario.effectiveVariants[0]
        let view = scenario.seen(by: baseline), basePathway = baseline.pathway(over: pathway)
        if !scenario.workshop.isEmpty {
            return scenario.workshop.compactMap { control($0.place, id: $0.written, declared: $0, scenario, view, basePathway, pathway) }
        }
        var places: [(LeverPlace, String)] = []
        var seen = Set<LeverPlace>()
        func add(_ place: LeverPlace, _ id: String? = nil) {
            if seen.insert(place).inserted { places.append((place, id ?? place.description)) }
        }
        for role in pathway.roles {
            // A rota with a capacity per shift is moved shift by shift, as a scenario's `capacities` gives it.
            if role.calendar.hasShiftCapacities {
                for i in role.calendar.windows.indices { add(.shiftCapacity(role.reference, shift: i), "capacities.\(role.reference)[\(i)]") }
            } else {
                add(.roleCapacity(role.reference), "capacities.\(role.reference)")
            }
        }
        add(.architecture(.option))
        add(.arrivals)
        // Every place an option changes: its `set:`, and the settings it gives otherwise
        // (`architecture: { batch: ... }`), found by comparing with the baseline.
        for variant in scenario.effectiveVariants {
            for lever in variant.levers { add(lever.place) }
            let other = scenario.seen(by: variant)
            let settingsPlaces: [LeverPlace] = ArchitectureParameter.allCases.map { .architecture($0) }
                + HandoffParameter.allCases.map { .handoff($0) } + [.consentOptOut, .underRecording]
            for place in settingsPlaces where place.value(in: pathway, other) != place.value(in: pathway, view) {
                add(place)
            }
        }
        return places.compactMap { control($0.0, id: $0.1, declared: nil, scenario, view, basePathway, pathway) }
    }

    /// The control for a place; nil when the baseline holds nothing there (no outages to change)
    /// or its own value does not read back (a role with a rota has capacities by shift).
    static func control(_ place: LeverPlace, id: String, declared: WorkshopDeclaration?, _ scenario: Scenario, _ view: Scenario,
                        _ basePathway: Pathway, _ pathway: Pathway) -> WorkshopLever? {
        let kind = place.kind
        let value = place.value(in: basePathway, view)
        let subject = WorkshopSubject(place)
        let label = declared?.label ?? defaultLabel(place, pathway)
        var baseline = value.map { $0.text(as: kind) } ?? ""
        var control = WorkshopLever(id: id, label: label, kind: .text, baseline: baseline, subject: subject)
        if let options = declared?.options, !options.isEmpty {
            control.kind = options.count == 2 && kind != .option ? .toggle : .choice
            control.options = options
            return control
        }
        switch kind {
        case .wholeNumber(let minimum):
            guard case .wholeNumber(let n)? = value else { return nil }
            control.kind = .integer
            control.minimum = declared?.minimum ?? Double(minimum)
            control.maximum = declared?.maximum ?? Double(max(2 * n, n + 5))
            control.step = declared?.step ?? 1
        case .probability, .probabilityBelowOne, .availability:
            guard value != nil else { return nil }
            control.kind = .number
            control.minimum = declared?.minimum ?? (kind == .availability ? 0.01 : 0)
            control.maximum = declared?.maximum ?? (kind == .probabilityBelowOne ? 0.99 : 1)
            control.step = declared?.step ?? 0.01
        case .weight:
            guard case .number(let w)? = value else { return nil }
            control.kind = .number
            control.minimum = declared?.minimum ?? 0
            control.maximum = declared?.maximum ?? max(2 * w, 1)
            control.step = declared?.step ?? niceStep(max(2 * w, 1))
        case .rate:
            // Patients a day, the unit arrivals are usually given in.
            guard case .ratePerHour(let r)? = value else { return nil }
            let perDay = r * 24
            control.kind = .number
            control.unit = "/d"
            baseline = format(perDay)
            control.baseline = baseline
            control.minimum = declared?.minimum ?? niceStep(perDay)
            control.maximum = declared?.maximum ?? 2 * perDay
            control.step = declared?.step ?? niceStep(perDay)
        case .option:
            control.kind = .choice
            var options: [String] = []
            for v in scenario.effectiveVariants {
                let o = LeverPlace.architecture(place == .architecture(.fallback) ? .fallback : .option).value(in: pathway, scenario.seen(by: v))
                if case .option(let a)? = o, !options.contains(a.rawValue) { options.append(a.rawValue) }
            }
            if !options.contains(baseline) { options.insert(baseline, at: 0) }
            control.options = options
        case .distribution:
            // A distribution typed into a box is no control for a room (and a stay with cases
            // would give one box per case): offered only when the scenario's `workshop:` declares it.
            guard value != nil, declared != nil else { return nil }
        case .duration, .timeOfDay:
            guard value != nil else { return nil }
        }
        // Checked as the room's values are: a baseline the rules refuse is no control to offer.
        if Lever.parse(place: id, value: control.unit.map { _ in baseline + "/d" } ?? baseline, pathway: basePathway, scenario: view)
            .isFailure { return nil }
        return control
    }

    static func defaultLabel(_ place: LeverPlace, _ pathway: Pathway) -> String {
        func role(_ r: RoleReference) -> String {
            let title = pathway.role(r)?.title ?? r.role
            let org = pathway.organisation(r.organisation)?.name ?? r.organisation
            return "\(title) (\(org))"
        }
        switch place {
        case .roleCapacity(let r): return "\(role(r)): how many"
        case .shiftCapacity(let r, let i):
            guard let window = pathway.role(r)?.calendar.windows[safe: i] else { return "\(role(r)): how many, shift \(i + 1)" }
            return "\(role(r)): how many, \(shift(window))"
        case .architecture(.option): return "How information is shared"
        case .arrivals: return "Patients arriving a day"
        case .stateDuration(let s): return "How long \(pathway.state(s)?.title ?? s) takes"
        case .durationCase(let s, let i): return "How long \(pathway.state(s)?.title ?? s) takes (case \(i + 1))"
        default: return place.description
        }
    }

    /// "weekdays 09:00-17:00": a rota window as calendars write it, without its capacity.
    static func shift(_ w: WorkingCalendar.Window) -> String {
        var plain = w
        plain.capacity = nil
        return plain.description
    }

    /// A step of about a twentieth of `x`, rounded to 1, 2 or 5 times a power of ten.
    static func niceStep(_ x: Double) -> Double {
        guard x.isFinite, x > 0 else { return 1 }
        let raw = x / 20
        let power = pow(10, floor(log10(raw)))
        let m = raw / power
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power
    }

    static func number(_ value: LeverValue) -> Double? {
        switch value {
        case .wholeNumber(let n): return Double(n)
        case .number(let x): return x
        case .ratePerHour(let r): return r
        default: return nil
        }
    }

    static func format(_ x: Double) -> String {
        let r = (x * 1e9).rounded() / 1e9
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { return true } else { return false } }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
