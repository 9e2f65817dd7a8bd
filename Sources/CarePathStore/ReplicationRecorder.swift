import CarePathMetrics
import CarePathModel
import CarePathSimulation

/// What the store keeps of one replication beside its statistics: every patient's outcome and,
/// when asked for, the full event log. Give one to the runner's `watch` and hand it back to
/// `RunWriter.addReplication(variant:replication:seed:result:recorder:)` in `finished`.
///
/// ```swift
/// let summary = ScenarioRunner.run(scenario, pathway: pathway, options: options,
///     watch: { _, _ in ReplicationRecorder(events: wantEvents) },
///     finished: { v, r, result, recorder in writer.record(variant: v, replication: r, seed: ..., result: result, recorder: recorder) })
/// ```
public struct ReplicationRecorder: SimulationObserver {
    public var outcomes = PatientOutcomeRecorder()
    public var events: EventLogRecorder?
    public private(set) var plan: SimulationPlan?

    public init(events: Bool) {
        self.events = events ? EventLogRecorder() : nil
    }

    public mutating func runStarted(plan: SimulationPlan) {
        self.plan = plan
        outcomes.runStarted(plan: plan)
        events?.runStarted(plan: plan)
    }
    public mutating func patientArrived(_ p: PatientContext, at time: Double) {
        events?.patientArrived(p, at: time)
    }
    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        events?.stateStarted(p, state: state, waited: waited, handoffDelay: handoffDelay, at: time)
    }
    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse, timeSpent: Double, at time: Double) {
        events?.itemChecked(p, state: state, item: item, gap: gap, response: response, timeSpent: timeSpent, at: time)
    }
    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        events?.stateEnded(p, state: state, at: time)
    }
    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        events?.handedOff(p, from: from, to: to, crossOrganisation: crossOrganisation, latency: latency, lost: lost, at: time)
    }
    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        outcomes.patientLeft(p, terminal: terminal, at: time)
        events?.patientLeft(p, terminal: terminal, at: time)
    }
}
