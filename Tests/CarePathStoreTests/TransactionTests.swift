import CarePathMetrics
import Foundation
import GRDB
import XCTest
@testable import CarePathStore

/// A run is one transaction: until it commits, nothing of it is in the store, whatever happens
/// to the process writing it.
final class TransactionTests: XCTestCase {
    /// A store holding one committed run, and its contents table by table.
    func storeWithOneRun(_ f: StoreFixture, name: String = "carepath.sqlite") throws -> (String, [String: [[DatabaseValue]]]) {
        let path = f.path(name)
        let store = try ResultsStore(path: path)
        try f.run(into: store)
        try store.close()
        let before = try contents(of: path)
        XCTAssertEqual(before["runs"]?.count, 1)
        return (path, before)
    }

    func testAnAbandonedRunLeavesThePreviousContentsIntact() throws {
        let f = try StoreFixture()
        let (path, before) = try storeWithOneRun(f)
        let store = try ResultsStore(path: path)
        let (_, writer) = try f.run(into: store, events: true, commit: false)
        XCTAssertEqual(try store.runs().map(\.record.status), [RunRecord.complete, RunRecord.writing],
                       "the writing connection sees its own run in progress")
        writer.abandon()
        writer.abandon()
        XCTAssertThrowsError(try writer.finish(summary: store.summary(run: 1))) { XCTAssertEqual($0 as? StoreError, .runClosed) }
        XCTAssertEqual(try store.runs().map(\.id), [1])
        try store.close()
        XCTAssertEqual(try contents(of: path), before)
        XCTAssertEqual(try integrityCheck(of: path), ["ok"])
    }

    func testAWriterDroppedWithoutFinishingRollsBack() throws {
        let f = try StoreFixture()
        let (path, before) = try storeWithOneRun(f)
        let store = try ResultsStore(path: path)
        do { _ = try f.run(into: store, commit: false) }
        // The store is free for the next run, which commits as run 2.
        let (_, next) = try f.run(into: store)
        XCTAssertEqual(try store.runs().map(\.id), [1, next.id])
        try store.deleteRun(next.id)
        try store.close()
        var after = try contents(of: path)
        after["sqlite_sequence"] = before["sqlite_sequence"]
        XCTAssertEqual(after, before)
    }

    func testOnlyOneRunAtATimeAndAFailedWriteAbandonsTheRun() throws {
        let f = try StoreFixture()
        let (path, before) = try storeWithOneRun(f)
        let store = try ResultsStore(path: path)
        let (summary, writer) = try f.run(into: store, commit: false)
        XCTAssertThrowsError(try store.beginRun(f.record(), inputs: [], variants: [])) { XCTAssertEqual($0 as? StoreError, .runInProgress) }

        // A replication written twice, or not in the run, is refused before anything is written.
        let (result, _) = try f.oneReplication(events: false)
        XCTAssertThrowsError(try writer.addReplication(variant: 0, replication: 0, seed: 1, result: result)) {
            XCTAssertEqual($0 as? StoreError, .duplicateReplication(variant: 0, replication: 0))
        }
        XCTAssertThrowsError(try writer.addReplication(variant: 5, replication: 0, seed: 1, result: result)) {
            XCTAssertEqual($0 as? StoreError, .unknownReplication(variant: 5, replication: 0))
        }
        XCTAssertNil(writer.failure, "refusals before any write change nothing")
        try writer.finish(summary: summary)
        try store.deleteRun(writer.id)

        // A write that fails inside SQLite (here: refused by a trigger) abandons the whole run.
        let broken = try store.beginRun(f.record(), inputs: f.inputs, variants: VariantRecord.variants(of: f.scenario))
        broken.record(variant: 0, replication: 0, seed: 1, result: result, recorder: ReplicationRecorder(events: false))
        XCTAssertNil(broken.failure)
        try store.queue.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TEMP TRIGGER refuse BEFORE INSERT ON replication_metrics BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
        }
        broken.record(variant: 0, replication: 1, seed: 1, result: result, recorder: ReplicationRecorder(events: false))
        XCTAssertNotNil(broken.failure)
        XCTAssertThrowsError(try broken.finish(summary: summary)) { XCTAssertTrue("\($0)".contains("disk on fire"), "\($0)") }
        try store.close()
        var after = try contents(of: path)
        after["sqlite_sequence"] = before["sqlite_sequence"]
        XCTAssertEqual(after, before)
    }

    func testASecondProcessWaitsForTheRunInProgressThenIsToldSo() throws {
        let f = try StoreFixture(patients: 40, replications: 2)
        let path = f.path("carepath.sqlite")
        let first = try ResultsStore(path: path)
        let (summary, writer) = try f.run(into: first, events: true, commit: false)
        // Another connection (as another process would have) can open the store and read the
        // committed state, but cannot begin a run until the first one ends.
        let second = try ResultsStore(path: path, create: false, migrateUpTo: nil, busyTimeout: 0.2)
        XCTAssertEqual(try second.runs().count, 0)
        XCTAssertThrowsError(try second.beginRun(f.record(), inputs: f.inputs, variants: VariantRecord.variants(of: f.scenario))) {
            // The holder is this same process, which the kernel does not report as holding its own locks.
            XCTAssertEqual($0 as? StoreError, .busy(path: path, holder: nil, waited: 0.2))
        }
        try writer.finish(summary: summary)
        XCTAssertEqual(try second.runs().map(\.id), [writer.id])
        let (_, next) = try f.run(into: second)
        XCTAssertEqual(try first.runs().map(\.id), [writer.id, next.id])
    }

    func testFinishRefusesASummaryOfAnotherShapeOrMissingReplications() throws {
        let f = try StoreFixture(patients: 40, replications: 2)
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        let (summary, writer) = try f.run(into: store, commit: false)
        var wrong = summary
        wrong.replications = 3
        XCTAssertThrowsError(try writer.finish(summary: wrong)) { error in
            guard case .incomplete = error as? StoreError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.runs().count, 0)

        let partial = try store.beginRun(f.record(), inputs: f.inputs, variants: VariantRecord.variants(of: f.scenario))
        let (result, _) = try f.oneReplication(events: false)
        try partial.addReplication(variant: 0, replication: 0, seed: 1, result: result)
        XCTAssertThrowsError(try partial.finish(summary: summary)) { error in
            XCTAssertEqual(error as? StoreError, .incomplete("1 of 4 replications written"))
        }
        XCTAssertEqual(try store.runs().count, 0)
    }

    /// The state a power cut or SIGKILL leaves on disk, taken while a run with its event log is half
    /// written, on a page cache small enough that SQLite has already written uncommitted pages into
    /// the database file: the file and its journal, copied. Opened, SQLite finds the journal hot and
    /// rolls it back, and the store is exactly as it was before the run. The writing connection
    /// itself is then closed without a commit, as a dying process's would be.
    func testACrashImageTakenMidRunRollsBackToThePreviousContents() throws {
        let f = try StoreFixture(patients: 300, replications: 3)
        let (path, before) = try storeWithOneRun(f)
        let fileBefore = try Data(contentsOf: URL(fileURLWithPath: path))

        let store = try ResultsStore(path: path, create: false, migrateUpTo: nil, cacheKiB: 64)
        let (_, writer) = try f.run(into: store, events: true, commit: false)
        XCTAssertGreaterThan(try store.run(writer.id).eventsStored, 10_000)
        let journal = path + "-journal"
        XCTAssertTrue(FileManager.default.fileExists(atPath: journal), "a run in progress has a rollback journal")
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: path)), fileBefore,
                          "the half-written run should already be in the database file, for the journal to have work to do")

        let crash = f.path("crash.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: crash)
        try FileManager.default.copyItem(atPath: journal, toPath: crash + "-journal")

        // The writing process goes away without committing.
        try store.close()
        writer.abandon()
        XCTAssertEqual(try contents(of: path), before)
        XCTAssertEqual(try integrityCheck(of: path), ["ok"])

        // The crash image is recovered by the next process to open it.
        let recovered = try ResultsStore(path: crash, create: false)
        XCTAssertEqual(try recovered.integrityCheck(), ["ok"])
        XCTAssertEqual(try recovered.runs().map(\.id), [1])
        try recovered.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: crash + "-journal"), "the hot journal was rolled back and deleted")
        XCTAssertEqual(try contents(of: crash), before)
    }
}
