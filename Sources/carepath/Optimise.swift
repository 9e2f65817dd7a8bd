import ArgumentParser
import CarePathExperiments
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathReport
import CarePathStore
import Foundation

/// `carepath optimise SCENARIO`: the least-cost capacities that meet the scenario's
/// `experiments.optimise` constraints with its stated confidence (docs/simulation.md, "Capacity search").
struct Optimise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the least-cost role capacities that meet a scenario's constraints with a stated confidence (experiments: { optimise: ... }).",
        discussion: """
        Writes DIR/index.html (the report), DIR/search.json and DIR/configurations.csv, and stores the configurations \
        evaluated in the results store. Exit status: 0 when a configuration is chosen; 3 when none in the ranges is \
        shown feasible (infeasible within the ranges, or undecided at the replication budget); 4 (with --stages) when \
        a stage was planned: run its shards, then this command again; 1 for invalid input; 2 for a usage error. \
        Results are identical whatever the number of threads, and with --stages whatever the shards.
        """
    )

    /// No configuration in the ranges was shown to meet the constraints.
    static let noneFeasible: Int32 = 3

    @Argument(help: "A scenario file (YAML) with experiments: { optimise: ... }.") var scenario: String
    @Option(name: [.customShort("o"), .customLong("output")], help: "The folder for the report, JSON and CSV (default: Reports/<scenario>-optimise).")
    var output: String?
    @Option(help: "The results store the search is appended to.") var db: String = "Reports/carepath.sqlite"
    @Flag(help: "Do not store this search.") var noStore = false
    @Option(help: "Seed (default: the scenario's).") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Flag(name: [.customLong("yes"), .customShort("y")],
          help: "Search even when the most work it may imply is beyond the limits (see docs/simulation.md, Bounds).")
    var yes = false
    @OptionGroup var waiting: StoreWait
    @Option(help: "Search in stages for shards on other machines: each run of this command plans the next stage in this folder as a sweep (run its shards with `carepath sweep run`), or finishes the search from the stages' shards with the outputs a single run writes (docs/simulation.md, Capacity search in stages).")
    var stages: String?
    @Option(help: "With --stages: the shards each stage is split into.") var shards: Int?
    @Option(help: "With --stages: the most configurations a stage evaluates: the one the search waits for and those it may reach next (default 4; 1 wastes no replication but needs a round trip per look).")
    var width: Int?

    /// A stage was planned: its shards are to run, then this command again.
    static let stagePlanned: Int32 = 4

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if stages == nil, shards != nil || width != nil { throw ValidationError("--shards and --width go with --stages FOLDER") }
        if stages != nil, shards == nil { throw ValidationError("--stages needs --shards N: the shards each stage is split into") }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1, found \(shards)") }
        if let width, width < 1 { throw ValidationError("--width must be at least 1, found \(width)") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: scenario)
        let loaded: ScenarioFile.Loaded
        do throws(FormatErrors) {
            loaded = try ScenarioFile.loadWithFiles(url)
        } catch {
            throw Failure(error.description + "\n\(scenario): not searched")
        }
        guard let spec = loaded.scenario.experiments.optimise else {
            throw Failure("\(scenario): error: the scenario has no capacity search; add experiments: { optimise: { decisions: ..., constraints: ... } } "
                          + "(docs/simulation.md, Capacity search)\n\(scenario): not searched")
        }
        let figures = CapacitySearch.figureProblems(spec, pathway: loaded.pathway)
        if !figures.isEmpty { throw Failure(FormatErrors(figures).description + "\n\(scenario): not searched") }
        let inputs = try Simulate.runInputs(scenario: url, as: scenario, loaded)
        let search = CapacitySearch(scenario: loaded.scenario, pathway: loaded.pathway, spec: spec, seed: seed,
                                    threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        if let stages {
            try runStage(search, inputs: inputs, folder: URL(fileURLWithPath: stages))
            return
        }
        let paths = outputPaths(loaded.scenario.id)
        try Outputs.prepare(paths, database: noStore ? nil : db)
        try announce(search)
        let started = Date()
        let line = SearchProgressLine()
        let result = search.run { line.update($0) }
        line.finish()
        try finish(result, inputs: inputs, paths: paths, startedAt: RunRecord.timestamp(started), command: Simulate.commandLine())
    }

    /// DIR/index.html, DIR/search.json and DIR/configurations.csv.
    func outputPaths(_ scenarioID: String) -> [String] {
        let folder = output ?? "Reports/\(scenarioID)-optimise"
        return ["index.html", "search.json", "configurations.csv"].map { (folder as NSString).appendingPathComponent($0) }
    }

    /// The answer on the terminal, in the store, and in the report, JSON and CSV; exit 3 when none is chosen.
    func finish(_ result: CapacitySearchResult, inputs: [RunInput], paths: [String], startedAt: String, command: String) throws {
        print(Self.summary(result))
        if !noStore {
            do {
                let store = try waiting.open(db, create: true)
                let id = try store.storeSearch(result, startedAt: startedAt, command: command)
                try store.close()
                print("Stored as search \(id) in \(db)")
            } catch {
                throw Failure("\(db): cannot store the search: \(error)")
            }
        }
        try Outputs.write(result.json(), to: paths[1])
        try Simulate.write(CSVExport.search(result), to: paths[2])
        try Simulate.write(HTMLReport.searchReport(result, inputs: inputs.map(\.file), commandLine: command), to: paths[0])
        print("Report written to \(paths[0]); JSON to \(paths[1]); CSV to \(paths[2])")
        if result.outcome != .chosen { throw ExitCode(Self.noneFeasible) }
    }

    /// The most work the search may do (every configuration at the budget), refused beyond the limits unless --yes.
    func announce(_ search: CapacitySearch) throws {
        let spec = search.spec
        var work = WorkEstimate(search.scenario, pathway: search.pathway, replications: spec.maximumReplications, store: false, events: false)
        let lattice = Int(spec.latticeSize)
        work.variants = lattice
        print("Capacity search: \(lattice) configuration(s) in the ranges, \(spec.initialReplications) to \(spec.maximumReplications) replications each "
              + "(looks at \(search.looks.map(String.init).joined(separator: ", "))); at most \(Bounds.grouped(Int(min(work.journeys, 1e15)))) journeys, "
              + "about \(Bounds.grouped(Int(min(work.stateEntries, 1e15)))) state entries, usually far fewer (the walk stops at the first feasible configuration)")
        guard let refusal = work.refusal else { return }
        if yes { print("Beyond the limits at most (\(refusal)); searching as --yes asks."); return }
        throw Failure("\(scenario): error: this search may imply \(refusal) (limits: docs/simulation.md, Bounds); "
                      + "narrower ranges, a smaller budget or cohort, or --yes to search anyway\n\(scenario): not searched (nothing written or stored)")
    }

    /// The answer in a few lines for the terminal.
    static func summary(_ r: CapacitySearchResult) -> String {
        func roles(_ c: EvaluatedConfiguration) -> String {
            zip(r.decisions, c.capacities).map { "\($0.role) \($1)" }.joined(separator: ", ")
        }
        var lines: [String] = []
        let counts = Dictionary(grouping: r.configurations, by: \.status).mapValues(\.count)
        lines.append("Reached \(r.configurations.count) of \(r.latticeSize) configurations in cost order: "
                     + ["feasible", "infeasible", "undecided", "pruned"].compactMap { s in
                         counts[EvaluatedConfiguration.Status(rawValue: s)!].map { "\($0) \(s)" } }.joined(separator: ", ")
                     + "; \(r.replicationsRun) replications")
        switch r.outcome {
        case .chosen:
            guard let c = r.chosenConfiguration else { break }
            lines.append("Chosen: \(roles(c)), cost \(format(c.cost)), meeting every constraint with joint confidence at least \(format(r.confidence * 100))%:")
            for (k, f) in zip(r.constraints, c.figures) {
                let ci = f.halfWidth.map { " (95% CI \(format(f.mean - $0)) to \(format(f.mean + $0)))" } ?? ""
                lines.append("  \(k.figure) = \(format(f.mean))\(ci), one-sided bound \(format(f.bound)) \(k.relation) \(format(k.limit)) over \(c.replications) replications")
            }
        case .infeasibleWithinRanges:
            lines.append("Infeasible within the ranges: every configuration was shown to break a constraint.")
        case .noneShownFeasible:
            lines.append("No configuration in the ranges was shown feasible: some stayed undecided at the budget of \(r.maximumReplications) replications.")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.3g", x)
    }
}

/// The search's progress on standard error, only on a terminal and only after a second:
/// configurations reached, the current one's replications, all replications so far.
final class SearchProgressLine: @unchecked Sendable {
    private let start = Date()
    private var shown = false
    private let enabled = isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["CI"] == nil

    func update(_ p: SearchProgress) {
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        shown = true
        let text = "\rconfiguration \(p.walked) of \(p.configurations) (capacities \(p.current.map(String.init).joined(separator: "/"))), "
            + "\(p.replications) replications; \(p.replicationsRun) in all, \(Int(Date().timeIntervalSince(start))) s   "
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
