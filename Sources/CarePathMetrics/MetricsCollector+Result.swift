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
        let timeInPathway = self.timeInPathway.histogram
        var m: [Metric] = []
        let n = Double(max(patients, 1))
        let window = max(end - statsStart, 1e-9)
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

        m.append(Metric("patients", Double(patients)))
        m.append(Metric("time_in_pathway_mean_h", ratio(timeSum, Double(patients))))
        for (p, name) in [(50.0, "time_in_pathway_p50_h"), (90, "time_in_pathway_p90_h"), (95, "time_in_pathway_p95_h")] {
            m.append(Metric(name, patients > 0 ? Double(timeInPathway.valueAtPercentile(p)) / 3600 : 0))
        }
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

        // Load per role and organisation.
        var orgBusy = [Double](repeating: 0, count: plan.organisationCount)
        var orgCapacity = [Double](repeating: 0, count: plan.organisationCount)
        for (r, role) in plan.roles.enumerated() {
            let t = roles[r]
            let waits = t.waits.histogram
            let subject = role.reference.description
            let utilisation = t.busyArea / (Double(role.capacity) * window)
            orgBusy[role.organisation] += t.busyArea
            orgCapacity[role.organisation] += Double(role.capacity) * window
            m.append(Metric("utilisation", subject: subject, utilisation))
            m.append(Metric("queue_length_mean", subject: subject, t.queueArea / window))
            m.append(Metric("starts_per_day", subject: subject, Double(t.starts) / window * 24))
            m.append(Metric("wait_mean_h", subject: subject, ratio(t.waitSum, Double(t.starts))))
            for (p, name) in [(50.0, "wait_p50_h"), (90, "wait_p90_h"), (95, "wait_p95_h")] {
                m.append(Metric(name, subject: subject, t.starts > 0 ? Double(waits.valueAtPercentile(p)) / 3600 : 0))
            }
            m.append(Metric("chase_hours_per_day", subject: subject, t.chaseHours / window * 24))
            m.append(Metric("repeat_hours_per_day", subject: subject, t.repeatHours / window * 24))
        }
        for (o, id) in plan.organisationIDs.enumerated() where orgCapacity[o] > 0 {
            m.append(Metric("organisation_utilisation", subject: id, orgBusy[o] / orgCapacity[o]))
        }

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

        var queueSeries: [String: [Double]] = [:]
        var waitShares: [String: [Double]] = [:]
        var binHours = 1.0
        for (r, role) in plan.roles.enumerated() {
            queueSeries[role.reference.description] = roles[r].series.averages(until: end)
            binHours = roles[r].series.width
            let total = Double(max(roles[r].starts, 1))
            waitShares[role.reference.description] = Self.shares(roles[r].waits.histogram, edges: Self.waitBinEdges).map { $0 / total }
        }
        let series = RunSeries(
            queueLength: queueSeries, queueBinHours: binHours, queueStartHour: statsStart,
            waitShares: waitShares, waitBinEdges: Self.waitBinEdges,
            crossHandoffShares: crossHandoffCounts.map { Double($0) / n },
            timeInPathwayShares: Self.shares(timeInPathway, edges: Self.timeBinEdges).map { $0 / n }, timeBinEdges: Self.timeBinEdges)
        return ReplicationResult(metrics: m, series: series, events: events)
    }

    /// Counts per bin of `edges` (hours; the last bin open-ended) read from a histogram of seconds:
    /// the charts' distributions come from the same histogram as the percentiles, not a second tally.
    /// Differences of cumulative counts, so the bins add up to the total exactly.
    static func shares(_ histogram: Histogram<UInt64>, edges: [Double]) -> [Double] {
        guard histogram.totalCount > 0 else { return edges.map { _ in 0 } }
        func atOrBelow(_ hours: Double) -> Double {
            let seconds = UInt64(hours * 3600)
            guard seconds > 0 else { return 0 }
            return Double(histogram.count(within: 0...min(seconds - 1, histogram.max)))
        }
        let cumulative = edges.dropFirst().map(atOrBelow) + [Double(histogram.totalCount)]
        return cumulative.indices.map { i in cumulative[i] - (i > 0 ? cumulative[i - 1] : 0) }
    }

}
