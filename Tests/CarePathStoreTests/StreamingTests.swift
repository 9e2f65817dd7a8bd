import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation
import GRDB
import XCTest
@testable import CarePathStore

/// The store's memory stays flat whatever the cohort: a recorder given the run's writer holds at
/// most a batch of outcomes and of events, the rest already in SQLite, and the stored run is the
/// same as one written in one piece at the end (issue 12: ~125 bytes a patient accumulated).
final class StreamingTests: XCTestCase {
    /// Runs the fixture into a new store, in batches of `batch` rows (nil: all at the end).
    func store(_ f: StoreFixture, name: String, batch: Int?) throws -> (path: String, largestHeld: Int, streamed: Int) {
        let path = f.path(name)
        let store = try ResultsStore(path: path)
        let writer = try store.beginRun(f.record(), inputs: f.inputs, variants: VariantRecord.variants(of: f.scenario))
        let seed = f.scenario.seed
        let held = Tally()
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(threads: 2),
                                         watch: { v, r in
                                             ReplicationRecorder(events: true, streamingTo: batch == nil ? nil : writer, variant: v,
                                                                 replication: r, batchRows: batch ?? 1)
                                         },
                                         finished: { v, r, result, recorder in
                                             held.note(recorder.outcomes.outcomes.count, recorder.events?.records.count ?? 0,
                                                       streamed: recorder.outcomesWritten + recorder.eventsStaged)
                                             writer.record(variant: v, replication: r, seed: ScenarioRunner.replicationSeed(seed, r),
                                                           result: result, recorder: recorder)
                                         })
        try writer.finish(summary: summary)
        try store.close()
        return (path, held.largest, held.streamed)
    }

    func testABatchedRunStoresWhatAWholeRunStoresHoldingOneBatchAtMost() throws {
        let f = try StoreFixture(patients: 300, replications: 3)
        let whole = try store(f, name: "whole.sqlite", batch: nil)
        let batched = try store(f, name: "batched.sqlite", batch: 64)
        XCTAssertGreaterThan(whole.largestHeld, 1000, "the fixture should keep many rows of a replication")
        XCTAssertLessThan(batched.largestHeld, 64, "what is left at the end is less than a batch of each kind")
        XCTAssertGreaterThan(batched.streamed, 1000)

        func rows(_ path: String, _ sql: String) throws -> [[DatabaseValue]] {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            return try queue.read { db in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } }
        }
        // Outcomes in any order; the event log in its order within each replication.
        let outcomes = "SELECT variant, replication, patient, arrival_h, time_in_pathway_h, terminal, cross_handoffs, internal_handoffs, "
            + "delayed_transfer_h, cohort_group, counted FROM patient_outcomes ORDER BY variant, replication, patient"
        let events = "SELECT variant, replication, patient, time_h, lifecycle, state, item, gap FROM events ORDER BY variant, replication, id"
        let replications = "SELECT variant, replication, seed, events, patients_stored, events_stored, last_event - first_event + 1 "
            + "FROM replications ORDER BY variant, replication"
        for sql in [outcomes, events, replications] {
            let a = try rows(whole.path, sql), b = try rows(batched.path, sql)
            XCTAssertGreaterThan(a.count, 0, sql)
            XCTAssertEqual(a, b, sql)
        }
        // Each replication's events are one run of consecutive ids, as `event_log` reads them.
        let ranges = try rows(batched.path, "SELECT count(*) FROM replications r JOIN events e ON e.id BETWEEN r.first_event AND r.last_event "
                                 + "WHERE e.variant = r.variant AND e.replication = r.replication")
        XCTAssertEqual(ranges, try rows(batched.path, "SELECT count(*) FROM events"))
        XCTAssertEqual(try integrityCheck(of: batched.path), ["ok"])
    }

    func testAFailedBatchAbandonsTheRun() throws {
        let f = try StoreFixture(patients: 100, replications: 1)
        let store = try ResultsStore(path: f.path("closed.sqlite"))
        let writer = try store.beginRun(f.record(), inputs: f.inputs, variants: VariantRecord.variants(of: f.scenario))
        writer.abandon()
        // A batch after the run was abandoned is not written, and finishing says why.
        writer.appendOutcomes(variant: 0, replication: 0, [])
        XCTAssertThrowsError(try writer.finish(summary: ScenarioRunner.run(f.scenario, pathway: f.pathway)))
        XCTAssertEqual(try store.runs().count, 0)
    }
}

/// The largest number of rows a recorder still held when its replication ended, and how many it had streamed.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var largest = 0, streamed = 0
    func note(_ outcomes: Int, _ events: Int, streamed more: Int) {
        lock.lock(); defer { lock.unlock() }
        largest = max(largest, outcomes, events)
        streamed += more
    }
}
