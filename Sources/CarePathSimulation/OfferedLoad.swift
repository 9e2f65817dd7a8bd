import CarePathEngine
import CarePathModel
import Foundation

/// How often a patient visits each state, on average: estimated by walking the state machine for
/// many sampled patients, with the engine's attribute sampling and branch rule, from a fixed seed
/// (so the same files always give the same figures). No queue, time or capacity is involved:
/// balking, reneging and queue overflows, which send patients elsewhere, are not walked.
public struct ExpectedVisits: Sendable {
    public static let defaultPatients = 20_000
    public static let defaultSeed: UInt64 = 0x0FFE_12ED_10AD
    /// States one walk may visit before it is stopped: a loop some patients never leave.
    public static let defaultStepCap = 10_000
    /// States all walks together may visit (100 a patient on average): a pathway whose patients
    /// loop for ever is estimated from the walks made by then, in a fraction of a second, rather
    /// than 20,000 walks to the cap.
    public static let stepBudget = 2_000_000

    /// Visits per patient, by state id (terminal states: the share of patients ending there).
    public let perState: [String: Double]
    public let patients: Int
    /// Walks stopped by the step cap.
    public let truncatedWalks: Int
    /// Unit-hours per patient at each state whose duration depends on attributes (visits x the
    /// mean of the duration each visiting patient draws from), by state id.
    public let hoursByAttributes: [String: Double]

    /// The walk, or the same walk's answer from earlier in the process (`VisitsMemo`).
    public init(pathway: Pathway, cohort: Cohort, patients: Int = defaultPatients, seed: UInt64 = defaultSeed,
                stepCap: Int = defaultStepCap) {
        let key = VisitsMemo.Key(pathway, cohort, patients: patients, seed: seed, stepCap: stepCap)
        if let known = VisitsMemo.shared.visits(key) { self = known; return }
        self.init(walking: pathway, cohort: cohort, patients: patients, seed: seed, stepCap: stepCap)
        VisitsMemo.shared.keep(self, for: key)
    }

    init(walking pathway: Pathway, cohort: Cohort, patients: Int, seed: UInt64, stepCap: Int) {
        let graph = BranchGraph(pathway)
        let sampler = CohortSampler(pathway: pathway, cohort: cohort)
        let durations = DurationChoice(pathway)
        var hours = [Double](repeating: 0, count: pathway.states.count)
        let n = max(patients, 1), cap = max(stepCap, 1)
        var counts = [Int](repeating: 0, count: pathway.states.count)
        var truncated = 0, walked = 0, budget = Self.stepBudget
        var attributes = [Double](repeating: 0, count: pathway.attributes.count)
        if let start = graph.start {
            for k in 0..<n where budget > 0 {
                walked += 1
                // One stream per walk, keyed by the walk's number: attributes first, then branches.
                var rng = RandomStream(seed: seed, key1: 0x10AD, key2: UInt64(k))
                sampler.draw(into: &attributes, &rng)
                var state = start, steps = 0
                while true {
                    counts[state] += 1
                    if let mean = durations.mean(at: state, attributes) { hours[state] += mean }
                    steps += 1
                    budget -= 1
                    guard let next = graph.next(from: state, attributes: attributes, rng: &rng) else { break }
                    if steps >= cap { truncated += 1; break }
                    state = next
                }
            }
        }
        let m = max(walked, 1)
        var perState: [String: Double] = [:]
        for (i, s) in pathway.states.enumerated() where perState[s.id] == nil { perState[s.id] = Double(counts[i]) / Double(m) }
        self.perState = perState
        self.patients = m
        self.truncatedWalks = truncated
        var byAttributes: [String: Double] = [:]
        for (i, s) in pathway.states.enumerated() where !s.durationCases.isEmpty && byAttributes[s.id] == nil {
            byAttributes[s.id] = hours[i] / Double(m)
        }
        hoursByAttributes = byAttributes
    }

    public func visits(_ state: String) -> Double { perState[state] ?? 0 }

    /// States a patient enters on average, terminal included (a lower bound when walks were stopped).
    /// Summed in the states' name order: a dictionary's order differs between processes, and so
    /// would the sum's last bit.
    public var statesPerPatient: Double { perState.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value } }
}

/// The branches of every state as the engine reads them: targets by index, conditions compiled
/// against the pathway's attributes (a condition that does not compile is false, as in the plan).
struct BranchGraph {
    struct Branch {
        var target: Int; var probability: Double?; var condition: CompiledCondition?
        /// Shares by attributes, tried before `probability`.
        var shares: [(CompiledCondition, Double)] = []
    }
    let branches: [[Branch]]
    let terminal: [Bool]
    let start: Int?

    init(_ pathway: Pathway) {
        let index = Dictionary(pathway.states.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        branches = pathway.states.map { state in
            state.next.map { t in
                let compiled = t.condition?.compiledOrFalse(attributes: pathway.attributes)
                let shares = t.probabilityCases.map { ($0.condition.compiledOrFalse(attributes: pathway.attributes), $0.value) }
                return Branch(target: index[t.to] ?? 0, probability: t.probability, condition: compiled, shares: shares)
            }
        }
        terminal = pathway.states.map(\.isTerminal)
        start = pathway.states.isEmpty ? nil : (index[pathway.start] ?? 0)
    }

    /// The state a patient goes to after `state`, or nil when the pathway ends there. The engine's
    /// rule (PathwaySimulation.chooseBranch): a single branch is always taken; otherwise one
    /// uniform draw, branches in order: a false `when` is skipped, a `p` takes its share, a `when`
    /// without `p` or the default takes everyone left; past the end, the last branch.
    func next(from state: Int, attributes: [Double], rng: inout RandomStream) -> Int? {
        let list = branches[state]
        if terminal[state] || list.isEmpty { return nil }
        if list.count == 1 { return list[0].target }
        let u = rng.uniform()
        var cumulative = 0.0
        for b in list {
            if let c = b.condition, !c.evaluate(attributes) { continue }
            guard let p = b.shares.first(where: { $0.0.evaluate(attributes) })?.1 ?? b.probability else { return b.target }
            cumulative += p
            if u < cumulative { return b.target }
        }
        return list[list.count - 1].target
    }
}

/// The load arrivals offer each role before any run: arrival rate x expected services per patient
/// x mean service time / mean open capacity. At 1 or more the rota opens fewer staff-hours than
/// the work needs. It counts the states' own durations only: chasing, collecting again and holding
/// (blocked time) add to the real load, so a load below 1 is no promise.
///
/// Work started in a shift runs on after the shift ends, so a role with long services (a
/// reablement caseload of weeks) keeps up beyond its open hours: `sustainedLoad` measures the
/// work against the capacity the rota sustains that way, and only at 1 or more can the queue
/// certainly not be stable.
public struct OfferedLoad: Sendable {
    public struct RoleLoad: Hashable, Sendable {
        public var role: RoleReference
        /// Services per patient: visits to the role's states that occupy it.
        public var visitsPerPatient: Double
        /// Unit-hours of work per patient: each such state's visits x its mean duration.
        public var hoursPerPatient: Double
        /// Units the rota opens on average over a week without bank holidays.
        public var meanCapacity: Double
        /// Work arriving per open unit-hour; infinite when the role has work but never opens.
        public var load: Double
        /// Units busy on average when the queue never empties, work in progress running on past
        /// each closing or drop in capacity (see `sustainedCapacity`); between `meanCapacity` and
        /// the rota's peak.
        public var sustainedCapacity: Double
        /// Work arriving per sustained unit-hour: at 1 or more the queue cannot be stable.
        public var sustainedLoad: Double

        /// Mean unit-hours of one service.
        public var meanService: Double { visitsPerPatient > 0 ? hoursPerPatient / visitsPerPatient : 0 }
    }

    /// Mean arrivals per hour, with the mean of the monthly factors if any.
    public let arrivalsPerHour: Double
    /// Every role of the pathway, in declaration order.
    public let roles: [RoleLoad]

    public init(pathway: Pathway, cohort: Cohort, settings: ScenarioSettings, visits: ExpectedVisits) {
        let rate = Self.arrivalsPerHour(cohort)
        arrivalsPerHour = rate
        roles = pathway.roles.map { role in
            let ref = role.reference
            let states = pathway.states.filter { $0.owner == ref && $0.occupiesRole && !$0.isTerminal }
            let visitsPerPatient = states.reduce(0) { $0 + visits.visits($1.id) }
            let hours = states.reduce(0) { $0 + (visits.hoursByAttributes[$1.id] ?? visits.visits($1.id) * Self.meanDuration($1.duration)) }
            let schedule = role.schedule(capacity: settings.capacities[ref], shiftCapacities: settings.shiftCapacities[ref])
            let capacity = schedule.weeklyMean
            let sustained = Self.sustainedCapacity(schedule, meanService: visitsPerPatient > 0 ? hours / visitsPerPatient : 0)
            let work = rate * hours
            func ratio(_ c: Double) -> Double { c > 0 ? work / c : (work > 0 ? .infinity : 0) }
            return RoleLoad(role: ref, visitsPerPatient: visitsPerPatient, hoursPerPatient: hours, meanCapacity: capacity,
                            load: ratio(capacity), sustainedCapacity: sustained, sustainedLoad: ratio(sustained))
        }
    }

    /// Units busy on average over a week when patients are always waiting: a fluid model of the
    /// engine's rule. While the rota allows more units than are busy, waiting patients start at
    /// once (busy = capacity); when capacity falls below busy (a shift ends), no one starts and
    /// the busy units finish at rate busy / mean service. Short services give the mean open
    /// capacity; services much longer than the closures, the peak. Exact for exponential services.
    public static func sustainedCapacity(_ schedule: CapacitySchedule, meanService tau: Double) -> Double {
        if let constant = schedule.constant { return Double(constant) }
        guard tau > 0, tau.isFinite else { return schedule.weeklyMean }
        var busy = Double(schedule.peak)
        var previous = -1.0
        // Week after week from a full role until the weekly figure settles (it falls monotonically).
        for _ in 0..<200 {
            var area = 0.0
            for day in 0..<7 {
                for segment in schedule.days[day] {
                    let length = Double(segment.end - segment.start) / 60, c = Double(segment.capacity)
                    if busy <= c { area += c * length; busy = c; continue }
                    let reach = c > 0 ? tau * log(busy / c) : .infinity     // hours until busy falls to c
                    if reach >= length {
                        let decay = exp(-length / tau)
                        area += busy * tau * (1 - decay)
                        busy *= decay
                    } else {
                        area += tau * (busy - c) + c * (length - reach)
                        busy = c
                    }
                }
            }
            let mean = area / 168
            if abs(mean - previous) <= 1e-9 * max(mean, 1) { return mean }
            previous = mean
        }
        return previous
    }

    /// Computes the expected visits too (20,000 walks).
    public init(pathway: Pathway, cohort: Cohort, settings: ScenarioSettings) {
        self.init(pathway: pathway, cohort: cohort, settings: settings, visits: ExpectedVisits(pathway: pathway, cohort: cohort))
    }

    public func load(of role: RoleReference) -> RoleLoad? { roles.first { $0.role == role } }

    public static func arrivalsPerHour(_ cohort: Cohort) -> Double {
        var rate = cohort.arrivals.meanRatePerHour
        if let factors = cohort.monthlyFactors, !factors.isEmpty { rate *= factors.reduce(0, +) / Double(factors.count) }
        return rate
    }

    /// The mean of a duration as the engine draws it: a normal is redrawn below zero, so its mean
    /// is that of the normal truncated at zero; every other form's is `Distribution.mean`.
    public static func meanDuration(_ d: Distribution) -> Double {
        guard case .normal(let m, let s) = d, s > 0, m.isFinite, s.isFinite else { return d.mean }
        let a = m / s
        let tail = 0.5 * erfc(-a / 2.0.squareRoot())          // P(X >= 0)
        guard tail > 1e-300 else { return 0 }
        let density = exp(-a * a / 2) / (2 * Double.pi).squareRoot()
        return m + s * density / tail
    }
}


/// The mean duration a patient draws at each state whose duration depends on attributes, by the
/// engine's rule: the first alternative whose condition holds, else the default.
struct DurationChoice {
    let cases: [[(CompiledCondition, Double)]]
    let defaults: [Double]

    init(_ pathway: Pathway) {
        cases = pathway.states.map { s in s.durationCases.map { ($0.condition.compiledOrFalse(attributes: pathway.attributes), OfferedLoad.meanDuration($0.value)) } }
        defaults = pathway.states.map { OfferedLoad.meanDuration($0.duration) }
    }

    /// nil for a state whose duration is the same for everyone.
    func mean(at state: Int, _ attributes: [Double]) -> Double? {
        guard !cases[state].isEmpty else { return nil }
        return cases[state].first { $0.0.evaluate(attributes) }?.1 ?? defaults[state]
    }
}
