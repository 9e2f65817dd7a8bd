import CarePathMetrics
import CarePathModel

extension ReportBuilder {
    // MARK: Equity

    /// Every patient-level figure by each breakdown of the scenario: per breakdown, a table per
    /// option, two charts and the waits by group.
    func equitySection() -> HTML {
        let breakdowns = inputs[0].scenario.breakdowns
        guard !breakdowns.isEmpty else {
            return "<p class=\"warning\"><b>This scenario has no breakdown attribute, so there is no equity breakdown.</b> Add a line such as <code>breakdown: deprivation</code> (any cohort attribute; number attributes can be cut into bands; several as <code>[deprivation, lives_alone]</code>) to the scenario file to see every figure by cohort group.</p>"
        }
        var all: [String] = []
        for o in options { for g in o.index.groups where !all.contains(g) { all.append(g) } }
        let several = breakdowns.count > 1
        let named = breakdowns.map { b -> HTML in
            let cuts = b.cuts.isEmpty ? "" : " (cut at " + b.cuts.map(Format.compact).joined(separator: ", ") + ")"
            return "<code>\(b.attribute)</code>\(cuts)"
        }
        var out: HTML = "<p>Every patient-level figure by \(named.joined(separator: " and, separately, by ")), so that the effect of a design on different groups is visible. Means over replications with 95% intervals.</p>"
        for breakdown in breakdowns {
            if several { out += "<h3>By \(breakdown.attribute)</h3>" }
            out += equity(by: breakdown, groups: breakdown.groups(among: all, of: breakdowns), several: several)
        }
        return out
    }

    /// The breakdowns in words for the scenario's facts: `by deprivation; by age, cut at 85`.
    func breakdownFact(_ breakdowns: [Breakdown]) -> HTML {
        guard !breakdowns.isEmpty else { return "none" }
        return breakdowns.map { b -> HTML in
            let cuts = b.cuts.isEmpty ? "" : ", cut at " + b.cuts.map(Format.compact).joined(separator: ", ")
            return "by <code>\(b.attribute)</code>\(cuts)"
        }.joined(separator: "; ")
    }

    private func equity(by breakdown: Breakdown, groups: [String], several: Bool) -> HTML {
        let attribute = breakdown.attribute
        guard !groups.isEmpty else {
            return "<p class=\"warning\">No group of <code>\(attribute)</code> had any patient counted, so there are no figures by group.</p>"
        }
        let figures: [Figure] = [
            Figure(label: "Share of patients (%)", name: "group_patient_share", scale: 100, digits: 1),
            Figure(label: "Time in pathway, mean (days)", name: "time_in_pathway_mean_h", scale: 1.0 / 24),
            Figure(label: "Cross-organisation handoffs per patient", name: "handoffs_cross_per_patient"),
            Figure(label: "Waiting between steps per patient (days)", name: "delayed_transfer_mean_h", scale: 1.0 / 24),
            Figure(label: "Data gaps per patient", name: "gaps_per_patient", digits: 3),
        ] + GapKind.gaps.map { Figure(label: $0.name.prefix(1).uppercased() + $0.name.dropFirst() + " per patient", name: "gaps_\($0.name)_per_patient", digits: 3) }
        var out: HTML = .empty
        let optionHeading = several ? "h4" : "h3"
        for o in options {
            if options.count > 1 { out += "<\(optionHeading)>Option \(o.label)</\(optionHeading)>" }
            let rows = groups.map { g -> HTML in
                let cells = figures.map { f in estimateCell(o.index.metric(f.name, f.subject, group: g), scale: f.scale, digits: f.digits) }
                return "<tr><th scope=\"row\">\(g)</th>\(cells)</tr>"
            }
            let head: [HTML] = ["<th scope=\"col\">Group</th>"] + figures.map { "<th scope=\"col\" class=\"num\">\(defined($0.label, $0.name))</th>" }
            out += table(caption: "By \(attribute): \(o.label)", sortable: true, head: head, rows: rows)
        }
        var charts: [HTML] = []
        for (title, name, scale, unit, digits) in [("Data gaps per patient by group", "gaps_per_patient", 1.0, "gaps per patient", 3),
                                                  ("Time in pathway by group", "time_in_pathway_mean_h", 1.0 / 24, "days", 2)] {
            let series = options.map { o in
                BarSeries(name: o.label, values: groups.map { o.index.metric(name, group: $0).map { $0.mean * scale } },
                          errors: groups.map { o.index.metric(name, group: $0)?.halfWidth.map { $0 * scale } })
            }
            let chart = BarChart(title: title + (several ? " (\(attribute))" : ""),
                                 description: "Bars: the mean \(unit) for each group of \(attribute)\(options.count > 1 ? ", one bar per option" : ""), with 95% intervals as error bars.",
                                 categories: groups, series: series, valueAxis: unit, categoryAxis: attribute, definition: glossaryAnchor(name), digits: digits)
            charts.append(figure(chart.svg(ids: ids), caption: title + " (\(attribute)), with 95% intervals."))
        }
        out += "<div class=\"charts-grid\">\(charts)</div>"
        out += waitsByGroup(groups: groups, breakdown: attribute, heading: several ? "Waits by \(attribute)" : "Waits by group", level: several ? 4 : 3)
        return out
    }
}
