import Foundation
import GRDB
import XCTest

/// A store another process holds: the command waits, says for whom, and gives up after `--wait`
/// naming that process, instead of SQLite's "database is locked".
final class BusyStoreCLITests: XCTestCase {
    func testAStoreHeldByAnotherProcessIsWaitedForThenNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-busy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("runs.sqlite").path
        let first = try CLITests.run(["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db])
        XCTAssertEqual(first.status, 0, first.stderr)

        // This test process holds the store as a run's commit does: an exclusive lock.
        var config = Configuration()
        config.allowsUnsafeTransactions = true  // the lock is held across accesses, as a run's writer does
        let holder = try DatabaseQueue(path: db, configuration: config)
        try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }
        let started = Date()
        for arguments in [["runs", "--db", db, "--wait", "1"],
                          ["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db, "--wait", "1"]] {
            let output = try CLITests.run(arguments)
            XCTAssertEqual(output.status, 1, arguments.joined(separator: " "))
            let me = "process \(getpid()) ("
            XCTAssertTrue(output.stderr.contains("\(db): waiting for the store, held by \(me)"), output.stderr)
            XCTAssertTrue(output.stderr.contains("the store is held by \(me)"), output.stderr)
            XCTAssertTrue(output.stderr.contains("gave up after 1 s"), output.stderr)
            XCTAssertFalse(output.stderr.contains("SQLite error"), output.stderr)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 8, "each waited about one second")

        // Released while the command waits: it goes on.
        let waiting = Process()
        waiting.executableURL = CLITests.binary
        waiting.arguments = ["runs", "--db", db, "--wait", "30"]
        waiting.currentDirectoryURL = CLITests.root
        let out = Pipe(), err = Pipe()
        waiting.standardOutput = out
        waiting.standardError = err
        try waiting.run()
        Thread.sleep(forTimeInterval: 1)
        try holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        waiting.waitUntilExit()
        XCTAssertEqual(waiting.terminationStatus, 0, stderr)
        XCTAssertTrue(stderr.contains("waiting for the store"), stderr)
        XCTAssertTrue(stdout.contains("frailty-fall"), stdout)
        try holder.close()
    }

    func testWaitOutsideItsRangeIsAUsageError() throws {
        for value in ["-1", "nan", "100000"] {
            let output = try CLITests.run(["runs", "--wait=\(value)"])
            XCTAssertEqual(output.status, 2, value)
            XCTAssertTrue(output.stderr.contains("--wait must be a number of seconds from 0 to 86400"), output.stderr)
        }
    }
}
