import ArgumentParser
import CarePathExperiments
import CarePathFormat
import CarePathMetrics
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check pathway and scenario files and list every problem with its file, line and column.",
        discussion: "Exits 0 when every file is valid (warnings allowed), 1 when any has an error, 2 on usage errors."
    )

    @Argument(help: "Pathway, scenario or bank holiday files (YAML); a file with a top-level 'scenario:' key is a scenario, one with 'bank-holidays:' a bank holiday file.")
    var files: [String]

    @Flag(name: .long, help: "Do not print warnings.")
    var quiet = false

    func run() throws {
        var failed = false
        for file in files {
            let url = URL(fileURLWithPath: file)
            let problems: [FormatProblem], summary: String?
            var runWarnings: [RunWarning] = []
            if Self.hasTopKey("bank-holidays", url) {
                let result = BankHolidayFile.check(url)
                problems = result.problems
                summary = "\(result.dates.count) bank holidays"
            } else if Self.isScenario(url) {
                let result = ScenarioFile.check(url)
                problems = result.problems + Self.experimentProblems(result)
                    + CapacitySearch.figureProblems(result.scenario?.experiments.optimise, pathway: result.pathway)
                // What a run of a valid scenario would warn about before simulating.
                if result.errors.isEmpty, let scenario = result.scenario, let pathway = result.pathway {
                    runWarnings = RunWarnings.beforeRun(scenario, pathway: pathway)
                }
                summary = result.scenario.map { s in
                    "scenario, \(s.effectiveVariants.count) variant(s), \(s.replications) replication(s), pathway \(result.pathway?.id ?? "?")"
                }
            } else {
                let result = PathwayFile.check(url)
                problems = result.problems
                summary = result.pathway.map { p in
                    "\(p.states.count) states, \(p.organisations.count) organisations, \(p.roles.count) roles"
                }
            }
            for problem in problems where !(quiet && problem.severity == .warning) {
                print(problem)
            }
            if !quiet {
                for w in runWarnings { print(Self.line(w, file: file)) }
            }
            let errors = problems.filter { $0.severity == .error }.count
            let warnings = problems.count - errors + runWarnings.count
            if let summary, errors == 0 {
                print("\(file): valid (\(summary))" + (warnings > 0 ? ", \(warnings) warning(s)" : ""))
            } else {
                failed = true
                print("\(file): \(errors) error(s)" + (warnings > 0 ? ", \(warnings) warning(s)" : ""))
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// `FILE: warning: overload: MESSAGE`, with the variant when only some variants have it.
    static func line(_ w: RunWarning, file: String) -> String {
        "\(file): warning: \(w.kind)" + (w.variant.map { " (variant \($0))" } ?? "") + ": \(w.message)"
    }

    /// A scenario file names itself with a top-level `scenario:` key.
    static func isScenario(_ url: URL) -> Bool { hasTopKey("scenario", url) }

    /// Whether a line of the file's start begins with `key:` (a bank holiday file has `bank-holidays:`).
    static func hasTopKey(_ key: String, _ url: URL) -> Bool {
        guard let data = try? Data(contentsOf: url), let text = String(data: data.prefix(65536), encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix(key + ":") }
    }
}
