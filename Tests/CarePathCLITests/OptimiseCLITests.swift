import CarePathTestSupport
import Foundation
import GRDB
import XCTest

/// `carepath optimise` through the binary: the answer and exit status, the files written, the
/// store, located refusals and bytes that do not depend on the threads.
final class OptimiseCLITests: XCTestCase {
    static let station = MMcStation.pathway

    static func scenario(min: Int, max: Int) -> String {
        """
        scenario: mmc-staffing
        title: "Least staff <for> a short wait"
        pathway: pathway.yaml
        cohort: { patients: 1500, arrivals: 4.4/h }
        warm-up: 5%
        seed: 3
        experiments:
          optimise:
            decisions:
              capacities.clinic/staff: { min: \(min), max: \(max), cost: 10 }
            constraints:
              - wait_mean_h at clinic/staff <= 3h
        """
    }

    func folder(min: Int, max: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-optimise-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try Self.station.write(to: dir.appendingPathComponent("pathway.yaml"), atomically: true, encoding: .utf8)
        try Self.scenario(min: min, max: max).write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func testChoosesTheLeastStaffWritesEveryOutputAndStoresTheConfigurations() throws {
        let dir = try folder(min: 3, max: 7)
        let out = try CLITests.run(["optimise", "scenario.yaml", "-o", "out", "--db", "store.sqlite", "--threads", "1"], in: dir)
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("Chosen: clinic/staff 5, cost 50, meeting every constraint with joint confidence at least 95%"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Capacity search: 5 configuration(s) in the ranges"), out.stdout)
        let json = try Data(contentsOf: dir.appendingPathComponent("out/search.json"))
        let decoded = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        XCTAssertEqual(decoded?["outcome"] as? String, "chosen")
        let html = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Least staff &lt;for&gt; a short wait"), "the title is escaped")
        XCTAssertTrue(html.contains("<svg"), "a chart of the figure against cost")
        XCTAssertTrue(html.contains("Batur"), "the procedure is cited")
        let csv = try String(contentsOf: dir.appendingPathComponent("out/configurations.csv"), encoding: .utf8)
        XCTAssertEqual(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 4, csv)
        let db = try DatabaseQueue(path: dir.appendingPathComponent("store.sqlite").path)
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.status, k.capacity, c.chosen FROM search_configurations c
                JOIN search_capacities k ON k.search = c.search AND k.position = c.position ORDER BY c.position
                """).map { "\($0[0] as String) \($0[1] as Int) \($0[2] as Int)" }
        }
        XCTAssertEqual(rows, ["infeasible 3 0", "infeasible 4 0", "feasible 5 1"])
    }

    func testInfeasibleWithinTheRangesExitsThree() throws {
        let dir = try folder(min: 2, max: 4)
        let out = try CLITests.run(["optimise", "scenario.yaml", "-o", "out", "--no-store"], in: dir)
        XCTAssertEqual(out.status, 3, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("Infeasible within the ranges"), out.stdout)
        let html = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Infeasible within the ranges"))
    }

    func testTheSameSeedGivesTheSameBytesWhateverTheThreads() throws {
        let dir = try folder(min: 4, max: 6)
        var files: [[Data]] = []
        for threads in ["1", "2"] {
            let out = try CLITests.run(["optimise", "scenario.yaml", "-o", "out", "--no-store", "--threads", threads], in: dir)
            XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
            files.append(try ["search.json", "configurations.csv"].map { try Data(contentsOf: dir.appendingPathComponent("out/\($0)")) })
        }
        XCTAssertEqual(files[0], files[1])
    }

    func testAScenarioWithoutASearchOrWithAMistakeIsRefused() throws {
        let dir = try folder(min: 3, max: 7)
        let none = try CLITests.run(["optimise", "pathway.yaml"], in: dir)
        XCTAssertEqual(none.status, 1)
        let plain = Self.scenario(min: 3, max: 7).components(separatedBy: "experiments:")[0]
        try plain.write(to: dir.appendingPathComponent("plain.yaml"), atomically: true, encoding: .utf8)
        let missing = try CLITests.run(["optimise", "plain.yaml", "--no-store"], in: dir)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("plain.yaml: error: the scenario has no capacity search"), missing.stderr)
        try Self.scenario(min: 3, max: 7).replacingOccurrences(of: "<= 3h", with: "<= 3")
            .write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["validate", "bad.yaml"], in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("bad.yaml:12:") || bad.stderr.contains("bad.yaml:12:"), bad.stdout + bad.stderr)
        XCTAssertTrue((bad.stdout + bad.stderr).contains("expected a time with its unit for wait_mean_h, such as 48h or 2d, found '3'"))
    }
}
