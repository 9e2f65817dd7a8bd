import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation
import GRDB
import XCTest
@testable import CarePathStore

/// A small discharge pathway with two architecture variants, written as real files in a temporary
/// folder and loaded through `ScenarioFile.load`, then run into real SQLite stores in that folder.
final class StoreFixture {
    static let pathway = """
        pathway: discharge
        title: Discharge, small
        attributes:
          age: number
          lives_alone: boolean
          deprivation: number
        organisations:
          acute:
            name: Hospital
            sector: acute
            maturity: integrated
            connects: [messaging, shared-record]
            roles:
              ward: { capacity: 12 }
              discharge-team: { capacity: 2, calendar: weekdays 09:00-17:00 }
          council:
            name: Council
            sector: social-care
            maturity: basic
            connects: [messaging, shared-record]
            roles:
              social-worker: { capacity: 2, calendar: weekdays 09:00-17:00 }
              reablement: { capacity: 8 }
        information:
          discharge-summary: { category: health }
          care-assessment: { category: social-care }
        states:
          inpatient-stay:
            owner: acute/ward
            duration: lognormal(mean=3d, sd=2d)
            produces: [discharge-summary]
            next:
              - { to: discharge-planning }
          discharge-planning:
            owner: acute/discharge-team
            duration: triangular(30m, 1h, 2h)
            needs: [discharge-summary]
            next:
              - { to: social-worker-review, when: "age >= 85 or lives_alone" }
              - { to: home }
          social-worker-review:
            owner: council/social-worker
            duration: triangular(1h, 2h, 4h)
            needs: [discharge-summary]
            on-gap: { chase: exponential(mean=2h) }
            produces: [care-assessment]
            next: [ { to: reablement, p: 0.7 }, { to: care-home, p: 0.3 } ]
          reablement:
            owner: council/reablement
            duration: uniform(2d, 10d)
            needs: [care-assessment]
            on-gap: { repeat: 2h }
            next: [ { to: home } ]
          home: { terminal: true }
          care-home: { terminal: true }
        """

    static func scenario(patients: Int = 150, replications: Int = 3, seed: UInt64 = 20261124) -> String {
        """
        scenario: small-discharge
        title: "Small discharge, \\"two\\" options, one comma"
        question: Which option leaves fewer gaps at the social worker review?
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: 3/d
          attributes:
            age: normal(mean=82, sd=7)
            lives_alone: 0.4
            deprivation: integer(1, 5)
        warm-up: 10%
        replications: \(replications)
        seed: \(seed)
        breakdown: deprivation
        architecture:
          option: point-to-point
          message-latency: exponential(mean=12h)
          message-loss: 0.05
        variants:
          - name: point-to-point
          - name: shared-record
            title: Shared record, nightly batch
            architecture: { option: shared-record, batch: { every: 24h, at: 02:00 } }
        """
    }

    let folder: URL
    private let ownsFolder: Bool
    let scenario: Scenario
    let pathway: Pathway
    let inputs: [RunInput]

    /// Writes the files in `folder`, or in a new temporary folder removed with the fixture.
    init(patients: Int = 150, replications: Int = 3, seed: UInt64 = 20261124, in directory: URL? = nil) throws {
        ownsFolder = directory == nil
        folder = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("carepath-storetests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pathwayURL = folder.appendingPathComponent("pathway.yaml"), scenarioURL = folder.appendingPathComponent("scenario.yaml")
        try Self.pathway.write(to: pathwayURL, atomically: true, encoding: .utf8)
        try Self.scenario(patients: patients, replications: replications, seed: seed).write(to: scenarioURL, atomically: true, encoding: .utf8)
        do throws(FormatErrors) {
            (scenario, pathway, _) = try ScenarioFile.load(scenarioURL)
        } catch {
            XCTFail("the fixture does not load:\n" + error.problems.map { "\($0.line):\($0.column) \($0.message)" }.joined(separator: "\n"))
            throw error
        }
        inputs = [RunInput(.scenario, try InputFile.read(scenarioURL, as: "Scenarios/small, \"discharge\".yaml")),
                  RunInput(.pathway, try InputFile.read(pathwayURL, as: "Pathways/small-discharge.yaml"))]
    }

    deinit { if ownsFolder { try? FileManager.default.removeItem(at: folder) } }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func record(command: String = "carepath simulate Scenarios/small.yaml --db test.sqlite") -> RunRecord {
        RunRecord(startedAt: "2026-11-24T09:30:00Z", carepathVersion: ScenarioRunner.version, command: command,
                  scenario: scenario.id, title: scenario.title, pathway: pathway.id, seed: scenario.seed,
                  replications: scenario.replications)
    }

    /// Runs the scenario with every replication streamed into `store`, and commits unless `commit`
    /// is false (then the open writer is returned with the summary, to be finished or dropped).
    /// `inputs` replaces the fixture's own input files.
    @discardableResult
    func run(into store: ResultsStore, events: Bool = false, commit: Bool = true, threads: Int = 2,
             inputs: [RunInput]? = nil) throws -> (RunSummary, RunWriter) {
        let writer = try store.beginRun(record(), inputs: inputs ?? self.inputs, variants: VariantRecord.variants(of: scenario))
        let seed = scenario.seed
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: ScenarioRunner.Options(threads: threads),
                                         watch: { _, _ in ReplicationRecorder(events: events) },
                                         finished: { v, r, result, recorder in
                                             writer.record(variant: v, replication: r, seed: ScenarioRunner.replicationSeed(seed, r),
                                                           result: result, recorder: recorder)
                                         })
        if let failure = writer.failure { throw failure }
        if commit { try writer.finish(summary: summary) }
        return (summary, writer)
    }
}

extension StoreFixture {
    /// Variant 0's first replication, run alone, with what a store keeps of it.
    func oneReplication(events: Bool = true) throws -> (ReplicationResult, ReplicationRecorder) {
        let box = Captured()
        _ = ScenarioRunner.run(scenario, pathway: pathway, options: ScenarioRunner.Options(replications: 1, threads: 1),
                               watch: { _, _ in ReplicationRecorder(events: events) },
                               finished: { v, _, result, recorder in if v == 0 { box.keep(result, recorder) } })
        return try XCTUnwrap(box.value)
    }
}

final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: (ReplicationResult, ReplicationRecorder)?
    func keep(_ result: ReplicationResult, _ recorder: ReplicationRecorder) {
        lock.lock(); defer { lock.unlock() }
        kept = (result, recorder)
    }
    var value: (ReplicationResult, ReplicationRecorder)? {
        lock.lock(); defer { lock.unlock() }
        return kept
    }
}

/// Everything in a store file, table by table, read through a connection of its own.
func contents(of path: String) throws -> [String: [[DatabaseValue]]] {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in
        var tables: [String: [[DatabaseValue]]] = [:]
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid").map { Array($0.databaseValues) }
        }
        return tables
    }
}

func integrityCheck(of path: String) throws -> [String] {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
}

/// Same value, NaN equal to NaN (SQLite keeps NaN as NULL, read back as NaN).
func same(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (x?, y?): x == y || (x.isNaN && y.isNaN)
    default: false
    }
}
