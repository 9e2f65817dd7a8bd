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
    @Option(help: "Layout direction: LR (left to right), TB (top to bottom), or auto: the one nearer a 16:9 screen's shape.")
    var direction: String = "auto"
    @Option(help: ArgumentHelp("Colour the diagram with a stored run's figures: load, blocked beds and data gaps.", valueName: "run-id"))
    var heat: Int64?
    @Option(help: "The results store the run is in (with --heat).") var db: String = "Reports/carepath.sqlite"
    @Option(help: "The run's option to show (with --heat; default: its first).") var option: String?
    @Flag(help: "Draw one node per organisation, with the handoffs between organisations counted, instead of every state.")
    var overview = false
    @Flag(help: "Lay out every state even past \(OrganisationOverview.fullDiagramStateLimit) states (Graphviz may take many minutes).")
    var force = false
    @OptionGroup var waiting: StoreWait

    func validate() throws {
        guard ["LR", "TB", "auto"].contains(direction) else { throw ValidationError("--direction must be LR, TB or auto") }
        if heat == nil && option != nil { throw ValidationError("--option needs --heat") }
        if heat != nil && overview { throw ValidationError("--heat colours states: it does not go with --overview") }
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
        let limit = OrganisationOverview.fullDiagramStateLimit
        // Refused before any layout starts: Graphviz cannot be interrupted once it has.
        if pathway.states.count > limit && !overview && !force && chosen != .dot {
            throw Failure("\(file): \(pathway.states.count) states: a full layout of more than \(limit) states can take Graphviz many minutes "
                          + "(a 2,048-state pathway took 9 minutes); draw --overview (one node per organisation, in seconds), write "
                          + "--format dot for another tool, or add --force to lay out every state anyway\n\(file): not rendered")
        }
        try Outputs.prepare([path])
        let overlay = try heat.map { try RenderHeat.overlay(run: $0, db: db, waiting: waiting, option: option, pathway: pathway, file: file) }
        var diagram = PathwayDiagram(pathway: pathway, overlay: overlay, direction: direction == "TB" ? .topToBottom : .leftToRight)
        let data: Data
        do throws(GraphvizError) {
            if overview {
                data = try OrganisationOverview(pathway: pathway, direction: diagram.direction).render(chosen)
            } else {
                if direction == "auto" { diagram.direction = try PathwayDiagram.screenDirection(diagram) }
                data = try diagram.render(chosen)
            }
        } catch {
            throw Failure("\(file): \(error)")
        }
        try Outputs.write(data, to: path)
        let drawn = diagram.direction == .topToBottom ? "top to bottom" : "left to right"
        let what = overview ? "overview by organisation" : "diagram"
        print("\(path): \(chosen.rawValue) \(what) of \(pathway.id) (\(pathway.organisations.count) organisations, \(pathway.states.count) states, \(drawn)\(overlay?.source.map { "; " + $0 } ?? ""))")
    }
}
