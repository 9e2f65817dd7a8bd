import Foundation
import XCTest

/// Every long command draws its progress line with the time left on a terminal (script(1) gives
/// the command a pseudo-terminal), and writes nothing of it when standard error is a file.
final class ProgressOnATerminalTests: XCTestCase {
    /// The small discharge scenario with a one-parameter sensitivity section and a capacity
    /// search whose constraint every configuration meets (so it stops at its first look).
    func fixture() throws -> SweepFixture {
        let f = try SweepFixture(patients: 30, replications: 2, test: self)
        let text = try String(contentsOf: f.url(f.scenario), encoding: .utf8)
        try (text + """

        experiments:
          sensitivity:
            method: oat
            outcomes: [time_in_pathway_mean_h]
            parameters: [roles.hub/coordinator.capacity]
          optimise:
            decisions:
              capacities.hub/coordinator: { min: 1, max: 3, cost: 1 }
            constraints:
              - time_in_pathway_mean_h <= 100000h
            replications: { initial: 2, max: 8 }

        """).write(to: f.url(f.scenario), atomically: true, encoding: .utf8)
        return f
    }

    /// The command on a pseudo-terminal (standard output and error together, as a user sees them).
    func onATerminal(_ f: SweepFixture, _ arguments: [String]) throws -> String {
        let command = ([SweepFixture.binary.path] + arguments).joined(separator: " ")
        let out = try SweepFixture.run(["-qefc", command, "/dev/null"], in: f.folder, environment: ["CAREPATH_PROGRESS_DELAY": "0"],
                                       executable: URL(fileURLWithPath: "/usr/bin/script"), unsetting: ["CI"])
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        return out.stdout
    }

    /// The same command with standard error a file: nothing of the line.
    func inALog(_ f: SweepFixture, _ arguments: [String]) throws {
        let out = try f.run(arguments, environment: ["CAREPATH_PROGRESS_DELAY": "0"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stderr.contains("\r") || out.stderr.contains("#####") || out.stderr.contains("at most"),
                       "\(arguments[0]): \(out.stderr.debugDescription)")
    }

    func testEveryLongCommandShowsTheTimeLeftOnATerminalOnly() throws {
        let f = try fixture()
        try FileManager.default.copyItem(at: f.url(f.scenario), to: f.url("Scenarios/other.yaml"))
        let runs = [
            ["simulate", f.scenario, "--no-store", "--no-diagram", "--threads", "1"],
            ["compare", f.scenario, "Scenarios/other.yaml", "--no-diagram", "--threads", "1", "-o", "compare.html"],
            ["export", f.scenario, "--csv", "log.csv"],
            ["sensitivity", f.scenario, "--no-store", "--threads", "1", "-o", "sensitivity"],
        ]
        for arguments in runs {
            let shown = try onATerminal(f, arguments)
            // Drawn in place with the time left while under way, then whole, and the line ended.
            XCTAssertNotNil(shown.range(of: #"\r\[#* *\] [0-9]+%, [0-9]+/[0-9]+ replications, about [0-9a-z ]+ left"#, options: .regularExpression),
                            "\(arguments[0]): \(shown.debugDescription)")
            XCTAssertNotNil(shown.range(of: #"\r\[#{30}\] 100%, ([0-9]+)/\1 replications   \r\n"#, options: .regularExpression),
                            "\(arguments[0]): \(shown.debugDescription)")
            try inALog(f, arguments)
        }

        // The search cannot know its share done: the most it may still take, marked so.
        let search = try onATerminal(f, ["optimise", f.scenario, "--no-store", "--threads", "1", "-o", "optimise"])
        XCTAssertNotNil(search.range(of: #"\rconfiguration 1 of at most 3 \(1\), 2 of at most 8 replications; at most [0-9a-z ]+ left for it, [0-9a-z ]+ for the search   "#,
                                     options: .regularExpression), search.debugDescription)
        XCTAssertTrue(search.contains(" for the search   \r\n"), "the line ended: \(search.debugDescription)")
        try inALog(f, ["optimise", f.scenario, "--no-store", "--threads", "1", "-o", "optimise"])

        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "1", "-o", "s"]).status, 0)
        XCTAssertEqual(try f.run(["sweep", "run", "s", "--shard", "0", "--threads", "1"]).status, 0)
        let merged = try onATerminal(f, ["sweep", "merge", "s", "--db", "store.sqlite", "-o", "merged"])
        XCTAssertNotNil(merged.range(of: #"\r\[#{30}\] 100%, ([0-9]+)/\1 replications stored   \r\n"#, options: .regularExpression),
                        merged.debugDescription)
        try inALog(f, ["sweep", "merge", "s", "--db", "store2.sqlite", "-o", "merged2"])
    }
}
