import CarePathMetrics
import CarePathModel
import Foundation

/// The readable summary `simulate` prints: headline figures with 95% intervals, gaps by kind, load
/// per role, outcomes; and with variants, each option side by side with its paired difference.
struct SummaryTable {
    let summary: RunSummary
    let scenario: Scenario
    let pathway: Pathway

    static func number(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    static func estimate(_ m: SummaryMetric?, digits: Int = 2, scale: Double = 1) -> String {
        guard let m else { return "-" }
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
        ("Delayed transfer per patient (days)", "delayed_transfer_mean_h", 2, 1.0 / 24),
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
        out.append("")

        let names = variants.map(\.name)
        var rows: [[String]] = []
        for (label, name, digits, scale) in Self.headline {
            rows.append([label] + variants.map { Self.estimate($0.metric(name), digits: digits, scale: scale) })
        }
        out.append(Self.table(["Headline"] + names, rows))

        if variants.count > 1 {
            out.append("")
            out.append("Paired difference from \(names[0]) (same patients in every variant):")
            var diffRows: [[String]] = []
            for (label, name, digits, scale) in Self.headline where name != "patients" {
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
            var loadRows: [[String]] = []
            for role in pathway.roles {
                let s = role.reference.description
                loadRows.append([s, Self.estimate(variant.metric("utilisation", subject: s), digits: 1, scale: 100),
                                 Self.estimate(variant.metric("queue_length_mean", subject: s), digits: 2),
                                 Self.estimate(variant.metric("wait_mean_h", subject: s), digits: 2),
                                 Self.estimate(variant.metric("wait_p90_h", subject: s), digits: 1),
                                 Self.estimate(variant.metric("chase_hours_per_day", subject: s), digits: 2)])
            }
            out.append(Self.table(["Role", "Utilisation %", "Queue", "Wait mean h", "Wait p90 h", "Chasing h/day"], loadRows))
        }
        return out.joined(separator: "\n")
    }
}
