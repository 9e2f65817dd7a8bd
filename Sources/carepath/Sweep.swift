import ArgumentParser
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathProgress
import CarePathReport
import CarePathStore
import CarePathSweep
import Foundation

/// `carepath sweep`: one scenario's variants x replications split into shards that run where the
/// compute is (a Slurm job array, a Kubernetes Indexed Job, local processes), merged into the
/// run a single machine would have made. docs/simulation.md ("Sweeps") describes it.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split a scenario's variants x replications into shards, run them anywhere, and merge them into one run.",
        subcommands: [SweepPlan.self, SweepRun.self, SweepStatusCommand.self, SweepMergeCommand.self]
    )

    /// The plan in DIR, refusing one made by another CarePath.
    static func load(_ directory: String) throws -> (URL, SweepManifest, String) {
        let url = URL(fileURLWithPath: directory)
        let (manifest, sha) = try sweepFailure { try SweepManifest.load(url) }
        return (url, manifest, sha)
    }

    static func checkVersion(_ manifest: SweepManifest, _ directory: String) throws {
        guard manifest.carepathVersion == ScenarioRunner.version else {
            throw Failure("\(directory)/\(SweepManifest.fileName): planned with CarePath \(manifest.carepathVersion), this is \(ScenarioRunner.version): "
                          + "refused, every shard and the merge must run the same version; use that version, or plan again")
        }
    }

    static func sweepFailure<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SweepError { throw Failure("error: \(error)") }
    }
}

struct SweepPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write DIR/manifest.json: the inputs (hashed, copied to DIR/inputs), the work units and each shard's share.")

    @Argument(help: "A scenario file (YAML).") var scenario: String
    @Option(help: "Shards to split the work into (each a (variant, replication) set of about equal work).") var shards: Int
    @Option(name: .shortAndLong, help: "The sweep's folder (new or empty, or holding this same plan).") var output: String
    @Option(help: "Seed (default: the scenario's).") var seed: UInt64?

    func validate() throws {
        if shards < 1 { throw ValidationError("--shards must be at least 1, found \(shards)") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: scenario)
        let loaded: ScenarioFile.Loaded
        do throws(FormatErrors) {
            loaded = try ScenarioFile.loadWithFiles(url)
        } catch {
            throw Failure(error.description + "\n\(scenario): not planned")
        }
        let inputs = try Simulate.runInputs(scenario: url, as: scenario, loaded)
        let work = WorkEstimate(loaded.scenario, pathway: loaded.pathway, replications: nil, store: true, events: false)
        print(work.text(threads: 1))
        let manifest = try Sweep.sweepFailure {
            try SweepPlanner.plan(loaded.scenario, pathway: loaded.pathway, inputs: inputs, seed: seed, shards: shards,
                                  plannedAt: RunRecord.timestamp(Date()), version: ScenarioRunner.version)
        }
        let written = try Sweep.sweepFailure { try SweepPlanner.write(manifest, inputs: inputs, to: URL(fileURLWithPath: output)) }
        print(written ? "Planned \(output): \(manifest.unitCount) units (\(manifest.variants.count) variant(s) x \(manifest.replications) replication(s)) in \(shards) shard(s)"
                      : "\(output) already holds this plan: nothing written")
        for shard in manifest.shards {
            print("  shard \(shard.index): \(shard.units.count) unit(s), about \(Bounds.grouped(Int(clampingFloor: shard.estimatedStateEntries.rounded()))) state entries")
        }
        print("Next: carepath sweep run \(output) --shard I (I from 0 to \(shards - 1)), or a job array (deploy/); then carepath sweep status \(output) and carepath sweep merge \(output)")
    }
}

struct SweepRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one shard of a plan into DIR/shards/I.sqlite (a re-run replaces it).",
        discussion: "Without --shard, the index is SLURM_ARRAY_TASK_ID's (Slurm job arrays) or JOB_COMPLETION_INDEX's (Kubernetes Indexed Jobs).")

    @Argument(help: "The sweep's folder (from `carepath sweep plan`).") var directory: String
    @Option(help: "The shard to run, from 0.") var shard: Int?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let (url, manifest, sha) = try Sweep.load(directory)
        let (index, source) = try Sweep.sweepFailure {
            try ShardIndex.resolve(given: shard, environment: ProcessInfo.processInfo.environment, shards: manifest.shards.count)
        }
        try Sweep.checkVersion(manifest, directory)
        // Refused inputs run nothing and leave the shard's earlier output as it was.
        let inputs = try Sweep.sweepFailure { try SweepInputs.load(url, manifest) }
        let units = manifest.shards[index].units.count
        print("Shard \(index) of \(manifest.shards.count) (index from \(source)): \(units) unit(s) of \(manifest.scenario)")
        let line = ProgressLine()
        let started = Date()
        let file = try Sweep.sweepFailure {
            try ShardRunner.run(url, manifest: manifest, planSHA256: sha, inputs: inputs, index: index,
                                threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                now: { RunRecord.timestamp(Date()) },
                                progress: { done, of in line.update(fraction: Double(done) / Double(max(of, 1)), detail: "\(done)/\(of) units") })
        }
        line.finish()
        print("Shard \(index) done: \(units) unit(s) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, written to \(file.path)")
    }
}

struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Each shard: done, missing, failed (with its message) or stale (other inputs, plan or version); exit 1 unless all are done.")

    @Argument(help: "The sweep's folder.") var directory: String

    func run() throws {
        let (url, manifest, sha) = try Sweep.load(directory)
        var ready = true
        do {
            _ = try SweepInputs.load(url, manifest)
        } catch {
            print("inputs: \(error)")
            ready = false
        }
        let states = SweepStatus.shards(url, manifest, planSHA256: sha)
        for (i, state) in states.enumerated() {
            print("shard \(i): \(state.line)" + (state == .done ? " (\(manifest.shards[i].units.count) units)" : ""))
        }
        let done = states.filter { $0 == .done }.count
        let next = manifest.search.map { ": stage \($0.stage) of a capacity search is ready; run `carepath optimise SCENARIO --stages` again" } ?? ": ready to merge"
        print("\(done) of \(states.count) shard(s) done" + (done == states.count && ready ? next : ""))
        if done != states.count || !ready { throw ExitCode(1) }
    }
}

struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge every shard into one run of the results store, and write the report, JSON and CSV `simulate` would.",
        discussion: "The outputs are those of the single-machine command printed at the end (identical bytes); the store's run differs from it only by its id and started_at (the plan's time).")

    @Argument(help: "The sweep's folder.") var directory: String
    @Option(help: "The results store the merged run is added to.") var db: String = "Reports/carepath.sqlite"
    @Option(name: .shortAndLong, help: "Folder for index.html, summary.json and metrics.csv (default: Reports/<scenario>).")
    var output: String?
    @OptionGroup var waiting: StoreWait

    func run() throws {
        let (url, manifest, sha) = try Sweep.load(directory)
        try Sweep.checkVersion(manifest, directory)
        let inputs = try Sweep.sweepFailure { try SweepInputs.load(url, manifest) }
        let folder = output ?? "Reports/\(manifest.scenario)"
        let (report, json, csv) = (folder + "/index.html", folder + "/summary.json", folder + "/metrics.csv")
        // Every shard checked, and the summary made, before any output is touched.
        let units = try Sweep.sweepFailure { try SweepMerge.results(url, manifest, planSHA256: sha) }
        let summary = SweepMerge.summary(inputs, manifest, units)
        let scenarioPath = inputs.files.first { $0.role == .scenario }?.file.path ?? manifest.scenario
        try Simulate.refuseStuck(summary, scenario: scenarioPath)
        try Outputs.prepare([csv, json, report], database: db)
        let command = Self.singleMachineCommand(scenario: scenarioPath, seed: manifest.seedGiven ? manifest.seed : nil,
                                                db: db, report: report, json: json, csv: csv)
        let line = ProgressLine()
        let run: Int64
        do {
            let store = try waiting.open(db, create: true)
            run = try SweepMerge.store(url, manifest, inputs, units: units, summary: summary, command: command, into: store,
                                       progress: { done, of in line.update(fraction: Double(done) / Double(max(of, 1)), detail: "\(done)/\(of) replications stored") })
            try store.close()
        } catch let error as SweepError {
            throw Failure("error: \(error)")
        } catch {
            throw Failure("\(db): the merged run could not be stored, the store is as it was: \(error)")
        }
        line.finish()
        print(SummaryTable(summary: summary, scenario: inputs.scenario, pathway: inputs.pathway).text)
        print("Merged \(manifest.shards.count) shard(s), \(units.count) replication(s): stored as run \(run) in \(db)")
        try Simulate.write(CSVExport.metrics(summary), to: csv)
        print("Metrics written to \(csv)")
        try Outputs.write(summary.json(), to: json)
        print("JSON summary written to \(json)")
        let input = ReportInput(scenario: inputs.scenario, pathway: inputs.pathway, summary: summary, inputs: inputs.files.map(\.file),
                                commandLine: command, diagram: .automatic)
        try Simulate.write(HTMLReport.scenarioReport(input), to: report)
        print("Report written to \(report)")
        print("The same outputs on one machine: \(command)")
    }

    /// The `simulate` command that makes these outputs on one machine: the report names it as
    /// the way to reproduce the run, and the store keeps it as the run's command.
    static func singleMachineCommand(scenario: String, seed: UInt64?, db: String, report: String, json: String, csv: String) -> String {
        let arguments = ["carepath", "simulate", scenario] + (seed.map { ["--seed", String($0)] } ?? [])
            + ["--db", db, "--report", report, "--json", json, "--csv", csv]
        return arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}
