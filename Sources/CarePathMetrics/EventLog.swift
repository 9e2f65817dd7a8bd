import CarePathModel
import CarePathSimulation

/// One line of a replication's event log, in compact form; names come from the plan when written.
public struct EventRecord: Hashable, Sendable {
    public enum Lifecycle: UInt8, Sendable, CaseIterable {
        case arrive, start, complete, check, handoff, leave
        public var name: String {
            switch self {
            case .arrive: "arrive"
            case .start: "start"
            case .complete: "complete"
            case .check: "check"
            case .handoff: "handoff"
            case .leave: "leave"
            }
        }
    }
    public var patient: Int
    public var time: Double
    public var lifecycle: Lifecycle
    /// The state (for handoffs: the state handed over to).
    public var state: Int32
    /// The item checked, or -1.
    public var item: Int32
    /// The gap kind of a check, or -1.
    public var gap: Int8
}

/// Keeps a replication's full event log, for `--events` and the process-mining exports. Memory
/// grows with the replication's events, so the runner hands each log over as soon as it ends.
public struct EventLogRecorder: SimulationObserver {
    public private(set) var records: [EventRecord] = []
    public private(set) var plan: SimulationPlan?

    public init() {}

    public mutating func runStarted(plan: SimulationPlan) { self.plan = plan }

    /// The records kept so far, which are no longer kept (the buffer's memory is).
    public mutating func takeAll() -> [EventRecord] {
        defer { records.removeAll(keepingCapacity: true) }
        return records
    }

    public mutating func patientArrived(_ p: PatientContext, at time: Double) {
        records.append(EventRecord(patient: p.index, time: time, lifecycle: .arrive, state: -1, item: -1, gap: -1))
    }
    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        records.append(EventRecord(patient: p.index, time: time, lifecycle: .start, state: Int32(state), item: -1, gap: -1))
    }
    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse, timeSpent: Double, at time: Double) {
        records.append(EventRecord(patient: p.index, time: time, lifecycle: .check, state: Int32(state), item: Int32(item), gap: Int8(gap.rawValue)))
    }
    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        records.append(EventRecord(patient: p.index, time: time, lifecycle: .complete, state: Int32(state), item: -1, gap: -1))
    }
    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        records.append(EventRecord(patient: p.index, time: time, lifecycle: .handoff, state: Int32(to), item: -1, gap: -1))
    }
    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        records.append(EventRecord(patient: p.index, time: time, lifecycle: .leave, state: Int32(terminal), item: -1, gap: -1))
    }
}
