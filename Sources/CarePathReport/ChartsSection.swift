import CarePathMetrics
import CarePathModel
import Foundation

extension ReportBuilder {
    /// Labels of histogram bins: `[0, 1, 4]` → "under 1h", "1h–4h", "4h or more".
    static func binLabels(_ edges: [Double], count: Int) -> [String] {
        (0..<count).map { i in
            let lo = i < edges.count ? edges[i] : (edges.last ?? 0)
            if i + 1 < edges.count {
                let hi = edges[i + 1]
                return lo == 0 ? "under " + Format.duration(hi) : Format.duration(lo) + "\u{2013}" + Format.duration(hi)
            }
            return Format.duration(lo) + " or more"
        }
    }

    func chartsSection() -> HTML {
        var out: HTML = "<p>Charts from the simulated runs. Bars with whiskers show means over replications with 95% intervals; distributions and queues over time come from one replication (the first) of each option.</p>"
        out += loadPart()
        out += delayedTransfersPart()
        out += waitDistributionPart()
        out += queuePart()
        out += gapsByStatePart()
        out += handoffsPart()
        out += timeInPathwayPart()
        return out
    }

    private var chartRoles: [Role] {
        rolesInPathwayOrder().filter { r in options.contains { $0.index.metric("utilisation", r.reference.description) != nil } }
    }

    // MARK: Load and waits

    /// The load table's standing columns after the utilisation split, each linked to its definition.
    private var loadHeaders: HTML {
        let columns = [("Mean queue", "queue_length_mean"), ("Starts a day", "starts_per_day"), ("Wait, mean (h)", "wait_mean_h"),
                       ("Wait, median (h)", "wait_p50_h"), ("Wait, p90 (h)", "wait_p90_h"), ("Wait, p95 (h)", "wait_p95_h"),
                       ("Chasing (h a day)", "chase_hours_per_day"), ("Collecting again (h a day)", "repeat_hours_per_day")]
        return columns.map { label, name -> HTML in "<th scope=\"col\" class=\"num\">\(defined(label, name))</th>" }.joined()
    }

    private func loadPart() -> HTML {
        let roles = chartRoles
        guard !roles.isEmpty else { return "<h3>Load per role</h3><p>No role was measured.</p>" }
        var out: HTML = "<h3>Load and waiting time per role</h3>"
        let waitSeries = options.map { o in
            BarSeries(name: o.label, values: roles.map { o.index.mean("wait_mean_h", $0.reference.description) },
                      errors: roles.map { o.index.metric("wait_mean_h", $0.reference.description)?.halfWidth })
        }
        let waitChart = BarChart(title: "Mean wait for each role",
                                 description: "Horizontal bars: the mean time in hours a patient waits for each role once ready, \(options.count > 1 ? "one bar per option, " : "")with 95% intervals as error bars. The numbers are in the table below.",
                                 categories: roles.map(roleName), series: waitSeries, valueAxis: "mean wait (hours)", categoryAxis: "role",
                                 definition: glossaryAnchor("wait_mean_h"), horizontal: true, digits: 2)
        out += figure(waitChart.svg(ids: ids), caption: "Mean wait per role, with 95% intervals.")
        if !comparison && options.count == 1 {
            let o = options[0]
            let utilisation = BarChart(title: "Utilisation of each role",
                                       description: "Horizontal bars: the share of each role's capacity in use, in percent, with 95% intervals.",
                                       categories: roles.map(roleName),
                                       series: [BarSeries(name: o.label, values: roles.map { o.index.mean("utilisation", $0.reference.description).map { $0 * 100 } },
                                                          errors: roles.map { o.index.metric("utilisation", $0.reference.description)?.halfWidth.map { $0 * 100 } })],
                                       valueAxis: "utilisation (%)", categoryAxis: "role", definition: glossaryAnchor("utilisation"), horizontal: true, digits: 1, upperBound: 100)
            out += figure(utilisation.svg(ids: ids), caption: "Load: utilisation of each role, with 95% intervals.")
        }

        // Utilisation's parts and the rota's overflows, only where some role has them.
        let split = shownColumns(Self.splitColumns, roles: roles), extra = shownColumns(Self.extraColumns, roles: roles)
        var rows: [HTML] = []
        for role in roles {
            for o in options {
                let s = role.reference.description
                let capacity = o.settings.capacities[role.reference] ?? role.capacity
                let optionCell: HTML = options.count > 1 ? "<td>\(o.label)</td>" : .empty
                let splitCells = split.map { estimateCell(o.index.metric($0.name, s), scale: $0.scale, digits: $0.digits) }
                let extraCells = extra.map { estimateCell(o.index.metric($0.name, s), scale: $0.scale, digits: $0.digits) }
                let unstable: HTML = isUnstable(s, o) ? " <span class=\"unstable\" title=\"An overloaded queue, or one still growing at the end of the run (see the warnings at the top): its queue and waits grow with the run's length.\">(unstable queue)</span>" : .empty
                rows.append("""
                <tr><th scope="row">\(roleName(role))\(unstable)<span class="ci">\(organisationName(role.organisation))</span></th>\(optionCell)<td class="num" data-sort="\(capacity)">\(capacity)</td>\(estimateCell(o.index.metric("utilisation", s), scale: 100, digits: 1))\(splitCells)\(estimateCell(o.index.metric("queue_length_mean", s), digits: 2))\(estimateCell(o.index.metric("starts_per_day", s), digits: 1))\(estimateCell(o.index.metric("wait_mean_h", s), digits: 1))\(estimateCell(o.index.metric("wait_p50_h", s), digits: 1))\(estimateCell(o.index.metric("wait_p90_h", s), digits: 1))\(estimateCell(o.index.metric("wait_p95_h", s), digits: 1))\(estimateCell(o.index.metric("chase_hours_per_day", s), digits: 1))\(estimateCell(o.index.metric("repeat_hours_per_day", s), digits: 1))\(extraCells)</tr>
                """)
            }
        }
        let optionHead: HTML = options.count > 1 ? "<th scope=\"col\">Option</th>" : .empty
        let head: [HTML] = ["<th scope=\"col\">Role</th>\(optionHead)<th scope=\"col\" class=\"num input\" title=\"The scenario's capacity: an input, not a figure of the run.\">Capacity</th><th scope=\"col\" class=\"num\" title=\"\(Self.utilisationDefinition)\">\(defined("Utilisation (%)", "utilisation"))</th>\(split.map(columnHeader))\(loadHeaders)\(extra.map(columnHeader))"]
        out += table(caption: "Load per role: means with 95% intervals", sortable: true, head: head, rows: rows)
        out += columnNotes(split + extra)
        return out
    }

    private func waitDistributionPart() -> HTML {
        var out: HTML = "<h3>Waiting-time distributions per role</h3>"
        var charts: [HTML] = []
        for role in chartRoles {
            let s = role.reference.description
            let shares = options.map { $0.variant.series.waitShares[s] ?? [] }
            guard shares.contains(where: { $0.contains { $0 > 0 } }) else { continue }
            let count = shares.map(\.count).max() ?? 0
            let edges = options.first?.variant.series.waitBinEdges ?? []
            let labels = Self.binLabels(edges, count: count)
            let series = options.enumerated().map { i, o in
                BarSeries(name: o.label, values: (0..<count).map { k in k < shares[i].count ? shares[i][k] * 100 : nil })
            }
            let chart = BarChart(title: "Waits for " + roleName(role),
                                 description: "Bars: the percentage of services of \(roleName(role)) (\(organisationName(role.organisation))) that started after a wait in each band, from one replication\(options.count > 1 ? ", one bar per option" : "").",
                                 categories: labels, series: series, valueAxis: "% of waits", categoryAxis: "wait before service starts", definition: glossaryAnchor("wait_p50_h"), digits: 1)
            charts.append(figure(chart.svg(ids: ids), caption: "Waiting times for \(roleName(role)) (\(organisationName(role.organisation))), one replication."))
        }
        if charts.isEmpty { return out + "<p>No role served anyone after the warm-up, so there are no waits to show.</p>" }
        out += "<div class=\"charts-grid\">\(charts)</div>"
        return out
    }

    // MARK: Queues over time

    private func queuePart() -> HTML {
        var out: HTML = "<h3>Queue length over time (one replication)</h3>"
        out += "<p>The time-average number of patients waiting for each role, in bins, over one replication (the first) of each option, from the end of the warm-up; the roles with the longest queues are drawn (at most seven).</p>"
        var charts: [HTML] = []
        for o in options {
            let series = o.variant.series
            var candidates: [(Role, Double)] = []
            for role in chartRoles {
                let values = series.queueLength[role.reference.description] ?? []
                guard values.contains(where: { $0 > 0 }) else { continue }
                candidates.append((role, o.index.mean("queue_length_mean", role.reference.description) ?? values.reduce(0, +) / Double(values.count)))
            }
            guard !candidates.isEmpty else { continue }
            // Largest mean queues first, ties in pathway order; then drawn in pathway order.
            let ranked = candidates.enumerated().sorted { a, b in a.element.1 != b.element.1 ? a.element.1 > b.element.1 : a.offset < b.offset }
            let kept = Set(ranked.prefix(7).map(\.offset))
            let drawn = candidates.enumerated().filter { kept.contains($0.offset) }.map(\.element.0)
            let lines = drawn.map { role -> LineSeries in
                let values = series.queueLength[role.reference.description] ?? []
                let points = values.enumerated().map { k, v in (x: (series.queueStartHour + (Double(k) + 0.5) * series.queueBinHours) / 24, y: v) }
                return LineSeries(name: roleName(role), points: points)
            }
            let omitted = candidates.count - drawn.count
            let chart = LineChart(title: "Queue length over time: " + o.label + " (one replication)",
                                  description: "Lines: the time-average number of patients waiting for each role, per bin of \(Format.duration(series.queueBinHours)), over one replication of the option \(o.label)\(omitted > 0 ? "; \(omitted) roles with shorter queues are not drawn" : "").",
                                  series: lines, xAxis: "days since the start of the run", yAxis: "patients waiting", definition: glossaryAnchor("queue_length_mean"))
            charts.append(figure(chart.svg(ids: ids), caption: "Queue length over time, option \(o.label): one replication, bins of \(Format.duration(series.queueBinHours))\(omitted > 0 ? "; \(omitted) roles with shorter queues omitted" : "")."))
        }
        if charts.isEmpty { return out + "<p>No queue formed in the replication shown.</p>" }
        return out + "<div class=\"charts-grid\">\(charts)</div>"
    }

    /// A role whose queue a warning of its run calls unstable (overloaded, or still growing) in an option.
    func isUnstable(_ role: String, _ o: Option) -> Bool {
        (inputs[o.inputIndex].summary.warnings ?? []).contains { w in
            (w.kind == .overload || w.kind == .queueGrowing) && w.subject == role && (w.variant == nil || w.variant == o.variant.name)
        }
    }

    // MARK: Gaps by state

    private func gapsByStatePart() -> HTML {
        let out: HTML = "<h3>Data gaps by kind at each state</h3>"
        let states = checkedStates()
        guard !states.isEmpty else {
            // Nobody measured proves nothing about the pathway's needs.
            if options.allSatisfy({ ($0.index.mean("patients") ?? 0) == 0 }) {
                return out + "<p>No patient was measured (every patient arrived during the warm-up), so there are no gaps to show.</p>"
            }
            return out + "<p>No state in this pathway needs information, so there are no gaps to show.</p>"
        }
        var charts: [HTML] = []
        for o in options {
            let series = Self.gapKindLabels.map { kind, _ in
                BarSeries(name: kind.name,
                          values: states.map { o.index.mean("state_\(kind.name)_per_100_patients", $0.id) },
                          errors: states.map { o.index.metric("state_\(kind.name)_per_100_patients", $0.id)?.halfWidth })
            }
            let chart = BarChart(title: "Gaps at each state by kind: " + o.label,
                                 description: "Horizontal grouped bars: for each state that needs information, the number of data gaps per 100 patients of each kind (late, missing, blocked, unavailable, stale), for the option \(o.label), with 95% intervals.",
                                 categories: states.map { stateName($0.id) }, series: series,
                                 valueAxis: "gaps per 100 patients", categoryAxis: "state", definition: glossaryAnchor("state_late_per_100_patients"), horizontal: true, digits: 1)
            charts.append(figure(chart.svg(ids: ids), caption: "Data gaps per 100 patients by kind at each state, option \(o.label), with 95% intervals."))
        }
        return out + "<div class=\"charts-grid\">\(charts)</div>"
    }

    // MARK: Distributions of handoffs and time

    private func handoffsPart() -> HTML {
        var out: HTML = "<h3>Cross-organisation handoffs per patient</h3>"
        let shares = options.map(\.variant.series.crossHandoffShares)
        var count = 0
        for s in shares { if let last = s.lastIndex(where: { $0 > 0 }) { count = max(count, last + 1) } }
        guard count > 0 else { return out + "<p>No patient was counted.</p>" }
        let series = options.enumerated().map { i, o in
            BarSeries(name: o.label, values: (0..<count).map { k in k < shares[i].count ? shares[i][k] * 100 : 0 })
        }
        let chart = BarChart(title: "Handoffs between organisations per patient",
                             description: "Bars: the percentage of patients with 0, 1, 2 or more cross-organisation handoffs, from one replication\(options.count > 1 ? ", one bar per option" : "").",
                             categories: (0..<count).map(String.init), series: series, valueAxis: "% of patients",
                             categoryAxis: "cross-organisation handoffs", definition: glossaryAnchor("handoffs_cross_per_patient"), digits: 1)
        out += figure(chart.svg(ids: ids), caption: "How many times patients were handed between organisations (one replication).")
        return out
    }

    private func timeInPathwayPart() -> HTML {
        var out: HTML = "<h3>Time in pathway</h3>"
        let shares = options.map(\.variant.series.timeInPathwayShares)
        let count = shares.map(\.count).max() ?? 0
        guard count > 0, shares.contains(where: { $0.contains { $0 > 0 } }) else { return out + "<p>No patient was counted.</p>" }
        let labels = Self.binLabels(options[0].variant.series.timeBinEdges, count: count)
        let series = options.enumerated().map { i, o in
            BarSeries(name: o.label, values: (0..<count).map { k in k < shares[i].count ? shares[i][k] * 100 : 0 })
        }
        let chart = BarChart(title: "Time from arrival to the end of the pathway",
                             description: "Bars: the percentage of patients whose time in the pathway fell in each band, from one replication\(options.count > 1 ? ", one bar per option" : "").",
                             categories: labels, series: series, valueAxis: "% of patients", categoryAxis: "time in pathway", definition: glossaryAnchor("time_in_pathway_p50_h"), digits: 1)
        out += figure(chart.svg(ids: ids), caption: "Distribution of time in pathway (one replication).")
        return out
    }
}
