import CarePathModel
import CarePathSimulation
import Histogram

/// Streaming statistics of one replication: sums, time integrals and histograms, updated as the run
/// goes, so memory does not grow with the number of events.
public struct MetricsCollector: SimulationObserver {
    struct RoleTally {
        var lastChange = 0.0
        var queueLength = 0
        var busy = 0
        var queueArea = 0.0
        var busyArea = 0.0
        var starts = 0
        var waitSum = 0.0
        var waits = Histogram<UInt64>(highestTrackableValue: 3_600 * 24 * 365 * 20, numberOfSignificantValueDigits: .two)
        var chaseHours = 0.0
        var repeatHours = 0.0
        var series: TimeSeries
    }

    struct StateTally {
        var visits = 0
        var checks = 0
        var gaps = [Int](repeating: 0, count: GapKind.allCases.count)
        var proceeded = 0
        var chased = 0
        var repeated = 0
        var unneededShown = 0
        var needed = 0
        var outcomes = 0
    }

    struct GroupTally {
        var patients = 0
        var timeSum = 0.0
        var crossHandoffs = 0
        var delayedTransfer = 0.0
        var gaps = [Int](repeating: 0, count: GapKind.allCases.count)
        var checks = 0
    }

    public static let waitBinEdges: [Double] = [0, 1, 4, 12, 24, 72, 168, 336, 672]
    public static let timeBinEdges: [Double] = [0, 24, 72, 168, 336, 672, 1344, 2688, 5376]

    var plan: SimulationPlan?
    /// What the hot methods need of each state, copied out of the plan once: reading the plan
    /// itself per event would copy (and retain) its arrays.
    var stateRoles: [Int] = []
    var occupyingStates: [Bool] = []
    var terminalStates: [Bool] = []
    var itemCount = 0
    var statsStart = 0.0
    var counting = false
    var end = 0.0
    var roles: [RoleTally] = []
    var states: [StateTally] = []
    /// [role][item][gap kind]: the who-needs-what-when matrix.
    var matrix: [Int] = []
    var groups: [GroupTally] = []
    var arrivals = 0
    var patients = 0
    var timeSum = 0.0
    var timeInPathway = Histogram<UInt64>(highestTrackableValue: 3_600 * 24 * 365 * 50, numberOfSignificantValueDigits: .two)
    var crossHandoffs = 0
    var internalHandoffs = 0
    var crossHandoffCounts: [Int] = []
    var handoffDelaySum = 0.0
    var handoffDelays = 0
    var lostHandoffs = 0
    var delayedTransferSum = 0.0
    var terminalCounts: [Int] = []
    public private(set) var events = 0

    public init() {}

    public mutating func runStarted(plan: SimulationPlan) {
        self.plan = plan
        roles = plan.roles.map { _ in
            RoleTally(series: TimeSeries(start: 0))
        }
        states = Array(repeating: StateTally(), count: plan.states.count)
        stateRoles = plan.states.map(\.role)
        occupyingStates = plan.states.map(\.occupiesRole)
        terminalStates = plan.states.map(\.isTerminal)
        itemCount = plan.itemCount
        matrix = Array(repeating: 0, count: plan.roles.count * plan.itemCount * GapKind.allCases.count)
        terminalCounts = Array(repeating: 0, count: plan.states.count)
    }

    public mutating func warmUpEnded(at time: Double) {
        // Time integrals restart here; the queue as it stands carries on.
        statsStart = time
        counting = true
        for r in roles.indices {
            roles[r].lastChange = time
            roles[r].series = TimeSeries(start: time)
        }
    }

    public mutating func patientArrived(_ p: PatientContext, at time: Double) {
        events += 1
        if p.counted { arrivals += 1 }
    }

    public mutating func roleChanged(role: Int, queueLength: Int, busy: Int, at time: Double) {
        let counting = self.counting
        // One uniqueness check for the whole update rather than one per field (measured).
        roles.withUnsafeMutableBufferPointer { roles in
            if counting {
                let dt = time - roles[role].lastChange
                if dt > 0 {
                    roles[role].queueArea += Double(roles[role].queueLength) * dt
                    roles[role].busyArea += Double(roles[role].busy) * dt
                    roles[role].series.add(value: Double(roles[role].queueLength), from: roles[role].lastChange, to: time)
                }
                roles[role].lastChange = time
            }
            roles[role].queueLength = queueLength
            roles[role].busy = busy
        }
    }

    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        events += 1
        let role = stateRoles[state]
        if counting && occupyingStates[state] && role >= 0 {
            roles.withUnsafeMutableBufferPointer { roles in
                roles[role].starts += 1
                roles[role].waitSum += waited
                _ = roles[role].waits.record(UInt64(max(waited, 0) * 3600))
            }
        }
        guard p.counted else { return }
        states[state].visits += 1
        if p.arrivedAcrossOrganisations {
            handoffDelaySum += handoffDelay
            handoffDelays += 1
        }
    }

    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse,
                                     timeSpent: Double, at time: Double) {
        let role = stateRoles[state]
        if counting && role >= 0 && timeSpent > 0 {
            if response == .chase { roles[role].chaseHours += timeSpent } else if response == .repeat { roles[role].repeatHours += timeSpent }
        }
        guard p.counted else { return }
        states[state].checks += 1
        states[state].gaps[gap.rawValue] += 1
        if gap != .available {
            switch response {
            case .proceed: states[state].proceeded += 1
            case .chase: states[state].chased += 1
            case .repeat: states[state].repeated += 1
            }
        }
        if role >= 0 { matrix[(role * itemCount + item) * GapKind.allCases.count + gap.rawValue] += 1 }
        if p.group >= 0 {
            let g = groupIndex(p.group)
            groups[g].checks += 1
            groups[g].gaps[gap.rawValue] += 1
        }
    }

    mutating func groupIndex(_ group: Int) -> Int {
        let g = min(max(group, 0), 999)
        if g >= groups.count { groups.append(contentsOf: repeatElement(GroupTally(), count: g - groups.count + 1)) }
        return g
    }

    public mutating func itemsShown(_ p: PatientContext, state: Int, unneeded: Int, needed: Int) {
        guard p.counted else { return }
        states[state].unneededShown += unneeded
        states[state].needed += needed
    }

    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        events += 1
    }

    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        guard p.counted else { return }
        lostHandoffs += lost
        // A handoff into a terminal state has no service to wait for: its delay is the transfer.
        if crossOrganisation && terminalStates[to] {
            handoffDelaySum += latency
            handoffDelays += 1
        }
    }

    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        guard p.counted else { return }
        let t = time - p.arrival
        patients += 1
        timeSum += t
        _ = timeInPathway.record(UInt64(max(t, 0) * 3600))
        crossHandoffs += p.crossOrganisationHandoffs
        internalHandoffs += p.internalHandoffs
        let k = min(p.crossOrganisationHandoffs, 50)
        if k >= crossHandoffCounts.count { crossHandoffCounts.append(contentsOf: repeatElement(0, count: k - crossHandoffCounts.count + 1)) }
        crossHandoffCounts[k] += 1
        delayedTransferSum += p.delayedTransfer
        terminalCounts[terminal] += 1
        if p.group >= 0 {
            let g = groupIndex(p.group)
            groups[g].patients += 1
            groups[g].timeSum += t
            groups[g].crossHandoffs += p.crossOrganisationHandoffs
            groups[g].delayedTransfer += p.delayedTransfer
        }
    }

    public mutating func runEnded(at time: Double) {
        for r in roles.indices { roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: time) }
        end = time
    }
}
