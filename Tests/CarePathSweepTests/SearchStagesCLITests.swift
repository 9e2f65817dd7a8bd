import CarePathSweep
import CarePathTestSupport
import Foundation
import XCTest

/// `carepath optimise --stages`: a capacity search whose replications run as sweep shards, each
/// a separate process of the built binary, against the single-machine `optimise` of the same
/// scenario and the least capacity Erlang C gives.
final class SearchStagesCLITests: XCTestCase {
    /// 4.4 arrivals an hour at a station of mean service 1 h; the least staff for a mean wait of
    /// at most 3 h, from 3 to 8 at 10 each.
    static let scenario = """
    scenario: mmc-staffing
    title: "Least staff <for> a short wait"
    pathway: pathway.yaml
    cohort: { patients: 1000, arrivals: 4.4/h }
    warm-up: 5%
    seed: 3
    experiments:
      optimise:
        decisions:
          capacities.clinic/staff: { min: 3, max: 8, cost: 10 }
        constraints:
          - wait_mean_h at clinic/staff <= 3h
    """

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-stages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try MMcStation.pathway.write(to: dir.appendingPathComponent("pathway.yaml"), atomically: true, encoding: .utf8)
        try Self.scenario.write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func run(_ arguments: [String], in dir: URL) throws -> SweepFixture.Output {
        try SweepFixture.run(arguments, in: dir)
    }

    /// Every shard of a stage, each as its own process, in a shuffled order.
    func runShards(_ stage: String, count: Int, in dir: URL) throws {
        for shard in (0..<count).shuffled() {
            let out = try run(["sweep", "run", stage, "--shard", String(shard), "--threads", "1"], in: dir)
            XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        }
    }

    /// Two stages of width 2 (the configuration waited for and the next), three shards each:
    /// the search chooses the staff Erlang C gives, and its report, JSON and CSV are the bytes the
    /// single-machine command it names writes; the store's search rows are the same too.
    func testStagedShardsGiveTheSingleMachineSearch() throws {
        // By hand: 4 staff cannot keep up with 4.4 an hour; 5 wait 1.197 h on average (<= 3 h).
        XCTAssertEqual((3...8).first { ErlangC.meanWait(servers: $0, load: 4.4) <= 3 }, 5)
        let dir = try folder()
        let search = ["optimise", "scenario.yaml", "--stages", "stages", "--shards", "3", "--width", "2", "-o", "out", "--db", "store.sqlite"]

        let first = try run(search, in: dir)
        XCTAssertEqual(first.status, 4, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("Stage 1 planned in"), first.stdout)
        XCTAssertTrue(first.stdout.contains("20 replication(s) of 2 configuration(s) in 3 shard(s)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("the search waits for clinic/staff 3, replications 1 to 10"), first.stdout)
        XCTAssertTrue(first.stdout.contains("run ahead: clinic/staff 4, replications 1 to 10"), first.stdout)
        let stage1 = try SweepManifest.load(dir.appendingPathComponent("stages/stage-1")).manifest
        XCTAssertEqual(stage1.search?.configurations, [[3], [4]])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/search.json").path), "nothing written yet")
        try runShards("stages/stage-1", count: 3, in: dir)
        let status = try run(["sweep", "status", "stages/stage-1"], in: dir)
        XCTAssertEqual(status.status, 0, status.stdout + status.stderr)
        XCTAssertTrue(status.stdout.contains("stage 1 of a capacity search is ready"), status.stdout)
        let merge = try run(["sweep", "merge", "stages/stage-1", "--db", "other.sqlite", "-o", "other"], in: dir)
        XCTAssertEqual(merge.status, 1)
        XCTAssertTrue(merge.stderr.contains("is stage 1 of a capacity search, not a run to merge"), merge.stderr)

        // 3 and 4 are shown infeasible at their first look; the search waits for 5.
        let second = try run(search, in: dir)
        XCTAssertEqual(second.status, 4, second.stdout + second.stderr)
        XCTAssertTrue(second.stdout.contains("Read 1 stage(s)"), second.stdout)
        XCTAssertTrue(second.stdout.contains("the search waits for clinic/staff 5, replications 1 to 10"), second.stdout)
        XCTAssertTrue(second.stdout.contains("run ahead: clinic/staff 6, replications 1 to 10"), second.stdout)
        try runShards("stages/stage-2", count: 3, in: dir)

        let last = try run(search, in: dir)
        XCTAssertEqual(last.status, 0, last.stdout + last.stderr)
        XCTAssertTrue(last.stdout.contains("Chosen: clinic/staff 5, cost 50"), last.stdout)
        XCTAssertTrue(last.stdout.contains("it used 30 of the 40 replication(s) the stages ran"), last.stdout)
        let command = "carepath optimise scenario.yaml -o out --db store.sqlite"
        XCTAssertTrue(last.stdout.contains("The same outputs on one machine: \(command)"), last.stdout)
        let fm = FileManager.default
        try fm.moveItem(at: dir.appendingPathComponent("out"), to: dir.appendingPathComponent("staged"))
        try fm.moveItem(at: dir.appendingPathComponent("store.sqlite"), to: dir.appendingPathComponent("staged.sqlite"))

        let single = try run(Array(command.split(separator: " ").dropFirst().map(String.init)), in: dir)
        XCTAssertEqual(single.status, 0, single.stdout + single.stderr)
        XCTAssertTrue(single.stdout.contains("Chosen: clinic/staff 5, cost 50"), single.stdout)
        for file in ["index.html", "search.json", "configurations.csv"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("staged/\(file)")), b = try Data(contentsOf: dir.appendingPathComponent("out/\(file)"))
            XCTAssertGreaterThan(a.count, 100)
            XCTAssertTrue(a == b, "\(file): the staged search's differs from the single-machine search's")
        }
        let staged = try SweepFixture.tableContents(dir.appendingPathComponent("staged.sqlite"), leaving: ["searches": ["started_at"]])
        let alone = try SweepFixture.tableContents(dir.appendingPathComponent("store.sqlite"), leaving: ["searches": ["started_at"]])
        for table in ["searches", "search_configurations", "search_capacities"] {
            XCTAssertEqual(staged[table], alone[table], "table \(table)")
            XCTAssertFalse(staged[table]?.isEmpty ?? true, table)
        }
        // The started_at of the staged search is when its first stage was planned.
        let started = try SweepFixture.tableContents(dir.appendingPathComponent("staged.sqlite"))["searches"]?.first ?? ""
        XCTAssertTrue(started.contains("started_at=\"\(stage1.plannedAt)\""), started)
    }

    /// A stage with a shard not run is reported (the search does not go on); a copy of an input
    /// changed after the plan is refused by the shard and by the search; a search given other
    /// inputs than its stages' is refused.
    func testMissingShardAndTamperedInputAreRefused() throws {
        let dir = try folder()
        let search = ["optimise", "scenario.yaml", "--stages", "stages", "--shards", "3", "--width", "1", "--no-store", "-o", "out"]
        XCTAssertEqual(try run(search, in: dir).status, 4)
        for shard in ["0", "2"] { XCTAssertEqual(try run(["sweep", "run", "stages/stage-1", "--shard", shard], in: dir).status, 0) }
        let missing = try run(search, in: dir)
        XCTAssertEqual(missing.status, 1, missing.stdout + missing.stderr)
        XCTAssertTrue(missing.stderr.contains("stage 1 is not finished: shard 1 is missing"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("stages/stage-2").path), "no next stage")

        let copy = dir.appendingPathComponent("stages/stage-1/inputs/scenario.yaml")
        let text = try String(contentsOf: copy, encoding: .utf8)
        try text.replacingOccurrences(of: "<= 3h", with: "<= 30h").write(to: copy, atomically: true, encoding: .utf8)
        let shard = try run(["sweep", "run", "stages/stage-1", "--shard", "1"], in: dir)
        XCTAssertEqual(shard.status, 1)
        XCTAssertTrue(shard.stderr.contains("changed since the plan"), shard.stderr)
        let refused = try run(search, in: dir)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("changed since the plan"), refused.stderr)
        try text.write(to: copy, atomically: true, encoding: .utf8)

        // The scenario itself edited: its stages were planned from other inputs.
        let scenario = dir.appendingPathComponent("scenario.yaml")
        try Self.scenario.replacingOccurrences(of: "patients: 1000", with: "patients: 1001").write(to: scenario, atomically: true, encoding: .utf8)
        let other = try run(search, in: dir)
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("planned from other inputs"), other.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/search.json").path), "nothing written")
    }
}
