import Foundation
import GRDB
import XCTest

/// Issue 12's reproducers from the command line, each of which once trapped (exit 132), aborted,
/// hung or ate the machine: each now exits 1 or 2 within seconds, with a located message, and
/// stores nothing.
final class BoundsCLITests: XCTestCase {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A one-desk pathway whose `assess` state goes back to itself while `loop` holds.
    func files(_ dir: URL, duration: String = "1h", loop: String = "age < 0", cohort: String = "patients: 10\n  arrivals: 1/h",
               extra: String = "") throws -> URL {
        try """
        pathway: desk
        attributes:
          age: number
        organisations:
          clinic:
            sector: acute
            maturity: integrated
            roles:
              desk: { capacity: 2 }
        states:
          assess:
            owner: clinic/desk
            duration: "\(duration)"
            next:
              - { to: assess, when: "\(loop)" }
              - { to: left }
          left: { terminal: true }
        """.write(to: dir.appendingPathComponent("desk.yaml"), atomically: true, encoding: .utf8)
        let url = dir.appendingPathComponent("scenario.yaml")
        try """
        scenario: bounds
        pathway: desk.yaml
        cohort:
          \(cohort)
          attributes:
            age: "normal(mean=70, sd=10)"
        replications: 2
        seed: 1
        \(extra)
        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CLITests.Output {
        let started = Date()
        let output = try CLITests.run(arguments)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "\(arguments) should end within seconds (a few on an idle machine; the bound allows for a loaded one)", file: file, line: line)
        return output
    }

    func storedRuns(_ db: URL) throws -> Int {
        guard FileManager.default.fileExists(atPath: db.path) else { return 0 }
        let queue = try DatabaseQueue(path: db.path)
        defer { try? queue.close() }
        return try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM runs") ?? 0 }
    }

    func testALoopingPatientStopsTheRunWithTheCycleNamedAndNothingStored() throws {
        let dir = try folder()
        let scenario = try files(dir, loop: "age >= 0")
        let db = dir.appendingPathComponent("runs.sqlite")
        for extra in [["--no-store"], ["--events", "--db", db.path]] {
            let output = try run(["simulate", scenario.path, "--report", dir.appendingPathComponent("r.html").path] + extra)
            XCTAssertEqual(output.status, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("run-away patient: patient 1 entered more than 10000 states, caught in the cycle assess -> assess"),
                          output.stderr)
            XCTAssertTrue(output.stderr.contains("not simulated (nothing written or stored)"), output.stderr)
            XCTAssertTrue(output.stdout.contains("some patients loop"), "the estimate warns before the run: \(output.stdout)")
        }
        XCTAssertEqual(try storedRuns(db), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.html").path))
        // The limit is the scenario's or the option's.
        let low = try run(["simulate", scenario.path, "--no-store", "--max-state-entries", "25"])
        XCTAssertEqual(low.status, 1)
        XCTAssertTrue(low.stderr.contains("more than 25 states"), low.stderr)
        XCTAssertEqual(try run(["simulate", scenario.path, "--no-store", "--max-state-entries", "0"]).status, 2)
    }

    func testReplicationsBeyondTheFilesLimitAreAUsageError() throws {
        let dir = try folder()
        let scenario = try files(dir)
        for command in ["simulate", "compare", "export"] {
            var arguments = [command, scenario.path, "--replications", "100000000"]
            if command == "compare" { arguments.insert(scenario.path, at: 2) }
            if command == "export" { arguments += ["--csv", dir.appendingPathComponent("log.csv").path] }
            let output = try run(arguments)
            XCTAssertEqual(output.status, 2, "\(command): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains("--replications must be from 1 to 100,000"), output.stderr)
        }
    }

    func testAnOverlongDurationAndATinyRateAreLocatedErrors() throws {
        let dir = try folder()
        let long = try files(dir, duration: "10000000000000000000h")
        let output = try run(["simulate", long.path, "--no-store"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("desk.yaml:13:"), output.stderr)
        XCTAssertTrue(output.stderr.contains("at most 8,766,000 h (1,000 years)"), output.stderr)
        let rare = try files(dir, cohort: "patients: 10\n  arrivals: 1e-300/d")
        let validate = try run(["validate", rare.path])
        XCTAssertEqual(validate.status, 1)
        XCTAssertTrue(validate.stdout.contains("scenario.yaml:5:") && validate.stdout.contains("one patient in 1,000 years"), validate.stdout)
    }

    func testValidateOfTheSmallestIntegerIsAnErrorNotATrap() throws {
        let dir = try folder()
        let scenario = try files(dir)
        let text = try String(contentsOf: scenario, encoding: .utf8)
            .replacingOccurrences(of: "normal(mean=70, sd=10)", with: "integer(-9223372036854775808, 5)")
        try text.write(to: scenario, atomically: true, encoding: .utf8)
        let output = try run(["validate", scenario.path])
        XCTAssertEqual(output.status, 1, output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("scenario.yaml:7:") && output.stdout.contains("between -1,000,000,000,000 and"), output.stdout)
    }

    func testADrawBeyondTheBoundsStopsTheRunNamingTheDistribution() throws {
        let dir = try folder()
        let scenario = try files(dir, duration: "lognormal(mean=8000000h, sd=8000000h)")
        let output = try run(["simulate", scenario.path, "--no-store"])
        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("states.assess.duration lognormal(mean 8000000 h, sd 8000000 h) drew"), output.stderr)
    }

    func testTheWorkIsAnnouncedAndABigRunIsRefusedWithoutYes() throws {
        let dir = try folder()
        let small = try files(dir)
        let ok = try run(["simulate", small.path, "--no-store"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("Work: 10 patients x 2 replication(s) x 1 variant(s) = 20 journeys, about 40 state entries (2.0 a patient)"),
                      ok.stdout)
        // 100 million patients x 100 replications x 2 states: 2 x 10^10 state entries.
        let big = try files(dir, cohort: "patients: 100000000\n  arrivals: 100/h")
        let db = dir.appendingPathComponent("runs.sqlite")
        let refused = try run(["simulate", big.path, "--replications", "100", "--db", db.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("this run implies about 20,000,000,000 state entries, above the limit of 1,000,000,000"),
                      refused.stderr)
        XCTAssertTrue(refused.stderr.contains("a store of about 800.0 GB"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--yes to run it anyway"), refused.stderr)
        XCTAssertEqual(try storedRuns(db), 0)
        // Export and compare run the same work: announced and refused alike, nothing written.
        let log = dir.appendingPathComponent("big.csv")
        let export = try run(["export", big.path, "--replications", "100", "--csv", log.path])
        XCTAssertEqual(export.status, 1)
        XCTAssertTrue(export.stderr.contains("above the limit of 1,000,000,000"), export.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: log.path))
        let report = dir.appendingPathComponent("cmp/index.html")
        let compare = try run(["compare", big.path, big.path, "--replications", "100", "-o", report.path])
        XCTAssertEqual(compare.status, 1)
        XCTAssertTrue(compare.stdout.contains("Work: 100,000,000 patients x 100 replication(s)"), compare.stdout)
        XCTAssertTrue(compare.stderr.contains("above the limit of 1,000,000,000"), compare.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: report.path))
    }
}

extension BoundsCLITests {
    func testAnExportOfALoopingPathwayWritesNoLog() throws {
        let dir = try folder()
        let scenario = try files(dir, loop: "age >= 0")
        let csv = dir.appendingPathComponent("log.csv")
        let output = try run(["export", scenario.path, "--csv", csv.path])
        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("caught in the cycle assess -> assess"), output.stderr)
        XCTAssertTrue(output.stderr.contains("no event log written"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: csv.path))
    }
}
