import ArgumentParser
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathReport
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

    func validate() throws {
        if scenarios.count < 2 { throw ValidationError("give at least two scenarios to compare") }
        if let replications, replications < 1 { throw ValidationError("--replications must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var loaded: [(String, Scenario, Pathway, URL)] = []
        var problems: [String] = []
        for file in scenarios {
            do throws(FormatErrors) {
                let (s, p, u) = try ScenarioFile.load(URL(fileURLWithPath: file))
                loaded.append((file, s, p, u))
            } catch {
                problems.append(error.description)
            }
        }
        if !problems.isEmpty { throw Failure(problems.joined(separator: "\n") + "\nnothing compared") }
        if let first = loaded.first, let other = loaded.first(where: { $0.2 != first.2 }) {
            throw Failure("\(other.0): its pathway differs from \(first.0)'s; compare scenarios on the same pathway")
        }
        var inputs: [ReportInput] = []
        for (file, scenario, pathway, pathwayURL) in loaded {
            let options = ScenarioRunner.Options(replications: replications, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            let summary = ScenarioRunner.run(scenario, pathway: pathway, options: options)
            try Simulate.refuseStuck(summary, scenario: file)
            print("\(file): \(summary.variants.count) option(s), \(summary.replications) replication(s)")
            inputs.append(ReportInput(scenario: scenario, pathway: pathway, summary: summary,
                                      inputs: try [InputFile.read(URL(fileURLWithPath: file), as: file),
                                                   InputFile.read(pathwayURL, as: Simulate.displayPath(pathwayURL))],
                                      commandLine: Simulate.commandLine()))
        }
        try Simulate.write(HTMLReport.comparisonReport(inputs), to: output)
        print("Comparison report written to \(output)")
    }
}
