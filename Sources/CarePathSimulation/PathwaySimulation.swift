import CarePathEngine
import CarePathModel
import DequeModule
import Foundation
import HeapModule

/// One replication of a cohort going through a pathway: the pathway interpreted as data on top of
/// the generic event list. Roles are resources with queues and calendars; information items flow
/// through the variant's architecture; an observer sees everything and changes nothing.
public struct PathwaySimulation<Observer: SimulationObserver> {
    public let plan: SimulationPlan
    public var observer: Observer

    enum EventKind: UInt8 { case arrival, ready, end, release, opening, warmUp }
    struct Event { var kind: EventKind; var index: Int32 }

    struct QueuedPatient: Comparable {
        var key: Double
        var sequence: UInt64
        var slot: Int32
        static func < (a: Self, b: Self) -> Bool { a.key < b.key || (a.key == b.key && a.sequence < b.sequence) }
    }

    struct RoleState {
        var capacity: Int
        var busy = 0
        var fifo = Deque<Int32>()
        var priority = Heap<QueuedPatient>()
        var usesPriority: Bool
        var openingScheduled = false
        var queueLength: Int { usesPriority ? priority.count : fifo.count }
    }

    var events = EventList<Event>()
    var patients: [PatientRecord] = []
    var freeSlots: [Int32] = []
    var attributes: [Double] = []
    var items: [ItemRecord] = []
    var deliveries: [Delivery] = []
    var roles: [RoleState]
    var central: OutageProcess
    var sources: [OutageProcess]
    var queueSequence: UInt64 = 0

    let cohort: Cohort
    let warmUp: WarmUp
    let seed: UInt64
    let attributeSamplers: [AttributeSampler]
    var arrivals: RandomStream
    var arrived = 0
    let warmUpCount: Int
    /// Statistics have started.
    var counting: Bool
    let maximumWeeklyRate: Double
    let drawsAttributes: Bool
    let streamsUsed: SimulationPlan.StreamUse

    /// - Parameters:
    ///   - seed: the replication's seed; every stream (arrivals, each patient's durations,
    ///     branches, handoffs and information, outages) is derived from it and a fixed key.
    public init(plan: SimulationPlan, cohort: Cohort, warmUp: WarmUp, seed: UInt64, observer: Observer) {
        self.plan = plan
        self.observer = observer
        self.cohort = cohort
        self.warmUp = warmUp
        self.seed = seed
        roles = plan.roles.map { RoleState(capacity: $0.capacity, usesPriority: $0.prioritySlot != nil) }
        attributeSamplers = plan.pathway.attributes.map { AttributeSampler($0, cohort.attributes[$0.name]) }
        arrivals = RandomStream(seed: seed, key1: Streams.arrivals, key2: 0)
        let architecture = plan.settings.architecture
        if let outages = architecture.outages, architecture.option != .pointToPoint, architecture.option != .paper {
            central = OutageProcess(meanUp: outages.meanTimeBetween, meanDown: outages.meanDuration,
                                    rng: RandomStream(seed: seed, key1: Streams.outages, key2: 0))
        } else {
            central = .alwaysUp()
        }
        sources = plan.sourceAvailability.enumerated().map { o, availability in
            guard architecture.option == .federatedQuery, availability < 1 else { return .alwaysUp() }
            let down = architecture.sourceOutageMean
            return OutageProcess(meanUp: down * availability / max(1 - availability, 1e-12), meanDown: down,
                                 rng: RandomStream(seed: seed, key1: Streams.outages, key2: UInt64(o + 1)))
        }
        switch cohort.size {
        case .patients(let n):
            if case .fraction(let f) = warmUp { warmUpCount = Int((Double(n) * f).rounded()) } else { warmUpCount = 0 }
        case .horizon: warmUpCount = 0
        }
        switch warmUp {
        case .none: counting = true
        case .hours(let h): counting = h <= 0
        case .fraction: counting = warmUpCount == 0
        }
        if case .weekly(let rates) = cohort.arrivals { maximumWeeklyRate = rates.max() ?? 0 } else { maximumWeeklyRate = 0 }
        streamsUsed = plan.streamsUsed
        drawsAttributes = !attributeSamplers.isEmpty || plan.settings.consent.optOutRate > 0
    }


    /// Runs the replication to the end: every patient that arrives leaves by a terminal state.
    public mutating func run() {
        observer.runStarted(plan: plan)
        if counting { observer.warmUpEnded(at: 0) }
        if case .hours(let h) = warmUp, h > 0 { events.schedule(at: h, Event(kind: .warmUp, index: 0)) }
        scheduleNextArrival(after: 0)
        var now = 0.0
        while let (time, event) = events.next() {
            now = time
            switch event.kind {
            case .arrival: arrive(at: time)
            case .ready: enter(Int(event.index), at: time)
            case .end: finishActivity(Int(event.index), at: time)
            case .release: release(Int(plan.cores[patients[Int(event.index)].state].role), at: time)
            case .opening: open(role: Int(event.index), at: time)
            case .warmUp:
                counting = true
                observer.warmUpEnded(at: time)
            }
        }
        observer.runEnded(at: now)
    }

    // MARK: Arrivals

    mutating func scheduleNextArrival(after t: Double) {
        if case .patients(let n) = cohort.size, arrived >= n { return }
        var next = t
        switch cohort.arrivals {
        case .poisson(let rate):
            guard rate > 0 else { return }
            next += arrivals.exponential() / rate
        case .weekly(let rates):
            // Thinning (Lewis and Shedler 1979): candidates at the peak rate, kept in proportion.
            guard maximumWeeklyRate > 0, rates.count == 168 else { return }
            repeat {
                next += arrivals.exponential() / maximumWeeklyRate
            } while arrivals.uniform() * maximumWeeklyRate >= rates[Int(next.truncatingRemainder(dividingBy: 168))]
        }
        if case .horizon(let h) = cohort.size, next > h { return }
        events.schedule(at: next, Event(kind: .arrival, index: 0))
    }

    mutating func arrive(at t: Double) {
        let index = arrived
        arrived += 1
        if !counting && index == warmUpCount, case .fraction = warmUp {
            counting = true
            observer.warmUpEnded(at: t)
        }
        let slot: Int
        if let free = freeSlots.popLast() { slot = Int(free) } else {
            slot = patients.count
            patients.append(PatientRecord(index: 0, arrival: 0, state: 0, readyAt: 0, leftAt: 0, crossHandoffs: 0,
                                          internalHandoffs: 0, delayedTransfer: 0, counted: false, optedOut: false, group: -1,
                                          durations: RandomStream(seed: 0), branching: RandomStream(seed: 0),
                                          handoffs: RandomStream(seed: 0), information: RandomStream(seed: 0),
                                          recording: RandomStream(seed: 0)))
            attributes.append(contentsOf: repeatElement(0, count: plan.attributeCount))
            items.append(contentsOf: repeatElement(ItemRecord(), count: plan.itemCount))
            deliveries.append(contentsOf: repeatElement(Delivery(), count: plan.itemCount * plan.organisationCount))
        }
        let key = UInt64(index)
        var attributeStream = drawsAttributes ? RandomStream(seed: seed, key1: Streams.attributes, key2: key) : .unused
        let base = slot * plan.attributeCount
        for (i, sampler) in attributeSamplers.enumerated() { attributes[base + i] = sampler.sample(&attributeStream) }
        let optedOut: Bool
        if let optOutSlot = plan.optOutSlot { optedOut = attributes[base + optOutSlot] != 0 }
        else { optedOut = plan.settings.consent.optOutRate > 0 && attributeStream.uniform() < plan.settings.consent.optOutRate }
        let group = plan.group(of: attributes, base: base)
        if plan.itemCount > 0 {
            for i in slot * plan.itemCount..<(slot + 1) * plan.itemCount { items[i] = ItemRecord() }
            let d = plan.itemCount * plan.organisationCount
            for i in slot * d..<(slot + 1) * d { deliveries[i] = Delivery() }
        }
        // The patient's five streams come from one SplitMix64 sequence keyed by the arrival number,
        // each at a fixed position, so a stream is the same whether or not the others are made.
        let streams = RandomStream.Seeder(seed: seed, key1: Streams.patient, key2: key)
        let uses = streamsUsed
        patients[slot] = PatientRecord(
            index: index, arrival: t, state: plan.startState, readyAt: t, leftAt: -1, crossHandoffs: 0, internalHandoffs: 0,
            delayedTransfer: 0, counted: counting, optedOut: optedOut, group: Int32(group),
            durations: streams.stream(0), branching: uses.branching ? streams.stream(1) : .unused,
            handoffs: uses.handoffs ? streams.stream(2) : .unused, information: uses.information ? streams.stream(3) : .unused,
            recording: uses.recording ? streams.stream(4) : .unused)
        observer.patientArrived(context(slot), at: t)
        scheduleNextArrival(after: t)
        enter(slot, at: t)
    }

    @inline(__always)
    func context(_ slot: Int) -> PatientContext {
        patients.withUnsafeBufferPointer { all in
            let p = all[slot]
            return PatientContext(index: p.index, arrival: p.arrival, counted: p.counted, group: Int(p.group),
                                  crossOrganisationHandoffs: Int(p.crossHandoffs), internalHandoffs: Int(p.internalHandoffs),
                                  delayedTransfer: p.delayedTransfer, arrivedAcrossOrganisations: p.arrivedAcross)
        }
    }

    // MARK: States and roles

    /// The patient is ready for its current state.
    mutating func enter(_ slot: Int, at t: Double) {
        let state = patients[slot].state
        let core = plan.cores[state]
        patients[slot].readyAt = t
        if core.isTerminal {
            observer.patientLeft(context(slot), terminal: state, at: t)
            freeSlots.append(Int32(slot))
            return
        }
        guard core.occupiesRole else { begin(slot, at: t); return }
        let r = Int(core.role)
        if roles[r].busy < roles[r].capacity && roles[r].queueLength == 0 && isOpen(r, at: t) {
            roles[r].busy += 1
            observer.roleChanged(role: r, queueLength: 0, busy: roles[r].busy, at: t)
            begin(slot, at: t)
            return
        }
        if roles[r].usesPriority, let prioritySlot = plan.roles[r].prioritySlot {
            let value = attributes[slot * plan.attributeCount + prioritySlot]
            roles[r].priority.insert(QueuedPatient(key: plan.roles[r].highestFirst ? -value : value,
                                                   sequence: queueSequence, slot: Int32(slot)))
            queueSequence &+= 1
        } else {
            roles[r].fifo.append(Int32(slot))
        }
        observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
        scheduleOpeningIfClosed(r, at: t)
    }

    @inline(__always)
    func isOpen(_ r: Int, at t: Double) -> Bool {
        plan.roles[r].alwaysOpen || plan.roles[r].calendar.isOpen(atHour: t)
    }

    mutating func scheduleOpeningIfClosed(_ r: Int, at t: Double) {
        guard !roles[r].openingScheduled, !isOpen(r, at: t) else { return }
        let calendar = plan.roles[r].calendar
        roles[r].openingScheduled = true
        events.schedule(at: calendar.nextOpening(atOrAfter: t), Event(kind: .opening, index: Int32(r)))
    }

    mutating func dequeue(_ r: Int) -> Int? {
        if roles[r].usesPriority { return roles[r].priority.popMin().map { Int($0.slot) } }
        return roles[r].fifo.popFirst().map { Int($0) }
    }

    /// Starts as many queued patients as free staff allow, if the role is open.
    mutating func startQueued(_ r: Int, at t: Double) {
        guard roles[r].queueLength > 0 else { return }
        guard isOpen(r, at: t) else { scheduleOpeningIfClosed(r, at: t); return }
        while roles[r].busy < roles[r].capacity, let slot = dequeue(r) {
            roles[r].busy += 1
            observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
            begin(slot, at: t)
        }
    }

    /// One unit of the role is free again: the next patient starts if the role is open.
    mutating func release(_ r: Int, at t: Double) {
        roles[r].busy -= 1
        observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
        startQueued(r, at: t)
    }

    mutating func open(role r: Int, at t: Double) {
        roles[r].openingScheduled = false
        startQueued(r, at: t)
    }

    /// Service starts: the point of care. Needed items are checked, gaps handled, the activity timed.
    mutating func begin(_ slot: Int, at t: Double) {
        let state = patients[slot].state
        let core = plan.cores[state]
        let waited = t - patients[slot].readyAt
        // The wait before the first state is not a transfer: nothing was left yet.
        let delay = patients[slot].leftAt >= 0 ? t - patients[slot].leftAt : 0
        patients[slot].delayedTransfer += delay
        observer.stateStarted(context(slot), state: state, waited: waited, handoffDelay: delay, at: t)
        var information = (role: 0.0, wait: 0.0)
        if plan.itemCount > 0 { information = checkInformation(slot, core, state: state, at: t) }
        let busy = information.role + plan.samplers[Int(core.duration)].sample(&patients[slot].durations)
        if information.wait > 0 && core.occupiesRole {
            // The role is free once its work is done; the patient waits on for the chased information.
            patients[slot].releasedEarly = true
            events.schedule(at: t + busy, Event(kind: .release, index: Int32(slot)))
        }
        events.schedule(at: t + busy + information.wait, Event(kind: .end, index: Int32(slot)))
    }

    mutating func finishActivity(_ slot: Int, at t: Double) {
        let state = patients[slot].state
        let core = plan.cores[state]
        if core.occupiesRole && !patients[slot].releasedEarly { release(Int(core.role), at: t) }
        patients[slot].releasedEarly = false
        for k in core.produces {
            record(Int(plan.produceList[Int(k)]), slot: slot, organisation: Int(core.organisation), underRecording: core.underRecording, at: t)
        }
        observer.stateEnded(context(slot), state: state, at: t)

        let chosen = chooseBranch(slot, core.transitions)
        let transition = plan.transitions[chosen]
        let target = Int(transition.target)
        var latency = 0.0
        var lost = 0
        if transition.crossOrganisation {
            patients[slot].crossHandoffs += 1
            latency = plan.handoffLatency.sample(&patients[slot].handoffs)
            let loss = plan.settings.handoffs.loss
            // A lost referral is noticed after a while and sent again.
            while loss > 0 && lost < 100 && patients[slot].handoffs.uniform() < loss {
                lost += 1
                latency += plan.resendAfter.sample(&patients[slot].handoffs)
            }
            if !transition.carries.isEmpty {
                sendMessages(slot, from: Int(core.organisation), to: Int(plan.cores[target].organisation), carries: transition.carries, at: t)
            }
        } else if plan.cores[target].organisation >= 0 {
            // Leaving the pathway for a terminal state nobody owns is not a handoff.
            patients[slot].internalHandoffs += 1
        }
        patients[slot].leftAt = t
        patients[slot].arrivedAcross = transition.crossOrganisation
        patients[slot].state = target
        observer.handedOff(context(slot), from: state, to: target, crossOrganisation: transition.crossOrganisation,
                           latency: latency, lost: lost, at: t)
        if latency > 0 {
            events.schedule(at: t + latency, Event(kind: .ready, index: Int32(slot)))
        } else {
            enter(slot, at: t)
        }
    }

    /// Branches in order with one draw: a false `when` is skipped, a `p` takes its share, a
    /// `when` without `p` or the default takes everyone left.
    mutating func chooseBranch(_ slot: Int, _ range: Range<Int32>) -> Int {
        if range.count == 1 { return Int(range.lowerBound) }
        let u = patients[slot].branching.uniform()
        var cumulative = 0.0
        let base = slot * plan.attributeCount
        for i in range {
            let t = plan.transitions[Int(i)]
            if t.condition >= 0 {
                let condition = plan.conditions[Int(t.condition)]
                let holds = attributes.withUnsafeBufferPointer { all in
                    condition.evaluate(UnsafeBufferPointer(rebasing: all[base..<base + plan.attributeCount]))
                }
                if !holds { continue }
            }
            if t.probability.isNaN { return Int(i) }
            cumulative += t.probability
            if u < cumulative { return Int(i) }
        }
        return Int(range.upperBound) - 1
    }
}

/// Keys of the independent random streams derived from a replication's seed.
enum Streams {
    static let arrivals: UInt64 = 1, attributes: UInt64 = 2, patient: UInt64 = 3, outages: UInt64 = 7
}
