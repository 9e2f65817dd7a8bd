import CarePathMetrics
import CarePathModel
import CarePathSimulation

/// What the store keeps of one replication beside its statistics: every patient's outcome and,
/// when asked for, the full event log. Give one to the runner's `watch` and hand it back to
/// `RunWriter.addReplication(variant:replication:seed:result:recorder:)` in `finished`.
///
/// Given the run's writer, the recorder holds at most `batchRows` outcomes and `batchRows`
/// events: each full batch goes to the store while the replication runs (outcomes to their
/// table, events to a staging table that `addReplication` copies in order), so memory stays the
/// same whatever the cohort. Without a writer it keeps everything, for callers that want the rows.
///
/// ```swift
/// let summary = ScenarioRunner.run(scenario, pathway: pathway, options: options,
///     watch: { v, r in ReplicationRecorder(events: wantEvents, streamingTo: writer, variant: v, replication: r) },
///     finished: { v, r, result, recorder in writer.record(variant: v, replication: r, seed: ..., result: result, recorder: recorder) })
/// ```
public struct ReplicationRecorder: SimulationObserver {
    /// Rows held before a batch goes to the store.
    public static let batchRows = 16_384

    public var outcomes = PatientOutcomeRecorder()
    public var events: EventLogRecorder?
    public private(set) var plan: SimulationPlan?
    /// Rows already written by batches: outcomes, and events staged.
    public private(set) var outcomesWritten = 0, eventsStaged = 0
    let writer: RunWriter?
    let variant: Int, replication: Int
    /// Rows of each kind held before they go to the store (`batchRows` unless a test says less).
    let batch: Int

    public init(events: Bool) {
        self.init(events: events, streamingTo: nil, variant: 0, replication: 0)
    }

    /// A recorder that writes full batches to `writer` as variant `variant`'s replication `replication`.
    public init(events: Bool, streamingTo writer: RunWriter?, variant: Int, replication: Int, batchRows: Int = batchRows) {
        self.events = events ? EventLogRecorder() : nil
        self.writer = writer; self.variant = variant; self.replication = replication
        batch = max(batchRows, 1)
    }

    /// Rows held in memory now: at most `batchRows` of each kind when streaming.
    public var rowsHeld: Int { outcomes.outcomes.count + (events?.records.count ?? 0) }

    public mutating func runStarted(plan: SimulationPlan) {
        self.plan = plan
        outcomes.runStarted(plan: plan)
        events?.runStarted(plan: plan)
    }
    public mutating func patientArrived(_ p: PatientContext, at time: Double) {
        events?.patientArrived(p, at: time)
        flushEventsIfFull()
    }
    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        events?.stateStarted(p, state: state, waited: waited, handoffDelay: handoffDelay, at: time)
        flushEventsIfFull()
    }
    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse, timeSpent: Double, at time: Double) {
        events?.itemChecked(p, state: state, item: item, gap: gap, response: response, timeSpent: timeSpent, at: time)
        flushEventsIfFull()
    }
    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        events?.stateEnded(p, state: state, at: time)
        flushEventsIfFull()
    }
    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        events?.handedOff(p, from: from, to: to, crossOrganisation: crossOrganisation, latency: latency, lost: lost, at: time)
        flushEventsIfFull()
    }
    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        outcomes.patientLeft(p, terminal: terminal, at: time)
        events?.patientLeft(p, terminal: terminal, at: time)
        flushEventsIfFull()
        if let writer, outcomes.outcomes.count >= batch {
            outcomesWritten += outcomes.outcomes.count
            writer.appendOutcomes(variant: variant, replication: replication, outcomes.takeAll())
        }
    }

    @inline(__always)
    mutating func flushEventsIfFull() {
        guard let writer, let count = events?.records.count, count >= batch, let plan else { return }
        eventsStaged += count
        writer.stageEvents(variant: variant, replication: replication, events!.takeAll(), plan: plan)
    }
}
