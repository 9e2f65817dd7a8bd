import ArgumentParser
import CarePathFiles
import Foundation

@main
struct CarePathCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "carepath",
        abstract: "Model shared health and social care pathways, simulate patient cohorts through them, and measure handoffs, data gaps and load.",
        version: version,
        subcommands: [Validate.self, Render.self, Simulate.self, Compare.self, Runs.self, Report.self, Import.self, Export.self, Glossary.self, Sweep.self]
    )

    /// Exit codes: 0 success, 1 invalid input (problems reported), 2 usage errors.
    static func main() {
        // Ctrl-C or kill: unfinished outputs are removed before the process ends (exit 130 or 143).
        TemporaryFiles.installSignalHandlers()
        do {
            var command = try parseAsRoot(Self.optionalReportValue(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as Failure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            // Anything ArgumentParser rejects is a usage error.
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}

extension CarePathCommand {
    /// `--report` takes an optional path: `--report` alone (or before something that is not an
    /// .html file) means the default path, which ArgumentParser receives as `--report=`.
    static func optionalReportValue(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--report" {
                let next = i + 1 < arguments.count ? arguments[i + 1] : nil
                if let next, next.hasSuffix(".html") || next.hasSuffix(".htm") {
                    out += ["--report=" + next]
                    i += 2
                    continue
                }
                out.append("--report=" + Simulate.defaultReport)
            } else {
                out.append(a)
            }
            i += 1
        }
        return out
    }
}

/// A failure already explained in words; exit status 1.
struct Failure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
