import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation
import XCTest
@testable import CarePathWorkshop

final class WorkshopRunTests: XCTestCase {
    /// Doubling the M/M/3 station's servers halves its utilisation: rho = lambda / (c mu) =
    /// 2.4 / 3 = 0.8, then 2.4 / 6 = 0.4 (offered load over servers, not a CarePath figure).
    func testDoublingTheServersHalvesUtilisation() async throws {
        let setup = try Shipped.mmc(patients: 4000, replications: 4)
        let run = try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "6"])
        let all = await updates(of: run)
        let last = try XCTUnwrap(all.last)
        XCTAssertTrue(last.finished)
        XCTAssertEqual(last.replicationsDone, 4)
        let desk = try XCTUnwrap(last.nodes.first { $0.subject == WorkshopSubject(kind: .role, id: "clinic/desk", organisation: "clinic") })
        let before = try XCTUnwrap(desk.baseline["utilisation"]), after = try XCTUnwrap(desk.option["utilisation"])
        XCTAssertEqual(before, 0.8, accuracy: 0.03)
        XCTAssertEqual(after, 0.4, accuracy: 0.015)
        // The same patients and services on both sides: only the end of the run differs.
        XCTAssertEqual(after / before, 0.5, accuracy: 0.01)
    }

    /// Changing nothing runs the baseline twice on the same seeds: every difference is exactly 0,
    /// and the page says there is none.
    func testChangingNothingGivesDifferencesOfExactlyZero() async throws {
        let setup = try Shipped.mmc(patients: 1000, replications: 3)
        let run = try WorkshopRun(setup: setup, settings: [:])
        let all = await updates(of: run)
        let last = try XCTUnwrap(all.last)
        XCTAssertFalse(last.headlines.isEmpty)
        for h in last.headlines {
            XCTAssertEqual(h.difference.mean, 0, h.name)
            XCTAssertEqual(h.difference.low, 0, h.name)
            XCTAssertEqual(h.difference.high, 0, h.name)
            XCTAssertEqual(h.baseline, h.option, h.name)
            XCTAssertFalse(h.clear)
            XCTAssertTrue(h.sentence.contains("no difference"), h.sentence)
        }
        for node in last.nodes { XCTAssertEqual(node.baseline, node.option, node.subject.description) }
    }

    /// The answer refines: one update per replication, the first with one replication and no
    /// interval, the last with all of them, and the interval narrows as replications come in.
    func testTheStreamRefinesReplicationByReplication() async throws {
        let setup = try Shipped.mmc(patients: 600, replications: 20)
        let run = try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "4"], threads: 2)
        let all = await updates(of: run)
        XCTAssertEqual(all.map(\.replicationsDone), Array(1...20))
        XCTAssertEqual(all.map(\.finished), Array(repeating: false, count: 19) + [true])
        let wait = { (u: WorkshopUpdate) in u.headlines.first { $0.name == "time_in_pathway_mean_h" } }
        let first = try XCTUnwrap(wait(all[0])), third = try XCTUnwrap(wait(all[2])), last = try XCTUnwrap(wait(all[19]))
        XCTAssertNil(first.difference.low)
        XCTAssertTrue(first.sentence.contains("after one replication"), first.sentence)
        let width = { (h: WorkshopHeadline) in (h.difference.high ?? .nan) - (h.difference.low ?? .nan) }
        XCTAssertLessThan(width(last), width(third))
        // A fourth server shortens the time through an M/M/3 at 0.8 by about the Erlang C wait
        // (1.08 h, to 0.18 h at M/M/4): clearly, with 20 replications.
        XCTAssertTrue(last.clear)
        XCTAssertLessThan(last.difference.mean, 0)
        XCTAssertTrue(last.sentence.hasPrefix("Mean time in the pathway falls by"), last.sentence)
    }

    /// The same settings give the same updates, byte for byte, whatever the threads.
    func testUpdatesAreTheSameWhateverTheThreads() async throws {
        let setup = try Shipped.mmc(patients: 500, replications: 6)
        let one = await updates(of: try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "5"], threads: 1))
        let four = await updates(of: try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "5"], threads: 4))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        XCTAssertEqual(try encoder.encode(one), try encoder.encode(four))
    }

    /// Ending the consumer's task stops the run between replications: a long run cancelled after
    /// its first update ends within a second, not after its 400 replications.
    func testCancellingEndsTheRunPromptly() async throws {
        let setup = try Shipped.mmc(patients: 20000, replications: 400)
        let run = try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "4"], threads: 2)
        let counter = Counter()
        let task = Task {
            for await _ in run.updates() { counter.add() }
        }
        while counter.value == 0 { try await Task.sleep(nanoseconds: 5_000_000) }
        let start = Date()
        task.cancel()
        _ = await task.value
        let seen = counter.value
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
        XCTAssertLessThan(seen, 400)
    }

    /// Cancelling stops a replication in progress, not only those not yet started: one replication
    /// of a million patients each side (seconds of work in a debug build) cancelled 0.3 s in
    /// returns within 1.5 s, with no update sent and no final answer. (The stream's consumer sees
    /// its end at once whatever the workers do, so the workers' own end is timed here; the
    /// engine's `StopSignalTests` show the replication itself stops within 4,096 events.) The
    /// workers run on a dispatch thread as the server runs them, not on the tasks' shared pool,
    /// which they would block.
    func testCancellingStopsAReplicationInProgress() throws {
        let setup = try Shipped.mmc(patients: 1_000_000, replications: 1)
        let run = try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "4"], threads: 2)
        let counter = Counter()
        let live = LiveReplications(run: run) { _ in counter.add() }
        let final = LockedBox<WorkshopUpdate>(), ended = DispatchSemaphore(value: 0)
        let start = Date()
        DispatchQueue.global().async {
            final.value = live.runAll(store: nil)
            ended.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        let cancelledAt = Date()
        live.cancel()
        XCTAssertEqual(ended.wait(timeout: .now() + 60), .success)
        XCTAssertLessThan(Date().timeIntervalSince(cancelledAt), 1.5)
        XCTAssertGreaterThan(cancelledAt.timeIntervalSince(start), 0.29)
        XCTAssertNil(final.value)
        XCTAssertEqual(counter.value, 0)
    }

    /// Values the files would refuse are refused before anything runs, naming the lever.
    func testSettingsAreCheckedBeforeRunning() throws {
        let setup = try Shipped.mmc()
        XCTAssertThrowsError(try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "three"])) { error in
            let problems = (error as? WorkshopProblems)?.problems ?? []
            XCTAssertEqual(problems.map(\.lever), ["capacities.clinic/desk"])
            XCTAssertTrue(problems.first?.message.contains("expected a whole number >= 1, found 'three'") ?? false, "\(problems)")
        }
        XCTAssertThrowsError(try WorkshopRun(setup: setup, settings: ["capacities.clinic/nurse": "3"])) { error in
            XCTAssertEqual((error as? WorkshopProblems)?.problems.map(\.message), ["capacities.clinic/nurse: no such lever in this workshop"])
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
