import CarePathEngine
import CarePathModel

/// A pathway and a variant's settings resolved into flat arrays indexed by integers, so that the
/// engine does no name lookup, string work or dictionary access per event.
public struct SimulationPlan: Sendable {
    public let pathway: Pathway
    public let settings: ScenarioSettings

    /// What observers and reports need to know of a state.
    public struct StatePlan: Sendable {
        public var id: String
        /// Index into `roles`, or -1 for a terminal state without owner.
        public var role: Int
        public var organisation: Int
        public var occupiesRole: Bool
        public var isTerminal: Bool
    }

    /// The same state as the event loop reads it: plain values only, so reading one copies no
    /// reference and touches no reference count. Lists are ranges into the flat arrays below.
    struct StateCore: BitwiseCopyable {
        var role: Int32
        var organisation: Int32
        var occupiesRole: Bool
        var isTerminal: Bool
        var gapResponse: GapResponse
        var duration: Int32
        var gapTime: Int32
        /// Role time per chase when the chase delay itself does not hold the role, or -1.
        var chaseEffort: Int32
        var transitions: ListSpan
        var needs: ListSpan
        var produces: ListSpan
        /// Probability an item produced here is not recorded (state, organisation and scenario combined).
        var underRecording: Double
        /// The patient keeps the role's unit after the work, until starting one of `holdUntil`
        /// (positions in `holdList`, state indices) or a terminal state.
        var holds: Bool = false
        var holdUntil = ListSpan(0, 0)
        /// Items sent on their own at the end: positions in `sendList`.
        var sends = ListSpan(0, 0)
        /// Some information effect applies here (`effects[state]`, an item's, a channel's).
        var hasEffects = false
        /// The role spends time recording what the state produces (its own or the items' recording time).
        var documents = false
        /// Durations by patient attributes, tried before `duration` (positions in `durationCases`).
        var durationAlternatives = ListSpan(0, 0)
    }

    /// The information effects acting at a state (`InformationEffects.combined`) as the event loop
    /// reads them: chances, and times as positions in `samplers` (-1: none).
    struct StateEffects: BitwiseCopyable {
        var withholding = 0.0, errors = 0.0, unusable = 0.0, mistrust = 0.0, overlook = 0.0
        var rekeying: Int32 = -1, reading: Int32 = -1, recording: Int32 = -1
    }

    /// An item's own effects (its concerns), wherever it is recorded or read.
    struct ItemEffects: BitwiseCopyable {
        var withholding = 0.0, errors = 0.0, unusable = 0.0, mistrust = 0.0
        var rekeying: Int32 = -1, recording: Int32 = -1
    }

    struct TransitionCore: BitwiseCopyable {
        var target: Int32
        /// NaN when the branch has no probability.
        var probability: Double
        /// Index into `conditions`, or -1.
        var condition: Int32
        var crossOrganisation: Bool
        var carries: ListSpan
        /// Shares by patient attributes, tried before `probability` (positions in `shareCases`).
        var shares = ListSpan(0, 0)
    }

    public struct RolePlan: Sendable {
        public var reference: RoleReference
        public var organisation: Int
        /// The capacity when constant; the peak of the rota otherwise.
        public var capacity: Int
        public var calendar: WorkingCalendar
        /// Capacity by time: the calendar, the scenario's capacities and its bank holidays.
        public var schedule: CapacitySchedule
        /// Open round the clock at a constant capacity: the event loop skips calendar arithmetic.
        var alwaysOpen: Bool
        /// Most patients waiting, or -1 for no limit; the state a patient goes to when it is reached.
        var limit: Int = -1
        var overflowState: Int = -1
        /// Position of the patience distribution in `samplers`, or -1; the state a patient goes to on giving up.
        var patienceSampler: Int = -1
        var giveUpState: Int = -1
        /// Attribute slot and sign for priority queues (nil: FIFO).
        var prioritySlot: Int?
        var highestFirst: Bool
    }

    public var states: [StatePlan] = []
    var cores: [StateCore] = []
    var transitions: [TransitionCore] = []
    var samplers: [Sampler] = []
    /// Where each sampler's distribution comes from, with its parameters, for messages
    /// (`states.assess.duration weibull(shape 0.5, scale 24 h)`).
    public var samplerPlaces: [String] = []
    var conditions: [CompiledCondition] = []
    var needList: [Int32] = []
    var produceList: [Int32] = []
    var carryList: [Int32] = []
    var holdList: [Int32] = []
    var durationCases: [DurationCase] = []
    var shareCases: [ShareCase] = []
    public var roles: [RolePlan] = []
    public var organisationIDs: [String]
    public var itemIDs: [String]
    var itemCategories: [InformationCategory]
    public var startState: Int
    public var attributeCount: Int
    /// channel[producer * organisations + consumer]: how an item gets from one to the other.
    var channel: [ArchitectureOption]
    /// directChannel[sender * organisations + receiver]: how an item sent on its own goes.
    var directChannel: [ArchitectureOption]
    /// Items sent on their own at the end of a state: (item, organisation) pairs.
    var sendList: [(item: Int32, organisation: Int32)] = []
    var effects: [StateEffects] = []
    /// Per item, its own effects; empty when no item has any.
    var itemEffects: [ItemEffects] = []
    /// Per (producer * organisations + reader), the chance an item reaching the reader by the
    /// pair's channel is unusable, and its re-keying time (a position in `samplers`, or -1);
    /// empty when no channel has concerns.
    var pairUnusable: [Double] = []
    var pairRekeying: [Int32] = []
    /// Items that may exist before the pathway: per item, alternatives (organisation, probability,
    /// condition index or -1), the first whose condition holds deciding.
    var existing: [[(organisation: Int32, probability: Double, condition: Int32)]] = []
    var hasExisting: Bool { existing.contains { !$0.isEmpty } }
    /// blocked[role * items + item]: an access rule denies it.
    var accessDenied: [Bool]
    var sourceAvailability: [Double]
    /// Where time 0 sits in the calendar (for monthly demand factors).
    var calendar: ScenarioCalendar
    var optOutSlot: Int?
    /// The scenario's breakdowns, and how each finds a patient's group.
    public var breakdowns: [Breakdown]
    var breakdownGroups: [BreakdownGroup]

    /// The scenario's latencies, as positions in `samplers` like every other distribution.
    var messageLatency: Int = 0, paperLatency: Int = 0, publishLatency: Int = 0
    var handoffLatency: Int = 0, resendAfter: Int = 0

    /// Which of a patient's random streams a run draws from; the others are never made.
    struct StreamUse { var branching: Bool, handoffs: Bool, information: Bool, recording: Bool, queueing: Bool }
    var streamsUsed: StreamUse {
        StreamUse(branching: cores.contains { $0.transitions.count > 1 },
                  handoffs: !samplers[handoffLatency].isFixed || !samplers[resendAfter].isFixed || settings.handoffs.loss > 0,
                  information: itemCount > 0,
                  recording: cores.contains { $0.underRecording > 0 && !$0.produces.isEmpty } || hasExisting || cores.contains(where: \.hasEffects),
                  queueing: roles.contains { $0.patienceSampler >= 0 })
    }

    /// Whether any state holds its role's unit after its work.
    public var usesHolding: Bool { cores.contains { $0.holds } }

    /// Whether a state checks items at its start.
    public func readsItems(state: Int) -> Bool { cores.indices.contains(state) && !cores[state].needs.isEmpty }

    /// Whether some information effect applies at a state.
    public func hasEffects(state: Int) -> Bool { cores.indices.contains(state) && cores[state].hasEffects }

    /// Roles some state holds after its work.
    public var holdingRoles: Set<Int> { Set(cores.filter(\.holds).map { Int($0.role) }) }

    /// The states that end a hold of role `r` by name: the `until` (or next) states of its holding
    /// states, in state order. (A hold also ends when the patient leaves the pathway; the role's
    /// totals count those.)
    public func holdDestinations(ofRole r: Int) -> [Int] {
        var set = Set<Int>()
        for core in cores where core.holds && Int(core.role) == r {
            for i in core.holdUntil { set.insert(Int(holdList[Int(i)])) }
        }
        return set.sorted()
    }

    public var organisationCount: Int { organisationIDs.count }
    public var itemCount: Int { itemIDs.count }

    public init(pathway: Pathway, settings: ScenarioSettings, breakdown: Breakdown? = nil, breakdowns: [Breakdown] = []) {
        self.pathway = pathway
        self.settings = settings
        organisationIDs = pathway.organisations.map(\.id)
        itemIDs = pathway.information.map(\.id)
        itemCategories = pathway.information.map(\.category)
        attributeCount = pathway.attributes.count
        let orgIndex = Dictionary(organisationIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let itemIndex = Dictionary(itemIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let stateIndex = Dictionary(pathway.states.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let attributeSlot = Dictionary(pathway.attributes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })

        calendar = settings.calendar
        let bankHolidays = settings.calendar.bankHolidayDays
        var roleIndex: [RoleReference: Int] = [:]
        for (o, organisation) in pathway.organisations.enumerated() {
            for role in organisation.roles {
                roleIndex[role.reference] = roles.count
                let schedule = role.schedule(capacity: settings.capacities[role.reference],
                                             shiftCapacities: settings.shiftCapacities[role.reference], bankHolidayDays: bankHolidays)
                var plan = RolePlan(reference: role.reference, organisation: o, capacity: schedule.constant ?? schedule.peak,
                                    calendar: role.calendar, schedule: schedule, alwaysOpen: schedule.constant != nil,
                                    prioritySlot: nil, highestFirst: true)
                if case .priority(let attribute, let highest) = role.queue {
                    plan.prioritySlot = attributeSlot[attribute]
                    plan.highestFirst = highest
                }
                roles.append(plan)
            }
        }

        var places: [String] = []
        defer { samplerPlaces = places }
        func sampler(_ d: Distribution, _ place: String, _ samplers: inout [Sampler]) -> Int32 {
            samplers.append(Sampler(d))
            places.append("\(place) \(d.summary)")
            return Int32(samplers.count - 1)
        }
        func append(_ ids: [String], to list: inout [Int32]) -> ListSpan {
            let first = Int32(list.count)
            list += ids.compactMap { itemIndex[$0].map(Int32.init) }
            return ListSpan(first, Int32(list.count))
        }
        // The items' own concerns, combined like a state's.
        let itemCombined = pathway.information.map { InformationEffects.combined(state: $0.annotations.map(\.effects), owners: []) }
        if itemCombined.contains(where: { $0 != nil }) {
            for (k, e) in itemCombined.enumerated() {
                var placed = ItemEffects()
                if let e {
                    let at = "information.\(pathway.information[k].id)"
                    placed = ItemEffects(withholding: e.withholding ?? 0, errors: e.errors ?? 0, unusable: e.unusable ?? 0, mistrust: e.mistrust ?? 0)
                    if let d = e.rekeying { placed.rekeying = sampler(d, at + " rekeying (concerns)", &samplers) }
                    if let d = e.recordingTime { placed.recording = sampler(d, at + " recording-time (concerns)", &samplers) }
                }
                itemEffects.append(placed)
            }
        }
        for state in pathway.states {
            let role = state.owner.flatMap { roleIndex[$0] } ?? -1
            let organisation = state.owner.flatMap { orgIndex[$0.organisation] } ?? -1
            let orgUnder = state.owner.flatMap { pathway.organisation($0.organisation)?.underRecording } ?? 0
            let under = 1 - (1 - (state.underRecording ?? 0)) * (1 - orgUnder) * (1 - settings.underRecording)
            let first = Int32(transitions.count)
            for t in state.next {
                let carries = append(pathway.itemsCarried(from: state, by: t), to: &carryList)
                var condition: Int32 = -1
                if let c = t.condition { condition = Self.compile(c, pathway.attributes, into: &conditions) }
                transitions.append(TransitionCore(
                    target: Int32(stateIndex[t.to] ?? 0), probability: t.probability ?? .nan, condition: condition,
                    crossOrganisation: pathway.isCrossOrganisation(from: state.id, to: t.to),
                    carries: carries, shares: Self.shares(t, pathway.attributes, &conditions, &shareCases)))
            }
            let (response, gapTime, effort): (GapResponse, Distribution, Distribution?) = switch state.onGap {
            case .proceed: (.proceed, .fixed(0), nil)
            case .chase(let d, let effort): (.chase, d, effort)
            case .repeat(let d): (.repeat, d, nil)
            }
            let occupies = state.occupiesRole && role >= 0
            states.append(StatePlan(id: state.id, role: role, organisation: organisation, occupiesRole: occupies, isTerminal: state.isTerminal))
            let at = "states.\(state.id)"
            let duration = sampler(state.duration, at + ".duration", &samplers)
            let gapSampler = sampler(gapTime, at + ".on-gap." + (response == .repeat ? "repeat" : "chase"), &samplers)
            var effortSampler: Int32 = -1
            if let effort { effortSampler = sampler(effort, at + ".on-gap.effort", &samplers) }
            let needs = append(state.needs, to: &needList), produces = append(state.produces, to: &produceList)
            var core = StateCore(
                role: Int32(role), organisation: Int32(organisation), occupiesRole: occupies, isTerminal: state.isTerminal,
                gapResponse: response, duration: duration, gapTime: gapSampler, chaseEffort: effortSampler,
                transitions: ListSpan(first, Int32(transitions.count)),
                needs: needs, produces: produces, underRecording: under)
            core.durationAlternatives = Self.durations(state, pathway.attributes, &conditions, &samplers, &durationCases)
            for j in state.durationCases.indices { places.append("\(at).duration[\(j)].is \(state.durationCases[j].value.summary)") }
            if let hold = state.hold, occupies {
                let until: [String] = switch hold {
                case .untilNext: state.next.map(\.to)
                case .until(let states): states
                }
                let start = Int32(holdList.count)
                holdList += until.compactMap { stateIndex[$0].map(Int32.init) }
                core.holds = true
                core.holdUntil = ListSpan(start, Int32(holdList.count))
            }
            // The role's and the organisation's annotations act at every state of theirs.
            let owners = (state.owner.flatMap { pathway.role($0) }?.annotations ?? [])
                + (state.owner.flatMap { pathway.organisation($0.organisation) }?.annotations ?? [])
            if let e = InformationEffects.combined(state: state.annotations.map(\.effects), owners: owners.map(\.effects)) {
                var placed = StateEffects(withholding: e.withholding ?? 0, errors: e.errors ?? 0, unusable: e.unusable ?? 0,
                                          mistrust: e.mistrust ?? 0, overlook: e.overlook ?? 0)
                if let d = e.rekeying { placed.rekeying = sampler(d, at + " rekeying (concerns)", &samplers) }
                if let d = e.readingTime { placed.reading = sampler(d, at + " reading-time (concerns)", &samplers) }
                if let d = e.recordingTime { placed.recording = sampler(d, at + " recording-time (concerns)", &samplers) }
                core.hasEffects = true
                core.documents = placed.recording >= 0
                effects.append(placed)
            } else {
                effects.append(StateEffects())
            }
            // An item with effects of its own brings them wherever it is recorded or read.
            let touched = (state.needs + state.produces).compactMap { itemIndex[$0] }
            if touched.contains(where: { itemCombined[$0] != nil }) { core.hasEffects = true }
            for id in state.produces {
                if let i = itemIndex[id], itemCombined[i]?.recordingTime != nil { core.documents = true }
            }
            let firstSend = Int32(sendList.count)
            for send in state.sends {
                guard let item = itemIndex[send.item], let o = orgIndex[send.organisation] else { continue }
                sendList.append((Int32(item), Int32(o)))
            }
            core.sends = ListSpan(firstSend, Int32(sendList.count))
            cores.append(core)
        }
        startState = stateIndex[pathway.start] ?? 0
        for item in pathway.information {
            var alternatives: [(organisation: Int32, probability: Double, condition: Int32)] = []
            for e in item.existing {
                guard let o = orgIndex[e.organisation] else { continue }
                var condition: Int32 = -1
                if let c = e.condition { condition = Self.compile(c, pathway.attributes, into: &conditions) }
                alternatives.append((Int32(o), e.probability, condition))
            }
            existing.append(alternatives)
        }
        for (r, reference) in roles.map(\.reference).enumerated() {
            guard let role = pathway.role(reference) else { continue }
            if let limit = role.limit, let overflow = stateIndex[limit.overflow] {
                roles[r].limit = max(limit.waiting, 0)
                roles[r].overflowState = overflow
            }
            if let patience = role.patience, let destination = stateIndex[patience.destination] {
                roles[r].patienceSampler = Int(sampler(patience.distribution, "the patience of \(reference)", &samplers))
                roles[r].giveUpState = destination
            }
        }

        // Which channel carries an item from producer to consumer, and how one sent on its own goes.
        let orgs = pathway.organisations
        channel = orgs.flatMap { p in orgs.map { c in settings.channel(from: p, to: c) } }
        directChannel = orgs.flatMap { p in orgs.map { c in settings.directChannel(from: p, to: c) } }
        // A channel's concerns act on every item that reaches a reader by it, at every state that reads.
        var byChannel: [ArchitectureOption: (unusable: Double, rekeying: Int32)] = [:]
        for option in ArchitectureOption.allCases {
            guard let e = InformationEffects.combined(state: (settings.channels[option] ?? []).map(\.effects), owners: []),
                  let unusable = e.unusable, unusable > 0 else { continue }
            var rekeying: Int32 = -1
            if let d = e.rekeying { rekeying = sampler(d, "channels.\(option.rawValue) rekeying (concerns)", &samplers) }
            byChannel[option] = (unusable, rekeying)
        }
        if !byChannel.isEmpty {
            for c in channel {
                pairUnusable.append(byChannel[c]?.unusable ?? 0)
                pairRekeying.append(byChannel[c]?.rekeying ?? -1)
            }
            for i in cores.indices where !cores[i].needs.isEmpty { cores[i].hasEffects = true }
        }
        accessDenied = []
        for role in roles {
            for category in itemCategories {
                accessDenied.append(settings.access.contains { $0.category == category && $0.denies(role.reference) })
            }
        }
        sourceAvailability = orgs.map { o in
            o.annotations.compactMap(\.availability).min() ?? settings.architecture.sourceAvailability
        }
        optOutSlot = settings.consent.optOutAttribute.flatMap { attributeSlot[$0] }
        self.breakdowns = Array((breakdowns.isEmpty ? breakdown.map { [$0] } ?? [] : breakdowns).prefix(CohortGroups.maximumCount))
        breakdownGroups = self.breakdowns.map { BreakdownGroup($0, slot: attributeSlot[$0.attribute]) }
        messageLatency = Int(sampler(settings.architecture.messageLatency, "architecture's message latency", &samplers))
        paperLatency = Int(sampler(settings.architecture.paperLatency, "architecture's paper latency", &samplers))
        publishLatency = Int(sampler(settings.architecture.publishLatency, "architecture's publish latency", &samplers))
        handoffLatency = Int(sampler(settings.handoffs.latency, "handoffs.latency", &samplers))
        resendAfter = Int(sampler(settings.handoffs.resendAfter, "handoffs.resend-after", &samplers))
    }
}

/// Positions `lowerBound..<upperBound` of one of the plan's flat lists: a `Range<Int32>` that is
/// plain bits, so that the states and transitions holding it can live in slabs.
struct ListSpan: RandomAccessCollection, BitwiseCopyable {
    var lowerBound: Int32
    var upperBound: Int32
    init(_ lowerBound: Int32, _ upperBound: Int32) { self.lowerBound = lowerBound; self.upperBound = upperBound }
    var startIndex: Int32 { lowerBound }
    var endIndex: Int32 { upperBound }
    subscript(position: Int32) -> Int32 { position }
    var count: Int { Int(upperBound) - Int(lowerBound) }
    var isEmpty: Bool { upperBound == lowerBound }
}

/// What a state does about a gap (the model's GapPolicy without its distribution).
public enum GapResponse: Int, Sendable, Codable, BitwiseCopyable {
    case proceed, chase, `repeat`
}

extension InformationEffects {
    /// The effects acting at a state: its own annotations', then its role's and organisation's
    /// (`owners`, in that order). Chances combine as 1 - (1 - a)(1 - b)...; a time is the first
    /// given. nil when none of them has an effect.
    static func combined(state: [InformationEffects], owners: [InformationEffects]) -> InformationEffects? {
        let all = state + owners
        guard all.contains(where: { !$0.isEmpty }) else { return nil }
        func chance(_ value: (InformationEffects) -> Double?) -> Double? {
            let given = all.compactMap(value)
            return given.isEmpty ? nil : 1 - given.reduce(1.0) { $0 * (1 - $1) }
        }
        func time(_ value: (InformationEffects) -> Distribution?) -> Distribution? { all.lazy.compactMap(value).first }
        return InformationEffects(withholding: chance(\.withholding), errors: chance(\.errors), unusable: chance(\.unusable),
                                  rekeying: time(\.rekeying), mistrust: chance(\.mistrust), readingTime: time(\.readingTime),
                                  overlook: chance(\.overlook), recordingTime: time(\.recordingTime))
    }
}
