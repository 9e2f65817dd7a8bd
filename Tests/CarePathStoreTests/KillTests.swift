import Foundation
import GRDB
import XCTest
@testable import CarePathStore

#if os(Linux)
/// The real thing: a process writing a run is killed with SIGKILL before it commits. The child is
/// this test bundle itself, started again on `testChildWritesARunUntilKilled` alone (SwiftPM's test
/// bundle on Linux is an executable that takes a test name), with the store's path in its
/// environment; without that variable the child test does nothing.
final class KillTests: XCTestCase {
    static let childVariable = "CAREPATH_STORE_KILL_CHILD"

    /// Only in the child: begins a run, streams its replications with their event log into the
    /// store, says so in a file, and waits to be killed (giving up after five minutes).
    func testChildWritesARunUntilKilled() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.childVariable] else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("child", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let f = try StoreFixture(patients: 300, replications: 3, in: folder)
        let store = try ResultsStore(path: path, create: false, migrateUpTo: nil, cacheKiB: 64)
        let (_, writer) = try f.run(into: store, events: true, commit: false)
        try Data("\(try store.run(writer.id).eventsStored)".utf8).write(to: URL(fileURLWithPath: path + ".ready"))
        for _ in 0..<300 { sleep(1) }
        XCTFail("the child was not killed")
    }

    func testAProcessKilledMidRunLeavesTheStoreAsItWasBefore() throws {
        let f = try StoreFixture()
        let path = f.path("carepath.sqlite")
        let first = try ResultsStore(path: path)
        try f.run(into: first)
        try first.close()
        let before = try contents(of: path)

        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["CarePathStoreTests.KillTests/testChildWritesARunUntilKilled"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: path]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }

        let ready = path + ".ready"
        let deadline = Date().addingTimeInterval(240)
        while !FileManager.default.fileExists(atPath: ready) && child.isRunning && Date() < deadline {
            usleep(50_000)
        }
        XCTAssertTrue(child.isRunning, "the child ended before it could be killed")
        let stored = Int(String(decoding: try Data(contentsOf: URL(fileURLWithPath: ready)), as: UTF8.self)) ?? 0
        XCTAssertGreaterThan(stored, 10_000, "the child had written its event log, uncommitted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-journal"))

        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        XCTAssertEqual(child.terminationStatus, SIGKILL)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-journal"), "the killed run left its journal behind")

        let store = try ResultsStore(path: path, create: false)
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
        XCTAssertEqual(try store.runs().map(\.id), [1])
        try store.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))
        XCTAssertEqual(try contents(of: path), before)
        XCTAssertEqual(try integrityCheck(of: path), ["ok"])
    }
}
#endif
