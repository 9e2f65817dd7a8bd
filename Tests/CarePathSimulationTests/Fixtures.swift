import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Scenarios for the simulation tests, written as real pathway and scenario files in a temporary
/// folder and read back through `ScenarioFile.load`, so that every test goes through the file format.
enum Fixture {
    struct Loaded {
        var scenario: Scenario
        var pathway: Pathway
        var variant: Variant { scenario.effectiveVariants[0] }
        func variant(_ name: String) -> Variant {
            guard let v = scenario.effectiveVariants.first(where: { $0.name == name }) else {
                fatalError("no variant \(name)")
            }
            return v
        }
        func stateIndex(_ id: String) -> Int {
            guard let i = pathway.states.firstIndex(where: { $0.id == id }) else { fatalError("no state \(id)") }
            return i
        }
        func itemIndex(_ id: String) -> Int {
            guard let i = pathway.information.firstIndex(where: { $0.id == id }) else { fatalError("no item \(id)") }
            return i
        }
    }

    /// Writes `pathway` as pathway.yaml and `scenario` (which must say `pathway: pathway.yaml`) as
    /// scenario.yaml in a fresh temporary folder, and loads them; fails the test on any error.
    static func load(pathway: String, scenario: String, file: StaticString = #filePath, line: UInt = #line) throws -> Loaded {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("carepath-simtests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try pathway.write(to: folder.appendingPathComponent("pathway.yaml"), atomically: true, encoding: .utf8)
        let scenarioURL = folder.appendingPathComponent("scenario.yaml")
        try scenario.write(to: scenarioURL, atomically: true, encoding: .utf8)
        do throws(FormatErrors) {
            let (s, p, _) = try ScenarioFile.load(scenarioURL)
            return Loaded(scenario: s, pathway: p)
        } catch {
            let text = error.problems.map { "\($0.line):\($0.column) \($0.message)" }.joined(separator: "\n")
            XCTFail("the fixture does not load:\n\(text)", file: file, line: line)
            throw error
        }
    }
}

extension VariantSummary {
    /// The mean of a metric over replications; fails the test when the metric is absent.
    func value(_ name: String, subject: String = "", file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard let m = metric(name, subject: subject) else {
            XCTFail("no metric \(name) [\(subject)]", file: file, line: line)
            return .nan
        }
        return m.mean
    }
}

extension ReplicationResult {
    func value(_ name: String, subject: String = "", file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard let m = metrics.first(where: { $0.name == name && $0.subject == subject && $0.group.isEmpty }) else {
            XCTFail("no metric \(name) [\(subject)]", file: file, line: line)
            return .nan
        }
        return m.value
    }
}

/// Runs each replication of a scenario's variant with a fresh MetricsCollector, exactly as the
/// runner seeds them, and returns the per-replication results (for paired, per-replication checks).
func replicationResults(_ f: Fixture.Loaded, variant: Variant? = nil, replications: Int? = nil) -> [ReplicationResult] {
    let n = replications ?? f.scenario.replications
    let v = variant ?? f.variant
    let results = ResultBox(count: n)
    DispatchQueue.concurrentPerform(iterations: n) { r in
        let c = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: v,
                                         seed: ScenarioRunner.replicationSeed(f.scenario.seed, r), observer: MetricsCollector())
        results.set(r, c.result())
    }
    return results.values
}

final class ResultBox: @unchecked Sendable {
    private var slots: [ReplicationResult?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: ReplicationResult) { lock.lock(); slots[i] = v; lock.unlock() }
    var values: [ReplicationResult] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// Records what the tests need to see of a run; changes nothing.
struct EventRecorder: SimulationObserver {
    struct Start: Equatable {
        var patient: Int; var state: Int; var time: Double; var waited: Double; var delay: Double; var group: Int
        /// Time spent chasing or re-collecting items at this start.
        var spent = 0.0
    }
    struct Check: Equatable { var patient: Int; var state: Int; var item: Int; var gap: GapKind; var response: GapResponse; var spent: Double; var time: Double }
    struct Handoff: Equatable { var patient: Int; var from: Int; var to: Int; var cross: Bool; var latency: Double; var lost: Int; var time: Double }
    struct End: Equatable { var patient: Int; var state: Int; var time: Double }

    var plan: SimulationPlan?
    var arrivals: [Int: (time: Double, group: Int)] = [:]
    var starts: [Start] = []
    var ends: [End] = []
    var checks: [Check] = []
    var handoffs: [Handoff] = []
    var left: [Int: (terminal: Int, time: Double)] = [:]
    var lastStart: [Int: Int] = [:]
    var warmUpEnd: Double?
    var runEnd = 0.0

    init() {}

    mutating func runStarted(plan: SimulationPlan) { self.plan = plan }
    mutating func warmUpEnded(at time: Double) { warmUpEnd = time }
    mutating func patientArrived(_ p: PatientContext, at time: Double) { arrivals[p.index] = (time, p.group) }
    mutating func roleChanged(role: Int, queueLength: Int, busy: Int, at time: Double) {}
    mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
        lastStart[p.index] = starts.count
        starts.append(Start(patient: p.index, state: state, time: time, waited: waited, delay: handoffDelay, group: p.group))
    }
    mutating func itemChecked(_ p: PatientContext, state: Int, item: Int, gap: GapKind, response: GapResponse,
                              timeSpent: Double, at time: Double) {
        if let i = lastStart[p.index] { starts[i].spent += timeSpent }
        checks.append(Check(patient: p.index, state: state, item: item, gap: gap, response: response, spent: timeSpent, time: time))
    }
    mutating func itemsShown(_ p: PatientContext, state: Int, unneeded: Int, needed: Int) {}
    mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
        ends.append(End(patient: p.index, state: state, time: time))
    }
    mutating func handedOff(_ p: PatientContext, from: Int, to: Int, crossOrganisation: Bool, latency: Double, lost: Int, at time: Double) {
        handoffs.append(Handoff(patient: p.index, from: from, to: to, cross: crossOrganisation, latency: latency, lost: lost, time: time))
    }
    mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) { left[p.index] = (terminal, time) }
    mutating func runEnded(at time: Double) { runEnd = time }

    /// Per patient, the states started in order.
    var paths: [Int: [Int]] {
        var paths: [Int: [Int]] = [:]
        for s in starts { paths[s.patient, default: []].append(s.state) }
        return paths
    }

    /// How many checks found each kind of gap.
    func count(_ kind: GapKind, state: Int? = nil) -> Int {
        checks.filter { $0.gap == kind && (state == nil || $0.state == state) }.count
    }
}
