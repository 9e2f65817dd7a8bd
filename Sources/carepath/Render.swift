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
    @Flag(help: "Draw one node per organisation, with the handoffs between organisations counted, instead of every state.")
    var overview = false
    @Flag(help: "Lay out every state even past \(OrganisationOverview.fullDiagramStateLimit) states (Graphviz may take many minutes).")
    var force = false

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
        let layout: PathwayDiagram.Direction = direction == "TB" ? .topToBottom : .leftToRight
        let limit = OrganisationOverview.fullDiagramStateLimit
        // Refused before any layout starts: Graphviz cannot be interrupted once it has.
        if pathway.states.count > limit && !overview && !force && chosen != .dot {
            throw Failure("\(file): \(pathway.states.count) states: a full layout of more than \(limit) states can take Graphviz many minutes "
                          + "(a 2,048-state pathway took 9 minutes); draw --overview (one node per organisation, in seconds), write "
                          + "--format dot for another tool, or add --force to lay out every state anyway\n\(file): not rendered")
        }
        let data: Data
        do throws(GraphvizError) {
            data = overview ? try OrganisationOverview(pathway: pathway, direction: layout).render(chosen)
                            : try PathwayDiagram(pathway: pathway, direction: layout).render(chosen)
        } catch {
            throw Failure("\(file): \(error)")
        }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(data, to: url)
        print("\(path): \(chosen.rawValue) \(overview ? "overview by organisation" : "diagram") of \(pathway.id) (\(pathway.organisations.count) organisations, \(pathway.states.count) states)")
    }
}
