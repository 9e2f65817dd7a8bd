import ArgumentParser
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Draw a pathway as a Graphviz diagram (SVG, PNG or DOT).")
    @Argument(help: "A pathway file.") var file: String
    func run() throws { throw Failure("render: not yet wired") }
}
