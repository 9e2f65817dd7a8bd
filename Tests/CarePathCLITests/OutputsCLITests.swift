import Foundation
import XCTest

/// Output paths, interruptions and leftovers, with the real binary: nothing but a regular file is
/// replaced, every path is checked before the run, and Ctrl-C or kill leaves no temporary behind.
final class OutputsCLITests: XCTestCase {
    private func run(_ arguments: [String]) throws -> CLITests.Output { try CLITests.run(arguments) }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-outputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testAnOutputAtALinkToADeviceOrAFIFOIsRefusedBeforeSimulatingAndLeftAlone() throws {
        let dir = try temporaryDirectory()
        let link = dir.appendingPathComponent("null.html").path, fifo = dir.appendingPathComponent("pipe.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let db = dir.appendingPathComponent("runs.sqlite").path
        for arguments in [["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db, "--report", link],
                          ["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db, "--json", link],
                          ["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db, "--csv", fifo],
                          ["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", "/dev/null"],
                          ["render", "Pathways/frailty-fall.yaml", "-o", link],
                          ["export", "Scenarios/frailty-fall.yaml", "--replications", "1", "--xes", fifo],
                          ["export", "Scenarios/frailty-fall.yaml", "--replications", "1", "--ocel", link]] {
            let output = try run(arguments)
            XCTAssertEqual(output.status, 1, arguments.joined(separator: " "))
            XCTAssertTrue(output.stderr.contains("cannot write "), output.stderr)
            XCTAssertTrue(output.stderr.contains("not a regular file") || output.stderr.contains("symbolic link"), output.stderr)
            XCTAssertFalse(output.stdout.contains("Headline"), "nothing is simulated: \(arguments)")
        }
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "/dev/null")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["null.html", "pipe.csv"],
                       "no store, journal or temporary was made")
    }

    func testEveryOutputsFolderIsCreatedBeforeTheRun() throws {
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("store/runs.sqlite").path
        let json = dir.appendingPathComponent("missing/sub/out.json").path, csv = dir.appendingPathComponent("other/m.csv").path
        let output = try run(["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db, "--json", json, "--csv", csv])
        XCTAssertEqual(output.status, 0, output.stderr)
        for path in [db, json, csv] { XCTAssertTrue(FileManager.default.fileExists(atPath: path), path) }

        // A folder that cannot be made (a file is in the way) fails before anything is stored.
        try Data().write(to: dir.appendingPathComponent("file"))
        let blocked = try run(["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db,
                                   "--json", dir.appendingPathComponent("file/out.json").path])
        XCTAssertEqual(blocked.status, 1)
        XCTAssertTrue(blocked.stderr.contains("file/out.json"), blocked.stderr)
        let runs = try run(["runs", "--db", db])
        XCTAssertEqual(runs.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.count, 1, runs.stdout)
    }

    /// Starts `carepath` and kills it with `signal` once `ready` says it is writing; its exit status.
    private func interrupt(_ arguments: [String], with signal: Int32, when ready: () -> Bool) throws -> Process {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLITests.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !ready() && process.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(process.isRunning, "the command ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process
    }

    private func temporaries(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    func testExportInterruptedBySIGINTOrSIGTERMLeavesNoTemporaryFile() throws {
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let dir = try temporaryDirectory()
            let process = try interrupt(["export", "Scenarios/discharge-architectures.yaml", "--replications", "200",
                                         "--xes", dir.appendingPathComponent("log.xes").path,
                                         "--csv", dir.appendingPathComponent("log.csv").path,
                                         "--ocel", dir.appendingPathComponent("log.sqlite").path],
                                        with: signal, when: { temporaries(in: dir).count == 3 })
            XCTAssertEqual(process.terminationReason, Process.TerminationReason.exit)
            XCTAssertEqual(process.terminationStatus, status)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "signal \(signal)")
        }
    }

    func testSimulateInterruptedLeavesNoTemporaryAndTheStoreAsItWas() throws {
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("runs.sqlite").path
        let process = try interrupt(["simulate", "Scenarios/discharge-architectures.yaml", "--replications", "400", "--threads", "1",
                                     "--events", "--db", db, "--json", dir.appendingPathComponent("out.json").path],
                                    with: SIGTERM, when: { FileManager.default.fileExists(atPath: db + "-journal") })
        XCTAssertEqual(process.terminationStatus, 143)
        XCTAssertEqual(temporaries(in: dir), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.json").path))
        let runs = try run(["runs", "--db", db, "--check"])
        XCTAssertTrue(runs.stdout.contains("integrity: ok") && runs.stdout.contains("no runs stored"), runs.stdout + runs.stderr)
    }

    func testTemporariesLeftByAKilledExportAreSweptByTheNextCommandWritingThere() throws {
        let dir = try temporaryDirectory()
        let csv = dir.appendingPathComponent("log.csv").path
        let arguments = ["export", "Scenarios/discharge-architectures.yaml", "--replications", "200", "--csv", csv]
        let killed = try interrupt(arguments, with: SIGKILL, when: { temporaries(in: dir).count == 1 })
        XCTAssertEqual(killed.terminationReason, Process.TerminationReason.uncaughtSignal)
        let left = temporaries(in: dir)
        XCTAssertEqual(left.count, 1, "SIGKILL cannot be caught: its temporary stays, named after its process")
        XCTAssertTrue(left.first?.hasPrefix(".log.csv.carepath-\(killed.processIdentifier)-") == true, "\(left)")
        // Someone else's file of a similar name is not touched.
        let other = dir.appendingPathComponent(".log.csv.notes.tmp")
        try Data("keep".utf8).write(to: other)

        let next = try run(["export", "Scenarios/frailty-fall.yaml", "--replications", "1", "--csv", csv])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), [".log.csv.notes.tmp", "log.csv"])
    }
}
