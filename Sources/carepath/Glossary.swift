import ArgumentParser
import CarePathFiles
import CarePathMetrics
import Foundation

/// The definitions of every figure, from the one table the report's glossary is built from.
struct Glossary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the glossary of figures (Markdown), or rewrite it in a document between its marker comments.",
        discussion: "docs/simulation.md carries the glossary between '<!-- glossary:begin ... -->' and '<!-- glossary:end -->'; `carepath glossary --update docs/simulation.md` regenerates it there.")

    @Flag(help: "Print the glossary section as Markdown (the default).")
    var markdown = false

    @Option(help: ArgumentHelp("Replace the glossary section of this Markdown file in place.", valueName: "file"))
    var update: String?

    func run() throws {
        guard let path = update else {
            print(MetricGlossary.markdown(), terminator: "")
            return
        }
        // Only a regular file is rewritten (the rule every output follows), checked before reading it.
        do throws(OutputPath.Refusal) {
            try OutputPath.check(path)
        } catch {
            throw Failure("\(error)")
        }
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Failure("\(path): cannot read it as UTF-8 text: \(error.localizedDescription)")
        }
        let updated: String
        do {
            updated = try MetricGlossary.replacingSection(in: text, file: path)
        } catch {
            throw Failure(error.description)
        }
        guard updated != text else { return }
        try Outputs.write(Data(updated.utf8), to: path)
    }
}
