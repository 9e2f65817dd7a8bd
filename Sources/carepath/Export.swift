import ArgumentParser
import CarePathFormat
import CarePathInterop
import CarePathModel
import CarePathMetrics
import CarePathStore
import Foundation

/// `carepath export SCENARIO --xes log.xes --ocel log.sqlite --csv log.csv`: a fresh simulation's
/// event log for process-mining tools; `--bpmn` the pathway as a BPMN diagram.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a scenario afresh and write its event log for process mining (XES, OCEL 2.0 SQLite, CSV), or a pathway as BPMN.",
        discussion: """
            The log has every patient of every variant and replication. Replications run one after \
            another so the files are written as the simulation goes, in a fixed order: the same files \
            and seed give the same log. Timestamps count from --start-date (a Monday: simulated weeks \
            start on Monday). Patients who arrived during the warm-up are left out, as from every \
            statistic, unless --include-warm-up. --ocel writes OCEL 2.0 JSON when the path ends in .json \
            or .jsonocel, and SQLite otherwise. Each file appears complete or not at all. Open them in \
            PM4Py with pm4py.read_xes(PATH), pm4py.read_ocel2_json(PATH) and pm4py.read_ocel2_sqlite(PATH).

            --run ID --db FILE exports a stored run (one stored with --events) instead of a scenario \
            file: its stored scenario and pathway are simulated again with its seed and replications, \
            every replication's events are checked against the stored ones, and the logs are the \
            same bytes as exporting that scenario afresh.
            """
    )

    @Argument(help: "A scenario file; with --bpmn alone, a pathway file will do; none with --run.") var file: String?
    @Option(name: .customLong("run"), help: ArgumentHelp("Export a stored run's event log instead (see `carepath runs`); needs --db.", valueName: "id"))
    var storedRun: Int64?
    @Option(help: ArgumentHelp("The results store that holds --run.", valueName: "path")) var db: String?
    @Flag(help: "Also log the patients who arrived during the warm-up.") var includeWarmUp = false
    @Option(help: ArgumentHelp("Write the event log as IEEE 1849 XES.", valueName: "path")) var xes: String?
    @Option(help: ArgumentHelp("Write the event log as OCEL 2.0: JSON for a .json or .jsonocel path, else SQLite.", valueName: "path")) var ocel: String?
    @Option(help: ArgumentHelp("Write the event log as CSV, one row per event.", valueName: "path")) var csv: String?
    @Option(help: ArgumentHelp("Write the pathway as BPMN 2.0 XML (pools, lanes, tasks, message flows).", valueName: "path")) var bpmn: String?
    @Option(help: "Replications per variant (default: the scenario's).") var replications: Int?
    @Option(help: "Seed (default: the scenario's).") var seed: UInt64?
    @Option(help: ArgumentHelp("The date simulation hour 0 stands for, YYYY-MM-DD, a Monday.", valueName: "date"))
    var startDate: String = "2024-01-01"
    @Flag(name: [.customLong("yes"), .customShort("y")],
          help: "Run even when the work the scenario implies is beyond the limits (see docs/simulation.md, Bounds).")
    var yes = false

    func validate() throws {
        if xes == nil && ocel == nil && csv == nil && bpmn == nil {
            throw ValidationError("give at least one of --xes, --ocel, --csv or --bpmn")
        }
        try Simulate.checkReplications(replications)
        if storedRun != nil {
            if file != nil { throw ValidationError("give either a scenario file or --run, not both") }
            if db == nil { throw ValidationError("--run needs --db, the results store that holds the run") }
            if bpmn != nil { throw ValidationError("--bpmn exports a pathway file, not a stored run") }
            if xes == nil && ocel == nil && csv == nil { throw ValidationError("give at least one of --xes, --ocel or --csv") }
            if replications != nil || seed != nil { throw ValidationError("--replications and --seed are the stored run's; leave them out with --run") }
        } else {
            if file == nil { throw ValidationError("give a scenario file, or --run and --db") }
            if db != nil { throw ValidationError("--db goes with --run") }
        }
        let outputs = [xes, ocel, csv, bpmn].compactMap { $0.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
        if Set(outputs).count != outputs.count { throw ValidationError("--xes, --ocel, --csv and --bpmn must name different files") }
        guard let clock = LogClock(parsing: startDate) else { throw ValidationError("--start-date must be a date written YYYY-MM-DD") }
        if clock.weekday != 0 { throw ValidationError("--start-date must be a Monday: simulated weeks (and role calendars) start on Monday") }
    }

    func run() throws {
        try Outputs.prepare([xes, ocel, csv, bpmn])
        if let storedRun, let db { return try exportStored(storedRun, db: db) }
        guard let file else { throw Failure("give a scenario file, or --run and --db") }
        let url = URL(fileURLWithPath: file)
        let logs = xes != nil || ocel != nil || csv != nil
        let pathway: Pathway
        var pathwayURL = url
        var scenario: Scenario?
        if logs || Validate.isScenario(url) {
            do throws(FormatErrors) {
                let (s, p, source) = try ScenarioFile.load(url)
                scenario = s
                pathway = p
                pathwayURL = source
            } catch {
                throw Failure(error.description + "\n\(file): not exported")
            }
        } else {
            do throws(FormatErrors) {
                pathway = try PathwayFile.load(url)
            } catch {
                throw Failure(error.description + "\n\(file): not exported")
            }
        }
        if let bpmn {
            // The pathway file's text travels in the BPMN, so that `import bpmn` gives it back whole.
            let source = try? String(contentsOf: pathwayURL, encoding: .utf8)
            try Outputs.write(Data(BPMNExport.xml(pathway, source: source).utf8), to: bpmn)
            print("\(bpmn): BPMN 2.0 of pathway \(pathway.id) (\(pathway.organisations.count) pools, \(pathway.roles.count) lanes, \(pathway.states.count) states)")
        }
        guard logs, let scenario else { return }
        // As simulate does: the work the run implies, refused past the limits unless --yes.
        try Simulate.announce(WorkEstimate(scenario, pathway: pathway, replications: replications, store: false, events: false),
                              threads: 1, yes: yes, scenario: file)
        try writeLogs(scenario, pathway, replications: replications, seed: seed, check: nil, source: file)
    }

    /// Outputs are checked and their directories made by `run()` first (`Outputs.prepare`).
    func writeLogs(_ scenario: Scenario, _ pathway: Pathway, replications: Int?, seed: UInt64?,
                   check: (@Sendable (Int, Int, [EventRecord]) -> String?)?, source: String) throws {
        var options = EventLogExport.Options(xes: xes.map { URL(fileURLWithPath: $0) }, ocel: ocel.map { URL(fileURLWithPath: $0) },
                                             csv: csv.map { URL(fileURLWithPath: $0) }, replications: replications, seed: seed,
                                             clock: LogClock(parsing: startDate) ?? .defaultStart, includeWarmUp: includeWarmUp)
        options.check = check
        let bar = ProgressBar()
        options.progress = { bar.update($0) }
        let outcome: EventLogExport.Outcome
        do {
            defer { bar.finish() }
            outcome = try EventLogExport.run(scenario, pathway: pathway, options: options)
        } catch {
            throw Failure("\(error)\n\(source): no event log written")
        }
        let c = outcome.counts
        let runs = "\(outcome.summary.variants.count) variant(s) x \(outcome.summary.replications) replication(s), seed \(outcome.summary.seed)"
        print("Scenario \(scenario.id): \(c.patients) patients over \(runs)")
        if let xes { print("\(xes): XES, \(c.patients) traces, \(c.xesEvents) events") }
        if let ocel {
            let layout = EventLogExport.isJSON(URL(fileURLWithPath: ocel)) ? "JSON" : "SQLite"
            print("\(ocel): OCEL 2.0 \(layout), \(c.ocelEvents) events, \(c.ocelObjects) objects")
        }
        if let csv { print("\(csv): CSV, \(c.csvRows) rows") }
    }
}

extension Export {
    /// A stored run's logs: its stored inputs simulated again with its seed and replications,
    /// each replication checked against the stored event log.
    func exportStored(_ id: Int64, db: String) throws {
        let store: ResultsStore
        let stored: StoredRun, inputs: [RunInput]
        do {
            store = try ResultsStore(path: db, create: false)
            stored = try store.run(id)
            inputs = try store.inputs(run: id)
        } catch {
            throw Failure("\(db): run \(id): \(error)")
        }
        guard stored.eventsStored > 0 else {
            throw Failure("\(db): run \(id) was stored without its event log; simulate with --events to export it")
        }
        guard let checked = StoredScenario(inputs)?.checked else {
            throw Failure("\(db): run \(id) has no stored scenario or pathway")
        }
        guard let scenario = checked.scenario, let pathway = checked.pathway else {
            throw Failure(checked.errors.map(\.description).joined(separator: "\n") + "\n\(db): run \(id)'s stored inputs no longer read")
        }
        let box = StoreBox(store)
        try writeLogs(scenario, pathway, replications: stored.record.replications, seed: stored.record.seed, check: { v, r, records in
            do {
                return try box.store.differenceFromStoredEvents(run: id, variant: v, replication: r, records: records)
                    .map { "the run simulated again is not the stored run (\($0)); was it stored by another version of carepath?" }
            } catch {
                return "reading the stored events: \(error)"
            }
        }, source: "\(db): run \(id)")
    }
}

/// The store, read by one replication at a time while the logs are written.
private final class StoreBox: @unchecked Sendable {
    let store: ResultsStore
    init(_ store: ResultsStore) { self.store = store }
}
