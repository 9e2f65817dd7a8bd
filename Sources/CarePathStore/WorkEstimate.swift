import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation

/// The work a run implies, worked out before it starts from the files alone: patients x
/// replications x variants, the state entries they make (from the expected visits), and the
/// space the results store will take. `simulate` prints it and refuses a run beyond the limits
/// unless told to go ahead (`--yes`); docs/simulation.md ("Bounds") states them.
public struct WorkEstimate: Sendable {
    /// Refused without `--yes` above this many state entries in the whole run (about a quarter of
    /// an hour of simulation on two cores at the benchmark's speed).
    public static let stateEntryLimit = 1e9
    /// Refused without `--yes` above this size of results store, in bytes.
    public static let storeByteLimit = 10e9
    /// Bytes on disk per stored patient outcome and per stored event (measured on the M/M/3
    /// reference scenario: 75 and 28).
    public static let bytesPerOutcome = 80.0, bytesPerEvent = 28.0
    /// What the store holds in memory while it writes, at most, per worker thread: rows are
    /// written in batches of `ReplicationRecorder.batchRows`.
    public static let bufferBytesPerThread = Double(ReplicationRecorder.batchRows) * (bytesPerOutcome + 2 * bytesPerEvent)

    /// Patients in one replication of the first variant (a horizon's: its expected arrivals).
    public var patientsPerReplication: Double
    public var replications: Int
    public var variants: Int
    /// States a patient enters on average (terminal included).
    public var statesPerPatient: Double
    /// Some sampled patients never reached a terminal state within the state-entry cap: a loop.
    public var loops: Bool
    /// Whether the event log is stored as well as the outcomes; nil when nothing is stored.
    public var storedEvents: Bool?

    public init(_ scenario: Scenario, pathway: Pathway, replications: Int?, store: Bool, events: Bool) {
        let visits = ExpectedVisits(pathway: pathway, cohort: scenario.cohort)
        switch scenario.cohort.size {
        case .patients(let n): patientsPerReplication = Double(n)
        case .horizon(let h): patientsPerReplication = h * OfferedLoad.arrivalsPerHour(scenario.cohort)
        }
        self.replications = max(replications ?? scenario.replications, 1)
        variants = scenario.effectiveVariants.count
        statesPerPatient = visits.statesPerPatient
        loops = visits.truncatedWalks > 0
        storedEvents = store ? events : nil
    }

    public var journeys: Double { patientsPerReplication * Double(replications) * Double(variants) }
    public var stateEntries: Double { journeys * statesPerPatient }
    /// Events in the log: arrive and leave, and start, complete and hand off at each state.
    public var events: Double { journeys * (2 + 3 * max(statesPerPatient - 1, 0)) }
    public var storeBytes: Double {
        guard let storedEvents else { return 0 }
        return journeys * Self.bytesPerOutcome + (storedEvents ? events * Self.bytesPerEvent : 0)
    }

    /// Why the run is refused without `--yes`, or nil when it is within the limits.
    public var refusal: String? {
        var reasons: [String] = []
        if stateEntries > Self.stateEntryLimit {
            reasons.append("about \(Self.count(stateEntries)) state entries, above the limit of \(Self.count(Self.stateEntryLimit))")
        }
        if storeBytes > Self.storeByteLimit {
            reasons.append("a store of about \(Self.bytes(storeBytes)), above the limit of \(Self.bytes(Self.storeByteLimit))")
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: " and ")
    }

    /// The estimate in words, one line.
    public func text(threads: Int) -> String {
        var line = "Work: \(Self.count(patientsPerReplication)) patients x \(replications) replication(s) x \(variants) variant(s)"
            + " = \(Self.count(journeys)) journeys, about \(Self.count(stateEntries)) state entries"
            + " (\(Self.decimal(statesPerPatient)) a patient\(loops ? ", at least: some patients loop" : ""))"
        if let storedEvents {
            line += "; store: about \(Self.bytes(storeBytes)) on disk\(storedEvents ? " with the event log" : ""), written in batches: "
                + "at most \(Self.bytes(Self.bufferBytesPerThread * Double(max(threads, 1)))) of rows held in memory, besides SQLite's 64 MB page cache"
        }
        return line
    }

    static func count(_ x: Double) -> String {
        guard x.isFinite else { return "infinitely many" }
        if x >= 1e15 { return String(format: "%.1e", x) }
        return Bounds.grouped(Int(x.rounded()))
    }

    static func decimal(_ x: Double) -> String { String(format: x >= 100 ? "%.0f" : "%.1f", x) }

    static func bytes(_ b: Double) -> String {
        let units = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (size, name) in units where b >= size { return String(format: "%.1f", b / size) + " " + name }
        return "\(Int(b)) bytes"
    }
}
