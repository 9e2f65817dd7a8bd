import CarePathSweep
import Foundation
import XCTest

/// `carepath sweep` end to end: real shard processes of the built binary, real SQLite files, the
/// real single-machine `simulate` to compare with.
final class SweepCLITests: XCTestCase {
    /// Three shards run as separate processes in a random order, merged: the report, JSON and CSV
    /// are the bytes `simulate` writes for the same scenario on one machine, and the store's rows
    /// are the same in every table but the run's `started_at` (the plan's time, not the run's).
    func testThreeShardsMergedAreTheSingleMachineRun() throws {
        let f = try SweepFixture(patients: 100, replications: 2, test: self)
        let plan = try f.run(["sweep", "plan", f.scenario, "--shards", "3", "-o", "sweep", "--seed", "99"])
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("12 units (6 variant(s) x 2 replication(s)) in 3 shard(s)"), plan.stdout)
        let manifest = try SweepManifest.load(f.url("sweep")).manifest
        XCTAssertEqual(manifest.shards.map(\.units.count).reduce(0, +), 12)
        XCTAssertEqual(Set(manifest.shards.flatMap(\.units)).count, 12, "each unit in one shard")
        for shard in [0, 1, 2].shuffled() {
            let run = try f.run(["sweep", "run", "sweep", "--shard", String(shard), "--threads", "1"])
            XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
            XCTAssertEqual(run.stderr, "", "no progress line when standard error is not a terminal")
        }
        let status = try f.run(["sweep", "status", "sweep"])
        XCTAssertEqual(status.status, 0, status.stdout + status.stderr)
        XCTAssertTrue(status.stdout.contains("3 of 3 shard(s) done: ready to merge"), status.stdout)

        let merge = try f.run(["sweep", "merge", "sweep", "--db", "store.sqlite", "-o", "out"])
        XCTAssertEqual(merge.status, 0, merge.stdout + merge.stderr)
        let command = "carepath simulate \(f.scenario) --seed 99 --db store.sqlite --report out/index.html --json out/summary.json --csv out/metrics.csv"
        XCTAssertTrue(merge.stdout.contains("The same outputs on one machine: \(command)"), merge.stdout)
        let fm = FileManager.default
        try fm.moveItem(at: f.url("out"), to: f.url("merged"))
        try fm.moveItem(at: f.url("store.sqlite"), to: f.url("merged.sqlite"))

        let single = try f.run(Array(command.split(separator: " ").dropFirst().map(String.init)))
        XCTAssertEqual(single.status, 0, single.stdout + single.stderr)
        for file in ["index.html", "summary.json", "metrics.csv"] {
            let a = try Data(contentsOf: f.url("merged/\(file)")), b = try Data(contentsOf: f.url("out/\(file)"))
            XCTAssertGreaterThan(a.count, 100)
            XCTAssertTrue(a == b, "\(file): the merged run's differs from the single-machine run's")
        }
        let merged = try SweepFixture.tableContents(f.url("merged.sqlite"), leaving: ["runs": ["started_at"]])
        let alone = try SweepFixture.tableContents(f.url("store.sqlite"), leaving: ["runs": ["started_at"]])
        XCTAssertEqual(Set(merged.keys), Set(alone.keys))
        for table in merged.keys.sorted() {
            XCTAssertEqual(merged[table], alone[table], "table \(table)")
        }
        XCTAssertEqual(merged["patient_outcomes"]?.count, 12 * 100)
        XCTAssertEqual(merged["runs"]?.first?.contains("command=\"\(command)\""), true, merged["runs"]?.description ?? "")
        // started_at is the plan's time.
        let started = try SweepFixture.tableContents(f.url("merged.sqlite"))["runs"]?.first ?? ""
        XCTAssertTrue(started.contains("started_at=\"\(manifest.plannedAt)\""), started)
    }

    /// A shard not run is missing in status (exit 1) and the merge refuses; a shard of another
    /// plan is stale and refused too.
    func testMissingAndStaleShardsAreReportedAndRefused() throws {
        let f = try SweepFixture(patients: 40, replications: 2, test: self)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "3", "-o", "a"]).status, 0)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "3", "-o", "b", "--seed", "5"]).status, 0)
        for shard in ["0", "1"] { XCTAssertEqual(try f.run(["sweep", "run", "a", "--shard", shard]).status, 0) }
        let status = try f.run(["sweep", "status", "a"])
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.stdout.contains("shard 0: done"), status.stdout)
        XCTAssertTrue(status.stdout.contains("shard 2: missing"), status.stdout)
        XCTAssertTrue(status.stdout.contains("2 of 3 shard(s) done"), status.stdout)
        let merge = try f.run(["sweep", "merge", "a", "--db", "store.sqlite", "-o", "out"])
        XCTAssertEqual(merge.status, 1)
        XCTAssertTrue(merge.stderr.contains("shard 2 is missing"), merge.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.url("store.sqlite").path), "nothing stored")
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.url("out/index.html").path), "nothing written")

        // Shard 2 of the other plan (another seed) put in its place.
        XCTAssertEqual(try f.run(["sweep", "run", "b", "--shard", "2"]).status, 0)
        try FileManager.default.copyItem(at: f.url("b/shards/2.sqlite"), to: f.url("a/shards/2.sqlite"))
        let stale = try f.run(["sweep", "status", "a"])
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stdout.contains("shard 2: stale: made for another plan"), stale.stdout)
        let refused = try f.run(["sweep", "merge", "a", "--db", "store.sqlite", "-o", "out"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("shard 2 is stale"), refused.stderr)
    }

    /// A copied input changed after the plan is refused by run (nothing written, the shard's
    /// earlier output kept), and status says so; a plan of another CarePath version is refused.
    func testTamperedInputAndOtherVersionAreRefused() throws {
        let f = try SweepFixture(patients: 40, replications: 2, test: self)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "2", "-o", "s"]).status, 0)
        XCTAssertEqual(try f.run(["sweep", "run", "s", "--shard", "1"]).status, 0)
        let before = try Data(contentsOf: f.url("s/shards/1.sqlite"))
        let handle = try FileHandle(forWritingTo: f.url("s/inputs/pathway.yaml"))
        handle.seekToEndOfFile()
        handle.write(Data("# edited after the plan\n".utf8))
        try handle.close()
        for shard in ["0", "1"] {
            let run = try f.run(["sweep", "run", "s", "--shard", shard])
            XCTAssertEqual(run.status, 1)
            XCTAssertTrue(run.stderr.contains("s/inputs/pathway.yaml: changed since the plan"), run.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.url("s/shards/0.sqlite").path))
        XCTAssertEqual(try Data(contentsOf: f.url("s/shards/1.sqlite")), before)
        let status = try f.run(["sweep", "status", "s"])
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.stdout.contains("inputs: ") && status.stdout.contains("changed since the plan"), status.stdout)

        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "2", "-o", "v"]).status, 0)
        let manifest = f.url("v/manifest.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"carepathVersion\" : \"", with: "\"carepathVersion\" : \"9.").write(to: manifest, atomically: true, encoding: .utf8)
        let other = try f.run(["sweep", "run", "v", "--shard", "0"])
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("planned with CarePath 9."), other.stderr)

        // A manifest edited to name a unit beyond the scenario's: refused, located, never trapped on.
        try text.replacingOccurrences(of: "\"variant\" : 0", with: "\"variant\" : 99").write(to: manifest, atomically: true, encoding: .utf8)
        let edited = try f.run(["sweep", "run", "v", "--shard", "0"])
        XCTAssertEqual(edited.status, 1)
        XCTAssertTrue(edited.stderr.contains("v/manifest.json: shard ") && edited.stderr.contains("names variant 100 replication"), edited.stderr)
    }

    /// The index from SLURM_ARRAY_TASK_ID (said so), JOB_COMPLETION_INDEX, out of range and
    /// absent; a re-run replaces the shard's own file and leaves no temporary behind.
    func testShardIndexFromTheSchedulerAndRerunReplaces() throws {
        let f = try SweepFixture(patients: 40, replications: 2, test: self)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "2", "-o", "s"]).status, 0)
        let again = try f.run(["sweep", "plan", f.scenario, "--shards", "2", "-o", "s"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already holds this plan"), again.stdout)
        let otherPlan = try f.run(["sweep", "plan", f.scenario, "--shards", "3", "-o", "s"])
        XCTAssertEqual(otherPlan.status, 1)
        XCTAssertTrue(otherPlan.stderr.contains("holds another plan"), otherPlan.stderr)

        let slurm = try f.run(["sweep", "run", "s"], environment: ["SLURM_ARRAY_TASK_ID": "1"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertTrue(slurm.stdout.contains("Shard 1 of 2 (index from SLURM_ARRAY_TASK_ID)"), slurm.stdout)
        let path = f.url("s/shards/1.sqlite").path
        let first = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        let rerun = try f.run(["sweep", "run", "s", "--shard", "1"], environment: ["SLURM_ARRAY_TASK_ID": "0"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("(index from --shard)"), rerun.stdout)
        let second = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        XCTAssertNotEqual(first, second, "a new file renamed into place")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: f.url("s/shards").path), ["1.sqlite"])

        let k8s = try f.run(["sweep", "run", "s"], environment: ["JOB_COMPLETION_INDEX": "0"])
        XCTAssertEqual(k8s.status, 0, k8s.stderr)
        XCTAssertTrue(k8s.stdout.contains("(index from JOB_COMPLETION_INDEX)"), k8s.stdout)
        let outOfRange = try f.run(["sweep", "run", "s"], environment: ["SLURM_ARRAY_TASK_ID": "2"])
        XCTAssertEqual(outOfRange.status, 1)
        XCTAssertTrue(outOfRange.stderr.contains("shard 2 (from SLURM_ARRAY_TASK_ID) does not exist: the plan has shards 0 to 1"), outOfRange.stderr)
        let garbage = try f.run(["sweep", "run", "s"], environment: ["JOB_COMPLETION_INDEX": "1x"])
        XCTAssertEqual(garbage.status, 1)
        XCTAssertTrue(garbage.stderr.contains("JOB_COMPLETION_INDEX is '1x': expected a whole number"), garbage.stderr)
        let none = try f.run(["sweep", "run", "s"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("which shard? give --shard I"), none.stderr)
    }

    /// A shard whose run is stopped (a patient past the scenario's max-state-entries) leaves its
    /// file with the message: status says failed, with it, and the merge refuses.
    func testAFailedShardKeepsItsMessage() throws {
        let f = try SweepFixture(patients: 30, replications: 2, test: self)
        let text = try String(contentsOf: f.url(f.scenario), encoding: .utf8)
        try (text + "\nmax-state-entries: 2\n").write(to: f.url(f.scenario), atomically: true, encoding: .utf8)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "2", "-o", "s"]).status, 0)
        let run = try f.run(["sweep", "run", "s", "--shard", "0"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("shard 0 failed: variant ") && run.stderr.contains("was stopped"), run.stderr)
        let status = try f.run(["sweep", "status", "s"])
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.stdout.contains("shard 0: failed: variant "), status.stdout)
        XCTAssertTrue(status.stdout.contains("shard 1: missing"), status.stdout)
        let merge = try f.run(["sweep", "merge", "s", "--db", "store.sqlite", "-o", "out"])
        XCTAssertEqual(merge.status, 1)
        XCTAssertTrue(merge.stderr.contains("shard 0 is failed: variant "), merge.stderr)
    }

    /// `plan --max-state-entries` sets every shard's limit (over the scenario's), and the merge
    /// names it in the single-machine command; the run-away message names where it can be set.
    func testPlanSetsTheStateEntryLimitOfEveryShard() throws {
        let f = try SweepFixture(patients: 30, replications: 2, test: self)
        let tight = try f.run(["sweep", "plan", f.scenario, "--shards", "1", "-o", "tight", "--max-state-entries", "2"])
        XCTAssertEqual(tight.status, 0, tight.stderr)
        let stopped = try f.run(["sweep", "run", "tight", "--shard", "0"])
        XCTAssertEqual(stopped.status, 1)
        XCTAssertTrue(stopped.stderr.contains("entered more than 2 states"), stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("--max-state-entries of simulate and sweep plan"), stopped.stderr)

        // A scenario whose own limit stops it runs to the end with a larger one from the plan.
        let text = try String(contentsOf: f.url(f.scenario), encoding: .utf8)
        try (text + "\nmax-state-entries: 2\n").write(to: f.url(f.scenario), atomically: true, encoding: .utf8)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "1", "-o", "wide", "--max-state-entries", "500"]).status, 0)
        let ran = try f.run(["sweep", "run", "wide", "--shard", "0"])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        let merge = try f.run(["sweep", "merge", "wide", "--db", "store.sqlite", "-o", "out"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertTrue(merge.stdout.contains("carepath simulate \(f.scenario) --max-state-entries 500 --db store.sqlite"), merge.stdout)

        let refused = try f.run(["sweep", "plan", f.scenario, "--shards", "1", "-o", "none", "--max-state-entries", "0"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--max-state-entries must be from 1 to 100,000,000, found 0"), refused.stderr)
    }
}
