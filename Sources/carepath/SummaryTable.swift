import CarePathMetrics
import CarePathModel
import Foundation

/// The readable summary `simulate` prints: headline figures with 95% intervals, gaps by kind, load
/// per role, outcomes; and with variants, each option side by side with its paired difference.
struct SummaryTable {
    let summary: RunSummary
    let scenario: Scenario
    let pathway: Pathway

    static let noPatients = "no patients measured"

    static func number(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    static func estimate(_ m: SummaryMetric?, digits: Int = 2, scale: Double = 1) -> String {
        guard let m else { return "-" }
        // Past the percentile's range: a lower bound, or for a difference no figure at all.
        if m.beyondRange == true { return m.mean.isFinite ? ">= \(number(m.mean * scale, digits))" : "n/a (past range)" }
        let mean = number(m.mean * scale, digits)
        guard let h = m.halfWidth else { return mean }
        return "\(mean) ± \(number(h * scale, digits))"
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: max(widths[i] - c.count, 0)) + c
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n")
    }

    static let headline: [(String, String, Int, Double)] = [
        ("Patients counted", "patients", 0, 1),
        ("Time in pathway, mean (days)", "time_in_pathway_mean_h", 2, 1.0 / 24),
        ("Time in pathway, p90 (days)", "time_in_pathway_p90_h", 2, 1.0 / 24),
        ("Cross-organisation handoffs per patient", "handoffs_cross_per_patient", 2, 1),
        ("Internal handoffs per patient", "handoffs_internal_per_patient", 2, 1),
        ("Handoff delay, mean (hours)", "handoff_delay_mean_h", 1, 1),
        ("Lost referrals per 100 patients", "lost_handoffs_per_100_patients", 2, 1),
        ("Waiting between steps per patient (days)", "delayed_transfer_mean_h", 2, 1.0 / 24),
        ("Data gaps per patient", "gaps_per_patient", 3, 1),
        ("  late", "gaps_late_per_patient", 3, 1),
        ("  missing", "gaps_missing_per_patient", 3, 1),
        ("  blocked", "gaps_blocked_per_patient", 3, 1),
        ("  unavailable", "gaps_unavailable_per_patient", 3, 1),
        ("  stale", "gaps_stale_per_patient", 3, 1),
        ("Gap rate (share of item checks)", "gap_rate", 3, 1),
        ("Proceeded with a gap (risk) per patient", "risks_per_patient", 3, 1),
        ("Chases per patient", "chases_per_patient", 3, 1),
        ("Duplicate collections per patient", "duplicates_per_patient", 3, 1),
        ("Data overload (unneeded items per needed)", "overload_per_needed_item", 2, 1),
    ]

    var text: String {
        var out: [String] = []
        let variants = summary.variants
        out.append("Scenario \(summary.scenario): \(summary.title)")
        if let q = scenario.question { out.append("Question: \(q)") }
        out.append("Pathway \(pathway.id) · \(summary.replications) replication(s) per variant · seed \(summary.seed) · mean ± 95% interval (Student t)")
        for variant in variants {
            guard let overrides = variant.overrides, !overrides.isEmpty else { continue }
            out.append("Levers of \(variant.name): " + overrides.keys.sorted().map { "\($0) = \(overrides[$0] ?? "")" }.joined(separator: "; "))
        }
        out.append("")
        let warnings = Self.warningLines(summary.warnings ?? [])
        if !warnings.isEmpty { out += warnings + [""] }
        if variants.contains(where: { $0.metrics.contains { $0.beyondRange == true } }) {
            out += [">= X: a percentile past its histogram's range (waits over 20 years, times in the pathway over 50 years) in some "
                    + "replication: X is a lower bound, and differences from it are not computed.", ""]
        }

        let names = variants.map(\.name)
        var rows: [[String]] = []
        for (label, name, digits, scale) in headline {
            rows.append([label] + variants.map { v in
                // With nobody measured, a per-patient figure of 0 would be read as a finding.
                name != "patients" && (v.metric("patients")?.mean ?? 1) == 0 ? Self.noPatients
                    : Self.estimate(v.metric(name), digits: digits, scale: scale)
            })
        }
        out.append(Self.table(["Headline"] + names, rows))

        if variants.count > 1 {
            out.append("")
            out.append("Paired difference from \(names[0]) (same patients in every variant):")
            var diffRows: [[String]] = []
            for (label, name, digits, scale) in headline where name != "patients" {
                diffRows.append([label] + variants.dropFirst().map { Self.estimate($0.difference(name), digits: digits, scale: scale) })
            }
            out.append(Self.table(["Difference"] + names.dropFirst(), diffRows))
        }

        out.append("")
        var outcomeRows: [[String]] = []
        for state in pathway.states where state.isTerminal {
            outcomeRows.append([state.id] + variants.map { Self.estimate($0.metric("outcome_share", subject: state.id), digits: 1, scale: 100) })
        }
        out.append(Self.table(["Outcome (% of patients)"] + names, outcomeRows))

        for variant in variants {
            out.append("")
            out.append("Load per role, \(variant.name):")
            out.append(loadTable(variant))
        }
        return out.joined(separator: "\n")
    }

    /// The headline rows, with delayed-transfer bed-days when some variant has any.
    var headline: [(String, String, Int, Double)] {
        var rows = Self.headline
        if summary.variants.contains(where: { ($0.metric("blocked_bed_days_per_month")?.mean ?? 0) > 0 }),
           let k = rows.firstIndex(where: { $0.1 == "delayed_transfer_mean_h" }) {
            rows.insert(("Delayed-transfer bed-days per month", "blocked_bed_days_per_month", 1, 1), at: k + 1)
        }
        return rows
    }

    /// Per role: offered load (before the run), utilisation with its blocked part, queue, waits, chasing, and balked and reneged
    /// patients; the blocked, balked and reneged columns only when some role has any.
    func loadTable(_ variant: VariantSummary) -> String {
        let roles = pathway.roles.map(\.reference.description)
        func shown(_ name: String) -> Bool { roles.contains { (variant.metric(name, subject: $0)?.mean ?? 0) > 0 } }
        var columns: [(header: String, name: String, digits: Int, scale: Double)] = [("Offered load", "offered_load", 2, 1),
                                                                                      ("Utilisation %", "utilisation", 1, 100)]
        if shown("utilisation_blocked") { columns.append(("of which blocked %", "utilisation_blocked", 1, 100)) }
        columns += [("Queue", "queue_length_mean", 2, 1), ("Wait mean h", "wait_mean_h", 2, 1), ("Wait p90 h", "wait_p90_h", 1, 1),
                    ("Chasing h/day", "chase_hours_per_day", 2, 1)]
        if shown("balked_per_100_patients") { columns.append(("Balked /100 pts", "balked_per_100_patients", 2, 1)) }
        if shown("reneged_per_100_patients") { columns.append(("Reneged /100 pts", "reneged_per_100_patients", 2, 1)) }
        let unstable = Self.unstableRoles(summary.warnings ?? [], variant: variant.name)
        let rows = roles.map { s in
            [unstable.contains(s) ? s + " (!)" : s] + columns.map { Self.estimate(variant.metric($0.name, subject: s), digits: $0.digits, scale: $0.scale) }
        }
        var text = Self.table(["Role"] + columns.map(\.header), rows)
        if roles.contains(where: unstable.contains) {
            text += "\n(!) unstable queue (offered load >= 1 or still growing at the end, see the warnings): its queue and waits grow with the run's length"
        }
        return text
    }

    /// Roles whose queue a warning calls unstable (overloaded, or still growing) in a variant.
    static func unstableRoles(_ warnings: [RunWarning], variant: String) -> Set<String> {
        Set(warnings.filter { ($0.kind == .overload || $0.kind == .queueGrowing) && ($0.variant == nil || $0.variant == variant) }.map(\.subject))
    }

    /// Warnings, printed above the figures: a figure read without them may mislead.
    static func warningLines(_ warnings: [RunWarning]) -> [String] {
        guard !warnings.isEmpty else { return [] }
        return ["Warnings (read the figures below with these in mind):"] + warnings.map { w in
            "  warning: \(w.kind) (\(w.variant.map { "variant " + $0 } ?? "every variant")): \(w.message)"
        }
    }
}
