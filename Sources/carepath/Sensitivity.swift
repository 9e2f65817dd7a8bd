import ArgumentParser
import CarePathExperiments
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Which of a scenario's uncertain numbers move its outcomes: one at a time (tornado), Morris screening (mu*, sigma) or Sobol indices.",
        discussion: """
        The parameters and outcomes come from the scenario's experiments.sensitivity section (docs/simulation.md, Sensitivity analysis). \
        Each design point is a variant of the baseline (levers), run on common random numbers, and stored as a run. \
        --design-only writes the design as a scenario file (one variant per point) for `carepath sweep`; --run ID analyses a stored run of it.
        """
    )

    @Argument(help: "A scenario file (YAML) with an experiments.sensitivity section.") var scenario: String
    @Option(name: .shortAndLong, help: ArgumentHelp("The folder for the report, JSON and CSV (default: Reports/<scenario>/sensitivity); with --design-only, the scenario file to write.", valueName: "path"))
    var output: String?
    @Option(help: "oat, morris or sobol (default: the scenario's method, else oat).") var method: SensitivityMethod?
    @Option(help: "Replications per design point (default: the section's, else the scenario's).") var replications: Int?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "The results store the run is appended to (and --run reads).") var db: String = "Reports/carepath.sqlite"
    @Flag(help: "Do not store the run.") var noStore = false
    @Flag(help: "Write the design as a scenario file (-o) with one variant per point, and run nothing.") var designOnly = false
    @Option(name: .customLong("run"), help: ArgumentHelp("Analyse this stored run of the design (from --db) instead of running it.", valueName: "id"))
    var storedRun: Int64?
    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Run even when the work it implies is beyond the limits (docs/simulation.md, Bounds).")
    var yes = false
    @OptionGroup var waiting: StoreWait

    func validate() throws {
        try Simulate.checkReplications(replications)
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if designOnly && output == nil { throw ValidationError("--design-only needs -o FILE.yaml, the scenario file to write") }
        if designOnly && storedRun != nil { throw ValidationError("--design-only and --run do not go together: one writes a design, the other analyses a run of it") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: scenario)
        if let id = storedRun { return try analyseStored(id) }
        let loaded: ScenarioFile.Loaded
        do throws(FormatErrors) { loaded = try ScenarioFile.loadWithFiles(url) } catch {
            throw Failure(error.description + "\n\(scenario): not analysed")
        }
        guard loaded.scenario.experiments.sensitivity != nil else {
            throw Failure("\(scenario): error: the scenario has no experiments.sensitivity section (parameters and outcomes; docs/simulation.md, "
                          + "Sensitivity analysis)\n\(scenario): not analysed")
        }
        var study = try prepare(loaded.scenario, loaded.pathway)
        if let replications { study.settings.replications = replications }
        let design = study.design()
        let designScenario = try located(study.scenario(of: design))
        print("Sensitivity (\(study.method.rawValue)): \(study.parameters.count) parameters, \(study.outcomes.count) outcome(s); "
              + Self.designText(study, design) + "; baseline variant \(study.base.name)")
        if designOnly, let output { return try DesignFile.write(study, design, scenarioURL: url, loaded: loaded, to: output) }

        let directory = output ?? "Reports/\(loaded.scenario.id)/sensitivity"
        let files = Files(directory)
        try Outputs.prepare([files.html, files.json, files.csv], database: noStore ? nil : db)
        let options = ScenarioRunner.Options(replications: study.replications, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        try Simulate.announce(WorkEstimate(designScenario, pathway: study.pathway, replications: study.replications, store: !noStore, events: false),
                              threads: options.threads, yes: yes, scenario: scenario)
        let bar = ProgressBar()
        let started = Date()
        let result: SensitivityRunner.Run
        var stored: Int64?
        if noStore {
            result = SensitivityRunner.run(study, design: design, scenario: designScenario, options: options, progress: { bar.update($0) })
            try Simulate.refuseStuck(result.summary, scenario: scenario)
        } else {
            let store: ResultsStore, writer: RunWriter
            do {
                store = try waiting.open(db, create: true)
                writer = try store.beginRun(
                    RunRecord(startedAt: RunRecord.timestamp(Date()), carepathVersion: ScenarioRunner.version, command: Simulate.commandLine(),
                              scenario: designScenario.id, title: "Sensitivity (\(study.method.rawValue)): \(designScenario.title)", pathway: study.pathway.id,
                              seed: designScenario.seed, replications: study.replications),
                    inputs: try Simulate.runInputs(scenario: url, as: scenario, loaded), variants: VariantRecord.variants(of: designScenario))
            } catch {
                throw Failure("\(db): cannot store the run: \(error)")
            }
            let seed = designScenario.seed
            result = SensitivityRunner.run(study, design: design, scenario: designScenario, options: options, progress: { bar.update($0) },
                                           finished: { v, r, replication in
                                               // The figures of each replication, not its patients: a design has many points.
                                               writer.record(variant: v, replication: r, seed: ScenarioRunner.replicationSeed(seed, r),
                                                             result: replication, recorder: ReplicationRecorder(events: false))
                                           })
            try Simulate.refuseStuck(result.summary, scenario: scenario)
            do {
                try writer.finish(summary: result.summary)
                stored = writer.id
                try store.close()
            } catch {
                throw Failure("\(db): the run could not be stored, the store is as it was: \(error)")
            }
        }
        bar.finish()
        try check(result.outcomes, study, design)
        let analysis = study.analyse(design, result.outcomes)
        try write(analysis, files)
        print(String(format: "Ran %d design points x %d replications in %.1f s", design.points.count, study.replications, Date().timeIntervalSince(started)))
        if let stored { print("Stored as run \(stored) in \(db) (carepath sensitivity \(scenario) --run \(stored) --db \(db) analyses it again)") }
    }

    /// Analyses a stored run of this scenario's design: the same figures, and the same bytes, as running it.
    func analyseStored(_ id: Int64) throws {
        let store: ResultsStore, variants: [VariantRecord], record: StoredRun, inputs: [RunInput]
        do {
            store = try waiting.open(db, create: false)
            record = try store.run(id)
            variants = try store.variants(run: id)
            inputs = try store.inputs(run: id)
        } catch {
            throw Failure("\(db): run \(id): \(error)")
        }
        // The run's own texts, not today's files: the design is made again from them.
        guard let checked = StoredScenario(inputs)?.checked else {
            throw Failure("\(db): run \(id) has no stored scenario or pathway")
        }
        guard let s = checked.scenario, let p = checked.pathway else {
            throw Failure(checked.errors.map(\.description).joined(separator: "\n") + "\n\(db): run \(id)'s stored inputs no longer read")
        }
        var study = try prepare(s, p)
        study.settings.replications = record.record.replications
        let design = study.design()
        guard variants.map(\.name) == design.points.map(\.name) else {
            throw Failure("\(db): run \(id) is not a run of this design: it has \(variants.count) variants (\(variants.prefix(3).map(\.name).joined(separator: ", "))...), "
                          + "the \(study.method.rawValue) design of \(scenario) has \(design.points.count) points; give --method as it was run")
        }
        let outcomes: DesignOutcomes
        do {
            outcomes = try SensitivityRunner.outcomes(study, points: design.points.count, replications: study.replications) { v, r in
                try store.replicationMetrics(run: id, variant: v, replication: r)
            }
        } catch {
            throw Failure("\(db): run \(id): \(error)")
        }
        try check(outcomes, study, design)
        let files = Files(output ?? "Reports/\(s.id)/sensitivity")
        try Outputs.prepare([files.html, files.json, files.csv])
        try write(study.analyse(design, outcomes), files)
    }

    struct Files {
        var html, json, csv: String
        init(_ directory: String) {
            html = directory + "/index.html"; json = directory + "/sensitivity.json"; csv = directory + "/sensitivity.csv"
        }
    }

    func prepare(_ s: Scenario, _ p: Pathway) throws -> SensitivityStudy {
        try located(SensitivityStudy.prepare(s, pathway: p, method: method))
    }

    func located<T>(_ result: Result<T, FormatErrors>) throws -> T {
        switch result {
        case .success(let v): return v
        case .failure(let e): throw Failure(e.description + "\n\(scenario): not analysed")
        }
    }

    /// Every outcome must be measured at the baseline: otherwise nothing about it can be said.
    func check(_ outcomes: DesignOutcomes, _ study: SensitivityStudy, _ design: SensitivityDesign) throws {
        for (o, outcome) in study.outcomes.enumerated() where outcomes.values.first?.contains(where: { !$0[o].isFinite }) ?? true {
            throw Failure("\(scenario): error: \(outcome) was not measured at the baseline (the run gives no such figure, or not a number: "
                          + "a role with no starts has no wait); choose another outcome\n\(scenario): not analysed")
        }
    }

    func write(_ analysis: SensitivityResult, _ files: Files) throws {
        try Outputs.write(analysis.json(), to: files.json)
        try Outputs.write(Data(SensitivityReport.csv(analysis).utf8), to: files.csv)
        try Outputs.write(Data(SensitivityReport.html(analysis, commandLine: Simulate.commandLine()).utf8), to: files.html)
        print(SensitivityTable.text(analysis))
        print("Report written to \(files.html)\nJSON written to \(files.json)\nCSV written to \(files.csv)")
    }

    static func designText(_ study: SensitivityStudy, _ design: SensitivityDesign) -> String {
        let k = study.parameters.count
        switch study.method {
        case .oat: return "\(design.count) design points (2 x \(k) parameters) + the baseline"
        case .morris: return "\(design.count) design points (\(study.settings.trajectories) trajectories x (\(k) + 1)), \(study.settings.levels) levels, + the baseline"
        case .sobol: return "\(design.count) design points (N = \(study.settings.samples) x (\(k) + 2), Saltelli) + the baseline"
        }
    }
}

extension SensitivityMethod: ExpressibleByArgument {}
