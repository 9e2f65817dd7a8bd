import CarePathModel
@testable import CarePathRender
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Rendering through the real libgvc.
final class GraphvizRendererTests: XCTestCase {
    private func svg(_ diagram: PathwayDiagram) throws -> String {
        let data = try diagram.render(.svg)
        return try XCTUnwrap(String(data: data, encoding: .utf8))
    }

    func testSVGHasOneClusterPerOrganisationPlusTheLegend() throws {
        let pathway = try Fixtures.pathway()
        let text = try svg(PathwayDiagram(pathway: pathway))
        XCTAssertTrue(text.hasPrefix("<?xml"), String(text.prefix(80)))
        // Three organisations, and the legend, which is itself a cluster.
        XCTAssertEqual(text.occurrences(of: #"class="cluster""#), pathway.organisations.count + 1)
        XCTAssertEqual(text.occurrences(of: "<title>cluster_legend</title>"), 1)
        for i in pathway.organisations.indices { XCTAssertEqual(text.occurrences(of: "<title>cluster_\(i)</title>"), 1) }

        let noLegend = try svg(PathwayDiagram(pathway: pathway, showLegend: false))
        XCTAssertEqual(noLegend.occurrences(of: #"class="cluster""#), pathway.organisations.count)
    }

    func testSVGShowsLabelsAndNames() throws {
        let text = try svg(PathwayDiagram(pathway: try Fixtures.pathway()))
        for label in ["Inpatient stay", "Discharge planning", "Social care assessment", "GP medication review",
                      "Home", "Care home", "Ward team", "lognormal mean 6d, sd 4d",
                      "City General Hospital", "City Council Adult Social Care", "Riverside Practice",
                      "if age &gt;= 85 and lives_alone", "sends Discharge summary", "Legend"] {
            XCTAssertTrue(text.contains(">" + label + "<"), "missing \(label)")
        }
        // Stable element ids for reports (Graphviz writes '-' as &#45; inside attributes).
        XCTAssertTrue(text.contains(#"<g id="state&#45;inpatient&#45;stay" class="node">"#))
        XCTAssertTrue(text.contains(#"<g id="org&#45;acute" class="cluster">"#))
    }

    func testHostileNameIsEscapedInSVG() throws {
        let text = try svg(PathwayDiagram(pathway: try Fixtures.pathway(organisationName: Fixtures.hostileName)))
        XCTAssertFalse(text.contains("<script"), "raw script tag in SVG")
        XCTAssertTrue(text.contains(">Care &lt;script&gt;&quot;&amp; Co<"))
        XCTAssertNotNil(try? XMLDocument(xmlString: text), "SVG is not well-formed XML")
    }

    /// Graphviz would read `\N`, `\G`, `\L`, `\E`, `\H` and `\T` as the names of the node, the
    /// graph, the edge's label and ends: in titles, names and tooltips they stay as written.
    func testGraphvizEscapesInModelTextAreShownNotExpanded() throws {
        let escapes = #"\N \G \L \E \H \T"#
        var p = try Fixtures.pathway(organisationName: "City " + escapes)
        p.title = "Title " + escapes
        for i in p.states.indices where p.states[i].id == "gp-review" { p.states[i].title = "Review " + escapes }
        let text = try svg(PathwayDiagram(pathway: p))
        XCTAssertTrue(text.contains(">Title " + escapes + "<"), "the graph's title")
        XCTAssertTrue(text.contains(">City " + escapes + "<"), "an organisation's name")
        XCTAssertTrue(text.contains(">Review " + escapes + "<"), "a state's title in its label")
        XCTAssertTrue(text.contains("xlink:title=\"Review " + escapes), "a state's title in its tooltip")
        XCTAssertTrue(text.contains(" → Review " + escapes + "\""), "an edge's tooltip")
        XCTAssertFalse(text.contains(">Title \\N carepath"), text)
        XCTAssertFalse(text.contains("&lt;FONT"), "an edge's label markup leaked into a tooltip through \\L")
    }

    func testHostileStateIDsAndTitlesRoundTrip() throws {
        var p = try Fixtures.pathway()
        let weird = "gp\"review\\x\ny"
        for i in p.states.indices {
            if p.states[i].id == "gp-review" {
                p.states[i].id = weird
                p.states[i].title = #"Back\slash & "quotes" <b>"#
            }
            for j in p.states[i].next.indices where p.states[i].next[j].to == "gp-review" { p.states[i].next[j].to = weird }
        }
        let text = try svg(PathwayDiagram(pathway: p))
        // The title is shown exactly once as text, backslash intact, markup escaped.
        XCTAssertEqual(text.occurrences(of: #">Back\slash &amp; &quot;quotes&quot; &lt;b&gt;<"#), 1)
        XCTAssertFalse(text.contains("<b>"))
        XCTAssertNotNil(try? XMLDocument(xmlString: text), "SVG is not well-formed XML")
    }

    func testInlineSVGStartsAtTheSVGElement() throws {
        let inline = try GraphvizRenderer().inlineSVG(dot: PathwayDiagram(pathway: try Fixtures.pathway()).dotText)
        XCTAssertTrue(inline.hasPrefix("<svg"), String(inline.prefix(40)))
        XCTAssertFalse(inline.contains("<!DOCTYPE"))
        XCTAssertTrue(inline.hasSuffix("</svg>\n"))
    }

    func testPNGHasThePNGSignature() throws {
        let data = try PathwayDiagram(pathway: try Fixtures.pathway()).render(.png)
        XCTAssertGreaterThan(data.count, 1000)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testDOTFormatIsTheDiagramTextItself() throws {
        let diagram = PathwayDiagram(pathway: try Fixtures.pathway())
        XCTAssertEqual(try diagram.render(.dot), Data(diagram.dotText.utf8))
    }

    func testSyntaxErrorThrowsWithGraphvizMessageAndTheNextRenderWorks() throws {
        let renderer = GraphvizRenderer()
        XCTAssertThrowsError(try renderer.render(dot: "digraph { a -> ; }", format: .svg)) { error in
            guard let error = error as? GraphvizError else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(error.stage, .parse)
            XCTAssertTrue(error.message.contains("syntax error"), error.message)
            XCTAssertTrue(error.description.contains("syntax error"), error.description)
        }
        // cgraph's parser state is global: a failed parse must not poison the next one.
        let ok = try renderer.svg(dot: "digraph { a -> b; }")
        XCTAssertTrue(ok.contains("<title>a&#45;&gt;b</title>"), ok)
    }

    func testEmptyTextAndUnknownEngineThrow() throws {
        XCTAssertThrowsError(try GraphvizRenderer().render(dot: "", format: .svg)) { error in
            guard let error = error as? GraphvizError else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(error.stage, .parse)
            XCTAssertFalse(error.message.isEmpty)
        }
        XCTAssertThrowsError(try GraphvizRenderer(layoutEngine: "no-such-engine").render(dot: "digraph { a }", format: .png)) { error in
            guard let error = error as? GraphvizError else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(error.stage, .layout)
            XCTAssertTrue(error.message.contains("no-such-engine"), error.message)
        }
    }

    func testRenderingIsDeterministic() throws {
        let overlay = DiagramOverlay(roleLoad: [RoleReference(organisation: "acute", role: "ward"): 0.8],
                                     stateGapRate: ["social-care-assessment": 0.3])
        let a = PathwayDiagram(pathway: try Fixtures.pathway(), overlay: overlay)
        let b = PathwayDiagram(pathway: try Fixtures.pathway(), overlay: overlay)
        let firstSVG = try a.render(.svg)
        // Other graphs in between change what malloc returns; with cgraph's default ID
        // discipline (IDs = name addresses) that reordered the clusters of the next render.
        for size in [3, 40, 7] {
            let other = (0..<size).map { "\"x\($0)\" -> \"y\($0 * 7)\";" }.joined(separator: " ")
            _ = try GraphvizRenderer().render(dot: "digraph { subgraph cluster_z { \(other) } }", format: .svg)
            _ = try? GraphvizRenderer().render(dot: "digraph { \(other)", format: .svg)
        }
        XCTAssertEqual(firstSVG, try b.render(.svg))
        XCTAssertEqual(try a.render(.png), try b.render(.png))
        XCTAssertEqual(try a.render(.dot), try b.render(.dot))

        // Clusters come out in the order they were written.
        let svg = try XCTUnwrap(String(data: firstSVG, encoding: .utf8))
        let titles = svg.components(separatedBy: "<title>cluster_").dropFirst().compactMap { $0.components(separatedBy: "<").first }
        XCTAssertEqual(titles, ["0", "1", "2", "legend"])
    }

    func testConcurrentRendersAreSerialisedAndAgree() throws {
        let diagram = PathwayDiagram(pathway: try Fixtures.pathway(), direction: .topToBottom)
        let expected = try diagram.render(.svg)
        let results = Results(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            // Mix in failures: they share cgraph's error state with the successful renders.
            if i % 4 == 3 { results.set(i, try? GraphvizRenderer().render(dot: "digraph {", format: .svg)); return }
            results.set(i, try? diagram.render(.svg))
        }
        for i in 0..<8 {
            if i % 4 == 3 { XCTAssertNil(results.get(i)) } else { XCTAssertEqual(results.get(i), expected, "render \(i)") }
        }
    }
}

/// Results written from concurrent closures.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Data?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Data?) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> Data? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
