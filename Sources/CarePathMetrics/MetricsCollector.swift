import CarePathEngine
import CarePathModel
import CarePathSimulation
import Histogram

/// Streaming statistics of one replication: sums, time integrals and histograms, updated as the run
/// goes, so memory does not grow with the number of events.
///
/// The tallies live in slabs, written in place with no copy-on-write check per event, so the
/// collector is non-copyable: one run fills it, then `result()` reads it.
public struct MetricsCollector: SimulationObserver, ~Copyable {
    @usableFromInline struct RoleTally {
        @usableFromInline var lastChange = 0.0
        @usableFromInline var queueLength = 0
        @usableFromInline var busy = 0
        @usableFromInline var queueArea = 0.0
        @usableFromInline var busyArea = 0.0
        @usableFromInline var starts = 0
        @usableFromInline var waitSum = 0.0
        @usableFromInline var waits = DurationHistogram(highestTrackableValue: 3_600 * 24 * 365 * 20)
        @usableFromInline var chaseHours = 0.0
        /// Chase hours started within the measurement window (the utilisation's chasing part).
        @usableFromInline var windowChaseHours = 0.0
        @usableFromInline var repeatHours = 0.0
        @usableFromInline var series: TimeSeries
        /// Units held by patients ready to move on, and their time integral within the window.
        @usableFromInline var blocked = 0
        @usableFromInline var lastBlockedChange = 0.0
        @usableFromInline var blockedArea = 0.0
        /// Unit-hours in use beyond the rota's capacity (work finishing after a shift), within the window.
        @usableFromInline var overtime = 0.0
        /// The capacity varies with time: overtime is possible.
        @usableFromInline var rota = false
        @usableFromInline var balked = 0
        @usableFromInline var reneged = 0
    }

    /// Durations of one kind (waits of a group at a role, delays of transfers): how many, their
    /// sum, and their distribution for percentiles.
    @usableFromInline struct DurationTally {
        @usableFromInline var count = 0
        @usableFromInline var sum = 0.0
        @usableFromInline var histogram = DurationHistogram(highestTrackableValue: 3_600 * 24 * 365 * 20)

        @usableFromInline mutating func add(_ hours: Double) {
            count += 1
            sum += hours
            histogram.record(hours: hours)
        }

        var mean: Double { count > 0 ? sum / Double(count) : 0 }
    }

    /// Delayed transfers out of one role to one destination (or to any, per role).
    @usableFromInline struct HoldTally {
        /// Held unit-hours within the measurement window.
        @usableFromInline var windowHours = 0.0
        /// Delays from ready to moved of the counted patients held for any time.
        @usableFromInline var delays = DurationTally()

        /// Hours held inside the window, and the delay of a counted patient's transfer (nil: not counted).
        @usableFromInline mutating func add(windowHours: Double, held delay: Double?) {
            self.windowHours += windowHours
            if let delay { delays.add(delay) }
        }
    }

    @usableFromInline struct StateTally {
        @usableFromInline var visits = 0
        @usableFromInline var checks = 0
        @usableFromInline var gaps = [Int](repeating: 0, count: GapKind.allCases.count)
        @usableFromInline var proceeded = 0
        @usableFromInline var chased = 0
        @usableFromInline var repeated = 0
        @usableFromInline var unneededShown = 0
        @usableFromInline var needed = 0
        @usableFromInline var outcomes = 0
    }

    @usableFromInline struct GroupTally {
        @usableFromInline var patients = 0
        @usableFromInline var timeSum = 0.0
        @usableFromInline var crossHandoffs = 0
        @usableFromInline var delayedTransfer = 0.0
        @usableFromInline var gaps = [Int](repeating: 0, count: GapKind.allCases.count)
        @usableFromInline var checks = 0
    }

    /// Group indices across every breakdown a run may have.
    public static let groupKeys = CohortGroups.stride * CohortGroups.maximumCount
    public static let waitBinEdges: [Double] = [0, 1, 4, 12, 24, 72, 168, 336, 672]
    public static let timeBinEdges: [Double] = [0, 24, 72, 168, 336, 672, 1344, 2688, 5376]

    @usableFromInline var plan: SimulationPlan?
    /// What the hot methods need of a state, copied out of the plan once: reading the plan
    /// itself per event would copy (and retain) its arrays.
    @usableFromInline struct StateFacts {
        /// Index into `roles`, or -1.
        @usableFromInline var role: Int
        @usableFromInline var occupiesRole: Bool
        @usableFromInline var isTerminal: Bool
    }
    @usableFromInline var stateFacts = Slab<StateFacts>(capacity: 0)
    @usableFromInline var itemCount = 0
    @usableFromInline var statsStart = 0.0
    @usableFromInline var counting = false
    @usableFromInline var end = 0.0
    /// Each role's capacity by time, taken out of the plan once (overtime reads it at role changes).
    @usableFromInline var schedules: [CapacitySchedule] = []
    /// End of the measurement window: the last arrival or the declared horizon (infinity until known).
    @usableFromInline var windowEnd = Double.infinity
    /// Delayed transfers by held role and destination state (role * states + state), and by role alone.
    @usableFromInline var holds: [Int: HoldTally] = [:]
    @usableFromInline var roleHolds: [Int: HoldTally] = [:]
    /// What the dimensions did to information: counts by state and effect (state * effects + effect),
    /// of counted patients, and role hours by role and effect.
    @usableFromInline var effectCounts: [Int: Int] = [:]
    @usableFromInline var effectHours: [Int: Double] = [:]
    /// The same counts by item (item * kinds + effect), and those a channel caused (option's
    /// position * kinds + effect) with the role hours they cost.
    @usableFromInline var itemEffectCounts: [Int: Int] = [:]
    @usableFromInline var channelEffectCounts: [Int: Int] = [:]
    @usableFromInline var channelEffectHours: [Int: Double] = [:]
    /// Waits by role and cohort group (role * groupKeys + the group's index across breakdowns).
    @usableFromInline var groupWaits: [Int: DurationTally] = [:]
    @usableFromInline var roles = Slab<RoleTally>(capacity: 0)
    @usableFromInline var states = Slab<StateTally>(capacity: 0)
    /// [role][item][gap kind]: the who-needs-what-when matrix.
    @usableFromInline var matrix = Slab<Int>(capacity: 0)
    @usableFromInline var groups = Slab<GroupTally>(capacity: 0)
    @usableFromInline var arrivals = 0
    @usableFromInline var patients = 0
    @usableFromInline var timeSum = 0.0
    @usableFromInline var timeInPathway = DurationHistogram(highestTrackableValue: 3_600 * 24 * 365 * 50)
    @usableFromInline var crossHandoffs = 0
    @usableFromInline var internalHandoffs = 0
    @usableFromInline var crossHandoffCounts = Slab<Int>(capacity: 8)
    @usableFromInline var handoffDelaySum = 0.0
    @usableFromInline var handoffDelays = 0
    @usableFromInline var lostHandoffs = 0
    @usableFromInline var delayedTransferSum = 0.0
    @usableFromInline var terminalCounts = Slab<Int>(capacity: 0)
    @usableFromInline var eventCount = 0
    /// Events seen: arrivals, starts and ends of states.
    public var events: Int { eventCount }

    public init() {}

    public mutating func runStarted(plan: SimulationPlan) {
        self.plan = plan
        roles = Slab(repeating: RoleTally(series: TimeSeries(start: 0)), count: plan.roles.count)
        for (r, role) in plan.roles.enumerated() { roles[r].rota = role.schedule.constant == nil }
        schedules = plan.roles.map(\.schedule)
        states = Slab(repeating: StateTally(), count: plan.states.count)
        stateFacts = Slab(plan.states.map { StateFacts(role: $0.role, occupiesRole: $0.occupiesRole, isTerminal: $0.isTerminal) })
        itemCount = plan.itemCount
        matrix = Slab(repeating: 0, count: plan.roles.count * plan.itemCount * GapKind.allCases.count)
        terminalCounts = Slab(repeating: 0, count: plan.states.count)
    }

    public mutating func warmUpEnded(at time: Double) {
        // Time integrals restart here; the queue as it stands carries on.
        statsStart = time
        counting = true
        for r in 0..<roles.count {
            roles[r].lastChange = time
            roles[r].lastBlockedChange = time
            roles[r].series = TimeSeries(start: time)
        }
    }

    public mutating func arrivalsEnded(at time: Double) {
        windowEnd = time
    }

    // The methods called at every event are inlined into the simulation, in whichever module
    // specialises it for this observer (hence @inlinable and the @usableFromInline tallies): a
    // call per event, and the patient context built for it, cost more than most of these bodies.
    @inlinable @inline(__always)
    public mutating func patientArrived(_ p: PatientContext, at time: Double) {
        eventCount += 1
        if p.counted { arrivals += 1 }
    }

    @inlinable @inline(__always)
    public mutating func roleChanged(role: Int, queueLength: Int, busy: Int, at time: Double) {
        if counting {
            let dt = time - roles[role].lastChange
            if dt > 0 {
                roles[role].queueArea += Double(roles[role].queueLength) * dt
                // Busy time only within the measurement window: the drain after the last arrival
                // would otherwise dilute utilisation.
                let busyEnd = min(time, windowEnd)
                if busyEnd > roles[role].lastChange {
                    roles[role].busyArea += Double(roles[role].busy) * (busyEnd - roles[role].lastChange)
                    if roles[role].rota { addOvertime(role, from: roles[role].lastChange, to: busyEnd) }
                }
                roles[role].series.add(value: Double(roles[role].queueLength), from: roles[role].lastChange, to: time)
            }
            roles[role].lastChange = time
        }
        roles[role].queueLength = queueLength
        roles[role].busy = busy
    }

    @inlinable @inline(__always)
    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        eventCount += 1
        let facts = stateFacts[state]
        let role = facts.role
        if counting && facts.occupiesRole && role >= 0 {
            roles[role].starts += 1
            roles[role].waitSum += waited
            roles[role].waits.record(hours: waited)
            if p.groups.count > 0 { recordGroupWaits(role: role, groups: p.groups, waited: waited) }
        }
        guard p.counted else { return }
        states[state].visits += 1
        if p.arrivedAcrossOrganisations {
            handoffDelaySum += handoffDelay
            handoffDelays += 1
        }
    }

    @inlinable
    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse,
                                     timeSpent: Double, at time: Double) {
        let role = stateFacts[state].role
        if counting && role >= 0 && timeSpent > 0 {
            if response == .chase {
                roles[role].chaseHours += timeSpent
                if time < windowEnd { roles[role].windowChaseHours += timeSpent }
            } else if response == .repeat { roles[role].repeatHours += timeSpent }
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
        for b in 0..<p.groups.count {
            let g = groupIndex(p.groups.global(b))
            groups[g].checks += 1
            groups[g].gaps[gap.rawValue] += 1
        }
    }

    @usableFromInline mutating func groupIndex(_ group: Int) -> Int {
        let g = min(max(group, 0), Self.groupKeys - 1)
        if g >= groups.count { groups.append(repeating: GroupTally(), count: g - groups.count + 1) }
        return g
    }

    @inlinable
    public mutating func itemsShown(_ p: PatientContext, state: Int, unneeded: Int, needed: Int) {
        guard p.counted else { return }
        states[state].unneededShown += unneeded
        states[state].needed += needed
    }

    @inlinable @inline(__always)
    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        eventCount += 1
    }

    @inlinable @inline(__always)
    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        guard p.counted else { return }
        lostHandoffs += lost
        // A handoff into a terminal state has no service to wait for: its delay is the transfer.
        if crossOrganisation && stateFacts[to].isTerminal {
            handoffDelaySum += latency
            handoffDelays += 1
        }
    }

    @inlinable
    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        guard p.counted else { return }
        let t = time - p.arrival
        patients += 1
        timeSum += t
        timeInPathway.record(hours: t)
        crossHandoffs += p.crossOrganisationHandoffs
        internalHandoffs += p.internalHandoffs
        let k = min(p.crossOrganisationHandoffs, 50)
        if k >= crossHandoffCounts.count { crossHandoffCounts.append(repeating: 0, count: k - crossHandoffCounts.count + 1) }
        crossHandoffCounts[k] += 1
        delayedTransferSum += p.delayedTransfer
        terminalCounts[terminal] += 1
        for b in 0..<p.groups.count {
            let g = groupIndex(p.groups.global(b))
            groups[g].patients += 1
            groups[g].timeSum += t
            groups[g].crossHandoffs += p.crossOrganisationHandoffs
            groups[g].delayedTransfer += p.delayedTransfer
        }
    }

    public mutating func runEnded(at time: Double) {
        for r in 0..<roles.count {
            roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: time)
            roleBlocked(role: r, blocked: roles[r].blocked, at: time)
        }
        end = time
    }

    // MARK: Holding, balking, reneging, rotas (not per event: only where a pathway uses them)

    public mutating func roleBlocked(role: Int, blocked: Int, at time: Double) {
        if counting {
            let to = min(time, windowEnd)
            if to > roles[role].lastBlockedChange { roles[role].blockedArea += Double(roles[role].blocked) * (to - roles[role].lastBlockedChange) }
        }
        roles[role].lastBlockedChange = time
        roles[role].blocked = blocked
    }

    public mutating func holdEnded(_ p: PatientContext, role: Int, from: Int, to: Int, held: Double, at time: Double) {
        // Held hours inside the measurement window count whoever held them; transfers and their
        // delays count the patients who are counted.
        let inWindow = counting ? max(0, min(time, windowEnd) - max(time - held, statsStart)) : 0
        let held = p.counted && held > 0 ? held : nil
        holds[role * max(stateFacts.count, 1) + to, default: HoldTally()].add(windowHours: inWindow, held: held)
        roleHolds[role, default: HoldTally()].add(windowHours: inWindow, held: held)
    }

    public mutating func informationEffect(_ p: PatientContext, state: Int, item: Int, effect: InformationEffect, hours: Double, at time: Double) {
        let kinds = InformationEffect.allCases.count
        if p.counted {
            effectCounts[state * kinds + effect.rawValue, default: 0] += 1
            if item >= 0 { itemEffectCounts[item * kinds + effect.rawValue, default: 0] += 1 }
            // Collected again although readable: a duplicate like those of the repeat policy.
            if effect == .mistrustRepeat { states[state].repeated += 1 }
        }
        let role = stateFacts[state].role
        if counting && hours > 0 && role >= 0 && time < windowEnd { effectHours[role * kinds + effect.rawValue, default: 0] += hours }
    }

    public mutating func channelEffect(_ p: PatientContext, channel: ArchitectureOption, effect: InformationEffect, hours: Double, at time: Double) {
        let key = (ArchitectureOption.allCases.firstIndex(of: channel) ?? 0) * InformationEffect.allCases.count + effect.rawValue
        if p.counted { channelEffectCounts[key, default: 0] += 1 }
        // As role hours are counted: within the measurement window (the patient's effect time is now).
        if counting && hours > 0 && time < windowEnd { channelEffectHours[key, default: 0] += hours }
    }

    public mutating func queueLeft(_ p: PatientContext, role: Int, state: Int, to: Int, gaveUp: Bool, waited: Double, at time: Double) {
        guard counting else { return }
        if gaveUp { roles[role].reneged += 1 } else { roles[role].balked += 1 }
    }

    @usableFromInline mutating func addOvertime(_ role: Int, from a: Double, to b: Double) {
        let inUse = roles[role].busy
        roles[role].overtime += schedules[role].integrate(from: a, to: b) { Double(max(0, inUse - $0)) }
    }

    /// Out of line: the per-event method that calls it stays small enough to be inlined.
    @usableFromInline mutating func recordGroupWaits(role: Int, groups: CohortGroups, waited: Double) {
        for b in 0..<groups.count {
            groupWaits[role * Self.groupKeys + min(max(groups.global(b), 0), Self.groupKeys - 1), default: DurationTally()].add(waited)
        }
    }
}
