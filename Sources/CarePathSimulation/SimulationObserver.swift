import CarePathModel

/// Everything statistics, event logs and exporters may see of a run. The simulation calls these
/// as things happen; an observer never changes the run. Patients are named by their arrival
/// number, which is the same in every variant (common random numbers).
///
/// The simulation is generic over its observer, so these calls are resolved at compile time and
/// cost nothing in the event loop beyond the work the observer itself does. An observer may be
/// non-copyable (the statistics collector is: it keeps its tallies in slabs).
public protocol SimulationObserver: ~Copyable {
    /// The run is about to start.
    mutating func runStarted(plan: SimulationPlan)
    /// Statistics start here: patients arriving from now on are counted, time-averages start.
    mutating func warmUpEnded(at time: Double)
    mutating func patientArrived(_ patient: PatientContext, at time: Double)
    /// One of the patient's attributes as drawn on arrival (`attribute` indexes the pathway's
    /// attributes; a boolean is 0 or 1, a categorical level its index), told right after
    /// `patientArrived`.
    mutating func patientAttribute(_ patient: PatientContext, attribute: Int, value: Double)
    /// A role's queue or the number of its staff busy changed.
    mutating func roleChanged(role: Int, queueLength: Int, busy: Int, at time: Double)
    /// A patient starts a state: `waited` in the role's queue, `handoffDelay` since leaving the previous state.
    mutating func stateStarted(_ patient: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double)
    /// A needed item was checked at the start of a state; `response` is what the state did about a gap.
    mutating func itemChecked(_ patient: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse,
                              timeSpent: Double, at time: Double)
    /// Items readable at the start of a state that it does not need (data overload).
    mutating func itemsShown(_ patient: PatientContext, state: Int, unneeded: Int, needed: Int)
    mutating func stateEnded(_ patient: PatientContext, state: Int, at time: Double)
    /// A patient moves between states; `lost` counts referrals lost and re-sent.
    mutating func handedOff(_ patient: PatientContext, from: Int, to: Int, crossOrganisation: Bool,
                            latency: Double, lost: Int, at time: Double)
    mutating func patientLeft(_ patient: PatientContext, terminal: Int, at time: Double)
    /// No patient arrives after this: the measurement window of utilisation ends here (the last
    /// arrival, or the cohort's declared horizon, which may be later than `time`).
    mutating func arrivalsEnded(at time: Double)
    /// Units of a role held by patients whose work there is done, waiting to move on (blocking).
    mutating func roleBlocked(role: Int, blocked: Int, at time: Double)
    /// A patient who held a unit of `role` since finishing `from` was accepted by `to` (or left
    /// the pathway there), after `held` hours.
    mutating func holdEnded(_ patient: PatientContext, role: Int, from: Int, to: Int, held: Double, at time: Double)
    /// A patient did not get service at `state`'s role: the queue was full (`gaveUp` false: balked)
    /// or their patience ran out after `waited` hours (reneged); they go to `to`.
    mutating func queueLeft(_ patient: PatientContext, role: Int, state: Int, to: Int, gaveUp: Bool, waited: Double, at time: Double)
    /// A socio-organisational dimension acted on information at `state` (item -1 for role time
    /// not tied to one item); `hours` of the role's time where it costs time.
    mutating func informationEffect(_ patient: PatientContext, state: Int, item: Int, effect: InformationEffect, hours: Double, at time: Double)
    /// The same effect (unusable or re-keyed), caused by the channel the item came by: told after
    /// `informationEffect`, so that the channel's concerns can be measured apart.
    mutating func channelEffect(_ patient: PatientContext, channel: ArchitectureOption, effect: InformationEffect, hours: Double, at time: Double)
    mutating func runEnded(at time: Double)
}

/// What a dimension did (docs/simulation.md, "Information effects").
public enum InformationEffect: Int, CaseIterable, Sendable, Codable {
    /// An item recorded here was kept from the shared record and from messages.
    case withheld
    /// An item recorded here was wrong or incomplete...
    case recordedWrong
    /// ...and here one was found so at the point of care (a gap).
    case foundWrong
    /// An item from another organisation's system could not be used here (a gap)...
    case unusable
    /// ...or was keyed in again (role time).
    case rekeyed
    /// A needed item was overlooked among the unneeded ones shown (a gap).
    case overlooked
    /// A readable item was collected again after the patient met an inconsistency.
    case mistrustRepeat
    /// Time reading items the role did not need.
    case reading
    /// Time recording the items produced.
    case documenting

    public var name: String {
        switch self {
        case .withheld: "withheld"
        case .recordedWrong: "recorded_wrong"
        case .foundWrong: "found_wrong"
        case .unusable: "unusable"
        case .rekeyed: "rekeyed"
        case .overlooked: "overlooked"
        case .mistrustRepeat: "mistrust_repeats"
        case .reading: "reading"
        case .documenting: "documenting"
        }
    }
}

/// What an observer knows of a patient at an event.
public struct PatientContext {
    public var index: Int
    public var arrival: Double
    /// After the warm-up: counted in statistics.
    public var counted: Bool
    /// The first breakdown's group, or -1.
    public var group: Int
    /// The group in every breakdown (`groups.global(b)` indexes them across breakdowns).
    public var groups: CohortGroups
    public var crossOrganisationHandoffs: Int
    public var internalHandoffs: Int
    /// Total time spent waiting after being ready to move on (transfer, queue and closed hours).
    public var delayedTransfer: Double
    /// The patient reached its current state through a cross-organisation handoff.
    public var arrivedAcrossOrganisations: Bool
}

/// Two observers as one, so that statistics and an event log can watch the same run.
public struct ObserverPair<A: SimulationObserver & ~Copyable, B: SimulationObserver & ~Copyable>: SimulationObserver, ~Copyable {
    public var first: A
    public var second: B
    public init(_ first: consuming A, _ second: consuming B) { self.first = first; self.second = second }

    public mutating func runStarted(plan: SimulationPlan) { first.runStarted(plan: plan); second.runStarted(plan: plan) }
    public mutating func warmUpEnded(at time: Double) { first.warmUpEnded(at: time); second.warmUpEnded(at: time) }
    public mutating func patientArrived(_ p: PatientContext, at time: Double) {
        first.patientArrived(p, at: time); second.patientArrived(p, at: time)
    }
    public mutating func patientAttribute(_ p: PatientContext, attribute: Int, value: Double) {
        first.patientAttribute(p, attribute: attribute, value: value); second.patientAttribute(p, attribute: attribute, value: value)
    }
    public mutating func roleChanged(role: Int, queueLength: Int, busy: Int, at time: Double) {
        first.roleChanged(role: role, queueLength: queueLength, busy: busy, at: time)
        second.roleChanged(role: role, queueLength: queueLength, busy: busy, at: time)
    }
    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        first.stateStarted(p, state: state, waited: waited, handoffDelay: handoffDelay, at: time)
        second.stateStarted(p, state: state, waited: waited, handoffDelay: handoffDelay, at: time)
    }
    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse,
                                     timeSpent: Double, at time: Double) {
        first.itemChecked(p, state: state, item: item, gap: gap, response: response, timeSpent: timeSpent, at: time)
        second.itemChecked(p, state: state, item: item, gap: gap, response: response, timeSpent: timeSpent, at: time)
    }
    public mutating func itemsShown(_ p: PatientContext, state: Int, unneeded: Int, needed: Int) {
        first.itemsShown(p, state: state, unneeded: unneeded, needed: needed)
        second.itemsShown(p, state: state, unneeded: unneeded, needed: needed)
    }
    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        first.stateEnded(p, state: state, at: time); second.stateEnded(p, state: state, at: time)
    }
    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        first.handedOff(p, from: from, to: to, crossOrganisation: crossOrganisation, latency: latency, lost: lost, at: time)
        second.handedOff(p, from: from, to: to, crossOrganisation: crossOrganisation, latency: latency, lost: lost, at: time)
    }
    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        first.patientLeft(p, terminal: terminal, at: time); second.patientLeft(p, terminal: terminal, at: time)
    }
    public mutating func arrivalsEnded(at time: Double) { first.arrivalsEnded(at: time); second.arrivalsEnded(at: time) }
    public mutating func informationEffect(_ p: PatientContext, state: Int, item: Int, effect: InformationEffect, hours: Double, at time: Double) {
        first.informationEffect(p, state: state, item: item, effect: effect, hours: hours, at: time)
        second.informationEffect(p, state: state, item: item, effect: effect, hours: hours, at: time)
    }
    public mutating func channelEffect(_ p: PatientContext, channel: ArchitectureOption, effect: InformationEffect, hours: Double, at time: Double) {
        first.channelEffect(p, channel: channel, effect: effect, hours: hours, at: time)
        second.channelEffect(p, channel: channel, effect: effect, hours: hours, at: time)
    }
    public mutating func roleBlocked(role: Int, blocked: Int, at time: Double) {
        first.roleBlocked(role: role, blocked: blocked, at: time); second.roleBlocked(role: role, blocked: blocked, at: time)
    }
    public mutating func holdEnded(_ p: PatientContext, role: Int, from: Int, to: Int, held: Double, at time: Double) {
        first.holdEnded(p, role: role, from: from, to: to, held: held, at: time)
        second.holdEnded(p, role: role, from: from, to: to, held: held, at: time)
    }
    public mutating func queueLeft(_ p: PatientContext, role: Int, state: Int, to: Int, gaveUp: Bool, waited: Double, at time: Double) {
        first.queueLeft(p, role: role, state: state, to: to, gaveUp: gaveUp, waited: waited, at: time)
        second.queueLeft(p, role: role, state: state, to: to, gaveUp: gaveUp, waited: waited, at: time)
    }
    public mutating func runEnded(at time: Double) { first.runEnded(at: time); second.runEnded(at: time) }
}

extension ObserverPair: Copyable where A: Copyable, B: Copyable {}

/// Observers implement what they need; the rest sees nothing.
extension SimulationObserver where Self: ~Copyable {
    public mutating func runStarted(plan: SimulationPlan) {}
    public mutating func warmUpEnded(at time: Double) {}
    public mutating func patientArrived(_ p: PatientContext, at time: Double) {}
    public mutating func patientAttribute(_ p: PatientContext, attribute: Int, value: Double) {}
    public mutating func roleChanged(role: Int, queueLength: Int, busy: Int, at time: Double) {}
    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {}
    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse, timeSpent: Double, at time: Double) {}
    public mutating func itemsShown(_ p: PatientContext, state: Int, unneeded: Int, needed: Int) {}
    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {}
    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {}
    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {}
    public mutating func arrivalsEnded(at time: Double) {}
    public mutating func informationEffect(_ p: PatientContext, state: Int, item: Int, effect: InformationEffect, hours: Double, at time: Double) {}
    public mutating func channelEffect(_ p: PatientContext, channel: ArchitectureOption, effect: InformationEffect, hours: Double, at time: Double) {}
    public mutating func roleBlocked(role: Int, blocked: Int, at time: Double) {}
    public mutating func holdEnded(_ p: PatientContext, role: Int, from: Int, to: Int, held: Double, at time: Double) {}
    public mutating func queueLeft(_ p: PatientContext, role: Int, state: Int, to: Int, gaveUp: Bool, waited: Double, at time: Double) {}
    public mutating func runEnded(at time: Double) {}
}

/// Sees nothing; for measuring the engine alone.
public struct NoObserver: SimulationObserver {
    public init() {}
}
