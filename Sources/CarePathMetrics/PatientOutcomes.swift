import CarePathModel
import CarePathSimulation

/// One patient's journey as the store keeps it.
public struct PatientOutcome: Codable, Hashable, Sendable {
    public var patient: Int
    public var arrival: Double
    public var timeInPathway: Double
    public var terminal: String
    public var crossOrganisationHandoffs: Int
    public var internalHandoffs: Int
    public var delayedTransfer: Double
    /// The patient's group in each breakdown (`deprivation=1, lives_alone=true`), or empty.
    public var group: String
    /// Arrived after the warm-up.
    public var counted: Bool
}

/// Keeps every patient's outcome; memory grows with the cohort, so only used when asked for (a store).
public struct PatientOutcomeRecorder: SimulationObserver {
    public private(set) var outcomes: [PatientOutcome] = []
    var states: [String] = []
    var groups = SimulationPlan.GroupNaming()

    public init() {}

    /// The outcomes kept so far, which are no longer kept (the buffer's memory is).
    public mutating func takeAll() -> [PatientOutcome] {
        defer { outcomes.removeAll(keepingCapacity: true) }
        return outcomes
    }

    public mutating func runStarted(plan: SimulationPlan) {
        states = plan.states.map(\.id)
        groups = plan.groupNaming
    }
    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        let group = groups.name(p.groups)
        outcomes.append(PatientOutcome(patient: p.index, arrival: p.arrival, timeInPathway: time - p.arrival, terminal: states[terminal],
                                       crossOrganisationHandoffs: p.crossOrganisationHandoffs, internalHandoffs: p.internalHandoffs,
                                       delayedTransfer: p.delayedTransfer, group: group, counted: p.counted))
    }
}
