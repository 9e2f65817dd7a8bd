import Foundation
import XCTest
import Yams

/// The scheduler files shipped in deploy/: what Kubernetes and Slurm need from them, read as they
/// read them, and the Slurm script run as a task of an array would run it.
final class DeployFilesTests: XCTestCase {
    let root = SweepFixture.root

    /// The shards the README's sweep examples plan (`--shards N`), which the files must match.
    func readmeShards() throws -> Int {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let counts = readme.components(separatedBy: "sweep plan ").dropFirst().compactMap { rest -> Int? in
            guard let range = rest.prefix(200).range(of: "--shards ") else { return nil }
            return Int(rest[range.upperBound...].prefix { $0.isNumber })
        }
        XCTAssertFalse(counts.isEmpty, "the README shows a sweep plan")
        XCTAssertEqual(Set(counts).count, 1, "one number of shards in the README's examples: \(counts)")
        return counts.first ?? 0
    }

    func testKubernetesJobIsIndexedWithACompletionPerShard() throws {
        let text = try String(contentsOf: root.appendingPathComponent("deploy/kubernetes/sweep-job.yaml"), encoding: .utf8)
        let job = try XCTUnwrap(try Yams.load(yaml: text) as? [String: Any])
        XCTAssertEqual(job["apiVersion"] as? String, "batch/v1")
        XCTAssertEqual(job["kind"] as? String, "Job")
        let spec = try XCTUnwrap(job["spec"] as? [String: Any])
        XCTAssertEqual(spec["completionMode"] as? String, "Indexed", "JOB_COMPLETION_INDEX is set only in Indexed Jobs")
        let completions = try XCTUnwrap(spec["completions"] as? Int)
        XCTAssertEqual(completions, try readmeShards(), "one completion per shard of the README's plan")
        XCTAssertLessThanOrEqual(try XCTUnwrap(spec["parallelism"] as? Int), completions)
        let pod = try XCTUnwrap((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        XCTAssertEqual(pod["restartPolicy"] as? String, "Never")
        let container = try XCTUnwrap((pod["containers"] as? [[String: Any]])?.first)
        let command = try XCTUnwrap(container["command"] as? [String])
        XCTAssertEqual(Array(command.prefix(3)), ["carepath", "sweep", "run"])
        XCTAssertFalse(command.contains("--shard"), "the shard comes from JOB_COMPLETION_INDEX")
        let folder = command[3]
        let mounts = try XCTUnwrap(container["volumeMounts"] as? [[String: Any]])
        let mount = try XCTUnwrap(mounts.first { folder.hasPrefix(($0["mountPath"] as? String ?? "?") + "/") }, "the sweep folder is on a mounted volume")
        let volumes = try XCTUnwrap(pod["volumes"] as? [[String: Any]])
        let volume = try XCTUnwrap(volumes.first { $0["name"] as? String == mount["name"] as? String })
        XCTAssertNotNil(volume["persistentVolumeClaim"], "a shared claim, not a pod's own disk")
    }

    /// The array's default range is the README's shards, and the script, run as Slurm runs a
    /// task (SLURM_ARRAY_TASK_ID set), runs that shard with the real binary.
    func testSlurmArrayScriptRunsTheTasksShard() throws {
        let script = root.appendingPathComponent("deploy/slurm/sweep.sbatch")
        let text = try String(contentsOf: script, encoding: .utf8)
        let shards = try readmeShards()
        XCTAssertTrue(text.contains("#SBATCH --array=0-\(shards - 1)\n"), "array 0 to shards - 1")
        XCTAssertTrue(text.hasPrefix("#!/bin/bash\n"))
        XCTAssertFalse(text.contains("--shard "), "the shard comes from SLURM_ARRAY_TASK_ID")

        let f = try SweepFixture(patients: 30, replications: 2, test: self)
        XCTAssertEqual(try f.run(["sweep", "plan", f.scenario, "--shards", "2", "-o", "s"]).status, 0)
        let bash = URL(fileURLWithPath: "/bin/bash")
        let task = try SweepFixture.run([script.path], in: f.folder,
                                        environment: ["SLURM_ARRAY_TASK_ID": "1", "SWEEP_DIR": "s", "CAREPATH": SweepFixture.binary.path],
                                        executable: bash)
        XCTAssertEqual(task.status, 0, task.stdout + task.stderr)
        XCTAssertTrue(task.stdout.contains("Shard 1 of 2 (index from SLURM_ARRAY_TASK_ID)"), task.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: f.url("s/shards/1.sqlite").path))
        let outside = try SweepFixture.run([script.path], in: f.folder, environment: ["SWEEP_DIR": "s"], executable: bash)
        XCTAssertNotEqual(outside.status, 0)
        XCTAssertTrue(outside.stderr.contains("run this script as a job array"), outside.stderr)
    }

    /// Docker cannot run here: the Dockerfile is checked for the stages and steps the jobs rely on.
    func testDockerfileBuildsTheReleaseBinaryOnSwiftAndDebian() throws {
        let text = try String(contentsOf: root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let from = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }.map(String.init)
        XCTAssertEqual(from, ["FROM swift:6.3-bookworm AS build", "FROM debian:bookworm-slim"])
        XCTAssertTrue(text.contains("swift build -c release --product carepath"))
        for package in ["libgraphviz-dev", "libsqlite3-dev", "libgvc6", "libsqlite3-0"] { XCTAssertTrue(text.contains(package), package) }
        XCTAssertTrue(text.contains("COPY --from=build /usr/local/bin/carepath /usr/local/bin/carepath"))
    }
}
