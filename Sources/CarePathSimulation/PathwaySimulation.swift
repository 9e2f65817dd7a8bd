import CarePathEngine
import CarePathModel
import Foundation
import HeapModule

/// One replication of a cohort going through a pathway: the pathway interpreted as data on top of
/// the generic event list. Roles are resources with queues and calendars; information items flow
/// through the variant's architecture; an observer sees everything and changes nothing.
///
/// Everything the event loop touches lives in slabs indexed by integers (patients by slot, roles,
/// states, transitions), so that no event pays for copy-on-write or index checks; the simulation
/// owns that memory and is therefore non-copyable.
public struct PathwaySimulation<Observer: SimulationObserver & ~Copyable>: ~Copyable {
    public let plan: SimulationPlan
    public var observer: Observer

    enum EventKind: UInt8 { case ready, end, release, opening, warmUp, giveUp, free }
    /// `tag` tells a give-up event which wait it belongs to (it fits in the padding: no bigger event).
    struct Event: BitwiseCopyable {
        var kind: EventKind
        var tag: UInt16 = 0
        var index: Int32
        init(kind: EventKind, index: Int32, tag: UInt16 = 0) { self.kind = kind; self.index = index; self.tag = tag }
    }

    struct QueuedPatient: Comparable {
        var key: Double
        var sequence: UInt64
        var slot: Int32
        static func < (a: Self, b: Self) -> Bool { a.key < b.key || (a.key == b.key && a.sequence < b.sequence) }
    }

    struct RoleState: BitwiseCopyable {
        /// Capacity when constant (always open); the rota's schedule otherwise.
        var capacity: Int
        /// Units in use: in service, or held by a patient waiting to move on (`blocked` of them).
        var busy = 0
        var blocked = 0
        /// When the last unit was held: the time a circular hold closed, if it did.
        var lastHeldAt = 0.0
        /// Most patients waiting (-1: no limit) and the state the others go to.
        var limit: Int32 = -1
        var overflowState: Int32 = -1
        /// Patients give up after a patience drawn from this sampler (-1: never), going to `giveUpState`.
        var patienceSampler: Int32 = -1
        var giveUpState: Int32 = -1
        /// Patients waiting, in the FIFO ring or the priority heap.
        var queueLength = 0
        var usesPriority: Bool
        /// Open round the clock: no calendar arithmetic.
        var alwaysOpen: Bool
        var openingScheduled = false
    }

    var events = EventList<Event>()
    var patients = Slab<PatientRecord>(capacity: 256)
    var freeSlots = Slab<Int32>(capacity: 256)
    var attributes = Slab<Double>(capacity: 256)
    var items = Slab<ItemRecord>(capacity: 256)
    var deliveries = Slab<Delivery>(capacity: 256)
    /// Per slot, only for pathways with holds or patience (`tracksWaiting`).
    var waiting = Slab<PatientWaiting>(capacity: 0)
    let tracksWaiting: Bool
    var roles: Slab<RoleState>
    var fifo: RoleQueues
    /// Priority queues, one per role (empty for first-come-first-served roles).
    var priority: [Heap<QueuedPatient>]
    /// The plan's states and transitions as the event loop reads them.
    let cores: Slab<SimulationPlan.StateCore>
    /// The information effects of each state (read only where `hasEffects`).
    let effects: Slab<SimulationPlan.StateEffects>
    let transitions: Slab<SimulationPlan.TransitionCore>
    let conditions: Slab<CompiledCondition>
    /// Durations and branch shares by patient attributes (see PathwaySimulation+Cohort.swift).
    let durationCases: Slab<SimulationPlan.DurationCase>, shareCases: Slab<SimulationPlan.ShareCase>
    let breakdowns: BreakdownTable
    /// The plan's samplers, drawn in place (reading one out of an array copied its enum,
    /// references and all, per draw).
    let samplers: Slab<Sampler>
    let itemCount: Int
    let handoffLoss: Double
    var central: OutageProcess
    var sources: [OutageProcess]
    var queueSequence: UInt64 = 0

    let cohort: Cohort
    let warmUp: WarmUp
    let seed: UInt64
    let cohortSampler: CohortSampler
    var arrivals: RandomStream
    var arrived = 0
    /// The next arrival, held beside the event list rather than in it (there is only ever one):
    /// a push and a pop fewer per patient. It has the sequence number it would have had in the
    /// list, so events come out in the same order either way.
    var nextArrival = Double.infinity
    var nextArrivalNumber: UInt64 = 0
    let warmUpCount: Int
    /// Statistics have started.
    var counting: Bool
    let maximumWeeklyRate: Double
    let drawsAttributes: Bool
    let streamsUsed: SimulationPlan.StreamUse
    /// The cohort and consent settings the arrival of every patient reads, taken out of their
    /// enums and structs once.
    let patientLimit: Int, horizon: Double, poissonRate: Double?, optOutRate: Double
    let exponential = ExponentialSource()
    /// Some item may exist before the pathway starts.
    let hasExisting: Bool
    /// Arrival-rate multipliers by calendar month and their largest, when the cohort has them.
    let monthlyFactors: [Double]?, largestMonthlyFactor: Double
    /// Patients arrived and not yet left.
    var inSystem = 0
    /// Set when the run ended with patients who could never move on, or was stopped (see `StuckRun`).
    public internal(set) var stuck: StuckRun?
    /// The run was stopped: the event loop ends at its next turn.
    var halted = false
    /// States a patient may enter before the run stops (`Bounds.defaultMaximumStateEntries`).
    let maximumStateEntries: Int32
    var runaway = Runaway()
    /// A caller's request to stop (a cancelled live run), checked every `stopCheckInterval` events.
    let stopSignal: StopSignal?
    static var stopCheckInterval: Int { 4096 }

    /// - Parameters:
    ///   - seed: the replication's seed; every stream (arrivals, each patient's durations,
    ///     branches, handoffs and information, outages) is derived from it and a fixed key.
    ///   - maximumStateEntries: states one patient may enter before the run stops as a run-away.
    public init(plan: SimulationPlan, cohort: Cohort, warmUp: WarmUp, seed: UInt64,
                maximumStateEntries: Int = Bounds.defaultMaximumStateEntries, stopSignal: StopSignal? = nil,
                observer: consuming Observer) {
        self.plan = plan
        self.stopSignal = stopSignal
        self.maximumStateEntries = Int32(clamping: max(maximumStateEntries, 1))
        self.observer = observer
        self.cohort = cohort
        self.warmUp = warmUp
        self.seed = seed
        roles = Slab(plan.roles.map {
            // A limit beyond what an Int32 holds is no limit that could ever be reached.
            RoleState(capacity: $0.capacity, limit: Int32(clamping: $0.limit), overflowState: Int32($0.overflowState),
                      patienceSampler: Int32($0.patienceSampler), giveUpState: Int32($0.giveUpState),
                      usesPriority: $0.prioritySlot != nil, alwaysOpen: $0.alwaysOpen)
        })
        hasExisting = plan.hasExisting
        tracksWaiting = plan.usesHolding || plan.roles.contains { $0.patienceSampler >= 0 }
        fifo = RoleQueues(roles: plan.roles.count)
        priority = Array(repeating: Heap(), count: plan.roles.count)
        cores = Slab(plan.cores)
        effects = Slab(plan.effects)
        transitions = Slab(plan.transitions)
        conditions = Slab(plan.conditions)
        durationCases = Slab(plan.durationCases)
        shareCases = Slab(plan.shareCases)
        breakdowns = BreakdownTable(plan)
        samplers = Slab(plan.samplers)
        itemCount = plan.itemCount
        handoffLoss = plan.settings.handoffs.loss
        cohortSampler = CohortSampler(pathway: plan.pathway, cohort: cohort)
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
        drawsAttributes = !cohortSampler.isEmpty || plan.settings.consent.optOutRate > 0
        switch cohort.size {
        case .patients(let n): (patientLimit, horizon) = (n, .infinity)
        case .horizon(let h): (patientLimit, horizon) = (.max, h)
        }
        if case .poisson(let rate) = cohort.arrivals { poissonRate = rate } else { poissonRate = nil }
        optOutRate = plan.settings.consent.optOutRate
        if let factors = cohort.monthlyFactors, factors.count == 12, plan.calendar.start != nil, (factors.max() ?? 0) > 0 {
            monthlyFactors = factors
            largestMonthlyFactor = factors.max() ?? 1
        } else {
            monthlyFactors = nil
            largestMonthlyFactor = 1
        }
    }


    /// The observer, once the run is over.
    public consuming func finish() -> Observer { observer }

    /// Runs the replication to the end: every patient that arrives leaves by a terminal state.
    public mutating func run() {
        observer.runStarted(plan: plan)
        if counting { observer.warmUpEnded(at: 0) }
        if case .hours(let h) = warmUp, h > 0 { events.schedule(at: h, Event(kind: .warmUp, index: 0)) }
        scheduleNextArrival(after: 0)
        var now = 0.0
        var untilStopCheck = Self.stopCheckInterval
        while !halted {
            untilStopCheck &-= 1
            if untilStopCheck == 0 {
                untilStopCheck = Self.stopCheckInterval
                if let stopSignal, stopSignal.isStopped { halt(stoppedBy: cancelled(at: now)); break }
            }
            if nextArrival < .infinity && events.isBefore(time: nextArrival, number: nextArrivalNumber) {
                now = nextArrival
                arrive(at: now)
                continue
            }
            guard let (time, event) = events.next() else { break }
            now = time
            switch event.kind {
            case .ready: enter(Int(event.index), at: time)
            case .end: finishActivity(Int(event.index), at: time)
            case .release: release(Int(cores[patients[Int(event.index)].state].role), at: time)
            case .opening: open(role: Int(event.index), at: time)
            case .giveUp: giveUp(Int(event.index), tag: event.tag, at: time)
            case .free: release(Int(event.index), at: time)
            case .warmUp:
                counting = true
                observer.warmUpEnded(at: time)
            }
        }
        if inSystem > 0 && !halted { stuck = diagnoseStuck(at: now) }
        observer.runEnded(at: now)
    }

    // MARK: Arrivals

    mutating func scheduleNextArrival(after t: Double) {
        nextArrival = .infinity
        if arrived >= patientLimit { return endArrivals(at: t) }
        var next = t
        if monthlyFactors != nil {
            next = nextSeasonalArrival(after: t)
        } else if let rate = poissonRate {
            guard rate > 0 else { return endArrivals(at: t) }
            next += exponential.draw(&arrivals) / rate
        } else if case .weekly(let rates) = cohort.arrivals {
            // Thinning (Lewis and Shedler 1979): candidates at the peak rate, kept in proportion.
            guard maximumWeeklyRate > 0, rates.count == 168 else { return endArrivals(at: t) }
            repeat {
                next += exponential.draw(&arrivals) / maximumWeeklyRate
            } while arrivals.uniform() * maximumWeeklyRate >= rates[Int(next.truncatingRemainder(dividingBy: 168))]
        }
        if next > horizon || !next.isFinite { return endArrivals(at: t) }
        nextArrival = next
        nextArrivalNumber = events.takeSequence()
    }

    /// The measurement window ends at the last arrival, or at the declared horizon.
    mutating func endArrivals(at t: Double) {
        observer.arrivalsEnded(at: horizon.isFinite ? max(horizon, t) : t)
    }

    /// Arrivals whose rate is also multiplied by the month's demand factor: thinning at the peak
    /// of both, so that the candidates and their acceptance use the same arrival stream.
    mutating func nextSeasonalArrival(after t: Double) -> Double {
        guard let factors = monthlyFactors else { return .infinity }
        let peak = (poissonRate ?? maximumWeeklyRate) * largestMonthlyFactor
        guard peak > 0 else { return .infinity }
        var next = t
        for _ in 0..<1_000_000 {
            next += exponential.draw(&arrivals) / peak
            guard next < 1e12 else { return .infinity }
            var rate = poissonRate ?? 0
            if poissonRate == nil, case .weekly(let rates) = cohort.arrivals, rates.count == 168 {
                rate = rates[Int(next.truncatingRemainder(dividingBy: 168))]
            }
            let month = plan.calendar.monthIndex(ofDay: Int(next / 24)) ?? 0
            if arrivals.uniform() * peak < rate * factors[month] { return next }
        }
        return .infinity
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
                                          internalHandoffs: 0, delayedTransfer: 0, counted: false, optedOut: false, groups: CohortGroups(),
                                          durations: .unused, branching: .unused, handoffs: .unused, information: .unused,
                                          recording: .unused))
            attributes.append(repeating: 0, count: plan.attributeCount)
            items.append(repeating: ItemRecord(), count: plan.itemCount)
            deliveries.append(repeating: Delivery(), count: plan.itemCount * plan.organisationCount)
        }
        inSystem += 1
        let key = UInt64(index)
        var attributeStream = drawsAttributes ? RandomStream(seed: seed, key1: Streams.attributes, key2: key) : .unused
        let base = slot * plan.attributeCount
        drawAttributes(base, &attributeStream)
        let optedOut: Bool
        if let optOutSlot = plan.optOutSlot { optedOut = attributes[base + optOutSlot] != 0 }
        else { optedOut = optOutRate > 0 && attributeStream.uniform() < optOutRate }
        let groups = breakdowns.isEmpty ? CohortGroups() : cohortGroups(base)
        if itemCount > 0 {
            items.fill(slot * itemCount..<(slot + 1) * itemCount, with: ItemRecord())
            let d = itemCount * plan.organisationCount
            deliveries.fill(slot * d..<(slot + 1) * d, with: Delivery())
        }
        // The patient's five streams come from one SplitMix64 sequence keyed by the arrival number,
        // each at a fixed position, so a stream is the same whether or not the others are made.
        let streams = RandomStream.Seeder(seed: seed, key1: Streams.patient, key2: key)
        let uses = streamsUsed
        patients[slot] = PatientRecord(
            index: index, arrival: t, state: plan.startState, readyAt: t, leftAt: -1, crossHandoffs: 0, internalHandoffs: 0,
            delayedTransfer: 0, counted: counting, optedOut: optedOut, groups: groups,
            durations: streams.stream(0), branching: uses.branching ? streams.stream(1) : .unused,
            handoffs: uses.handoffs ? streams.stream(2) : .unused, information: uses.information ? streams.stream(3) : .unused,
            recording: uses.recording ? streams.stream(4) : .unused)
        if tracksWaiting {
            if waiting.count <= slot { waiting.append(repeating: PatientWaiting(), count: slot + 1 - waiting.count) }
            // Give-up events of the slot's earlier patients must never match this one's waits.
            waiting[slot] = PatientWaiting(queueTag: waiting[slot].queueTag &+ 1,
                                           queueing: uses.queueing ? streams.stream(5) : .unused)
        }
        if hasExisting { recordExisting(slot, at: t) }
        let arrived = context(slot)
        observer.patientArrived(arrived, at: t)
        for a in 0..<plan.attributeCount { observer.patientAttribute(arrived, attribute: a, value: attributes[base + a]) }
        scheduleNextArrival(after: t)
        enter(slot, at: t)
    }

    @inline(__always)
    func context(_ slot: Int) -> PatientContext {
        let p = patients[slot]
        return PatientContext(index: p.index, arrival: p.arrival, counted: p.counted, group: p.groups.first, groups: p.groups,
                              crossOrganisationHandoffs: Int(p.crossHandoffs), internalHandoffs: Int(p.internalHandoffs),
                              delayedTransfer: p.delayedTransfer, arrivedAcrossOrganisations: p.arrivedAcross)
    }

    // MARK: States and roles

    /// The patient is ready for its current state.
    mutating func enter(_ slot: Int, at t: Double) {
        let state = patients[slot].state
        let core = cores[state]
        patients[slot].readyAt = t
        patients[slot].entries &+= 1
        if patients[slot].entries > maximumStateEntries { overLimit(slot, state: state, at: t) }
        if core.isTerminal {
            if patients[slot].heldRole >= 0 { endHold(slot, acceptedBy: state, at: t) }
            observer.patientLeft(context(slot), terminal: state, at: t)
            freeSlots.append(Int32(slot))
            inSystem -= 1
            return
        }
        guard core.occupiesRole else { begin(slot, at: t); return }
        let r = Int(core.role)
        if patients[slot].heldRole == core.role { return takeOverHeldUnit(slot, at: t) }
        if roles[r].queueLength == 0 && roles[r].busy < capacity(r, at: t) {
            roles[r].busy += 1
            observer.roleChanged(role: r, queueLength: 0, busy: roles[r].busy, at: t)
            begin(slot, at: t)
            return
        }
        if roles[r].limit >= 0 && roles[r].queueLength >= Int(roles[r].limit) { return balk(slot, role: r, at: t) }
        if roles[r].usesPriority, let prioritySlot = plan.roles[r].prioritySlot {
            let value = attributes[slot * plan.attributeCount + prioritySlot]
            priority[r].insert(QueuedPatient(key: plan.roles[r].highestFirst ? -value : value,
                                             sequence: queueSequence, slot: Int32(slot)))
            queueSequence &+= 1
        } else {
            fifo.append(Int32(slot), to: r)
        }
        roles[r].queueLength += 1
        observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
        if roles[r].patienceSampler >= 0 { startPatience(slot, role: r, at: t) }
        scheduleRiseIfWaiting(r, at: t)
    }

    /// Units that may be in use at `t`: the constant capacity, or the rota's at that time.
    @inline(__always)
    func capacity(_ r: Int, at t: Double) -> Int {
        roles[r].alwaysOpen ? roles[r].capacity : plan.roles[r].schedule.capacity(atHour: t)
    }

    @inline(__always)
    mutating func scheduleRiseIfWaiting(_ r: Int, at t: Double) {
        // Inlined for the commonest case, a role open round the clock at one capacity: nothing to do.
        guard !roles[r].alwaysOpen else { return }
        scheduleRise(r, at: t)
    }

    /// Patients wait: wake the role when its rota next adds capacity (a window opens, a bigger
    /// shift starts), since nobody finishing may free a unit before then.
    mutating func scheduleRise(_ r: Int, at t: Double) {
        guard !roles[r].openingScheduled, roles[r].queueLength > 0 else { return }
        let next = plan.roles[r].schedule.nextRise(after: t)
        guard next.isFinite else { return }
        roles[r].openingScheduled = true
        events.schedule(at: next, Event(kind: .opening, index: Int32(r)))
    }

    @inline(__always)
    mutating func dequeue(_ r: Int) -> Int? {
        guard roles[r].queueLength > 0 else { return nil }
        roles[r].queueLength -= 1
        let slot: Int?
        if roles[r].usesPriority { slot = priority[r].popMin().map { Int($0.slot) } } else { slot = fifo.popFirst(of: r).map { Int($0) } }
        if roles[r].patienceSampler >= 0, let slot { waiting[slot].waitingRole = -1 }
        return slot
    }

    /// Starts as many queued patients as the capacity at `t` allows.
    mutating func startQueued(_ r: Int, at t: Double) {
        guard roles[r].queueLength > 0 else { return }
        let available = capacity(r, at: t)
        while roles[r].busy < available, let slot = dequeue(r) {
            roles[r].busy += 1
            observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
            begin(slot, at: t)
        }
        scheduleRiseIfWaiting(r, at: t)
    }

    /// One unit of the role is free again: the next patient starts if the capacity at `t` allows
    /// (after a shift has shrunk, a freed unit may not be used again).
    mutating func release(_ r: Int, at t: Double) {
        // With someone waiting and room, the freed unit passes straight to them: one change of
        // the role (the queue one shorter, as many busy), not a release and a start.
        if roles[r].queueLength > 0 && (roles[r].alwaysOpen || roles[r].busy <= capacity(r, at: t)), let slot = dequeue(r) {
            observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
            begin(slot, at: t)
            return
        }
        roles[r].busy -= 1
        observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
        scheduleRiseIfWaiting(r, at: t)
    }

    mutating func open(role r: Int, at t: Double) {
        roles[r].openingScheduled = false
        startQueued(r, at: t)
    }

    /// Service starts: the point of care. Needed items are checked, gaps handled, the activity timed.
    mutating func begin(_ slot: Int, at t: Double) {
        let state = patients[slot].state
        let core = cores[state]
        if patients[slot].heldRole >= 0 && accepts(slot, state) { endHold(slot, acceptedBy: state, at: t) }
        let waited = t - patients[slot].readyAt
        // The wait before the first state is not a transfer: nothing was left yet.
        let delay = patients[slot].leftAt >= 0 ? t - patients[slot].leftAt : 0
        patients[slot].delayedTransfer += delay
        observer.stateStarted(context(slot), state: state, waited: waited, handoffDelay: delay, at: t)
        var information = (role: 0.0, wait: 0.0)
        if itemCount > 0 { information = checkInformation(slot, core, state: state, at: t) }
        // One draw from the durations stream either way, from the sampler the patient's attributes choose.
        let duration = core.durationAlternatives.isEmpty ? Int(core.duration) : durationSampler(slot, core)
        var busy = information.role + draw(duration, .durations, slot, at: t)
        if core.documents && !core.produces.isEmpty { busy += documenting(slot, core, state: state, at: t) }
        if information.wait > 0 && core.occupiesRole && !core.holds {
            // The role is free once its work is done; the patient waits on for the chased information.
            patients[slot].releasedEarly = true
            events.schedule(at: t + busy, Event(kind: .release, index: Int32(slot)))
        }
        events.schedule(at: t + busy + information.wait, Event(kind: .end, index: Int32(slot)))
    }

    mutating func finishActivity(_ slot: Int, at t: Double) {
        let state = patients[slot].state
        let core = cores[state]
        if core.occupiesRole && !patients[slot].releasedEarly {
            if core.holds { startHold(slot, role: Int(core.role), state: state, at: t) } else { release(Int(core.role), at: t) }
        }
        patients[slot].releasedEarly = false
        for k in core.produces {
            record(Int(plan.produceList[Int(k)]), slot: slot, organisation: Int(core.organisation), underRecording: core.underRecording,
                   state: core.hasEffects ? state : -1, at: t)
        }
        if !core.sends.isEmpty { sendOnItsOwn(slot, core.sends, from: Int(core.organisation), at: t) }
        observer.stateEnded(context(slot), state: state, at: t)

        let chosen = core.transitions.count == 1 ? Int(core.transitions.lowerBound) : chooseBranch(slot, core.transitions)
        let transition = transitions[chosen]
        let target = Int(transition.target)
        var latency = 0.0
        var lost = 0
        if transition.crossOrganisation {
            patients[slot].crossHandoffs += 1
            latency = draw(plan.handoffLatency, .handoffs, slot, at: t)
            let loss = handoffLoss
            // A lost referral is noticed after a while and sent again.
            while loss > 0 && lost < 100 && patients[slot].handoffs.uniform() < loss {
                lost += 1
                latency += draw(plan.resendAfter, .handoffs, slot, at: t)
            }
            if !transition.carries.isEmpty {
                sendMessages(slot, from: Int(core.organisation), to: Int(cores[target].organisation), carries: transition.carries, at: t)
            }
        } else if cores[target].organisation >= 0 {
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
    mutating func chooseBranch(_ slot: Int, _ range: ListSpan) -> Int {
        if range.count == 1 { return Int(range.lowerBound) }
        let u = patients[slot].branching.uniform()
        var cumulative = 0.0
        for i in range {
            let t = transitions[Int(i)]
            if t.condition >= 0 && !holds(t.condition, slot: slot) { continue }
            let probability = t.shares.isEmpty ? t.probability : share(slot, t)
            if probability.isNaN { return Int(i) }
            cumulative += probability
            if u < cumulative { return Int(i) }
        }
        return Int(range.upperBound) - 1
    }
}

/// Keys of the independent random streams derived from a replication's seed.
enum Streams {
    // A patient's own streams are positions 0-5 of its seeder: durations, branching, handoffs,
    // information, recording, queueing (patience).
    static let arrivals: UInt64 = 1, attributes: UInt64 = 2, patient: UInt64 = 3, outages: UInt64 = 7
}
