import CarePathFiles
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation

/// What the exported logs are about, resolved once per run from the plan.
public struct LogNames: Sendable {
    public var states: [String]
    public var stateOrganisation: [Int]
    public var stateRole: [Int]
    public var terminal: [Bool]
    /// `organisation/role`
    public var roles: [String]
    public var organisations: [String]
    public var items: [String]
    public var groups: SimulationPlan.GroupNaming
    /// The pathway's patient attributes, in the engine's order.
    public var attributes: [PatientAttribute]

    init(plan: SimulationPlan) {
        states = plan.states.map(\.id)
        stateOrganisation = plan.states.map(\.organisation)
        stateRole = plan.states.map(\.role)
        terminal = plan.states.map(\.isTerminal)
        roles = plan.roles.map(\.reference.description)
        organisations = plan.organisationIDs
        items = plan.itemIDs
        groups = plan.groupNaming
        attributes = plan.pathway.attributes
    }

    func group(_ g: CohortGroups) -> String { groups.name(g) }

    func organisation(ofState s: Int) -> String? {
        let o = stateOrganisation[s]
        return o >= 0 && o < organisations.count ? organisations[o] : nil
    }

    func role(ofState s: Int) -> String? {
        let r = stateRole[s]
        return r >= 0 && r < roles.count ? roles[r] : nil
    }
}

/// One patient's way through the pathway, kept until the patient leaves: memory grows with the
/// patients in the system, not with the events simulated.
public struct PatientJourney: Sendable {
    public struct Check: Sendable {
        public var item: Int
        public var gap: GapKind
        public var response: GapResponse
        public var timeSpent: Double
    }
    public struct Handoff: Sendable {
        public var from: Int
        public var to: Int
        public var crossOrganisation: Bool
        public var latency: Double
        public var lost: Int
        public var time: Double
        /// Items that travelled with the referral (point-to-point or paper channel), as far as the
        /// log can tell: those the pathway says it carries that the sender held.
        public var carried: [Int]
    }
    public struct Visit: Sendable {
        public var state: Int
        public var start: Double
        public var end: Double = .nan
        public var waited: Double
        public var handoffDelay: Double
        public var checks: [Check] = []
        /// The handoff that brought the patient here, if any.
        public var arrivedBy: Handoff?
    }

    public var patient: Int
    public var arrival: Double
    public var group: CohortGroups
    public var counted: Bool
    /// Attribute values as drawn (a boolean 0 or 1, a categorical level its index), in the order
    /// of `LogNames.attributes`.
    public var attributes: [Double] = []
    public var visits: [Visit] = []
    public var handoffs: [Handoff] = []
    public var terminal: Int = -1
    public var left: Double = .nan
    var pending: Handoff?
    /// Items held, as item * organisations + organisation.
    var held: Set<Int> = []
}

/// Where journeys go once complete; the writers below. Called on one thread at a time.
protocol JourneySink: AnyObject {
    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int)
    func event(_ row: LogRow)
    func journey(_ journey: PatientJourney)
    func end()
}

extension JourneySink {
    func event(_ row: LogRow) {}
    func journey(_ journey: PatientJourney) {}
    func end() {}
}

/// One event as the CSV writer streams it.
struct LogRow {
    enum Kind: String { case arrive, start, check, complete, handoff, leave }
    var kind: Kind
    var patient: Int
    var time: Double
    var state: Int = -1
    var item: Int = -1
    var gap: GapKind? = nil
    var response: GapResponse? = nil
    var timeSpent: Double = .nan
    var waited: Double = .nan
    var from: Int = -1
    var crossOrganisation: Bool? = nil
    var latency: Double = .nan
    var lost: Int = -1
    var carried: [Int] = []
}

/// The observer that feeds the writers: one per replication, all sharing the same writers, run
/// one replication at a time so the files come out in order while they stream.
public struct EventLogObserver: SimulationObserver {
    let sinks: [JourneySink]
    let variant: Int
    let variantName: String
    let replication: Int
    /// Patients who arrived in the warm-up are left out unless this is set.
    let includeWarmUp: Bool
    /// The compact event log as the store keeps it, when a stored run is checked against it.
    public var recorder: EventLogRecorder?
    var names: LogNames?
    var pathway: Pathway?
    /// The journeys of the patients in the system, in slots reused as patients leave: a journey
    /// is read and changed in place (`journeys[k]!.visits`), where a dictionary's values would
    /// hand out a copy of the whole journey at every read.
    var journeys: [PatientJourney?] = []
    var slot: [Int: Int] = [:]
    var freeSlots: [Int] = []
    /// Items each transition carries when its channel is a message one (point-to-point or paper).
    var carriedByMessage: [Int: [Int: [Int]]] = [:]
    /// Per state, the items it produces (indexes into `LogNames.items`).
    var producedItems: [[Int]] = []

    init(sinks: [JourneySink], variant: Int, variantName: String, replication: Int, includeWarmUp: Bool, recording: Bool) {
        self.sinks = sinks; self.variant = variant; self.variantName = variantName; self.replication = replication
        self.includeWarmUp = includeWarmUp
        recorder = recording ? EventLogRecorder() : nil
    }

    public mutating func runStarted(plan: SimulationPlan) {
        let names = LogNames(plan: plan)
        self.names = names
        pathway = plan.pathway
        carriedByMessage = Self.messageCarries(plan)
        let itemIndex = Dictionary(names.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        producedItems = plan.pathway.states.map { $0.produces.compactMap { itemIndex[$0] } }
        recorder?.runStarted(plan: plan)
        for sink in sinks { sink.begin(names: names, pathway: plan.pathway, variant: variant, variantName: variantName, replication: replication) }
    }

    public mutating func patientArrived(_ p: PatientContext, at time: Double) {
        recorder?.patientArrived(p, at: time)
        // A warm-up patient is never followed: every later call finds no journey and writes nothing.
        guard p.counted || includeWarmUp else { return }
        var journey = PatientJourney(patient: p.index, arrival: time, group: p.groups, counted: p.counted)
        journey.attributes.reserveCapacity(names?.attributes.count ?? 0)
        if let k = freeSlots.popLast() { journeys[k] = journey; slot[p.index] = k } else { slot[p.index] = journeys.count; journeys.append(journey) }
        emit(LogRow(kind: .arrive, patient: p.index, time: time))
    }

    public mutating func patientAttribute(_ p: PatientContext, attribute: Int, value: Double) {
        guard let i = slot[p.index] else { return }
        journeys[i]!.attributes.append(value)
    }

    // Journeys are changed in place (`journeys[i]!`): a copy taken out and put back would copy
    // its arrays at every event.

    public mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        recorder?.stateStarted(p, state: state, waited: waited, handoffDelay: handoffDelay, at: time)
        guard let i = slot[p.index] else { return }
        var visit = PatientJourney.Visit(state: state, start: time, waited: waited, handoffDelay: handoffDelay)
        visit.arrivedBy = journeys[i]!.pending
        journeys[i]!.pending = nil
        journeys[i]!.visits.append(visit)
        emit(LogRow(kind: .start, patient: p.index, time: time, state: state, waited: waited))
    }

    public mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse,
                                     timeSpent: Double, at time: Double) {
        recorder?.itemChecked(p, state: state, item: item, gap: gap, response: response, timeSpent: timeSpent, at: time)
        guard let i = slot[p.index], !journeys[i]!.visits.isEmpty else { return }
        let last = journeys[i]!.visits.count - 1
        journeys[i]!.visits[last].checks.append(PatientJourney.Check(item: item, gap: gap, response: response, timeSpent: timeSpent))
        // A repeat collects the item here; a chase gets what exists.
        if gap != .available, response != .proceed, let names, names.stateOrganisation[state] >= 0 {
            journeys[i]!.held.insert(item * names.organisations.count + names.stateOrganisation[state])
        }
        emit(LogRow(kind: .check, patient: p.index, time: time, state: state, item: item, gap: gap, response: response, timeSpent: timeSpent))
    }

    public mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        recorder?.stateEnded(p, state: state, at: time)
        guard let i = slot[p.index], !journeys[i]!.visits.isEmpty else { return }
        journeys[i]!.visits[journeys[i]!.visits.count - 1].end = time
        if let names, state < producedItems.count, names.stateOrganisation[state] >= 0 {
            let org = names.stateOrganisation[state], n = names.organisations.count
            for item in producedItems[state] { journeys[i]!.held.insert(item * n + org) }
        }
        emit(LogRow(kind: .complete, patient: p.index, time: time, state: state))
    }

    public mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        recorder?.handedOff(p, from: from, to: to, crossOrganisation: crossOrganisation, latency: latency, lost: lost, at: time)
        guard let i = slot[p.index], let names else { return }
        var carried: [Int] = []
        if crossOrganisation {
            let sender = names.stateOrganisation[from], receiver = names.stateOrganisation[to]
            let n = names.organisations.count
            for item in carriedByMessage[from]?[to] ?? [] where sender >= 0 && journeys[i]!.held.contains(item * n + sender) {
                carried.append(item)
                if receiver >= 0 { journeys[i]!.held.insert(item * n + receiver) }
            }
        }
        let handoff = PatientJourney.Handoff(from: from, to: to, crossOrganisation: crossOrganisation, latency: latency,
                                             lost: lost, time: time, carried: carried)
        journeys[i]!.pending = handoff
        journeys[i]!.handoffs.append(handoff)
        emit(LogRow(kind: .handoff, patient: p.index, time: time, state: to, from: from, crossOrganisation: crossOrganisation,
                    latency: latency, lost: lost, carried: carried))
    }

    public mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        recorder?.patientLeft(p, terminal: terminal, at: time)
        guard let i = slot.removeValue(forKey: p.index), var j = journeys[i].take() else { return }
        freeSlots.append(i)
        j.terminal = terminal
        j.left = time
        emit(LogRow(kind: .leave, patient: p.index, time: time, state: terminal))
        for sink in sinks { sink.journey(j) }
    }

    public mutating func runEnded(at time: Double) {
        for sink in sinks { sink.end() }
    }

    @inline(__always)
    func emit(_ row: LogRow) { for sink in sinks { sink.event(row) } }

    /// For each transition (from, to) whose channel pushes items with the referral (point-to-point
    /// or paper, as `SimulationPlan` chooses them), the items it carries.
    static func messageCarries(_ plan: SimulationPlan) -> [Int: [Int: [Int]]] {
        let pathway = plan.pathway, settings = plan.settings
        // The same channel rule as the simulation's (ScenarioSettings.channel).
        func channel(_ p: Organisation, _ c: Organisation) -> ArchitectureOption { settings.channel(from: p, to: c) }
        let stateIndex = Dictionary(pathway.states.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let itemIndex = Dictionary(plan.itemIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Int: [Int: [Int]]] = [:]
        for (s, state) in pathway.states.enumerated() {
            guard let sender = state.owner.flatMap({ pathway.organisation($0.organisation) }) else { continue }
            for t in state.next {
                guard let target = stateIndex[t.to], let receiver = pathway.state(t.to)?.owner.flatMap({ pathway.organisation($0.organisation) }),
                      receiver.id != sender.id else { continue }
                let c = channel(sender, receiver)
                guard c == .pointToPoint || c == .paper else { continue }
                let items = pathway.itemsCarried(from: state, by: t).compactMap { itemIndex[$0] }
                var existing = out[s]?[target] ?? []
                for i in items where !existing.contains(i) { existing.append(i) }
                out[s, default: [:]][target] = existing
            }
        }
        return out
    }
}

/// Runs a scenario afresh and writes its event log in the formats asked for.
public enum EventLogExport {
    public struct Options: Sendable {
        public var xes: URL?
        public var ocel: URL?
        public var csv: URL?
        public var replications: Int?
        public var seed: UInt64?
        public var clock: LogClock
        /// Also log the patients who arrived during the warm-up (left out by default, as from
        /// every statistic).
        public var includeWarmUp: Bool
        /// Checks each replication's events against a stored log (`carepath export --run`): given
        /// the variant, the replication and the events as the store keeps them, a reason they
        /// differ, or nil.
        public var check: (@Sendable (Int, Int, [EventRecord]) -> String?)?
        /// Told how far the run has gone (a progress line).
        public var progress: (@Sendable (RunProgress) -> Void)?
        public init(xes: URL? = nil, ocel: URL? = nil, csv: URL? = nil, replications: Int? = nil, seed: UInt64? = nil,
                    clock: LogClock = .defaultStart, includeWarmUp: Bool = false) {
            self.xes = xes; self.ocel = ocel; self.csv = csv; self.replications = replications; self.seed = seed; self.clock = clock
            self.includeWarmUp = includeWarmUp
        }
    }

    public struct Counts: Sendable, Equatable {
        /// Patients (one XES trace each), over every variant and replication.
        public var patients = 0
        /// XES events (a start and a complete per state visited, and the leaving event).
        public var xesEvents = 0
        public var ocelEvents = 0
        public var ocelObjects = 0
        public var csvRows = 0
        public init() {}
    }

    public struct Outcome: Sendable {
        public var summary: RunSummary
        public var counts: Counts
    }

    /// `.json` or `.jsonocel`: OCEL 2.0 JSON; anything else OCEL 2.0 SQLite.
    public static func isJSON(_ url: URL) -> Bool { ["json", "jsonocel"].contains(url.pathExtension.lowercased()) }

    /// Simulates `scenario` (one replication at a time, so the logs stream in order) and writes
    /// the logs; files appear complete or not at all.
    public static func run(_ scenario: Scenario, pathway: Pathway, options: Options) throws -> Outcome {
        let writers = try LogWriters(options, scenario: scenario, pathway: pathway)
        let (summary, mismatch) = simulate(scenario, pathway: pathway, options: options, sinks: writers.sinks)
        // A run that could not finish or was stopped (a run-away patient) writes no log.
        let fatal = (summary.warnings ?? []).filter(\.isFatal)
        if !fatal.isEmpty {
            writers.abort()
            throw RunStopped(message: fatal.map { "variant \($0.variant ?? "?"): \($0.message)" }.joined(separator: "\n"))
        }
        if let mismatch {
            writers.abort()
            throw StreamingFileError(path: (options.xes ?? options.ocel ?? options.csv)?.path ?? "", message: mismatch)
        }
        return Outcome(summary: summary, counts: try writers.finish())
    }

    /// The simulation with `sinks` fed one replication at a time; the summary, and the first
    /// difference from a stored run when `options.check` is set.
    static func simulate(_ scenario: Scenario, pathway: Pathway, options: Options, sinks: [JourneySink]) -> (RunSummary, String?) {
        let box = SinkBox(sinks)
        let variants = scenario.effectiveVariants
        let includeWarmUp = options.includeWarmUp, check = options.check
        let mismatch = MismatchBox()
        let summary = ScenarioRunner.run(
            scenario, pathway: pathway,
            options: ScenarioRunner.Options(replications: options.replications, seed: options.seed, threads: 1),
            progress: options.progress,
            watch: { v, r in
                EventLogObserver(sinks: box.sinks, variant: v, variantName: variants[v].name, replication: r,
                                 includeWarmUp: includeWarmUp, recording: check != nil)
            },
            finished: { v, r, _, observer in
                if let check, mismatch.reason == nil, let records = observer.recorder?.records {
                    mismatch.reason = check(v, r, records)
                }
            })
        return (summary, mismatch.reason)
    }
}

/// The writers one export asks for, finished or abandoned together.
struct LogWriters {
    let xes: XESWriter?
    let ocel: OCELSink?
    let csv: CSVEventWriter?

    init(_ options: EventLogExport.Options, scenario: Scenario, pathway: Pathway) throws {
        xes = try options.xes.map { try XESWriter($0, clock: options.clock, scenario: scenario) }
        ocel = try options.ocel.map { url -> OCELSink in
            EventLogExport.isJSON(url) ? try OCELJSONWriter(url, clock: options.clock, pathway: pathway, scenario: scenario)
                                       : try OCELWriter(url, clock: options.clock, pathway: pathway, scenario: scenario)
        }
        csv = try options.csv.map { try CSVEventWriter($0, clock: options.clock) }
    }

    var sinks: [JourneySink] { [xes as JourneySink?, ocel, csv].compactMap { $0 } }

    func abort() { xes?.abort(); ocel?.abort(); csv?.abort() }

    /// Puts every file in place, or none.
    func finish() throws -> EventLogExport.Counts {
        do {
            try xes?.finish()
            try ocel?.finish()
            try csv?.finish()
        } catch {
            abort()
            throw error
        }
        var counts = EventLogExport.Counts()
        counts.patients = xes?.traces ?? ocel?.patients ?? csv?.patients ?? 0
        counts.xesEvents = xes?.events ?? 0
        counts.ocelEvents = ocel?.events ?? 0
        counts.ocelObjects = ocel?.objects ?? 0
        counts.csvRows = csv?.rows ?? 0
        return counts
    }
}

/// The simulation behind an export could not finish or was stopped: what happened, in words.
public struct RunStopped: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "error: " + message }
}

/// The writers, handed to the runner's observer factory. They are used by one replication at a
/// time (the export runs with one thread), never concurrently.
final class SinkBox: @unchecked Sendable {
    let sinks: [JourneySink]
    init(_ sinks: [JourneySink]) { self.sinks = sinks }
}

/// The first difference found between a fresh run and a stored one; replications finish one at a time.
final class MismatchBox: @unchecked Sendable {
    var reason: String?
}

/// An OCEL 2.0 writer, in either layout.
protocol OCELSink: JourneySink {
    var events: Int { get }
    var objects: Int { get }
    var patients: Int { get }
    func finish() throws
    func abort()
}

extension OCELWriter: OCELSink {}
extension OCELJSONWriter: OCELSink {}
