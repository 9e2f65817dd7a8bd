import Foundation
import CarePathModel
import CarePathSimulation

/// The definition of one figure, or of a family of figures named by a pattern
/// (`gaps_KIND_per_patient`): the one source for the report's glossary and for the glossary of
/// docs/simulation.md (`carepath glossary --markdown` writes it; a test keeps the two equal).
public struct GlossaryEntry: Hashable, Sendable {
    /// The metric name, or a pattern whose one upper-case word is the placeholder.
    public var pattern: String
    /// The placeholder's word (`KIND`) and what it stands for, in order; empty for a single name.
    public var placeholder: String = ""
    public var values: [String] = []
    /// What the figure is of: none, role, state, item, role|destination, role|item, group...
    public var subject: String
    public var unit: String
    /// What it means, in plain words.
    public var definition: String
    /// How CarePath computes it.
    public var computed: String
    /// False for the figures only the report derives (from several metrics), not in the summary.
    public var inSummary = true

    /// Every metric name the entry covers.
    public var names: [String] {
        placeholder.isEmpty ? [pattern] : values.map { pattern.replacingOccurrences(of: placeholder, with: $0) }
    }

    /// The HTML id of its definition in a report.
    public var anchor: String { "glossary-" + pattern }
}

/// Figures by family, in the order the reference presents them.
public enum MetricGlossary {
    public static let families: [(title: String, entries: [GlossaryEntry])] = [
        ("Patients and time", patientsAndTime),
        ("Handoffs", handoffs),
        ("Data gaps at the point of care", gaps),
        ("Who needs what", matrix),
        ("Information effects of the socio-organisational dimensions", effects),
        ("Load and capacity", load),
        ("Delayed transfers", delayedTransfers),
        ("Percentiles past their histogram's range", percentileRange),
        ("Figures the report derives (not in the JSON summary)", derived),
    ]

    public static var entries: [GlossaryEntry] { families.flatMap(\.entries) }

    /// The entry defining a metric name (or a derived figure's key), if any.
    public static func entry(for name: String) -> GlossaryEntry? { byName[name] }

    private static let byName: [String: GlossaryEntry] = {
        var out: [String: GlossaryEntry] = [:]
        for e in families.flatMap(\.entries) { for n in e.names where out[n] == nil { out[n] = e } }
        return out
    }()

    static let gapKinds = GapKind.gaps.map(\.name)
    static let allKinds = GapKind.allCases.map(\.name)

    // MARK: Families

    static let patientsAndTime: [GlossaryEntry] = [
        GlossaryEntry(pattern: "patients", subject: "none", unit: "patients",
                      definition: "Patients counted in one replication: those arriving after the warm-up.",
                      computed: "Patients who arrived after the warm-up and reached a terminal state; every per-patient and per-100-patients figure divides by it."),
        GlossaryEntry(pattern: "group_patient_share", subject: "group", unit: "share (0 to 1)",
                      definition: "Share of the counted patients in a group of a breakdown (`deprivation=1`).",
                      computed: "Patients of the group / patients counted; the groups of one breakdown sum to 1."),
        GlossaryEntry(pattern: "time_in_pathway_STAT_h", placeholder: "STAT", values: ["mean", "p50", "p90", "p95"],
                      subject: "none; group (mean)", unit: "hours (the report shows days)",
                      definition: "Time from a patient's arrival to entering a terminal state: the mean, the median (p50) and the 90th and 95th percentiles.",
                      computed: "Over the counted patients; percentiles from a histogram of their times in whole seconds at two significant digits, interpolated within a bucket (see Percentiles)."),
        GlossaryEntry(pattern: "delayed_transfer_mean_h", subject: "none; group", unit: "hours per patient (the report shows days)",
                      definition: "Waiting between steps: every wait between leaving a state and starting the next (transfer latency and queue), held unit or not, added up per patient.",
                      computed: "Sum of those waits over the counted patients / patients counted."),
        GlossaryEntry(pattern: "outcome_share", subject: "state (terminal)", unit: "share (the report shows %)",
                      definition: "Share of the counted patients who ended in this terminal state.",
                      computed: "Patients ending there / patients counted."),
        GlossaryEntry(pattern: "state_visits_per_patient", subject: "state", unit: "visits per patient",
                      definition: "How often a counted patient starts the state, on average (more than 1 where the pathway loops).",
                      computed: "Starts of the state by counted patients / patients counted."),
    ]

    static let handoffs: [GlossaryEntry] = [
        GlossaryEntry(pattern: "handoffs_cross_per_patient", subject: "none; group", unit: "handoffs per patient",
                      definition: "Cross-organisation handoffs: moves between states of different organisations (referrals).",
                      computed: "Over the counted patients / patients counted."),
        GlossaryEntry(pattern: "handoffs_internal_per_patient", subject: "none", unit: "handoffs per patient",
                      definition: "Moves between states of the same organisation (immediate).",
                      computed: "Over the counted patients / patients counted."),
        GlossaryEntry(pattern: "handoff_delay_mean_h", subject: "none", unit: "hours",
                      definition: "Mean delay of a cross-organisation handoff: the transfer latency and the wait in the next queue.",
                      computed: "Over the cross-organisation handoffs of counted patients; into a terminal state, the latency alone."),
        GlossaryEntry(pattern: "lost_handoffs_per_100_patients", subject: "none", unit: "per 100 patients",
                      definition: "Referrals lost on the way, noticed after the scenario's `resend-after` and sent again.",
                      computed: "Lost sends of counted patients \u{00D7} 100 / patients counted."),
    ]

    static let gaps: [GlossaryEntry] = [
        GlossaryEntry(pattern: "item_checks_per_patient", subject: "none", unit: "checks per patient",
                      definition: "Needed items checked at the start of states: one check for each item a state `needs`, at each start.",
                      computed: "Checks of counted patients / patients counted."),
        GlossaryEntry(pattern: "gaps_per_patient", subject: "none; group", unit: "gaps per patient",
                      definition: "Data gaps of every kind: needed items that were not available when a state started.",
                      computed: "Checks classified late, missing, blocked, unavailable or stale / patients counted."),
        GlossaryEntry(pattern: "gaps_KIND_per_patient", placeholder: "KIND", values: gapKinds, subject: "none; group", unit: "gaps per patient",
                      definition: "Data gaps of one kind: `late` (recorded, not yet readable here), `missing` (never recorded, never sent, lost, wrong or unusable), `blocked` (access rule or consent), `unavailable` (system down), `stale` (an older version).",
                      computed: "Checks of that kind / patients counted (see Information at the point of care for the classification)."),
        GlossaryEntry(pattern: "gap_rate", subject: "none", unit: "share (the report shows %)",
                      definition: "Share of the needed items not available when they were needed.",
                      computed: "Gaps / checks, over every state."),
        GlossaryEntry(pattern: "risks_per_patient", subject: "none", unit: "per patient",
                      definition: "Gaps the state carried on despite (on-gap policy `proceed`): a risk.",
                      computed: "Gaps at `proceed` states / patients counted."),
        GlossaryEntry(pattern: "chases_per_patient", subject: "none", unit: "per patient",
                      definition: "Gaps chased (on-gap policy `chase`): a delay, and the role's time spent.",
                      computed: "Gaps at `chase` states / patients counted."),
        GlossaryEntry(pattern: "duplicates_per_patient", subject: "none", unit: "per patient",
                      definition: "Items collected again (on-gap policy `repeat`, and mistrust's repeats): the \u{201C}tell your story again\u{201D} failure.",
                      computed: "Gaps at `repeat` states, plus mistrust repeats / patients counted."),
        GlossaryEntry(pattern: "overload_per_needed_item", subject: "none", unit: "items per needed item",
                      definition: "Data overload: items readable at a state that it does not need, per item it needs.",
                      computed: "Unneeded items shown / needed items, over every state start."),
        GlossaryEntry(pattern: "state_gap_rate", subject: "state", unit: "share (the report shows %)",
                      definition: "Share of the needed items not available at the state's start.",
                      computed: "Gaps / checks at the state (states that check items)."),
        GlossaryEntry(pattern: "state_KIND_per_100_patients", placeholder: "KIND", values: allKinds, subject: "state", unit: "per 100 patients",
                      definition: "Checks at the state that found the item of that kind (`available`, or a gap kind as in `gaps_KIND_per_patient`).",
                      computed: "Checks of that kind at the state \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "state_chases_per_100_patients", subject: "state", unit: "per 100 patients",
                      definition: "Gaps chased at the state.", computed: "Chases at the state \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "state_duplicates_per_100_patients", subject: "state", unit: "per 100 patients",
                      definition: "Items collected again at the state (`repeat`, and mistrust's repeats).",
                      computed: "Collections again at the state \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "state_overload_per_needed_item", subject: "state", unit: "items per needed item",
                      definition: "Data overload at the state: readable items it does not need, per item it needs.",
                      computed: "Unneeded items shown / needed items, at the state."),
    ]

    static let matrix: [GlossaryEntry] = [
        GlossaryEntry(pattern: "needed_per_100_patients", subject: "role|item", unit: "per 100 patients",
                      definition: "How often the role's states need the item.",
                      computed: "Checks of the item at states of the role \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "KIND_share", placeholder: "KIND", values: allKinds, subject: "role|item", unit: "share (the report shows %)",
                      definition: "Share of the role's checks of the item that found it of that kind.",
                      computed: "Checks of that kind / checks of the item by the role."),
    ]

    static let effects: [GlossaryEntry] = [
        GlossaryEntry(pattern: "EFFECT_per_100_patients", placeholder: "EFFECT",
                      values: ["withheld", "recorded_wrong", "found_wrong", "unusable", "rekeyed", "overlooked", "mistrust_repeats"],
                      subject: "none", unit: "per 100 patients",
                      definition: "What the concerns' parameters did, in all: `withheld` (kept from the shared record, viewer and messages), `recorded_wrong` (wrong or incomplete where recorded), `found_wrong` (found wrong where used), `unusable` (from another organisation, not usable), `rekeyed` (usable after re-keying), `overlooked` (buried by items not needed), `mistrust_repeats` (collected again after a stale or late item).",
                      computed: "Events of counted patients \u{00D7} 100 / patients counted; shown when some concern has an effect."),
        GlossaryEntry(pattern: "state_EFFECT_per_100_patients", placeholder: "EFFECT",
                      values: ["withheld", "recorded_wrong", "found_wrong", "unusable", "rekeyed", "overlooked", "mistrust_repeats"],
                      subject: "state", unit: "per 100 patients",
                      definition: "The same events where they happened: at the state that recorded the item (`withheld`, `recorded_wrong`) or read it (the others).",
                      computed: "Events at the state \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "item_EFFECT_per_100_patients", placeholder: "EFFECT",
                      values: ["withheld", "recorded_wrong", "found_wrong", "unusable", "rekeyed", "mistrust_repeats"],
                      subject: "item", unit: "per 100 patients",
                      definition: "The events an item's own concerns caused (one cause is counted each time).",
                      computed: "Events of the item's concerns \u{00D7} 100 / patients counted; for items with concerns that have an effect."),
        GlossaryEntry(pattern: "channel_EFFECT_per_100_patients", placeholder: "EFFECT", values: ["unusable", "rekeyed"],
                      subject: "channel", unit: "per 100 patients",
                      definition: "Items unusable or re-keyed because of the concerns of the channel the pair of organisations uses under the option.",
                      computed: "Events of the channel's concerns \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "rekeying_hours_per_day", subject: "role", unit: "hours a day",
                      definition: "Role time spent re-keying items that came from another organisation.",
                      computed: "Hours of every unit of the role, per day of the measurement window."),
        GlossaryEntry(pattern: "reading_hours_per_day", subject: "role", unit: "hours a day",
                      definition: "Role time spent reading items shown that the state does not need (data overload).",
                      computed: "Hours of every unit of the role, per day of the measurement window."),
        GlossaryEntry(pattern: "documenting_hours_per_day", subject: "role", unit: "hours a day",
                      definition: "Role time spent recording the items the state produces (documentation burden).",
                      computed: "Hours of every unit of the role, per day of the measurement window."),
        GlossaryEntry(pattern: "channel_rekeying_hours_per_day", subject: "channel", unit: "hours a day",
                      definition: "Role time spent re-keying because of the channel's concerns.",
                      computed: "Hours of every role added up, per day of the measurement window."),
    ]

    static let load: [GlossaryEntry] = [
        GlossaryEntry(pattern: "offered_load", subject: "role", unit: "ratio (no interval)",
                      definition: "The work the pathway brings a role, against the staff its rota opens; at 1 or more the work outgrows the open hours. Blocked time and time spent on information gaps (chasing, collecting again, re-keying, reading, documenting) are not in it, so utilisation may exceed it.",
                      computed: "Before the run, not simulated: arrivals \u{00D7} expected services per patient \u{00D7} mean service time / mean units the rota opens (see Warnings)."),
        GlossaryEntry(pattern: "utilisation", subject: "role", unit: "share (the report shows %)",
                      definition: "How much of the staff time the rota opens is taken: busy and blocked; above 1 when work runs past the rota.",
                      computed: "(Busy + blocked unit-hours) / unit-hours the rota opens, in the measurement window."),
        GlossaryEntry(pattern: "utilisation_busy", subject: "role", unit: "share (the report shows %)",
                      definition: "The part of utilisation spent working, chasing included.",
                      computed: "Unit-hours of work / open unit-hours, in the window."),
        GlossaryEntry(pattern: "utilisation_blocked", subject: "role", unit: "share (the report shows %)",
                      definition: "The part of utilisation held by patients whose work here is done, waiting for the next setting.",
                      computed: "Unit-hours held by patients ready to move on / open unit-hours, in the window."),
        GlossaryEntry(pattern: "utilisation_chasing", subject: "role", unit: "share (the report shows %)",
                      definition: "The part of busy spent chasing items.",
                      computed: "Unit-hours spent chasing / open unit-hours, in the window."),
        GlossaryEntry(pattern: "organisation_utilisation", subject: "organisation", unit: "share",
                      definition: "Utilisation of all the organisation's roles together.",
                      computed: "Busy and blocked unit-hours of its roles / unit-hours their rotas open, in the window."),
        GlossaryEntry(pattern: "overtime_hours_per_day", subject: "role (with a rota)", unit: "unit-hours a day",
                      definition: "Work beyond the rota's capacity at the time: work in progress finishing after a shift ends or capacity drops.",
                      computed: "Unit-hours above capacity in the window, per day of the window."),
        GlossaryEntry(pattern: "queue_length_mean", subject: "role", unit: "patients",
                      definition: "Time-average number of patients waiting for the role.",
                      computed: "After the warm-up, the drain included (so that Little's law holds)."),
        GlossaryEntry(pattern: "queue_length_PART_quarter", placeholder: "PART", values: ["first", "last"], subject: "role", unit: "patients",
                      definition: "Time-average number waiting over the first and the last quarter of the measurement window (whole weeks where the window allows); a growing queue shows as last above first.",
                      computed: "Time-average of the queue length over each quarter."),
        GlossaryEntry(pattern: "starts_per_day", subject: "role", unit: "services a day",
                      definition: "Services the role started, per day.",
                      computed: "Services started after the warm-up, drain included, per day of that time."),
        GlossaryEntry(pattern: "wait_STAT_h", placeholder: "STAT", values: ["mean", "p50", "p90", "p95"],
                      subject: "role; role and group (mean, p90)", unit: "hours",
                      definition: "Time from ready to the start of service at the role: mean, median (p50), 90th and 95th percentiles.",
                      computed: "Over the services started after the warm-up; percentiles from a histogram of the waits in whole seconds at two significant digits, interpolated within a bucket (see Percentiles)."),
        GlossaryEntry(pattern: "chase_hours_per_day", subject: "role", unit: "hours a day",
                      definition: "Role time spent chasing items.",
                      computed: "Hours of every unit of the role after the warm-up, drain included, per day of that time."),
        GlossaryEntry(pattern: "repeat_hours_per_day", subject: "role", unit: "hours a day",
                      definition: "Role time spent collecting items again (on-gap policy `repeat`).",
                      computed: "Hours of every unit of the role after the warm-up, drain included, per day of that time."),
        GlossaryEntry(pattern: "balked_per_100_patients", subject: "role (with a queue limit or patience)", unit: "per 100 patients",
                      definition: "Patients turned away by a full queue, who went to the queue's `when-full` state.",
                      computed: "Patients turned away \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "balk_share", subject: "role (with a queue limit or patience)", unit: "share",
                      definition: "Patients turned away, as a share of the patients whose wait at the role ended.",
                      computed: "Turned away / (served + turned away + gave up), after the warm-up."),
        GlossaryEntry(pattern: "reneged_per_100_patients", subject: "role (with a queue limit or patience)", unit: "per 100 patients",
                      definition: "Patients who gave up waiting and went to the queue's `gives-up-to` state.",
                      computed: "Patients who gave up \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "renege_share", subject: "role (with a queue limit or patience)", unit: "share",
                      definition: "Patients who gave up, as a share of the patients whose wait at the role ended.",
                      computed: "Gave up / (served + turned away + gave up), after the warm-up."),
    ]

    static let delayedTransfers: [GlossaryEntry] = [
        GlossaryEntry(pattern: "blocked_bed_days_per_month", subject: "none; role; role|destination", unit: "bed-days a month",
                      definition: "Unit-days (bed-days) held by patients ready to move on whom the next setting has not accepted (delayed discharge).",
                      computed: "Held unit-days inside the measurement window, per 30 days of the window; a destination counts the holds that ended there, the role's figure every hold (also those that ended when the patient left the pathway, or still running at the window's end)."),
        GlossaryEntry(pattern: "delayed_transfers_per_100_patients", subject: "none; role; role|destination", unit: "per 100 patients",
                      definition: "Holds that lasted any time: patients who were ready and waited, holding the unit.",
                      computed: "Holds of counted patients \u{00D7} 100 / patients counted."),
        GlossaryEntry(pattern: "ready_to_moved_STAT_h", placeholder: "STAT", values: ["mean", "p90"], subject: "role; role|destination", unit: "hours",
                      definition: "Time from the end of the holding state's work to the release of its unit: mean and 90th percentile.",
                      computed: "Over the delayed transfers (0 in a replication without any); the p90 from a histogram, as the waits' percentiles."),
    ]

    static let percentileRange: [GlossaryEntry] = [
        GlossaryEntry(pattern: "PERCENTILE_at_least", placeholder: "PERCENTILE",
                      values: ["wait_p50_h", "wait_p90_h", "wait_p95_h", "time_in_pathway_p50_h", "time_in_pathway_p90_h",
                               "time_in_pathway_p95_h", "ready_to_moved_p90_h"],
                      subject: "as the percentile's", unit: "flag (1; its mean is a share of replications)",
                      definition: "The percentile fell among durations past its histogram's range, so its value is the range's limit, a lower bound (shown as \u{2265} X).",
                      computed: "Written as 1 in a replication where it happened, absent otherwise; over replications, the share of replications where it did."),
        GlossaryEntry(pattern: "FAMILY_beyond_range", placeholder: "FAMILY", values: ["wait", "time_in_pathway", "ready_to_moved"],
                      subject: "as the family's (a role; none; a role or role|destination)", unit: "durations",
                      definition: "Durations past the histogram's range (20 years for waits and transfer delays, 50 for times in the pathway): never dropped, counted in the means and here.",
                      computed: "Count in a replication, written only when there are any."),
    ]

    /// Figures the report computes from several metrics; their keys are not metric names.
    static let derived: [GlossaryEntry] = [
        GlossaryEntry(pattern: "roles_utilisation_mean", subject: "none", unit: "%",
                      definition: "Mean utilisation of the roles: how loaded a typical role is.",
                      computed: "The unweighted mean over the roles of each role's mean `utilisation`.", inSummary: false),
        GlossaryEntry(pattern: "roles_utilisation_max", subject: "none", unit: "%",
                      definition: "Most loaded role: the role with the highest utilisation, and its utilisation.",
                      computed: "The largest of the roles' mean `utilisation`.", inSummary: false),
        GlossaryEntry(pattern: "roles_chase_hours_per_day", subject: "none", unit: "hours a day",
                      definition: "Staff time spent chasing, all roles together.",
                      computed: "The sum over the roles of `chase_hours_per_day`.", inSummary: false),
        GlossaryEntry(pattern: "interfaces_needed", subject: "none", unit: "interfaces",
                      definition: "Interfaces to build and run for the option: point-to-point, one per pair of organisations that exchange patients (grows as n(n\u{2212}1)/2); a shared record or a federated viewer, one per connected organisation; paper, none.",
                      computed: "From the pathway and the option, not simulated.", inSummary: false),
        GlossaryEntry(pattern: "single_service", subject: "none", unit: "yes or no",
                      definition: "Whether everyone depends on a single service: the central shared record, or the regional viewer and its network.",
                      computed: "From the option, not simulated.", inSummary: false),
    ]
}
