import CarePathModel
import CarePathSimulation
import Foundation

/// The checks that save a planner from a wrong reading of the figures: before a run, from the
/// files alone (a role offered more work than its rota opens, a warm-up that swallows the cohort,
/// an attribute nothing reads); after it, from the replications (a queue still growing at the end
/// of the measurement window). Definitions: docs/simulation.md, "Warnings".
public enum RunWarnings {
    /// Everything `ScenarioRunner` stores in a summary: the checks before the run, then those of
    /// its results (`results` holds variant v's replication r at v * replications + r).
    public static func all(_ scenario: Scenario, pathway: Pathway, results: [ReplicationResult], replications: Int) -> [RunWarning] {
        let variants = scenario.effectiveVariants
        var byVariant: [[ReplicationResult]] = []
        for v in variants.indices {
            let lo = min(v * replications, results.count), hi = min((v + 1) * replications, results.count)
            byVariant.append(Array(results[lo..<hi]))
        }
        return beforeRun(scenario, pathway: pathway)
            + queuesGrowing(variants: variants.map(\.name), results: byVariant)
            + beyondRange(variants: variants.map(\.name), results: byVariant)
            + noPatients(variants: variants.map(\.name), results: byVariant)
    }

    // MARK: Before the run

    /// Overloaded roles, warm-up and unused attributes: no simulation, reproducible (fixed seed).
    public static func beforeRun(_ scenario: Scenario, pathway: Pathway) -> [RunWarning] {
        overload(scenario, pathway: pathway) + warmUps(scenario) + unusedAttributes(scenario, pathway: pathway)
    }

    /// The warm-up checks once when every variant runs the same cohort, else per variant (levers
    /// may change a variant's arrivals or size).
    static func warmUps(_ scenario: Scenario) -> [RunWarning] {
        let variants = scenario.effectiveVariants
        let each = variants.map { warmUp(scenario.seen(by: $0)) }
        guard let first = each.first, !each.allSatisfy({ $0 == first }) else { return warmUp(scenario) }
        return zip(variants, each).flatMap { variant, warnings in
            warnings.map { w in var w = w; w.variant = variant.name; return w }
        }
    }

    /// A role whose offered load is 1 or more, in each variant (once, for every variant, when
    /// every variant offers it the same load).
    public static func overload(_ scenario: Scenario, pathway: Pathway) -> [RunWarning] {
        let variants = scenario.effectiveVariants
        let visits = ExpectedVisits(pathway: pathway, cohort: scenario.cohort)
        let loads = variants.map { offeredLoad(scenario, pathway: pathway, variant: $0, baseVisits: visits) }
        var warnings: [RunWarning] = []
        for role in pathway.roles {
            let perVariant = loads.map { $0.load(of: role.reference) }
            let over = perVariant.enumerated().compactMap { v, load -> (Int, OfferedLoad.RoleLoad)? in
                guard let load, load.load >= 1 else { return nil }
                return (v, load)
            }
            guard let first = over.first else { continue }
            let sameEverywhere = over.count == variants.count && over.allSatisfy { $0.1 == first.1 }
            for (v, load) in sameEverywhere ? [first] : over {
                warnings.append(RunWarning(.overload, variant: sameEverywhere ? nil : variants[v].name,
                                           subject: role.reference.description,
                                           message: overloadMessage(load, arrivals: loads[v].arrivalsPerHour),
                                           figure: load.load))
            }
        }
        return warnings
    }

    /// A variant's offered load, on its own pathway and cohort when its levers changed them
    /// (the expected visits are worked out again only then).
    public static func offeredLoad(_ scenario: Scenario, pathway: Pathway, variant: Variant, baseVisits: ExpectedVisits) -> OfferedLoad {
        let own = variant.pathway(over: pathway), cohort = scenario.cohort(of: variant)
        let visits = !variant.changesPathwayOrCohort ? baseVisits : ExpectedVisits(pathway: own, cohort: cohort)
        return OfferedLoad(pathway: own, cohort: cohort, settings: variant.settings, visits: visits)
    }

    static func overloadMessage(_ l: OfferedLoad.RoleLoad, arrivals: Double) -> String {
        let detail = "\(quantity(arrivals)) arrivals an hour x \(quantity(l.visitsPerPatient)) services each x "
            + "\(hours(l.meanService)) / \(quantity(l.meanCapacity)) staff open on average"
        if !l.load.isFinite {
            return "\(l.role): offered load is infinite (\(detail)): the role has work but its rota opens no hours; "
                + "its queue only grows"
        }
        if l.sustainedLoad >= 1 {
            return "\(l.role): offered load \(number(l.load)) >= 1 (\(detail)): arrivals need more staff-hours than the rota opens; "
                + "its queue cannot be stable and its waits grow with the run's length"
        }
        // Long services: work started in a shift runs on after it, which the open hours do not count.
        return "\(l.role): offered load \(number(l.load)) >= 1 over the hours its rota opens (\(detail)): it keeps up only because "
            + "work started in a shift runs on after the shift ends (the work needs \(number(l.sustainedLoad)) of the "
            + "\(number(l.sustainedCapacity, 1)) staff busy on average that way); expect utilisation above 100% of open hours, overtime, and long waits"
            + (l.sustainedLoad >= 0.9 ? " (near the limit: the queue may not settle in a run this long)" : "")
    }

    /// A warm-up at least as long as the arrivals, or a share of patients that leaves none.
    public static func warmUp(_ scenario: Scenario) -> [RunWarning] {
        let rate = OfferedLoad.arrivalsPerHour(scenario.cohort)
        switch (scenario.warmUp, scenario.cohort.size) {
        case (.hours(let h), .patients(let n)):
            guard h > 0, rate > 0 else { return [] }
            let period = Double(n) / rate
            guard h >= period else { return [] }
            return [RunWarning(.warmUp, subject: "", message: "the warm-up (\(hours(h))) is at least as long as the expected arrival period "
                               + "(\(hours(period)): \(n) patients at \(number(rate * 24)) a day): few or no patients arrive after it, "
                               + "so the figures rest on almost nobody", figure: h / period)]
        case (.hours(let h), .horizon(let horizon)):
            guard h > 0, h >= horizon else { return [] }
            return [RunWarning(.warmUp, subject: "", message: "the warm-up (\(hours(h))) is not shorter than the arrival horizon "
                               + "(\(hours(horizon))): no patient arrives after it", figure: horizon > 0 ? h / horizon : .infinity)]
        case (.fraction(let f), .patients(let n)):
            // The engine's count of warm-up patients.
            let skipped = f.isFinite ? Int(min(max(Double(n) * f, 0), Double(Int.max / 2)).rounded()) : 0
            guard n > 0, skipped >= n else { return [] }
            return [RunWarning(.warmUp, subject: "", message: "the warm-up share (\(number(f * 100, 1))% of \(n) patients) leaves no patient "
                               + "to measure", figure: Double(skipped) / Double(n))]
        default:
            return []
        }
    }

    /// Declared attributes that no condition, priority queue, opt-out or breakdown reads: every
    /// patient draws them for nothing, and a workshop may believe they change something.
    public static func unusedAttributes(_ scenario: Scenario, pathway: Pathway) -> [RunWarning] {
        var used = Set<String>()
        for state in pathway.states {
            for t in state.next {
                if let c = t.condition { used.formUnion(c.attributeNames) }
                for alternative in t.probabilityCases { used.formUnion(alternative.condition.attributeNames) }
            }
            for alternative in state.durationCases { used.formUnion(alternative.condition.attributeNames) }
        }
        for item in pathway.information {
            for record in item.existing { if let c = record.condition { used.formUnion(c.attributeNames) } }
        }
        for role in pathway.roles { if case .priority(let attribute, _) = role.queue { used.insert(attribute) } }
        for settings in [scenario.settings] + scenario.variants.map(\.settings) {
            if let a = settings.consent.optOutAttribute { used.insert(a) }
        }
        for b in scenario.breakdowns { used.insert(b.attribute) }
        // An attribute that a used one depends on (lives_alone by age) changes figures through it.
        var pending = Array(used)
        while let name = pending.popLast() {
            for other in scenario.cohort.attributes[name]?.attributeNames ?? [] where used.insert(other).inserted { pending.append(other) }
        }
        return pathway.attributes.filter { !used.contains($0.name) }.map { a in
            RunWarning(.unusedAttribute, subject: a.name,
                       message: "attribute '\(a.name)' is declared but nothing reads it (no condition, priority, opt-out or breakdown): "
                           + "it changes no figure")
        }
    }

    // MARK: After the run

    /// Roles whose queue was still growing at the end of the measurement window, per variant:
    /// over replications, the last quarter's time-average queue exceeds the first quarter's by a
    /// paired difference whose 95% interval lies above zero, and last >= 2 x first + 1 (a growth
    /// that matters, not a blip). Needs two replications or more for the interval.
    public static func queuesGrowing(variants: [String], results: [[ReplicationResult]]) -> [RunWarning] {
        var warnings: [RunWarning] = []
        for (v, replications) in results.enumerated() where replications.count >= 2 {
            let lookups = replications.map { r in
                Dictionary(r.metrics.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            }
            var roles: [String] = []
            for r in replications {
                for m in r.metrics where m.name == "queue_length_first_quarter" && m.group.isEmpty && !roles.contains(m.subject) {
                    roles.append(m.subject)
                }
            }
            for role in roles {
                let first = lookups.map { $0[MetricKey(name: "queue_length_first_quarter", subject: role)] ?? 0 }
                let last = lookups.map { $0[MetricKey(name: "queue_length_last_quarter", subject: role)] ?? 0 }
                guard let growth = growing(first: first, last: last) else { continue }
                let low = growth.low ?? growth.mean, high = growth.high ?? growth.mean
                let firstMean = first.reduce(0, +) / Double(first.count), lastMean = last.reduce(0, +) / Double(last.count)
                warnings.append(RunWarning(
                    .queueGrowing, variant: variants.count > 1 && v < variants.count ? variants[v] : nil, subject: role,
                    message: "\(role): queue still growing at the end of the measurement window: \(number(firstMean)) waiting on average "
                        + "in its first quarter, \(number(lastMean)) in its last (growth \(number(growth.mean)), 95% interval "
                        + "\(number(low)) to \(number(high)) over \(first.count) replications): its waits depend on how long the run is",
                    figure: growth.mean))
            }
        }
        return warnings
    }

    /// Durations past the percentile histograms' range (waits over 20 years, times in the pathway
    /// over 50 years), per variant and figure: counted in the means, but the percentiles among
    /// them are only known to be at least the range's limit. Figure: durations past the range per
    /// replication (mean).
    public static func beyondRange(variants: [String], results: [[ReplicationResult]]) -> [RunWarning] {
        let what = ["wait": ("waits", "its wait percentiles"), "time_in_pathway": ("times in the pathway", "the time-in-pathway percentiles"),
                    "ready_to_moved": ("ready-to-moved delays", "its ready-to-moved percentiles")]
        var warnings: [RunWarning] = []
        for (v, replications) in results.enumerated() where !replications.isEmpty {
            var order: [MetricKey] = []
            var totals: [MetricKey: Double] = [:]
            for r in replications {
                for m in r.metrics where m.group.isEmpty && m.name.hasSuffix(PercentileRange.beyondRangeSuffix) {
                    if totals[m.key] == nil { order.append(m.key) }
                    totals[m.key, default: 0] += m.value
                }
            }
            for key in order {
                let family = String(key.name.dropLast(PercentileRange.beyondRangeSuffix.count))
                let (noun, percentiles) = what[family] ?? (family, "its percentiles")
                let limit = family == "time_in_pathway" ? "50 years" : "20 years"
                let perReplication = (totals[key] ?? 0) / Double(replications.count)
                let subject = key.subject.isEmpty ? "" : key.subject + ": "
                warnings.append(RunWarning(
                    .beyondRange, variant: variants.count > 1 && v < variants.count ? variants[v] : nil, subject: key.subject,
                    message: "\(subject)\(number(perReplication)) \(noun) per replication longer than \(limit), past the range of the "
                        + "percentile histograms: the means count them, but \(percentiles) that fall among them are shown as at least "
                        + "the limit (>= \(limit)), a lower bound",
                    figure: perReplication))
            }
        }
        return warnings
    }

    /// Replications that measured nobody (every patient arrived during the warm-up, which the
    /// checks before the run cannot rule out when levers change the cohort, or by chance): their
    /// figures are zeros, not measurements. Figure: the share of such replications.
    public static func noPatients(variants: [String], results: [[ReplicationResult]]) -> [RunWarning] {
        var warnings: [RunWarning] = []
        for (v, replications) in results.enumerated() where !replications.isEmpty {
            let empty = replications.filter { r in (r.metrics.first { $0.name == "patients" && $0.subject.isEmpty && $0.group.isEmpty }?.value ?? 0) == 0 }.count
            guard empty > 0 else { continue }
            let all = empty == replications.count
            warnings.append(RunWarning(
                .noPatients, variant: variants.count > 1 && v < variants.count ? variants[v] : nil, subject: "",
                message: all ? "no patient was measured in any replication (every patient arrived during the warm-up): there are no figures, "
                    + "only zeros, shown as 'no patients measured'; shorten the warm-up"
                    : "\(empty) of \(replications.count) replications measured no patient (every patient arrived during the warm-up): "
                    + "their zeros are in the means; shorten the warm-up",
                figure: Double(empty) / Double(replications.count)))
        }
        return warnings
    }

    /// The paired growth from first to last quarter when it passes the rule, else nil.
    static func growing(first: [Double], last: [Double]) -> Estimate? {
        guard first.count == last.count, first.count >= 2 else { return nil }
        let growth = Estimate(zip(last, first).map { $0 - $1 })
        let firstMean = first.reduce(0, +) / Double(first.count), lastMean = last.reduce(0, +) / Double(last.count)
        guard let low = growth.low, low > 0, lastMean >= 2 * firstMean + 1 else { return nil }
        return growth
    }

    // MARK: Text

    /// Two decimals, three significant digits past a billion, "infinite" for what is not finite; no locale.
    static func number(_ x: Double, _ digits: Int = 2) -> String {
        guard x.isFinite else { return x.isNaN ? "n/a" : "infinite" }
        return abs(x) < 1e9 ? String(format: "%.\(digits)f", x) : String(format: "%.3g", x)
    }

    /// A quantity to read, not compare: three significant digits below 1 (a rate of 0.00417 an
    /// hour), two decimals up to 100, one past it.
    static func quantity(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return number(x) }
        if abs(x) < 1 { return String(format: "%.3g", x) }
        return number(x, abs(x) < 100 ? 2 : 1)
    }

    /// `4h`, `2.5d`, `3w`; plain hours where a duration text would not fit.
    static func hours(_ h: Double) -> String {
        guard h.isFinite, h >= 0, h < 1e9 else { return number(h) + "h" }
        return DurationText.format(hours: h)
    }
}
