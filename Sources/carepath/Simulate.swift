import ArgumentParser
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathProgress
import CarePathRender
import CarePathReport
import CarePathStore
import Foundation

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario's synthetic cohort through its pathway and report handoffs, data gaps and load.",
        discussion: "Replications run in parallel; results are identical whatever the number of threads."
    )

    @Argument(help: "A scenario file (YAML).") var scenario: String
    @Option(help: "Replications per variant (default: the scenario's).") var replications: Int?
    @Option(help: "Seed (default: the scenario's).") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Write the JSON summary to this file.") var json: String?
    @Option(help: ArgumentHelp("Write the self-contained HTML report (default: Reports/<scenario>/index.html).", valueName: "path"))
    var report: String?
    @Option(help: "The results store every run is appended to.") var db: String = "Reports/carepath.sqlite"
    @Flag(help: "Do not store this run.") var noStore = false
    @Flag(help: "Store the full event log of every replication (patient, time, state, organisation, role, lifecycle, gap).")
    var events = false
    @Option(help: "Write the metrics table as CSV (for spreadsheets).") var csv: String?
    @Option(help: ArgumentHelp("States one patient may enter before the run stops as a run-away (default: the scenario's max-state-entries, else 10000).",
                               valueName: "n"))
    var maxStateEntries: Int?
    @Flag(name: [.customLong("yes"), .customShort("y")],
          help: "Run even when the work or the store it implies is beyond the limits (see docs/simulation.md, Bounds).")
    var yes = false
    @Flag(help: "Leave the pathway diagram out of the report (past \(OrganisationOverview.fullDiagramStateLimit) states it is an overview by organisation).")
    var noDiagram = false
    @OptionGroup var waiting: StoreWait

    func validate() throws {
        try Self.checkReplications(replications)
        try Self.checkStateEntries(maxStateEntries)
        if noStore && events { throw ValidationError("--events needs the store: drop --no-store") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: scenario)
        let loaded: ScenarioFile.Loaded
        do throws(FormatErrors) {
            loaded = try ScenarioFile.loadWithFiles(url)
        } catch {
            throw Failure(error.description + "\n\(scenario): not simulated")
        }
        let (scenarioModel, pathway) = (loaded.scenario, loaded.pathway)
        let reportPath = report.map { $0 == Self.defaultReport ? "Reports/\(scenarioModel.id)/index.html" : $0 }
        try Outputs.prepare([csv, json, reportPath], database: noStore ? nil : db)
        let inputs = try Self.runInputs(scenario: url, as: scenario, loaded)
        let options = ScenarioRunner.Options(replications: replications, seed: seed,
                                             threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                             maximumStateEntries: maxStateEntries)
        let work = WorkEstimate(scenarioModel, pathway: pathway, replications: replications, store: !noStore, events: events)
        try Self.announce(work, threads: options.threads, yes: yes, scenario: scenario)
        let bar = ProgressBar()
        let progress: @Sendable (RunProgress) -> Void = { bar.update($0) }
        let summary: RunSummary
        var storedRun: Int64?
        if noStore {
            summary = ScenarioRunner.run(scenarioModel, pathway: pathway, options: options, progress: progress)
            try Self.refuseStuck(summary, scenario: scenario)
        } else {
            // One transaction for the whole run: interrupted, the store stays as it was.
            let store: ResultsStore, writer: RunWriter
            do {
                store = try waiting.open(db, create: true)
                let seedUsed = options.seed ?? scenarioModel.seed
                writer = try store.beginRun(
                    RunRecord(startedAt: RunRecord.timestamp(Date()), carepathVersion: ScenarioRunner.version, command: Self.commandLine(),
                              scenario: scenarioModel.id, title: scenarioModel.title, pathway: pathway.id, seed: seedUsed,
                              replications: max(options.replications ?? scenarioModel.replications, 1)),
                    inputs: inputs,
                    variants: VariantRecord.variants(of: scenarioModel))
            } catch {
                throw Failure("\(db): cannot store the run: \(error)")
            }
            let wantEvents = events
            let seedUsed = options.seed ?? scenarioModel.seed
            summary = ScenarioRunner.run(scenarioModel, pathway: pathway, options: options, progress: progress,
                                         watch: { v, r in ReplicationRecorder(events: wantEvents, streamingTo: writer, variant: v, replication: r) },
                                         finished: { v, r, result, recorder in
                                             writer.record(variant: v, replication: r, seed: ScenarioRunner.replicationSeed(seedUsed, r),
                                                           result: result, recorder: recorder)
                                         })
            // A run that could not finish is not stored: the writer rolls back when it goes.
            try Self.refuseStuck(summary, scenario: scenario)
            do {
                try writer.finish(summary: summary)
                storedRun = writer.id
                try store.close()
            } catch {
                throw Failure("\(db): the run could not be stored, the store is as it was: \(error)")
            }
        }
        bar.finish()
        print(SummaryTable(summary: summary, scenario: scenarioModel, pathway: pathway).text)
        if let storedRun { print("Stored as run \(storedRun) in \(db)" + (events ? " with its event log" : "")) }
        if let csv {
            try Self.write(CSVExport.metrics(summary), to: csv)
            print("Metrics written to \(csv)")
        }
        if let json {
            try Outputs.write(summary.json(), to: json)
            print("JSON summary written to \(json)")
        }
        if let path = reportPath {
            let input = ReportInput(scenario: scenarioModel, pathway: pathway, summary: summary, inputs: inputs.map(\.file),
                                    commandLine: Self.commandLine(), diagram: noDiagram ? .omitted : .automatic)
            try Self.write(HTMLReport.scenarioReport(input), to: path)
            print("Report written to \(path)")
        }
    }

    /// The files a run is made from, for its report and the store: the scenario, its pathway and,
    /// when the calendar names one, its bank holiday file (the text checked and simulated, under
    /// the name `report RUN_ID` looks it up by).
    static func runInputs(scenario url: URL, as path: String, _ loaded: ScenarioFile.Loaded) throws -> [RunInput] {
        try [RunInput(.scenario, InputFile.read(url, as: path)),
             RunInput(.pathway, InputFile.read(loaded.pathwayURL, as: displayPath(loaded.pathwayURL)))]
            + (loaded.bankHolidays.map { [RunInput(.calendar, $0)] } ?? [])
    }

    /// Prints the work a run implies, and refuses it beyond the limits unless `--yes`.
    static func announce(_ work: WorkEstimate, threads: Int, yes: Bool, scenario: String) throws {
        print(work.text(threads: threads))
        guard let refusal = work.refusal else { return }
        if yes {
            print("Beyond the limits (\(refusal)); running as --yes asks.")
            return
        }
        throw Failure("\(scenario): error: this run implies \(refusal) (limits: docs/simulation.md, Bounds); "
                      + "fewer patients or replications, or --yes to run it anyway\n\(scenario): not simulated (nothing written or stored)")
    }

    /// `--replications` obeys the scenario file's limit.
    static func checkReplications(_ replications: Int?) throws {
        guard let replications else { return }
        guard (1...Bounds.maximumReplications).contains(replications) else {
            throw ValidationError("--replications must be from 1 to \(Bounds.grouped(Bounds.maximumReplications)) (the scenario file's limit), found \(replications)")
        }
    }

    static func checkStateEntries(_ n: Int?) throws {
        guard let n else { return }
        guard (1...Bounds.maximumStateEntriesLimit).contains(n) else {
            throw ValidationError("--max-state-entries must be from 1 to \(Bounds.grouped(Bounds.maximumStateEntriesLimit)), found \(n)")
        }
    }

    /// A replication that ended with patients who could never move on leaves no figure worth
    /// showing: the run fails, saying which roles and since when.
    static func refuseStuck(_ summary: RunSummary, scenario: String) throws {
        let stuck = (summary.warnings ?? []).filter(\.isFatal)
        guard !stuck.isEmpty else { return }
        throw Failure(stuck.map { "\(scenario): error: variant \($0.variant ?? "?"): \($0.message)" }.joined(separator: "\n")
                      + "\n\(scenario): not simulated (nothing written or stored)")
    }

    /// What `--report` without a path stands for, after argument rewriting.
    static let defaultReport = "@default"

    /// The command as typed, for "how to reproduce".
    static func commandLine() -> String {
        (["carepath"] + CommandLine.arguments.dropFirst()).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// A path relative to the working directory when inside it: reports should not show /home/someone.
    static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    static func write(_ text: String, to path: String) throws {
        try Outputs.write(Data(text.utf8), to: path)
    }
}

/// A run's progress on standard error (`ProgressLine`: only on a terminal, and only once a run
/// has taken a second): the share of the patients' journeys done (so that one long replication
/// moves it too), the replications finished, and the time left at the rate so far.
final class ProgressBar: Sendable {
    private let line = ProgressLine()

    func update(_ progress: RunProgress) {
        line.update(fraction: progress.fraction, detail: "\(progress.replicationsDone)/\(progress.replications) replications")
    }

    /// `, about 2 min 30 s left`, at the rate so far; empty before anything is done.
    static func timeLeft(elapsed: Double, fraction: Double) -> String {
        ProgressLine.timeLeft(elapsed: elapsed, fraction: fraction)
    }

    func finish() { line.finish() }
}
