import CarePathEngine
import CarePathModel
import CarePathSimulation
import Histogram

extension MetricsCollector {
    /// The replication's figures in long form, in a fixed order.
    public func result() -> ReplicationResult {
        guard let plan else {
            return ReplicationResult(metrics: [], series: RunSeries(queueLength: [:], queueBinHours: 1, queueStartHour: 0, waitShares: [:],
                                                                    waitBinEdges: [], crossHandoffShares: [], timeInPathwayShares: [], timeBinEdges: []), events: 0)
        }
        // The slabs as arrays, to read with the collection methods.
        let roles = self.roles.elements, states = self.states.elements, matrix = self.matrix.elements
        let groups = self.groups.elements, terminalCounts = self.terminalCounts.elements
        let crossHandoffCounts = self.crossHandoffCounts.elements
        var m: [Metric] = []
        let n = Double(max(patients, 1))
        let window = max(end - statsStart, 1e-9)
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

        m.append(Metric("patients", Double(patients)))
        m.append(Metric("time_in_pathway_mean_h", ratio(timeSum, Double(patients))))
        m += Self.percentiles("time_in_pathway", [50, 90, 95], timeInPathway)
        m.append(Metric("handoffs_cross_per_patient", Double(crossHandoffs) / n))
        m.append(Metric("handoffs_internal_per_patient", Double(internalHandoffs) / n))
        m.append(Metric("handoff_delay_mean_h", ratio(handoffDelaySum, Double(handoffDelays))))
        m.append(Metric("lost_handoffs_per_100_patients", 100 * Double(lostHandoffs) / n))
        m.append(Metric("delayed_transfer_mean_h", delayedTransferSum / n))

        let checks = states.reduce(0) { $0 + $1.checks }
        m.append(Metric("item_checks_per_patient", Double(checks) / n))
        var gapTotal = 0
        for kind in GapKind.gaps {
            let count = states.reduce(0) { $0 + $1.gaps[kind.rawValue] }
            gapTotal += count
            m.append(Metric("gaps_\(kind.name)_per_patient", Double(count) / n))
        }
        m.append(Metric("gaps_per_patient", Double(gapTotal) / n))
        m.append(Metric("gap_rate", ratio(Double(gapTotal), Double(checks))))
        m.append(Metric("risks_per_patient", Double(states.reduce(0) { $0 + $1.proceeded }) / n))
        m.append(Metric("chases_per_patient", Double(states.reduce(0) { $0 + $1.chased }) / n))
        m.append(Metric("duplicates_per_patient", Double(states.reduce(0) { $0 + $1.repeated }) / n))
        m.append(Metric("overload_per_needed_item", ratio(Double(states.reduce(0) { $0 + $1.unneededShown }),
                                                          Double(states.reduce(0) { $0 + $1.needed }))))
        for (i, s) in plan.states.enumerated() where s.isTerminal {
            m.append(Metric("outcome_share", subject: s.id, Double(terminalCounts[i]) / n))
        }

        // Load per role and organisation. Utilisation is over the unit-hours the rota opens within
        // the measurement window (after the warm-up, up to the last arrival or the horizon).
        let windowEnd = max(min(self.windowEnd, end), statsStart)
        let windowHours = windowEnd - statsStart
        var orgBusy = [Double](repeating: 0, count: plan.organisationCount)
        var orgCapacity = [Double](repeating: 0, count: plan.organisationCount)
        for (r, role) in plan.roles.enumerated() {
            let t = roles[r]
            let subject = role.reference.description
            let open = role.schedule.openUnitHours(from: statsStart, to: windowEnd)
            orgBusy[role.organisation] += t.busyArea
            orgCapacity[role.organisation] += open
            m.append(Metric("utilisation", subject: subject, ratio(t.busyArea, open)))
            m.append(Metric("utilisation_busy", subject: subject, ratio(t.busyArea - t.blockedArea, open)))
            m.append(Metric("utilisation_blocked", subject: subject, ratio(t.blockedArea, open)))
            m.append(Metric("utilisation_chasing", subject: subject, ratio(t.windowChaseHours, open)))
            if t.rota { m.append(Metric("overtime_hours_per_day", subject: subject, ratio(t.overtime, windowHours) * 24)) }
            m.append(Metric("queue_length_mean", subject: subject, t.queueArea / window))
            m.append(Metric("starts_per_day", subject: subject, Double(t.starts) / window * 24))
            m.append(Metric("wait_mean_h", subject: subject, ratio(t.waitSum, Double(t.starts))))
            m += Self.percentiles("wait", [50, 90, 95], t.waits, subject: subject)
            m.append(Metric("chase_hours_per_day", subject: subject, t.chaseHours / window * 24))
            m.append(Metric("repeat_hours_per_day", subject: subject, t.repeatHours / window * 24))
            if let model = plan.pathway.role(role.reference), model.limit != nil || model.patience != nil {
                // Shares of the patients whose wait at the role ended (served, turned away, gave up).
                let ended = Double(t.starts + t.balked + t.reneged)
                m.append(Metric("balked_per_100_patients", subject: subject, 100 * Double(t.balked) / n))
                m.append(Metric("reneged_per_100_patients", subject: subject, 100 * Double(t.reneged) / n))
                m.append(Metric("balk_share", subject: subject, ratio(Double(t.balked), ended)))
                m.append(Metric("renege_share", subject: subject, ratio(Double(t.reneged), ended)))
            }
            // Whole weeks where the window allows, so that a weekly rota's queue (building up
            // over a weekend) compares like with like and does not look like growth.
            let quarter = windowHours >= 4 * 168 ? (windowHours / 4 / 168).rounded(.down) * 168 : windowHours / 4
            m.append(Metric("queue_length_first_quarter", subject: subject,
                            t.series.average(from: statsStart, to: statsStart + quarter)))
            m.append(Metric("queue_length_last_quarter", subject: subject,
                            t.series.average(from: windowEnd - quarter, to: windowEnd)))
        }
        for (o, id) in plan.organisationIDs.enumerated() where orgCapacity[o] > 0 {
            m.append(Metric("organisation_utilisation", subject: id, orgBusy[o] / orgCapacity[o]))
        }
        if plan.usesHolding { m += delayedTransfers(plan, roles: roles, windowHours: windowHours, patients: n) }
        m += informationEffects(plan, windowHours: windowHours, patients: n)

        // Gaps per state.
        for (i, s) in plan.states.enumerated() where !s.isTerminal {
            let t = states[i]
            m.append(Metric("state_visits_per_patient", subject: s.id, Double(t.visits) / n))
            guard t.checks > 0 else { continue }
            let gaps = GapKind.gaps.reduce(0) { $0 + t.gaps[$1.rawValue] }
            m.append(Metric("state_gap_rate", subject: s.id, Double(gaps) / Double(t.checks)))
            for kind in GapKind.allCases {
                m.append(Metric("state_\(kind.name)_per_100_patients", subject: s.id, 100 * Double(t.gaps[kind.rawValue]) / n))
            }
            m.append(Metric("state_duplicates_per_100_patients", subject: s.id, 100 * Double(t.repeated) / n))
            m.append(Metric("state_chases_per_100_patients", subject: s.id, 100 * Double(t.chased) / n))
            m.append(Metric("state_overload_per_needed_item", subject: s.id, ratio(Double(t.unneededShown), Double(t.needed))))
        }

        // Who needs what, when: per role and item, checks per 100 patients by kind.
        let kinds = GapKind.allCases.count
        for (r, role) in plan.roles.enumerated() {
            for (i, item) in plan.itemIDs.enumerated() {
                let base = (r * plan.itemCount + i) * kinds
                let needed = (0..<kinds).reduce(0) { $0 + matrix[base + $1] }
                guard needed > 0 else { continue }
                let subject = "\(role.reference.description)|\(item)"
                m.append(Metric("needed_per_100_patients", subject: subject, 100 * Double(needed) / n))
                for kind in GapKind.allCases {
                    m.append(Metric("\(kind.name)_share", subject: subject, Double(matrix[base + kind.rawValue]) / Double(needed)))
                }
            }
        }

        // Equity: the same figures per cohort group.
        for (g, t) in groups.enumerated() where t.patients > 0 {
            let name = plan.groupNaming.name(g)
            let gn = Double(t.patients)
            m.append(Metric("group_patient_share", group: name, gn / n))
            m.append(Metric("time_in_pathway_mean_h", group: name, t.timeSum / gn))
            m.append(Metric("handoffs_cross_per_patient", group: name, Double(t.crossHandoffs) / gn))
            m.append(Metric("delayed_transfer_mean_h", group: name, t.delayedTransfer / gn))
            let gaps = GapKind.gaps.reduce(0) { $0 + t.gaps[$1.rawValue] }
            m.append(Metric("gaps_per_patient", group: name, Double(gaps) / gn))
            for kind in GapKind.gaps {
                m.append(Metric("gaps_\(kind.name)_per_patient", group: name, Double(t.gaps[kind.rawValue]) / gn))
            }
        }

        for key in groupWaits.keys.sorted() {
            let t = groupWaits[key] ?? DurationTally()
            let (r, g) = (key / Self.groupKeys, key % Self.groupKeys)
            guard r < plan.roles.count, t.count > 0 else { continue }
            let subject = plan.roles[r].reference.description, name = plan.groupNaming.name(g)
            m.append(Metric("wait_mean_h", subject: subject, group: name, t.mean))
            m += Self.percentiles("wait", [90], t.histogram, subject: subject, group: name)
        }

        var queueSeries: [String: [Double]] = [:]
        var waitShares: [String: [Double]] = [:]
        var binHours = 1.0
        for (r, role) in plan.roles.enumerated() {
            queueSeries[role.reference.description] = roles[r].series.averages(until: end)
            binHours = roles[r].series.width
            let total = Double(max(roles[r].starts, 1))
            waitShares[role.reference.description] = Self.shares(roles[r].waits, edges: Self.waitBinEdges).map { $0 / total }
        }
        let series = RunSeries(
            queueLength: queueSeries, queueBinHours: binHours, queueStartHour: statsStart,
            waitShares: waitShares, waitBinEdges: Self.waitBinEdges,
            crossHandoffShares: crossHandoffCounts.map { Double($0) / n },
            timeInPathwayShares: Self.shares(timeInPathway, edges: Self.timeBinEdges).map { $0 / n }, timeBinEdges: Self.timeBinEdges)
        return ReplicationResult(metrics: m, series: series, events: events)
    }

    /// Beds (units) held by patients ready to move on: per role, per role and destination, and in
    /// all. Bed-days per 30 days of the measurement window; transfers and delays of counted patients.
    func delayedTransfers(_ plan: SimulationPlan, roles: [RoleTally], windowHours: Double, patients n: Double) -> [Metric] {
        var m: [Metric] = []
        let months = windowHours / (24 * 30)
        func bedDays(_ hours: Double) -> Double { months > 0 ? hours / 24 / months : 0 }
        var totalHours = 0.0, totalTransfers = 0
        for (r, role) in plan.roles.enumerated() where plan.holdingRoles.contains(r) {
            let subject = role.reference.description
            totalHours += roles[r].blockedArea
            let all = roleHolds[r] ?? HoldTally()
            totalTransfers += all.delays.count
            m.append(Metric("blocked_bed_days_per_month", subject: subject, bedDays(roles[r].blockedArea)))
            m += holdFigures(all, subject: subject, patients: n)
            for destination in plan.holdDestinations(ofRole: r) {
                let tally = holds[r * max(plan.states.count, 1) + destination] ?? HoldTally()
                let pair = "\(subject)|\(plan.states[destination].id)"
                m.append(Metric("blocked_bed_days_per_month", subject: pair, bedDays(tally.windowHours)))
                m += holdFigures(tally, subject: pair, patients: n)
            }
        }
        m.append(Metric("blocked_bed_days_per_month", bedDays(totalHours)))
        m.append(Metric("delayed_transfers_per_100_patients", 100 * Double(totalTransfers) / n))
        return m
    }

    /// What the socio-organisational dimensions did to information: per state and in all, events
    /// per 100 patients counted; per role, hours a day of the role's time (within the window).
    func informationEffects(_ plan: SimulationPlan, windowHours: Double, patients n: Double) -> [Metric] {
        guard plan.states.indices.contains(where: { plan.hasEffects(state: $0) }) else { return [] }
        // Effects show where they happen: at states with effects of their own, and at every state
        // that reads items (a wrong item is found by whoever uses it).
        let places = plan.states.indices.filter { plan.hasEffects(state: $0) || plan.readsItems(state: $0) }
        let kinds = InformationEffect.allCases.count
        var m: [Metric] = []
        for effect in InformationEffect.allCases {
            if effect == .reading || effect == .documenting {
                for (r, role) in plan.roles.enumerated() where plan.states.indices.contains(where: { plan.hasEffects(state: $0) && plan.states[$0].role == r }) {
                    let hours = effectHours[r * kinds + effect.rawValue] ?? 0
                    m.append(Metric("\(effect.name)_hours_per_day", subject: role.reference.description, windowHours > 0 ? hours / windowHours * 24 : 0))
                }
                continue
            }
            var total = 0
            for i in places {
                let state = plan.states[i]
                let count = effectCounts[i * kinds + effect.rawValue] ?? 0
                total += count
                m.append(Metric("state_\(effect.name)_per_100_patients", subject: state.id, 100 * Double(count) / n))
            }
            m.append(Metric("\(effect.name)_per_100_patients", 100 * Double(total) / n))
            if effect == .rekeyed {
                // Every role that reads where effects act, re-keying or not: a variant without it pairs with 0.
                for (r, role) in plan.roles.enumerated() where plan.states.indices.contains(where: { plan.hasEffects(state: $0) && plan.states[$0].role == r }) {
                    let hours = effectHours[r * kinds + effect.rawValue] ?? 0
                    m.append(Metric("rekeying_hours_per_day", subject: role.reference.description, windowHours > 0 ? hours / windowHours * 24 : 0))
                }
            }
        }
        // Items and channels with concerns of their own: what those concerns did, where it shows.
        let itemEffects: [InformationEffect] = [.withheld, .recordedWrong, .foundWrong, .unusable, .rekeyed, .mistrustRepeat]
        for (i, item) in plan.pathway.information.enumerated() where item.annotations.contains(where: { !$0.effects.isEmpty }) {
            for effect in itemEffects {
                m.append(Metric("item_\(effect.name)_per_100_patients", subject: item.id, 100 * Double(itemEffectCounts[i * kinds + effect.rawValue] ?? 0) / n))
            }
        }
        for (c, option) in ArchitectureOption.allCases.enumerated() where plan.settings.channels[option]?.contains(where: { $0.effects.unusable != nil }) ?? false {
            for effect in [InformationEffect.unusable, .rekeyed] {
                m.append(Metric("channel_\(effect.name)_per_100_patients", subject: option.rawValue, 100 * Double(channelEffectCounts[c * kinds + effect.rawValue] ?? 0) / n))
            }
            let hours = channelEffectHours[c * kinds + InformationEffect.rekeyed.rawValue] ?? 0
            m.append(Metric("channel_rekeying_hours_per_day", subject: option.rawValue, windowHours > 0 ? hours / windowHours * 24 : 0))
        }
        return m
    }

    func holdFigures(_ t: HoldTally, subject: String, patients n: Double) -> [Metric] {
        [
            Metric("delayed_transfers_per_100_patients", subject: subject, 100 * Double(t.delays.count) / n),
            Metric("ready_to_moved_mean_h", subject: subject, t.delays.mean),
        ] + Self.percentiles("ready_to_moved", [90], t.delays.histogram, subject: subject)
    }

    /// A family of percentiles of one histogram (`wait`: `wait_p50_h`, ...), in hours, 0 when it
    /// holds nothing. A percentile that falls among the durations past the histogram's range has
    /// the range's limit as its value, a lower bound, and a flag `NAME_at_least` = 1 beside it
    /// (`wait_p90_h_at_least`: over replications, the share where it did); the durations past the
    /// range are counted in `FAMILY_beyond_range`. Both appear only when there are any, so that a
    /// run with none has the same figures as before they existed.
    static func percentiles(_ family: String, _ ps: [Double], _ h: DurationHistogram, subject: String = "", group: String = "") -> [Metric] {
        var m: [Metric] = []
        for p in ps {
            let name = "\(family)_p\(Int(p))_h", reading = h.percentile(p)
            m.append(Metric(name, subject: subject, group: group, reading.hours))
            if reading.beyondRange { m.append(Metric(name + PercentileRange.atLeastSuffix, subject: subject, group: group, 1)) }
        }
        if h.beyondRange > 0 {
            m.append(Metric(family + PercentileRange.beyondRangeSuffix, subject: subject, group: group, Double(h.beyondRange)))
        }
        return m
    }

    /// Counts per bin of `edges` (hours; the last bin open-ended) read from a histogram of seconds:
    /// the charts' distributions come from the same histogram as the percentiles, not a second tally.
    /// Differences of cumulative counts, so the bins add up to the total exactly.
    /// Durations past the histogram's range are in the last, open-ended bin.
    static func shares(_ histogram: DurationHistogram, edges: [Double]) -> [Double] {
        let total = histogram.totalCount
        guard total > 0 else { return edges.map { _ in 0 } }
        func atOrBelow(_ hours: Double) -> Double {
            let seconds = UInt64(clampingFloor: hours * 3600)
            guard seconds > 0 else { return 0 }
            return Double(histogram.count(atOrBelow: min(seconds - 1, histogram.maximum)))
        }
        let cumulative = edges.dropFirst().map(atOrBelow) + [Double(total)]
        return cumulative.indices.map { i in cumulative[i] - (i > 0 ? cumulative[i - 1] : 0) }
    }

}
