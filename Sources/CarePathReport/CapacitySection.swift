import CarePathMetrics
import CarePathModel
import Foundation

/// The report's capacity-fidelity parts: the run's warnings, the load columns that split
/// utilisation and count balking and reneging, delayed transfers by role and destination, and
/// waits by cohort group. Definitions follow docs/simulation.md, "Capacity figures".
extension ReportBuilder {
    // MARK: Warnings

    static func warningTitle(_ kind: RunWarning.Kind) -> String {
        switch kind {
        case .overload: "Overloaded role"
        case .warmUp: "Warm-up"
        case .unusedAttribute: "Unused attribute"
        case .queueGrowing: "Queue still growing"
        case .beyondRange: "Percentiles past their range"
        case .noPatients: "No patients measured"
        default: kind.rawValue
        }
    }

    /// A box near the top of the page listing every warning of every run shown, or nothing.
    func warningBox() -> HTML {
        var items: [HTML] = []
        for (i, input) in inputs.enumerated() {
            for w in input.summary.warnings ?? [] {
                let scope: String
                if let v = w.variant {
                    scope = options.first { $0.inputIndex == i && $0.variant.name == v }?.label ?? v
                } else {
                    scope = comparison ? "every option of " + input.scenario.id : "every option"
                }
                items.append("<li><b>\(Self.warningTitle(w.kind))</b> (\(scope)): \(w.message)</li>")
            }
        }
        guard !items.isEmpty else { return .empty }
        return """
        <aside class="warning run-warnings" aria-labelledby="run-warnings-heading">
        <h2 id="run-warnings-heading">Read these figures with care</h2>
        <ul>
        \(items.joined(separator: "\n"))
        </ul>
        <p class="note">Offered load: arrivals \u{00D7} services per patient \u{00D7} mean service time, over the staff the rota opens on average; at 1 or more the work outgrows the open hours. A queue still growing: over the replications, its time-average length in the last quarter of the measurement window clearly exceeds the first quarter\u{2019}s (paired 95% interval above zero, and at least twice it plus one).</p>
        </aside>
        """
    }

    // MARK: Load columns

    /// A column of the load table beyond the standing ones, shown when some role has it.
    struct LoadColumn {
        var header: String
        var definition: String
        var name: String
        var scale: Double
        var digits: Int
    }

    static let utilisationDefinition = "Busy and blocked unit-hours over the unit-hours the rota opens, in the measurement window; above 100% when work runs past the rota."

    static let splitColumns: [LoadColumn] = [
        LoadColumn(header: "Offered load", definition: "Computed before the run: arrivals \u{00D7} services per patient \u{00D7} mean service time, over the staff the rota opens on average. At 1 or more the work outgrows the open hours. Blocked time and time spent on information gaps (chasing, collecting again, reading) come on top: compare it with the busy part of utilisation.",
                   name: "offered_load", scale: 1, digits: 2),
        LoadColumn(header: "Busy (%)", definition: "Unit-hours of work, chasing included, over the open unit-hours.",
                   name: "utilisation_busy", scale: 100, digits: 1),
        LoadColumn(header: "Blocked (%)", definition: "Unit-hours held by patients whose work here is done, waiting for the next setting to accept them, over the open unit-hours.",
                   name: "utilisation_blocked", scale: 100, digits: 1),
        LoadColumn(header: "Chasing (%)", definition: "Unit-hours spent chasing information, over the open unit-hours (part of busy).",
                   name: "utilisation_chasing", scale: 100, digits: 1),
    ]

    static let extraColumns: [LoadColumn] = [
        LoadColumn(header: "Overtime (h a day)", definition: "Unit-hours a day of work beyond the rota\u{2019}s capacity: work in progress finishing after a shift ends or capacity drops.",
                   name: "overtime_hours_per_day", scale: 1, digits: 1),
        LoadColumn(header: "Balked (per 100 patients)", definition: "Patients per 100 who found the queue at its limit and went elsewhere.",
                   name: "balked_per_100_patients", scale: 1, digits: 2),
        LoadColumn(header: "Reneged (per 100 patients)", definition: "Patients per 100 who gave up waiting and went elsewhere.",
                   name: "reneged_per_100_patients", scale: 1, digits: 2),
    ]

    /// The columns some role of some option has a non-zero figure for.
    func shownColumns(_ columns: [LoadColumn], roles: [Role]) -> [LoadColumn] {
        columns.filter { c in
            options.contains { o in roles.contains { (o.index.mean(c.name, $0.reference.description) ?? 0) != 0 } }
        }
    }

    func columnHeader(_ c: LoadColumn) -> HTML {
        "<th scope=\"col\" class=\"num\" title=\"\(c.definition)\">\(defined(c.header, c.name))</th>"
    }

    /// Definitions of the columns shown, under the table: a title attribute is not seen on touch screens or in print.
    func columnNotes(_ columns: [LoadColumn]) -> HTML {
        let first: HTML = "<b>Utilisation</b>: \(Self.utilisationDefinition)"
        let parts = [first] + columns.map { c -> HTML in "<b>\(c.header)</b>: \(c.definition)" }
        return "<p class=\"note\">\(parts.joined(separator: " "))</p>"
    }

    // MARK: Delayed transfers

    /// Subjects of the delayed-transfer figures of a role, `role` first then `role|destination`
    /// in pathway order (destinations not in the pathway last, as they come).
    func delayedTransferSubjects(_ role: Role, _ o: Option) -> [(subject: String, destination: String?)] {
        let prefix = role.reference.description + "|"
        var destinations: [String] = []
        for m in o.variant.metrics where m.group.isEmpty && Self.delayedTransferNames.contains(m.name) && m.subject.hasPrefix(prefix) {
            let d = String(m.subject.dropFirst(prefix.count))
            if !destinations.contains(d) { destinations.append(d) }
        }
        let order = statesInPathwayOrder().map(\.id)
        destinations.sort { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
        var out: [(String, String?)] = []
        if Self.delayedTransferNames.contains(where: { o.index.metric($0, role.reference.description) != nil }) {
            out.append((role.reference.description, nil))
        }
        return out + destinations.map { (prefix + $0, $0) }
    }

    static let delayedTransferNames = ["blocked_bed_days_per_month", "delayed_transfers_per_100_patients",
                                       "ready_to_moved_mean_h", "ready_to_moved_p90_h"]

    /// Per role and destination: bed-days per month, transfers per 100 patients, and the time from
    /// ready to moved; nothing when no option measured any.
    func delayedTransfersPart() -> HTML {
        var rows: [HTML] = []
        for role in rolesInPathwayOrder() {
            for o in options {
                for (subject, destination) in delayedTransferSubjects(role, o) {
                    let optionCell: HTML = options.count > 1 ? "<td>\(o.label)</td>" : .empty
                    let to: HTML = destination.map { "<td>\(stateName($0))</td>" } ?? "<td><i>all destinations</i></td>"
                    rows.append("<tr><th scope=\"row\">\(roleName(role))<span class=\"ci\">\(organisationName(role.organisation))</span></th>\(optionCell)\(to)\(estimateCell(o.index.metric("blocked_bed_days_per_month", subject), digits: 1))\(estimateCell(o.index.metric("delayed_transfers_per_100_patients", subject), digits: 1))\(estimateCell(o.index.metric("ready_to_moved_mean_h", subject), digits: 1))\(estimateCell(o.index.metric("ready_to_moved_p90_h", subject), digits: 1))</tr>")
                }
            }
        }
        guard !rows.isEmpty else { return .empty }
        let optionHead: HTML = options.count > 1 ? "<th scope=\"col\">Option</th>" : .empty
        let head: [HTML] = ["<th scope=\"col\">Role</th>\(optionHead)<th scope=\"col\">Moving on to</th><th scope=\"col\" class=\"num\" title=\"\(Self.bedDaysDefinition)\">\(defined("Bed-days per month", "blocked_bed_days_per_month"))</th><th scope=\"col\" class=\"num\">\(defined("Delayed transfers per 100 patients", "delayed_transfers_per_100_patients"))</th><th scope=\"col\" class=\"num\">\(defined("Ready to moved, mean (h)", "ready_to_moved_mean_h"))</th><th scope=\"col\" class=\"num\">\(defined("Ready to moved, p90 (h)", "ready_to_moved_p90_h"))</th>"]
        var out: HTML = "<h3>Delayed transfers</h3>"
        out += "<p>Patients whose work in a holding state is done keep its unit (a bed) until the next setting accepts them. <b>Bed-days per month</b>: \(Self.bedDaysDefinition) <b>Delayed transfers</b>: patients who waited so, per 100 patients. <b>Ready to moved</b>: hours from the end of the work to the start of the next state, over delayed transfers.</p>"
        out += table(caption: "Delayed transfers by role and destination: means with 95% intervals", sortable: true, head: head, rows: rows)
        return out
    }

    static let bedDaysDefinition = "unit-days held by patients ready to move on, per 30 days of the measurement window."

    /// Whether some state keeps its unit until the patient moves on.
    var pathwayHolds: Bool { inputs.contains { $0.pathway.states.contains { $0.hold != nil } } }

    /// Whether some option measured delayed-transfer bed-days.
    var hasBedDays: Bool { options.contains { $0.index.metric("blocked_bed_days_per_month") != nil } }

    // MARK: Waits by group

    /// Mean and p90 wait per role for each breakdown group of each option; nothing without them.
    func waitsByGroup(groups: [String], breakdown: String, heading: String = "Waits by group", level: Int = 3) -> HTML {
        var out: HTML = .empty
        for o in options {
            var rows: [HTML] = []
            for role in rolesInPathwayOrder() {
                let s = role.reference.description
                for g in groups where o.index.metric("wait_mean_h", s, group: g) != nil || o.index.metric("wait_p90_h", s, group: g) != nil {
                    rows.append("<tr><th scope=\"row\">\(roleName(role))<span class=\"ci\">\(organisationName(role.organisation))</span></th><td>\(g)</td>\(estimateCell(o.index.metric("wait_mean_h", s, group: g), digits: 1))\(estimateCell(o.index.metric("wait_p90_h", s, group: g), digits: 1))\(estimateCell(o.index.metric("wait_mean_h", s), digits: 1))</tr>")
                }
            }
            guard !rows.isEmpty else { continue }
            let head: [HTML] = ["<th scope=\"col\">Role</th><th scope=\"col\">Group</th><th scope=\"col\" class=\"num\">\(defined("Wait, mean (h)", "wait_mean_h"))</th><th scope=\"col\" class=\"num\">\(defined("Wait, p90 (h)", "wait_p90_h"))</th><th scope=\"col\" class=\"num\">\(defined("Everyone: wait, mean (h)", "wait_mean_h"))</th>"]
            out += table(caption: "Waiting for each role by \(breakdown)" + (options.count > 1 ? ": \(o.label)" : ""), sortable: true, head: head, rows: rows)
        }
        guard !out.isEmpty else { return .empty }
        return folded(heading, level: level, "<p>Time from ready to the start of service at each role, for the services started after the warm-up, by group: a group that waits longer for the same role is treated differently by the queue (a priority) or reaches it at busier times.</p>" + out)
    }
}
