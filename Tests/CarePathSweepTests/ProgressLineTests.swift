import CarePathProgress
import CarePathSweep
import Foundation
import XCTest

/// The progress line: its words and time left, drawn on a terminal, silent elsewhere.
final class ProgressLineTests: XCTestCase {
    func testTimeLeftIsTheRateSoFar() {
        // A quarter done in 30 s: 90 s left.
        XCTAssertEqual(ProgressLine.timeLeft(elapsed: 30, fraction: 0.25), ", about 1 min 30 s left")
        XCTAssertEqual(ProgressLine.timeLeft(elapsed: 10, fraction: 0.5), ", about 10 s left")
        XCTAssertEqual(ProgressLine.timeLeft(elapsed: 3600, fraction: 0.4), ", about 1 h 30 min left")
        XCTAssertEqual(ProgressLine.timeLeft(elapsed: 5, fraction: 0), "")
        XCTAssertEqual(ProgressLine.timeLeft(elapsed: 5, fraction: 1), "")
        XCTAssertEqual(ProgressLine.timeLeft(elapsed: .nan, fraction: 0.5), "")
        XCTAssertEqual(ProgressLine.timeLeft(elapsed: 1e300, fraction: 1e-300), ", time left unknown")
        XCTAssertEqual(ProgressLine.line(fraction: 0.5, detail: "1/2 shards", elapsed: 20),
                       "[###############               ] 50%, 1/2 shards, about 20 s left")
        XCTAssertEqual(ProgressLine.line(fraction: .nan, detail: "", elapsed: 1), "[                              ] 0%")
    }

    /// Drawn in place (a carriage return, no new line until the end), at most every 0.2 s.
    func testDrawnInPlaceAndThrottledWhenEnabled() throws {
        let pipe = Pipe()
        let start = Date(timeIntervalSinceNow: -10)
        let line = ProgressLine(enabled: true, output: pipe.fileHandleForWriting, start: start)
        let now = Date()
        line.update(fraction: 0.5, detail: "5/10 units", now: now)
        line.update(fraction: 0.6, detail: "6/10 units", now: now.addingTimeInterval(0.05))
        line.update(fraction: 1, detail: "10/10 units", now: now.addingTimeInterval(0.1))
        line.finish()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\r[###############               ] 50%, 5/10 units, about "), text)
        XCTAssertFalse(text.contains("6/10"), "redrawn at most five times a second")
        XCTAssertTrue(text.contains("\r[##############################] 100%, 10/10 units   \n"), text)
    }

    func testSilentWhenNotATerminal() throws {
        let pipe = Pipe()
        let line = ProgressLine(enabled: false, output: pipe.fileHandleForWriting, start: Date(timeIntervalSinceNow: -10))
        line.update(fraction: 0.5, detail: "x")
        line.finish()
        try pipe.fileHandleForWriting.close()
        XCTAssertEqual(pipe.fileHandleForReading.readDataToEndOfFile().count, 0)
        // The real line decides by standard error: a test's is a pipe or a file.
        XCTAssertFalse(ProgressLine().enabled && isatty(STDERR_FILENO) == 0)
    }

    /// On a terminal (script(1) gives the command a pseudo-terminal) `sweep run` draws its line
    /// in place and ends it; with standard error a file, the same run writes nothing there.
    func testShownOnATerminalOnly() throws {
        let f = try SweepFixture(patients: 30, replications: 2, test: self)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "2", "-o", "s"]).status, 0)
        let environment = ["CAREPATH_PROGRESS_DELAY": "0"]
        let command = "\(SweepFixture.binary.path) sweep run s --shard 0 --threads 1"
        let terminal = try SweepFixture.run(["-qefc", command, "/dev/null"], in: f.folder, environment: environment,
                                            executable: URL(fileURLWithPath: "/usr/bin/script"), unsetting: ["CI"])
        XCTAssertEqual(terminal.status, 0, terminal.stdout + terminal.stderr)
        let units = try SweepManifest.load(f.url("s")).manifest.shards[0].units.count
        XCTAssertTrue(terminal.stdout.contains("\r[##############################] 100%, \(units)/\(units) units   \r\n"), terminal.stdout.debugDescription)
        let log = try SweepFixture.run(["sweep", "run", "s", "--shard", "0", "--threads", "1"], in: f.folder, environment: environment, unsetting: ["CI"])
        XCTAssertEqual(log.status, 0)
        XCTAssertEqual(log.stderr, "", "nothing of the line in a log")
    }
}
