import ArgumentParser
import CarePathFormat
import CarePathModel
import CarePathRender
import Foundation

extension RenderFormat: ExpressibleByArgument {}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a pathway as a Graphviz diagram (SVG, PNG or DOT), rendered in-process with libgvc.",
        discussion: "One cluster per organisation; cross-organisation handoffs drawn bold and coloured, with their probability or condition and the items that travel."
    )

    @Argument(help: "A pathway file.") var file: String
    @Option(name: .shortAndLong, help: "Output file (default: Reports/<pathway>.<format>).") var output: String?
    @Option(help: "svg, png or dot (default: from the output's extension, else svg).") var format: RenderFormat?
    @Option(help: "Layout direction: LR (left to right) or TB (top to bottom).") var direction: String = "LR"

    func validate() throws {
        guard ["LR", "TB"].contains(direction) else { throw ValidationError("--direction must be LR or TB") }
    }

    func run() throws {
        let pathway: Pathway
        do throws(FormatErrors) {
            pathway = try PathwayFile.load(URL(fileURLWithPath: file))
        } catch {
            throw Failure(error.description + "\n\(file): not rendered")
        }
        let chosen = format ?? output.flatMap { RenderFormat(rawValue: URL(fileURLWithPath: $0).pathExtension.lowercased()) } ?? .svg
        let path = output ?? "Reports/\(pathway.id).\(chosen.fileExtension)"
        try Outputs.prepare([path])
        let diagram = PathwayDiagram(pathway: pathway, direction: direction == "TB" ? .topToBottom : .leftToRight)
        let data: Data
        do throws(GraphvizError) {
            data = try diagram.render(chosen)
        } catch {
            throw Failure("\(file): \(error)")
        }
        try Outputs.write(data, to: path)
        print("\(path): \(chosen.rawValue) diagram of \(pathway.id) (\(pathway.organisations.count) organisations, \(pathway.states.count) states)")
    }
}
