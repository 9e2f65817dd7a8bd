import ArgumentParser
import CarePathFormat
import CarePathInterop
import CarePathModel
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
            start on Monday). Each file appears complete or not at all. Open them in PM4Py with \
            pm4py.read_xes(PATH) and pm4py.read_ocel2_sqlite(PATH).
            """
    )

    @Argument(help: "A scenario file; with --bpmn alone, a pathway file will do.") var file: String
    @Option(help: ArgumentHelp("Write the event log as IEEE 1849 XES.", valueName: "path")) var xes: String?
    @Option(help: ArgumentHelp("Write the event log as OCEL 2.0 SQLite.", valueName: "path.sqlite")) var ocel: String?
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
        let outputs = [xes, ocel, csv, bpmn].compactMap { $0.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
        if Set(outputs).count != outputs.count { throw ValidationError("--xes, --ocel, --csv and --bpmn must name different files") }
        guard let clock = LogClock(parsing: startDate) else { throw ValidationError("--start-date must be a date written YYYY-MM-DD") }
        if clock.weekday != 0 { throw ValidationError("--start-date must be a Monday: simulated weeks (and role calendars) start on Monday") }
    }

    func run() throws {
        try Outputs.prepare([xes, ocel, csv, bpmn])
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
        let options = EventLogExport.Options(xes: xes.map { URL(fileURLWithPath: $0) }, ocel: ocel.map { URL(fileURLWithPath: $0) },
                                             csv: csv.map { URL(fileURLWithPath: $0) }, replications: replications, seed: seed,
                                             clock: LogClock(parsing: startDate) ?? .defaultStart)
        let outcome: EventLogExport.Outcome
        do {
            outcome = try EventLogExport.run(scenario, pathway: pathway, options: options)
        } catch {
            throw Failure("\(error)\n\(file): no event log written")
        }
        let c = outcome.counts
        let runs = "\(outcome.summary.variants.count) variant(s) x \(outcome.summary.replications) replication(s), seed \(outcome.summary.seed)"
        print("Scenario \(scenario.id): \(c.patients) patients over \(runs)")
        if let xes { print("\(xes): XES, \(c.patients) traces, \(c.xesEvents) events") }
        if let ocel { print("\(ocel): OCEL 2.0 SQLite, \(c.ocelEvents) events, \(c.ocelObjects) objects") }
        if let csv { print("\(csv): CSV, \(c.csvRows) rows") }
    }
}
