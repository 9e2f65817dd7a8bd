import ArgumentParser
import CarePathFormat
import CarePathMetrics
import CarePathRender
import CarePathReport
import CarePathStore
import Foundation

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the runs kept in the results store.")
    @Option(help: "The results store.") var db: String = "Reports/carepath.sqlite"
    @Flag(help: "Also check the database file's integrity (SQLite integrity_check).") var check = false
    @OptionGroup var waiting: StoreWait

    func run() throws {
        let runs: [StoredRun]
        do {
            let store = try waiting.open(db, create: false)
            runs = try store.runs()
            if check {
                let result = try store.integrityCheck()
                print("integrity: " + result.joined(separator: "; "))
                if result != ["ok"] { throw Failure("\(db): the database is damaged") }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("\(db): \(error)")
        }
        guard !runs.isEmpty else { print("\(db): no runs stored"); return }
        var rows: [[String]] = []
        for run in runs {
            let r = run.record
            rows.append([String(r.id ?? 0), r.startedAt, r.scenario, r.pathway, String(r.seed), String(r.replications),
                         String(run.variants.count), r.status])
        }
        print(SummaryTable.table(["Run", "Started", "Scenario", "Pathway", "Seed", "Replications", "Variants", "Status"], rows))
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-create a stored run's HTML report (and optionally its JSON or CSV) without simulating again.")
    @Argument(help: "The run's number, as `carepath runs` lists it.") var id: Int64
    @Option(help: "The results store.") var db: String = "Reports/carepath.sqlite"
    @Option(name: .shortAndLong, help: "The report (default: Reports/<scenario>/run-<id>.html).") var output: String?
    @Option(help: "Also write the metrics table as CSV.") var csv: String?
    @Option(help: "Also write the JSON summary, byte for byte as the run wrote it.") var json: String?
    @Flag(help: "Leave the pathway diagram out of the report (past \(OrganisationOverview.fullDiagramStateLimit) states it is an overview by organisation).")
    var noDiagram = false
    @OptionGroup var waiting: StoreWait

    func run() throws {
        let store: ResultsStore
        let stored: StoredRun, summary: RunSummary, inputs: [RunInput], json: Data
        do {
            store = try waiting.open(db, create: false)
            stored = try store.run(id)
            summary = try store.summary(run: id)
            json = try store.summaryJSON(run: id)
            inputs = try store.inputs(run: id)
        } catch {
            throw Failure("\(db): run \(id): \(error)")
        }
        guard let texts = StoredScenario(inputs) else {
            throw Failure("\(db): run \(id) has no stored scenario or pathway")
        }
        // The stored texts, not today's files: the report shows exactly what was simulated. Runs
        // stored before bank holiday files were kept have none, and read it from disk as before.
        let checked = texts.checked, calendars = texts.calendars
        guard let scenario = checked.scenario, let pathway = checked.pathway else {
            throw Failure(checked.errors.map(\.description).joined(separator: "\n") + "\n\(db): run \(id)'s stored inputs no longer read")
        }
        if calendars.isEmpty, let bankHolidays = checked.bankHolidays {
            FileHandle.standardError.write(Data(("\(db): run \(id): warning: the run was stored without its bank holiday file; "
                + "its dates are read from \(bankHolidays.path) as it is now, which may not be what was simulated\n").utf8))
        }
        let path = output ?? "Reports/\(scenario.id)/run-\(id).html"
        try Outputs.prepare([path, csv, self.json])
        let input = ReportInput(scenario: scenario, pathway: pathway, summary: summary, inputs: texts.files,
                                commandLine: stored.record.command, diagram: noDiagram ? .omitted : .automatic)
        try Simulate.write(HTMLReport.scenarioReport(input), to: path)
        print("Report of run \(id) written to \(path)")
        if let csv {
            try Simulate.write(CSVExport.metrics(summary), to: csv)
            print("Metrics written to \(csv)")
        }
        if let jsonPath = self.json {
            try Outputs.write(json, to: jsonPath)
            print("JSON summary written to \(jsonPath)")
        }
    }
}
