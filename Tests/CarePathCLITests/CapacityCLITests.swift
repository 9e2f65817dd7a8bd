import Foundation
import XCTest

/// Capacity problems as a user meets them on the command line.
final class CapacityCLITests: XCTestCase {
    /// Two kinds of patient cross between two single-unit roles in opposite directions, each
    /// holding their unit: the run ends with a circle nobody can leave. `simulate` must say so
    /// (roles and time), exit 1, and write and store nothing.
    func testCircularHoldingFailsTheRunWithTheRolesAndNothingIsWritten() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-circle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try """
        pathway: circle
        attributes: { kind: boolean }
        organisations:
          one: { sector: acute, maturity: integrated, roles: { a: { capacity: 1 } } }
          two: { sector: community, maturity: integrated, roles: { b: { capacity: 1 } } }
        states:
          start: { owner: one/a, occupies: false, next: [ { to: at-a, when: "kind" }, { to: at-b } ] }
          at-a: { owner: one/a, duration: exponential(mean=1h), holds: until-next, next: [ { to: then-b } ] }
          then-b: { owner: two/b, duration: 1h, next: [ { to: done } ] }
          at-b: { owner: two/b, duration: exponential(mean=1h), holds: until-next, next: [ { to: then-a } ] }
          then-a: { owner: one/a, duration: 1h, next: [ { to: done } ] }
          done: { terminal: true }
        """.write(to: dir.appendingPathComponent("circle.yaml"), atomically: true, encoding: .utf8)
        try """
        scenario: circle
        pathway: circle.yaml
        cohort: { patients: 100, arrivals: 2/h, attributes: { kind: 0.5 } }
        replications: 2
        seed: 1
        """.write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("store.sqlite").path, json = dir.appendingPathComponent("out.json").path
        let output = try CLITests.run(["simulate", dir.appendingPathComponent("scenario.yaml").path, "--db", db, "--json", json])
        XCTAssertEqual(output.status, 1, output.stdout + output.stderr)
        XCTAssertTrue(output.stderr.contains("circular holding"), output.stderr)
        XCTAssertTrue(output.stderr.contains("one/a") && output.stderr.contains("two/b"), output.stderr)
        XCTAssertTrue(output.stderr.contains("not simulated"), output.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json), "no JSON for a run that could not finish")
        let runs = try CLITests.run(["runs", "--db", db])
        XCTAssertTrue(runs.stdout.contains("no runs stored"), "the run is not in the store: \(runs.stdout)")
    }
}
