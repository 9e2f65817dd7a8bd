import CarePathMetrics
import CarePathModel
import Foundation

/// A summary metric shown as a row: label, metric key, scale and decimals.
struct Figure {
    var label: String
    var name: String
    var subject: String = ""
    var scale: Double = 1
    var digits: Int = 2
    var suffix: String = ""
    /// A one-line definition shown under the label.
    var note: String? = nil
}

extension ReportBuilder {
    static let gapKindLabels: [(GapKind, String)] = [
        (.late, "late (recorded, not yet readable here)"),
        (.missing, "missing (never recorded or never sent)"),
        (.blocked, "blocked (access rule or consent)"),
        (.unavailable, "unavailable (system down)"),
        (.stale, "stale (an older version)"),
    ]

    var headlineGroups: [(String, [Figure])] {
        [
            ("Patients and time", [
                Figure(label: "Patients counted (per replication)", name: "patients", digits: 0),
                Figure(label: "Time in pathway, mean (days)", name: "time_in_pathway_mean_h", scale: 1.0 / 24),
                Figure(label: "Time in pathway, median (days)", name: "time_in_pathway_p50_h", scale: 1.0 / 24),
                Figure(label: "Time in pathway, 90th percentile (days)", name: "time_in_pathway_p90_h", scale: 1.0 / 24),
                Figure(label: "Time in pathway, 95th percentile (days)", name: "time_in_pathway_p95_h", scale: 1.0 / 24),
                Figure(label: "Waiting between steps per patient: transfers and queues (days)", name: "delayed_transfer_mean_h", scale: 1.0 / 24),
            ] + (pathwayHolds ? [bedDaysFigure] : [])),
            ("Handoffs", [
                Figure(label: "Cross-organisation handoffs per patient", name: "handoffs_cross_per_patient"),
                Figure(label: "Internal handoffs per patient", name: "handoffs_internal_per_patient"),
                Figure(label: "Handoff delay, mean (hours): transfer and queue", name: "handoff_delay_mean_h", digits: 1),
                Figure(label: "Lost referrals per 100 patients", name: "lost_handoffs_per_100_patients"),
            ]),
            ("Data gaps at the point of care", [
                Figure(label: "Data gaps per patient, all kinds", name: "gaps_per_patient", digits: 3),
            ] + Self.gapKindLabels.map { kind, label in
                Figure(label: "\u{2003}" + label, name: "gaps_\(kind.name)_per_patient", digits: 3)
            } + [
                Figure(label: "Gap rate: share of needed items not available (%)", name: "gap_rate", scale: 100, digits: 1),
                Figure(label: "Carried on despite a gap (risks) per patient", name: "risks_per_patient", digits: 3),
                Figure(label: "Chases per patient", name: "chases_per_patient", digits: 3),
                Figure(label: "Duplicate collections per patient (\u{201C}tell your story again\u{201D})", name: "duplicates_per_patient", digits: 3),
                Figure(label: "Data overload: items shown but not needed, per needed item", name: "overload_per_needed_item"),
            ]),
        ]
    }

    // MARK: Headline

    func headlineSection() -> HTML {
        let cols = options.count + 1
        var rows: [HTML] = []
        for (group, figures) in headlineGroups {
            rows.append("<tr><th scope=\"rowgroup\" colspan=\"\(cols)\" class=\"group-head\">\(group)</th></tr>")
            for f in figures {
                let cells = options.map { o -> HTML in
                    // With nobody measured, a per-patient figure of 0 would be read as a finding.
                    guard f.name == "patients" || (o.index.mean("patients") ?? 1) > 0 else { return "<td class=\"num\">no patients measured</td>" }
                    return estimateCell(o.index.metric(f.name, f.subject), scale: f.scale, digits: f.digits)
                }
                let note: HTML = f.note.map { "<span class=\"ci\">\($0)</span>" } ?? .empty
                rows.append("<tr><th scope=\"row\">\(defined(f.label, f.name))\(note)</th>\(cells)</tr>")
            }
        }
        rows.append("<tr><th scope=\"rowgroup\" colspan=\"\(cols)\" class=\"group-head\">Load</th></tr>")
        let loads = options.map(load)
        rows.append("<tr><th scope=\"row\">\(defined("Mean utilisation of the roles (%)", "roles_utilisation_mean"))</th>\(loads.map { numberCell($0.mean.map { $0 * 100 }, digits: 1) })</tr>")
        rows.append("<tr><th scope=\"row\">\(defined("Most loaded role: utilisation (%)", "roles_utilisation_max"))</th>\(loads.map { l -> HTML in maxLoadCell(l) })</tr>")
        rows.append("<tr><th scope=\"rowgroup\" colspan=\"\(cols)\" class=\"group-head\">Outcomes: share of patients (%)</th></tr>")
        for state in statesInPathwayOrder() where state.isTerminal {
            let cells = options.map { estimateCell($0.index.metric("outcome_share", state.id), scale: 100, digits: 1) }
            rows.append("<tr><th scope=\"row\">\(defined(stateName(state.id), "outcome_share"))</th>\(cells)</tr>")
        }
        let head: [HTML] = ["<th scope=\"col\">Figure</th>"] + options.map { optionHeader($0) }
        var out: HTML = """
        <p>Means over \(replicationText) with their 95% confidence intervals in brackets (Student t). Gaps are counted at the start of every state, for each item the state needs.</p>
        """
        out += table(head: head, rows: rows, extraClass: "headline")
        return out
    }

    var bedDaysFigure: Figure {
        Figure(label: "Delayed-transfer bed-days per month", name: "blocked_bed_days_per_month", digits: 1,
               note: Self.bedDaysDefinition.prefix(1).uppercased() + Self.bedDaysDefinition.dropFirst())
    }

    var replicationText: String {
        var counts: [Int] = []
        for input in inputs where !counts.contains(input.summary.replications) { counts.append(input.summary.replications) }
        return counts.map(String.init).joined(separator: " or ") + " replications"
    }

    func maxLoadCell(_ l: (mean: Double?, max: Double?, role: Role?), extraClass: String = "", marker: HTML = .empty) -> HTML {
        guard let m = l.max, let role = l.role else { return "<td class=\"num\">n/a</td>" }
        let cls = "num" + (extraClass.isEmpty ? "" : " " + extraClass)
        return "<td class=\"\(cls)\" data-sort=\"\(Format.plain(m * 100))\">\(Format.number(m * 100, 1))\(marker)<span class=\"ci\">\(roleName(role)) (\(role.organisation))</span></td>"
    }

    // MARK: Trade-offs

    /// One row of the trade-off table: per option a value to compare (lower is better) and its cell.
    struct TradeRow {
        var label: String
        var values: [Double?]
        /// The simulated figure the row shows, whose pairs decide whether the lowest is clearly
        /// best; nil for a row the run does not sample (interfaces), or one it has no pairs for.
        var figure: Figure? = nil
        /// Whether the values come from the simulation (a star then needs a clear difference).
        var sampled = true
        /// The glossary key of a row that shows no single metric (derived by the report).
        var term: String? = nil
        var cell: (Int, _ best: Bool) -> HTML
    }

    func tradeRows() -> [(String, [TradeRow])] {
        func metricRow(_ f: Figure) -> TradeRow {
            let metrics = options.map { $0.index.metric(f.name, f.subject) }
            return TradeRow(label: f.label, values: metrics.map { $0.map { $0.mean * f.scale } }, figure: f) { i, best in
                self.estimateCell(metrics[i], scale: f.scale, digits: f.digits, extraClass: best ? "best" : "", marker: best ? self.bestMark : .empty)
            }
        }
        var groups: [(String, [TradeRow])] = []
        var gaps = [metricRow(Figure(label: "Data gaps per patient, all kinds", name: "gaps_per_patient", digits: 3))]
        for (kind, label) in Self.gapKindLabels {
            gaps.append(metricRow(Figure(label: "\u{2003}" + label, name: "gaps_\(kind.name)_per_patient", digits: 3)))
        }
        groups.append(("Data gaps per patient", gaps))
        let states = checkedStates()
        if !states.isEmpty {
            groups.append(("Gaps at each state: share of needed items not available (%)", states.map {
                metricRow(Figure(label: stateName($0.id), name: "state_gap_rate", subject: $0.id, scale: 100, digits: 1))
            }))
        }
        groups.append(("Time", [
            metricRow(Figure(label: "Handoff delay, mean (hours)", name: "handoff_delay_mean_h", digits: 1)),
            metricRow(Figure(label: "Time in pathway, mean (days)", name: "time_in_pathway_mean_h", scale: 1.0 / 24)),
            metricRow(Figure(label: "Waiting between steps per patient (days)", name: "delayed_transfer_mean_h", scale: 1.0 / 24)),
        ] + (hasBedDays ? [metricRow(bedDaysFigure)] : [])))
        let loads = options.map(load)
        let chase = options.map(chaseHours)
        groups.append(("Load and effort", [
            TradeRow(label: "Mean utilisation of the roles (%)", values: loads.map { $0.mean.map { $0 * 100 } }, term: "roles_utilisation_mean") { i, best in
                self.numberCell(loads[i].mean.map { $0 * 100 }, digits: 1, extraClass: best ? "best" : "", marker: best ? self.bestMark : .empty)
            },
            TradeRow(label: "Most loaded role: utilisation (%)", values: loads.map { $0.max.map { $0 * 100 } }, term: "roles_utilisation_max") { i, best in
                self.maxLoadCell(loads[i], extraClass: best ? "best" : "", marker: best ? self.bestMark : .empty)
            },
            metricRow(Figure(label: "Chases per patient", name: "chases_per_patient", digits: 3)),
            TradeRow(label: "Staff time spent chasing (hours a day, all roles)", values: chase, term: "roles_chase_hours_per_day") { i, best in
                self.numberCell(chase[i], digits: 1, extraClass: best ? "best" : "", marker: best ? self.bestMark : .empty)
            },
            metricRow(Figure(label: "Duplicate collections per patient", name: "duplicates_per_patient", digits: 3)),
        ]))
        let interfaces = options.map(interfaces)
        let dependence = options.map(singleServiceDependence)
        groups.append(("Architecture", [
            TradeRow(label: "Interfaces needed", values: interfaces.map { Double($0.count) }, sampled: false, term: "interfaces_needed") { i, best in
                let cls: HTML = best ? " best" : ""
                return "<td class=\"num\(cls)\" data-sort=\"\(interfaces[i].count)\">\(interfaces[i].count)\(best ? self.bestMark : .empty)<span class=\"ci\">\(interfaces[i].rule)</span></td>"
            },
            TradeRow(label: "Depends on a single service", values: dependence.map { $0 == nil ? 0 : 1 }, sampled: false, term: "single_service") { i, best in
                let cls: HTML = best ? " class=\"best\"" : ""
                return "<td\(cls)>\(dependence[i] ?? "no: no central service")\(best ? self.bestMark : .empty)</td>"
            },
        ]))
        return groups
    }

    var bestMark: HTML { " <span class=\"best-mark\" title=\"best option on this row\">\u{2605}</span>" }

    /// Which options are best on a row: the lowest value, unless every option has the same.
    static func best(_ values: [Double?]) -> [Bool] {
        let known = values.compactMap { $0 }.filter(\.isFinite)
        guard known.count > 1, let lo = known.min(), let hi = known.max() else { return values.map { _ in false } }
        let tolerance = max(abs(hi), abs(lo)) * 1e-9
        guard hi - lo > tolerance else { return values.map { _ in false } }
        return values.map { v in v.map { $0.isFinite && $0 - lo <= tolerance } ?? false }
    }

    /// The lowest option of a row, when the run shows it is clearly lowest.
    func clearlyBest(_ row: TradeRow) -> [Bool] {
        let lowest = Self.best(row.values)
        guard row.sampled else { return lowest }
        guard let f = row.figure, inputs.count == 1 else { return lowest.map { _ in false } }
        let summary = inputs[0].summary
        return options.indices.map { i in
            lowest[i] && options.indices.allSatisfy { j in
                j == i || (summary.paired(f.name, subject: f.subject, options[i].variant.name, minus: options[j].variant.name)
                    .map { $0.isClear && $0.mean < 0 } ?? false)
            }
        }
    }

    func comparisonSection() -> HTML {
        let cols = options.count + 1
        var out: HTML = """
        <p>Every option side by side on \(replicationText). Lower is better on every row. An option is shaded and marked \u{2605} only where it is clearly best: lowest, and lower than every other option with a paired 95% interval that excludes zero (options run on the same patients); a row without such pairs has no star, except for the architecture's own counts, which are not sampled.</p>
        """
        var rows: [HTML] = []
        for (group, trade) in tradeRows() {
            rows.append("<tr><th scope=\"rowgroup\" colspan=\"\(cols)\" class=\"group-head\">\(group)</th></tr>")
            for row in trade {
                let best = clearlyBest(row)
                rows.append("<tr><th scope=\"row\">\(defined(row.label, row.figure?.name ?? row.term ?? ""))</th>\(options.indices.map { row.cell($0, best[$0]) })</tr>")
            }
        }
        let head: [HTML] = ["<th scope=\"col\">Criterion</th>"] + options.map { optionHeader($0) }
        out += "<h3>Trade-off table</h3>"
        out += table(head: head, rows: rows, extraClass: "tradeoff")
        out += "<p class=\"note\">Interfaces: point-to-point needs one interface per pair of organisations that exchange patients (grows as n(n\u{2212}1)/2); a shared record or a federated viewer needs one per connected organisation; paper needs none. A shared record or a regional viewer is a single service that everyone depends on.</p>"
        out += differencesTable()
        out += comparisonCharts()
        return out
    }

    /// Rows of the paired-difference table.
    func differenceFigures() -> [Figure] {
        var figures = [Figure(label: "Data gaps per patient, all kinds", name: "gaps_per_patient", digits: 3)]
        for (kind, label) in Self.gapKindLabels {
            figures.append(Figure(label: "\u{2003}" + label, name: "gaps_\(kind.name)_per_patient", digits: 3))
        }
        for s in checkedStates() {
            figures.append(Figure(label: "Gap rate at " + stateName(s.id) + " (% points)", name: "state_gap_rate", subject: s.id, scale: 100, digits: 1))
        }
        figures += [
            Figure(label: "Handoff delay, mean (hours)", name: "handoff_delay_mean_h", digits: 1),
            Figure(label: "Time in pathway, mean (days)", name: "time_in_pathway_mean_h", scale: 1.0 / 24),
            Figure(label: "Waiting between steps per patient (days)", name: "delayed_transfer_mean_h", scale: 1.0 / 24),
        ]
        if hasBedDays { figures.append(bedDaysFigure) }
        figures += [
            Figure(label: "Chases per patient", name: "chases_per_patient", digits: 3),
            Figure(label: "Duplicate collections per patient", name: "duplicates_per_patient", digits: 3),
        ]
        for role in rolesInPathwayOrder() {
            figures.append(Figure(label: "Utilisation of " + roleName(role) + " (" + role.organisation + ", % points)", name: "utilisation",
                                  subject: role.reference.description, scale: 100, digits: 1))
        }
        return figures
    }

    private func differencesTable() -> HTML {
        let compared = options.filter { $0.baselineLabel != nil && $0.index.hasDifferences }
        guard !compared.isEmpty else {
            return "<h3>Paired differences</h3><p>No paired differences: each scenario here has a single option, so nothing was run on the same patients.</p>"
        }
        var rows: [HTML] = []
        for f in differenceFigures() {
            let cells = compared.map { o -> HTML in
                guard let d = o.index.difference(f.name, f.subject) else { return "<td class=\"num\">n/a</td>" }
                var cls = "", marker: HTML = .empty
                if let h = d.halfWidth, h.isFinite, abs(d.mean) > h, d.mean != 0 {
                    cls = d.mean < 0 ? "better" : "worse"
                    marker = d.mean < 0 ? " <span title=\"clearly lower\">\u{25BC}</span>" : " <span title=\"clearly higher\">\u{25B2}</span>"
                }
                return differenceCell(d, scale: f.scale, digits: f.digits, extraClass: cls, marker: marker)
            }
            rows.append("<tr><th scope=\"row\">\(defined(f.label, f.name))</th>\(cells)</tr>")
        }
        let head: [HTML] = ["<th scope=\"col\">Figure</th>"] + compared.map { o -> HTML in
            "<th scope=\"col\" class=\"num\">\(o.label)<span class=\"ci\">minus \(o.baselineLabel ?? "")</span></th>"
        }
        var out: HTML = "<h3>Paired differences from the first option</h3>"
        out += "<p>Each option minus its scenario's first option, replication by replication on the same patients (common random numbers), with 95% intervals. \u{25BC} on a blue background: clearly lower (the interval excludes zero); \u{25B2} on an orange background: clearly higher. Lower is better on every row.</p>"
        if comparison && inputs.count > 1 {
            out += "<p class=\"note\">Options of different scenarios were not run on the same patients, so they are not paired: compare them with the intervals of the trade-off table.</p>"
        }
        out += table(sortable: false, head: head, rows: rows, extraClass: "differences")
        return out
    }

    func differenceCell(_ d: SummaryMetric, scale: Double, digits: Int, extraClass: String, marker: HTML) -> HTML {
        let cls = "num" + (extraClass.isEmpty ? "" : " " + extraClass)
        var inner: HTML = "\(Format.signed(d.mean * scale, digits))\(marker)"
        if let h = d.halfWidth, h.isFinite {
            inner += "<span class=\"ci\">(\(Format.signed((d.mean - h) * scale, digits)) to \(Format.signed((d.mean + h) * scale, digits)))</span>"
        }
        return "<td class=\"\(cls)\" data-sort=\"\(Format.plain(d.mean * scale))\">\(inner)</td>"
    }

    private func comparisonCharts() -> HTML {
        var out: HTML = "<h3>Charts of the trade-offs</h3><div class=\"charts-grid\">"
        let labels = options.map(\.label)
        // Gaps per patient by kind, per option.
        let kinds = Self.gapKindLabels.map(\.0)
        let gapSeries = kinds.map { kind in
            BarSeries(name: kind.name,
                      values: options.map { $0.index.mean("gaps_\(kind.name)_per_patient") },
                      errors: options.map { $0.index.metric("gaps_\(kind.name)_per_patient")?.halfWidth })
        }
        let gapsChart = BarChart(title: "Data gaps per patient by kind",
                                 description: "Grouped bars: for each option, the mean number of data gaps per patient of each kind (late, missing, blocked, unavailable, stale), with 95% intervals as error bars. The numbers are in the trade-off table.",
                                 categories: labels, series: gapSeries, valueAxis: "gaps per patient", categoryAxis: "option", definition: glossaryAnchor("gaps_late_per_patient"), digits: 3)
        out += figure(gapsChart.svg(ids: ids), caption: "Data gaps per patient by kind and option, with 95% intervals.")

        let states = checkedStates()
        if !states.isEmpty {
            let series = options.map { o in
                BarSeries(name: o.label, values: states.map { s in o.index.mean("state_gap_rate", s.id).map { $0 * 100 } },
                          errors: states.map { s in o.index.metric("state_gap_rate", s.id)?.halfWidth.map { $0 * 100 } })
            }
            let chart = BarChart(title: "Gap rate at each state by option",
                                 description: "Horizontal grouped bars: for each state that needs information, the percentage of needed items not available at its start, one bar per option, with 95% intervals.",
                                 categories: states.map { stateName($0.id) }, series: series,
                                 valueAxis: "% of needed items not available", categoryAxis: "state", definition: glossaryAnchor("state_gap_rate"), horizontal: true, digits: 1,
                                 upperBound: 100)
            out += figure(chart.svg(ids: ids), caption: "Where the gaps are: gap rate at each state, per option, with 95% intervals.")
        }

        let compared = options.filter { $0.baselineLabel != nil && $0.index.difference("gaps_per_patient") != nil }
        if !compared.isEmpty {
            let chart = BarChart(title: "Change in data gaps per patient vs the first option",
                                 description: "Horizontal bars: each option's paired difference in data gaps per patient from its scenario's first option, with 95% intervals; bars left of zero mean fewer gaps.",
                                 categories: compared.map { $0.label + " \u{2212} " + ($0.baselineLabel ?? "") },
                                 series: [BarSeries(name: "difference", values: compared.map { $0.index.difference("gaps_per_patient")?.mean },
                                                    errors: compared.map { $0.index.difference("gaps_per_patient")?.halfWidth })],
                                 valueAxis: "difference in gaps per patient", categoryAxis: "", definition: glossaryAnchor("gaps_per_patient"), horizontal: true, digits: 3,
                                 lowerBound: nil)
            out += figure(chart.svg(ids: ids), caption: "Paired differences in data gaps per patient, with 95% intervals: left of zero is fewer gaps.")
        }

        for (title, name, scale, unit) in [("Handoff delay by option", "handoff_delay_mean_h", 1.0, "hours"),
                                           ("Time in pathway by option", "time_in_pathway_mean_h", 1.0 / 24, "days")] {
            let chart = BarChart(title: title,
                                 description: "Bars: the mean \(title.lowercased()) in \(unit) for each option, with 95% intervals as error bars.",
                                 categories: labels,
                                 series: [BarSeries(name: title, values: options.map { $0.index.mean(name).map { $0 * scale } },
                                                    errors: options.map { $0.index.metric(name)?.halfWidth.map { $0 * scale } })],
                                 valueAxis: unit, categoryAxis: "option", definition: glossaryAnchor(name), digits: 2)
            out += figure(chart.svg(ids: ids), caption: title + ", mean with 95% interval.")
        }

        let roles = rolesInPathwayOrder().filter { r in options.contains { $0.index.metric("utilisation", r.reference.description) != nil } }
        if !roles.isEmpty {
            let series = options.map { o in
                BarSeries(name: o.label, values: roles.map { o.index.mean("utilisation", $0.reference.description).map { $0 * 100 } },
                          errors: roles.map { o.index.metric("utilisation", $0.reference.description)?.halfWidth.map { $0 * 100 } })
            }
            let chart = BarChart(title: "Load: utilisation of each role by option",
                                 description: "Horizontal grouped bars: the utilisation of each role in percent, one bar per option, with 95% intervals.",
                                 categories: roles.map(roleName), series: series, valueAxis: "utilisation (%)", categoryAxis: "role",
                                 definition: glossaryAnchor("utilisation"), horizontal: true, digits: 1, upperBound: 100)
            out += figure(chart.svg(ids: ids), caption: "The cost in load: utilisation of each role per option, with 95% intervals.")
        }
        out += "</div>"
        return out
    }
}
