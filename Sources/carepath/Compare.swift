import ArgumentParser
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathRender
import CarePathReport
import CarePathStore
import Foundation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run separate scenarios on the same pathway and write one comparison report of every option.",
        discussion: "Each scenario keeps its own seed; differences are paired only within a scenario."
    )

    @Argument(help: "Scenario files on the same pathway.") var scenarios: [String]
    @Option(help: "Replications per variant (default: each scenario's).") var replications: Int?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(name: .shortAndLong, help: "The comparison report (default: Reports/comparison/index.html).")
    var output: String = "Reports/comparison/index.html"
    @Flag(help: "Leave the pathway diagram out of the report (past \(OrganisationOverview.fullDiagramStateLimit) states it is an overview by organisation).")
    var noDiagram = false
    @Flag(name: [.customLong("yes"), .customShort("y")],
          help: "Run even when the work a scenario implies is beyond the limits (see docs/simulation.md, Bounds).")
    var yes = false

    func validate() throws {
        if scenarios.count < 2 { throw ValidationError("give at least two scenarios to compare") }
        try Simulate.checkReplications(replications)
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var loaded: [(String, ScenarioFile.Loaded)] = []
        var problems: [String] = []
        for file in scenarios {
            do throws(FormatErrors) {
                loaded.append((file, try ScenarioFile.loadWithFiles(URL(fileURLWithPath: file))))
            } catch {
                problems.append(error.description)
            }
        }
        if !problems.isEmpty { throw Failure(problems.joined(separator: "\n") + "\nnothing compared") }
        if let first = loaded.first, let other = loaded.first(where: { $0.1.pathwayURL != first.1.pathwayURL }) {
            throw Failure("\(other.0): its pathway differs from \(first.0)'s; compare scenarios on the same pathway")
        }
        try Outputs.prepare([output])
        // Every scenario's work first, so that none runs when one is refused.
        for (file, scenario) in loaded {
            let work = WorkEstimate(scenario.scenario, pathway: scenario.pathway, replications: replications, store: false, events: false)
            print("\(file):")
            try Simulate.announce(work, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, yes: yes, scenario: file)
        }
        var inputs: [ReportInput] = []
        for (file, scenario) in loaded {
            let options = ScenarioRunner.Options(replications: replications, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            let bar = ProgressBar()
            let summary = ScenarioRunner.run(scenario.scenario, pathway: scenario.pathway, options: options, progress: { bar.update($0) })
            bar.finish()
            try Simulate.refuseStuck(summary, scenario: file)
            print("\(file): \(summary.variants.count) option(s), \(summary.replications) replication(s)")
            inputs.append(ReportInput(scenario: scenario.scenario, pathway: scenario.pathway, summary: summary,
                                      inputs: try Simulate.runInputs(scenario: URL(fileURLWithPath: file), as: file, scenario).map(\.file),
                                      commandLine: Simulate.commandLine(), diagram: noDiagram ? .omitted : .automatic))
        }
        try Simulate.write(HTMLReport.comparisonReport(inputs), to: output)
        print("Comparison report written to \(output)")
    }
}
