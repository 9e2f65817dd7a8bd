import ArgumentParser
import CarePathFormat
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check pathway files and list every problem with its file, line and column.",
        discussion: "Exits 0 when every file is valid (warnings allowed), 1 when any has an error, 2 on usage errors."
    )

    @Argument(help: "Pathway files (YAML).")
    var files: [String]

    @Flag(name: .long, help: "Do not print warnings.")
    var quiet = false

    func run() throws {
        var failed = false
        for file in files {
            let result = PathwayFile.check(URL(fileURLWithPath: file))
            for problem in result.problems where !(quiet && problem.severity == .warning) {
                print(problem)
            }
            let errors = result.errors.count, warnings = result.warnings.count
            if let pathway = result.pathway {
                let summary = "\(pathway.states.count) states, \(pathway.organisations.count) organisations, \(pathway.roles.count) roles"
                print("\(file): valid (\(summary))" + (warnings > 0 ? ", \(warnings) warning(s)" : ""))
            } else {
                failed = true
                print("\(file): \(errors) error(s)" + (warnings > 0 ? ", \(warnings) warning(s)" : ""))
            }
        }
        if failed { throw ExitCode(1) }
    }
}
