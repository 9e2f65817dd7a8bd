import CarePathModel
import Foundation
import Yams

/// Cohort attributes that depend on attributes drawn before them, and several breakdowns.
extension ScenarioFile {
    static let attributeExample = "[{ when: \"age >= 85\", is: 0.55 }, { is: 0.3 }]"

    /// One attribute's distribution of its type, without alternatives.
    static func readPlainAttribute(_ name: String, _ type: AttributeType, _ node: Node, _ path: DocumentPath,
                                   _ r: inout NodeReader) -> AttributeDistribution? {
        switch type {
        case .boolean:
            return readBernoulli(name, node, path, &r)
        case .number:
            guard let text = r.scalar(node, path, what: "a distribution for the number attribute '\(name)'") else { return nil }
            return readNumberAttribute(text, node, path, &r)
        case .categorical(let levels):
            return readCategorical(name, levels: levels, node, path, &r)
        }
    }

    /// The form alone of a value, when the pathway (and so the attribute's type) is unknown.
    static func checkAttributeForm(_ name: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) {
        if case .mapping = node { _ = readCategorical(name, levels: nil, node, path, &r) }
        else if let text = r.scalar(node, path, what: "a distribution or a probability"), Double(text) == nil {
            _ = readNumberAttribute(text, node, path, &r)
        }
    }

    /// `lives_alone: [{ when: "age >= 85", is: 0.55 }, { is: 0.3 }]`: a condition may read only
    /// the attributes listed before this one (`drawnBefore`), which the engine has drawn already.
    /// `pathway` nil: the form alone is checked.
    static func readConditionalAttribute(_ name: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader,
                                         pathway: Pathway?, drawnBefore: [String]) -> AttributeDistribution? {
        guard let pathway, let type = pathway.attributeTypes[name] else {
            _ = AlternativesReader.read(node, path, &r, what: "a distribution", example: attributeExample,
                                        value: { n, p, r in checkAttributeForm(name, n, p, &r); return nil as AttributeDistribution? })
            return nil
        }
        let earlier = Set(drawnBefore)
        let later = Set(pathway.attributes.map(\.name)).subtracting(earlier)
        let read = AlternativesReader.read(
            node, path, &r, what: hint(for: type), example: attributeExample,
            value: { n, p, r in readPlainAttribute(name, type, n, p, &r) },
            check: { condition, n, p, r in
                if let (other, column) = condition.expression.firstReference(to: later) {
                    let message = other == name
                        ? "'\(name)' cannot depend on itself"
                        : "'\(other)' is drawn after '\(name)' (the cohort lists it later), so a condition of '\(name)' cannot read it"
                    let readable = drawnBefore.isEmpty ? "none: '\(name)' is drawn first" : drawnBefore.joined(separator: ", ")
                    r.locatedInText(n, p, ConditionError(column: column, message: message
                        + "; attributes are drawn in the order the cohort lists them, and a condition may read those listed before (here: \(readable))"))
                    return false
                }
                do throws(ConditionError) {
                    _ = try condition.compile(attributes: pathway.attributes)
                    return true
                } catch {
                    r.locatedInText(n, p, error)
                    return false
                }
            })
        guard read.ok, let otherwise = read.otherwise else { return nil }
        return .conditional(read.cases, otherwise: otherwise)
    }

    /// `breakdown: deprivation`, `{ attribute: age, cuts: [75, 85] }`, or a list of either, each
    /// attribute once and at most `Breakdown.maximumCount` of them.
    static func readBreakdowns(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> [Breakdown] {
        guard case .sequence = node else { return readBreakdown(node, path, &r, c).map { [$0] } ?? [] }
        guard let items = r.sequence(node, path, what: "a list of breakdowns such as [deprivation, lives_alone]") else { return [] }
        if items.isEmpty { r.error(node, path, "expected at least one attribute to break the figures down by, found an empty list") }
        if items.count > Breakdown.maximumCount {
            r.error(node, path, "expected at most \(Breakdown.maximumCount) breakdowns, found \(items.count)")
        }
        var breakdowns: [Breakdown] = []
        for (item, itemPath) in items {
            guard let b = readBreakdown(item, itemPath, &r, c) else { continue }
            if breakdowns.contains(where: { $0.attribute == b.attribute }) {
                r.error(item, itemPath, "'\(b.attribute)' is already a breakdown: give each attribute once (with all its cuts)")
                continue
            }
            breakdowns.append(b)
        }
        return Array(breakdowns.prefix(Breakdown.maximumCount))
    }
}

/// The `cohort:` section: its size, arrivals and attributes with their distributions.
extension ScenarioFile {
    // MARK: Cohort

    static let cohortKeys = ["patients", "horizon", "arrivals", "attributes", "monthly-factors"]

    static func readCohort(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> Cohort? {
        guard let entries = r.mapping(node, path, allowed: cohortKeys,
                                      what: "a cohort (a mapping with patients or horizon, arrivals and attributes)") else { return nil }
        r.require(["arrivals"], in: entries, of: node, path)
        let hasPatients = entries.contains { $0.key == "patients" }, hasHorizon = entries.contains { $0.key == "horizon" }
        if hasPatients && hasHorizon {
            r.error(node, path, "give either patients (a number of patients) or horizon (a time after which arrivals stop), not both")
        } else if !hasPatients && !hasHorizon {
            r.report(.error, node.mark, path, "missing required key 'patients' (or 'horizon')")
        }
        var size = Cohort.Size.patients(1)
        var arrivals = ArrivalProcess.poisson(ratePerHour: 1)
        var attributes: [String: AttributeDistribution] = [:], monthlyFactors: [Double]?
        var mentioned: Set<String> = [], order: [String] = []
        var attributesPath: DocumentPath?, horizonEntry: (Node, DocumentPath)?
        for (key, value, p) in entries {
            switch key {
            case "patients":
                if let n = r.integer(value, p, what: "a number of patients (a whole number >= 1)") {
                    if n < 1 {
                        r.error(value, p, "expected a number of patients >= 1, found \(n)")
                    } else if let problem = Bounds.wholeNumberProblem(n, in: 1...Bounds.maximumPatients, what: "a number of patients") {
                        r.error(value, p, problem + " (Bounds: the most one replication may hold)")
                    } else {
                        size = .patients(n)
                    }
                }
            case "horizon":
                if let h = positiveDuration(value, p, &r, what: "a horizon") { size = .horizon(h); horizonEntry = (value, p) }
            case "arrivals":
                if let a = readArrivals(value, p, &r) { arrivals = a }
            case "monthly-factors":
                monthlyFactors = readMonthlyFactors(value, p, &r)
            default:
                attributesPath = p
                (attributes, mentioned, order) = readCohortAttributes(value, p, &r, c)
            }
        }
        if let pathway = c.pathway {
            for attribute in pathway.attributes where !mentioned.contains(attribute.name) {
                r.error(nil, attributesPath ?? path,
                        "no distribution for the attribute '\(attribute.name)' that the pathway declares (\(attribute.type)); give \(hint(for: attribute.type))")
            }
        }
        // A horizon obeys the cohort's bound through the patients it brings (at the peak month's rate).
        if case .horizon(let h) = size, let (node, p) = horizonEntry {
            let expected = h * arrivals.meanRatePerHour * max(monthlyFactors?.max() ?? 1, 1)
            if expected > Double(Bounds.maximumPatients) {
                r.error(node, p, "the horizon brings about \(Bounds.grouped(Int(clampingFloor: expected))) patients a replication at the arrival rate, "
                        + "more than \(Bounds.grouped(Bounds.maximumPatients)) (Bounds: the most one replication may hold)")
            }
        }
        return Cohort(size: size, arrivals: arrivals, attributes: attributes, monthlyFactors: monthlyFactors, attributeOrder: order)
    }

    static func hint(for type: AttributeType) -> String {
        switch type {
        case .boolean: return "the probability that it is true, such as 0.4"
        case .number: return "a distribution such as normal(mean=82, sd=7), or integer(1, 5) for whole numbers"
        case .categorical(let levels):
            let share = levels.isEmpty ? "1" : String(format: "%.2g", 1.0 / Double(levels.count))
            return "a weight per level, such as { " + levels.map { "\($0): \(share)" }.joined(separator: ", ") + " }"
        }
    }

    /// The distributions read, every attribute named (readable or not, so that a bad value is
    /// not reported as missing too), and the declared ones in the order listed (the draw order).
    static func readCohortAttributes(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context)
        -> ([String: AttributeDistribution], Set<String>, [String]) {
        var distributions: [String: AttributeDistribution] = [:]
        var mentioned: Set<String> = [], order: [String] = []
        guard let entries = r.mapping(node, path, what: "a mapping of attribute distributions, one per attribute the pathway declares") else {
            // Unreadable as a whole: do not also report each attribute as missing.
            return ([:], Set(c.pathway?.attributes.map(\.name) ?? []), [])
        }
        for (name, value, p) in entries {
            mentioned.insert(name)
            guard let pathway = c.pathway else {
                // The pathway is unusable: check the value's own form only.
                guard PathwayFile.checkName(name, p, &r, what: "an attribute name") else { continue }
                if case .sequence = value { _ = readConditionalAttribute(name, value, p, &r, pathway: nil, drawnBefore: []) }
                else { checkAttributeForm(name, value, p, &r) }
                continue
            }
            guard let type = pathway.attributeTypes[name] else {
                let declared = pathway.attributes.map(\.name)
                var message = "the pathway declares no attribute '\(name.prefix(60))'"
                if let close = closest(name, in: declared) { message += "; did you mean '\(close)'?" }
                message += declared.isEmpty ? " (it declares none)" : " (it declares: \(declared.joined(separator: ", ")))"
                if name.contains(")") { message += Self.flowHint }
                r.error(nil, p, message)
                continue
            }
            let distribution: AttributeDistribution?
            if case .sequence = value {
                distribution = readConditionalAttribute(name, value, p, &r, pathway: pathway, drawnBefore: order)
            } else {
                distribution = readPlainAttribute(name, type, value, p, &r)
            }
            if let distribution { distributions[name] = distribution }
            if !order.contains(name) { order.append(name) }
        }
        return (distributions, mentioned, order)
    }

    static func readBernoulli(_ name: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> AttributeDistribution? {
        guard let text = r.scalar(node, path, what: "the probability that '\(name)' is true") else { return nil }
        guard let p = Double(text.trimming(" \t")), p.isFinite, p >= 0, p <= 1 else {
            r.error(node, path, "'\(name)' is a boolean attribute: expected the probability that it is true, between 0 and 1, found '\(text.prefix(60))'")
            return nil
        }
        return .bernoulli(p)
    }

    /// A distribution without units (`normal(mean=82, sd=7)`), or `integer(lo, hi)`.
    static func readNumberAttribute(_ text: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> AttributeDistribution? {
        let trimmed = text.trimming(" \t")
        if trimmed.hasPrefix("integer") {
            let rest = trimmed.dropFirst("integer".count).trimming(" \t")
            guard rest.hasPrefix("("), rest.hasSuffix(")"), rest.count >= 2 else {
                r.error(node, path, "expected integer(LOW, HIGH) such as integer(1, 5), found '\(trimmed.prefix(60))'"
                        + (trimmed.contains("(") && !trimmed.contains(")") ? Self.flowHint : ""))
                return nil
            }
            let inner = rest.dropFirst().dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { part -> String in
                var s = String(part).trimming(" \t")
                for label in ["min=", "max=", "low=", "high="] where s.hasPrefix(label) { s = String(s.dropFirst(label.count)).trimming(" \t") }
                return s
            }
            let limit = Bounds.maximumWholeNumber
            guard parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]) else {
                r.error(node, path, "expected integer(LOW, HIGH) with two whole numbers, such as integer(1, 5), found '\(trimmed.prefix(60))'")
                return nil
            }
            guard lo <= hi else {
                r.error(node, path, "integer(LOW, HIGH) needs LOW <= HIGH, found \(lo) > \(hi)")
                return nil
            }
            // Compared without abs: abs(Int.min) traps.
            guard lo >= -limit, hi <= limit else {
                r.error(node, path, "integer(LOW, HIGH) takes whole numbers between -\(Bounds.grouped(limit)) and \(Bounds.grouped(limit)), found '\(trimmed.prefix(60))'")
                return nil
            }
            return .integers(lo, hi)
        }
        do throws(DistributionText.ParseError) {
            let d = try DistributionText.parse(trimmed, durations: false)
            let problems = d.problems(durations: false)
            for p in problems { r.error(node, path, p) }
            return problems.isEmpty ? .numeric(d) : nil
        } catch {
            r.error(node, path, error.message + " (a number attribute takes a distribution without units, such as normal(mean=82, sd=7), or integer(1, 5))"
                    + (trimmed.contains("(") && !trimmed.contains(")") ? Self.flowHint : ""))
            return nil
        }
    }

    /// Weights per level; `levels` nil when the pathway is unknown (the form alone is checked).
    static func readCategorical(_ name: String, levels: [String]?, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> AttributeDistribution? {
        let example = levels.map { "{ " + $0.prefix(3).map { "\($0): 1" }.joined(separator: ", ") + " }" } ?? "{ female: 0.56, male: 0.44 }"
        guard let entries = r.mapping(node, path, what: "a weight per level of the categorical attribute '\(name)', such as \(example)") else { return nil }
        var weights: [String: Double] = [:]
        var order: [String] = []
        var ok = true
        for (level, value, p) in entries {
            if let levels, !levels.contains(level) {
                var message = "'\(level.prefix(60))' is not a level of '\(name)'"
                if let close = closest(level, in: levels) { message += "; did you mean '\(close)'?" }
                r.error(nil, p, message + " (its levels: \(levels.joined(separator: ", ")))")
                ok = false
                continue
            }
            guard let w = weight(value, p, &r) else { ok = false; continue }
            weights[level] = w
            order.append(level)
        }
        let wanted = levels ?? order
        let given = Set(entries.map(\.key))
        let missing = wanted.filter { !given.contains($0) }
        if !missing.isEmpty {
            r.error(nil, path, "missing a weight for level\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")) of '\(name)' (give 0 for a level no patient has; its levels: \(wanted.joined(separator: ", ")))")
            ok = false
        }
        if ok, !weights.isEmpty, weights.values.allSatisfy({ $0 == 0 }) {
            r.error(node, path, "the weights of '\(name)' are all zero")
            ok = false
        }
        if ok, entries.isEmpty {
            r.error(node, path, "expected a weight per level of '\(name)', found an empty mapping")
            ok = false
        }
        guard ok else { return nil }
        return .categorical(levels: wanted, weights: wanted.map { weights[$0] ?? 0 })
    }

    /// A relative weight: a finite number >= 0.
    static func weight(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Double? {
        guard let w = r.number(node, path, what: "a weight (a number >= 0)") else { return nil }
        guard w >= 0 else {
            r.error(node, path, "expected a weight >= 0, found \(w)")
            return nil
        }
        return w
    }

    static let arrivalKeys = ["rate", "days", "hours"]

    /// `20/d` (Poisson), or { rate, days, hours } (a weekly profile with that mean rate).
    static func readArrivals(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> ArrivalProcess? {
        guard case .mapping = node else { return r.rate(node, path).map { .poisson(ratePerHour: $0) } }
        guard let entries = r.mapping(node, path, allowed: arrivalKeys, what: "arrivals") else { return nil }
        r.require(["rate"], in: entries, of: node, path)
        var rate: Double?, days: [Double]?, hours: [Double]?
        var ok = true
        for (key, value, p) in entries {
            switch key {
            case "rate":
                rate = r.rate(value, p)
            case "days":
                guard let dayEntries = r.mapping(value, p, allowed: WorkingCalendar.dayNames,
                                                 what: "a weight per day, such as { mon: 1.2, tue: 1.1, wed: 1, thu: 1, fri: 1.1, sat: 0.8, sun: 0.8 }") else {
                    ok = false; continue
                }
                var byDay: [String: Double] = [:]
                for (day, w, wp) in dayEntries {
                    if let v = weight(w, wp, &r) { byDay[day] = v } else { ok = false }
                }
                let missing = WorkingCalendar.dayNames.filter { day in !dayEntries.contains { $0.key == day } }
                if !missing.isEmpty {
                    r.error(nil, p, "missing a weight for \(missing.joined(separator: ", ")) (give every day a weight; 0 for a day without arrivals)")
                    ok = false
                } else if byDay.count == 7 {
                    if byDay.values.allSatisfy({ $0 == 0 }) {
                        r.error(value, p, "the day weights are all zero: no patient would arrive")
                        ok = false
                    } else {
                        days = WorkingCalendar.dayNames.map { byDay[$0] ?? 0 }
                    }
                }
            default:
                guard let items = r.sequence(value, p, what: "a list of 24 weights, one per hour of the day from 00:00") else { ok = false; continue }
                let values = items.map { weight($0.0, $0.1, &r) }
                if items.count != 24 {
                    r.error(value, p, "expected 24 hourly weights (00:00-01:00 first), found \(items.count)")
                    ok = false
                } else if values.contains(where: { $0 == nil }) {
                    ok = false
                } else {
                    let hourly = values.map { $0 ?? 0 }
                    if hourly.allSatisfy({ $0 == 0 }) {
                        r.error(value, p, "the hourly weights are all zero: no patient would arrive")
                        ok = false
                    } else { hours = hourly }
                }
            }
        }
        guard ok, let rate else { return nil }
        if days == nil && hours == nil { return .poisson(ratePerHour: rate) }
        let rates = weeklyRates(ratePerHour: rate, dayWeights: days ?? Array(repeating: 1, count: 7),
                                hourWeights: hours ?? Array(repeating: 1, count: 24))
        guard rates.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            r.error(node, path, "the weekly profile gives rates that are not finite numbers; use more moderate weights")
            return nil
        }
        return .weekly(ratesPerHour: rates)
    }
}
