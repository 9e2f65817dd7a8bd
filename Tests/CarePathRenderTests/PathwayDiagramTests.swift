import CarePathModel
@testable import CarePathRender
import XCTest

/// The diagram's DOT structure, without Graphviz.
final class PathwayDiagramTests: XCTestCase {
    private func clusters(_ g: DOTGraph) -> [DOTSubgraph] {
        g.statements.compactMap { if case .subgraph(let s) = $0 { s } else { nil } }
    }

    private func nodeIDs(_ statements: [DOTStatement]) -> [String] {
        statements.compactMap { if case .node(let n) = $0 { n.id } else { nil } }
    }

    private func node(_ g: DOTGraph, _ id: String) -> DOTNode? {
        func search(_ statements: [DOTStatement]) -> DOTNode? {
            for s in statements {
                switch s {
                case .node(let n) where n.id == id: return n
                case .subgraph(let sub): if let n = search(sub.statements) { return n }
                default: continue
                }
            }
            return nil
        }
        return search(g.statements)
    }

    private func html(_ value: DOTValue?) -> String {
        if case .html(let label)? = value { return label.markup }
        return ""
    }

    func testOneClusterPerOrganisationThenTheLegend() throws {
        let g = PathwayDiagram(pathway: try Fixtures.pathway()).graph()
        let subgraphs = clusters(g)
        XCTAssertEqual(subgraphs.map(\.name), ["cluster_0", "cluster_1", "cluster_2", "cluster_legend"])
        XCTAssertEqual(nodeIDs(subgraphs[0].statements), ["state:inpatient-stay", "state:discharge-planning"])
        XCTAssertEqual(nodeIDs(subgraphs[1].statements), ["state:social-care-assessment"])
        XCTAssertEqual(nodeIDs(subgraphs[2].statements), ["state:gp-review"])
        // Name, sector and maturity in the cluster label.
        let acute = html(subgraphs[0].attributes["label"])
        XCTAssertTrue(acute.contains("City General Hospital"), acute)
        XCTAssertTrue(acute.contains("acute · integrated"), acute)
        XCTAssertTrue(html(subgraphs[2].attributes["label"]).contains("primary · paper"))
        XCTAssertEqual(subgraphs[1].attributes["id"], "org-council")
    }

    func testTerminalStatesWithoutOwnerSitOutsideClustersWithTheirOwnShape() throws {
        let g = PathwayDiagram(pathway: try Fixtures.pathway()).graph()
        let topLevel = nodeIDs(g.statements)
        XCTAssertTrue(topLevel.contains("state:home"))
        XCTAssertTrue(topLevel.contains("state:care-home"))
        XCTAssertEqual(node(g, "state:home")?.attributes["shape"], "doubleoctagon")
        XCTAssertEqual(node(g, "state:inpatient-stay")?.attributes["shape"], "box")
        for cluster in clusters(g) { XCTAssertFalse(nodeIDs(cluster.statements).contains("state:home")) }
    }

    func testStartIsMarked() throws {
        let dot = PathwayDiagram(pathway: try Fixtures.pathway()).dotText
        XCTAssertTrue(dot.contains("\"start\" -> \"state:inpatient-stay\""), dot)
    }

    func testNodeLabelsShowTitleRoleAndDuration() throws {
        let g = PathwayDiagram(pathway: try Fixtures.pathway()).graph()
        let stay = html(node(g, "state:inpatient-stay")?.attributes["label"])
        XCTAssertTrue(stay.contains("<B>Inpatient stay</B>"), stay)
        XCTAssertTrue(stay.contains("Ward team"), stay)
        XCTAssertTrue(stay.contains("lognormal mean 6d, sd 4d"), stay)
        XCTAssertTrue(html(node(g, "state:discharge-planning")?.attributes["label"]).contains("triangular 1h, 2h, 4h"))
        XCTAssertTrue(html(node(g, "state:gp-review")?.attributes["label"]).contains("fixed 30m"))
        // A role without a title shows its id.
        XCTAssertTrue(html(node(g, "state:gp-review")?.attributes["label"]).contains(">gp<"))
    }

    func testCrossOrganisationHandoffsAreStyledApartAndLabelled() throws {
        let dot = PathwayDiagram(pathway: try Fixtures.pathway()).dotText
        let cross = try XCTUnwrap(dot.edgeLine(from: "inpatient-stay", to: "social-care-assessment"))
        let internalEdge = try XCTUnwrap(dot.edgeLine(from: "inpatient-stay", to: "discharge-planning"))
        let exit = try XCTUnwrap(dot.edgeLine(from: "inpatient-stay", to: "home"))

        XCTAssertTrue(cross.contains(#"style="bold""#), cross)
        XCTAssertTrue(cross.contains("color=\"\(Style.crossOrganisation)\""), cross)
        XCTAssertTrue(internalEdge.contains(#"style="solid""#), internalEdge)
        XCTAssertTrue(exit.contains(#"style="dashed""#), exit)
        XCTAssertFalse(internalEdge.contains(Style.crossOrganisation))

        // Condition text (escaped for HTML) and the items that travel.
        XCTAssertTrue(cross.contains("if age &gt;= 85 and lives_alone"), cross)
        XCTAssertTrue(cross.contains("sends Discharge summary"), cross)
        XCTAssertTrue(internalEdge.contains("label=<30%>"), internalEdge)
        XCTAssertTrue(exit.contains("label=<otherwise>"), exit)

        // Explicit `carries` wins over what the source produces.
        let toGP = try XCTUnwrap(dot.edgeLine(from: "discharge-planning", to: "gp-review"))
        XCTAssertTrue(toGP.contains("50%"), toGP)
        XCTAssertTrue(toGP.contains("sends Discharge summary, Medication list"), toGP)
    }

    func testHostileOrganisationNameIsEscapedInDOT() throws {
        let dot = PathwayDiagram(pathway: try Fixtures.pathway(organisationName: Fixtures.hostileName)).dotText
        XCTAssertTrue(dot.contains("Care &lt;script&gt;&quot;&amp; Co"), dot)
        XCTAssertFalse(dot.contains("<script>"))
        XCTAssertFalse(dot.contains(Fixtures.hostileName))
    }

    func testHostileStateIDsAreQuotedEverywhere() throws {
        var p = try Fixtures.pathway()
        let weird = "gp\"review\\x\ny"
        for i in p.states.indices {
            if p.states[i].id == "gp-review" { p.states[i].id = weird }
            for j in p.states[i].next.indices where p.states[i].next[j].to == "gp-review" { p.states[i].next[j].to = weird }
        }
        let dot = PathwayDiagram(pathway: p).dotText
        XCTAssertTrue(dot.contains(#""state:gp\"review\\x\ny" ["#), dot)
        XCTAssertTrue(dot.contains(#"-> "state:gp\"review\\x\ny" ["#), dot)
    }

    func testOverlayColoursNodesAndAddsScalesToTheLegend() throws {
        let pathway = try Fixtures.pathway()
        let overlay = DiagramOverlay(
            roleLoad: [RoleReference(organisation: "acute", role: "ward"): 0.92,
                       RoleReference(organisation: "council", role: "social-worker"): 0.5,
                       RoleReference(organisation: "gp", role: "gp"): .nan],
            stateGapRate: ["social-care-assessment": 0.35, "discharge-planning": 7])
        let g = PathwayDiagram(pathway: pathway, overlay: overlay).graph()

        let stay = try XCTUnwrap(node(g, "state:inpatient-stay"))
        XCTAssertEqual(stay.attributes["fillcolor"], .string(Style.loadPalette[4]))
        XCTAssertTrue(html(stay.attributes["label"]).contains("load 92%"))
        XCTAssertTrue(html(stay.attributes["label"]).contains(##"COLOR="#ffffff""##), "white text on a dark fill")

        let assessment = try XCTUnwrap(node(g, "state:social-care-assessment"))
        XCTAssertEqual(assessment.attributes["fillcolor"], .string(Style.loadPalette[2]))
        XCTAssertEqual(assessment.attributes["color"], .string(Style.gapPalette[1]))
        XCTAssertTrue(html(assessment.attributes["label"]).contains("load 50% · gaps 35%"))

        // Out-of-range figures are clamped; NaN is "no data".
        XCTAssertTrue(html(node(g, "state:discharge-planning")?.attributes["label"]).contains("gaps 100%"))
        XCTAssertEqual(node(g, "state:gp-review")?.attributes["fillcolor"], .string(Style.nodeFill))

        let legendWith = html(node(g, "legend:colours")?.attributes["label"])
        XCTAssertTrue(legendWith.contains("role load"), legendWith)
        XCTAssertTrue(legendWith.contains("data gaps"), legendWith)
        for colour in Style.loadPalette + Style.gapPalette { XCTAssertTrue(legendWith.contains(colour), colour) }

        let plain = PathwayDiagram(pathway: pathway).graph()
        XCTAssertFalse(html(node(plain, "legend:colours")?.attributes["label"]).contains("role load"))
        XCTAssertEqual(node(plain, "state:inpatient-stay")?.attributes["fillcolor"], .string(Style.nodeFill))
    }

    func testDOTIsDeterministic() throws {
        let overlay = DiagramOverlay(roleLoad: [RoleReference(organisation: "acute", role: "ward"): 0.4,
                                                RoleReference(organisation: "gp", role: "gp"): 0.9],
                                     stateGapRate: ["gp-review": 0.2, "inpatient-stay": 0.1])
        let a = PathwayDiagram(pathway: try Fixtures.pathway(), overlay: overlay).dotText
        let b = PathwayDiagram(pathway: try Fixtures.pathway(), overlay: overlay).dotText
        XCTAssertEqual(a, b)
    }

    func testLayoutDirectionAndLegendCanBeChosen() throws {
        let g = PathwayDiagram(pathway: try Fixtures.pathway(), direction: .topToBottom, showLegend: false).graph()
        XCTAssertEqual(g.attributes["rankdir"], "TB")
        XCTAssertFalse(clusters(g).contains { $0.name == PathwayDiagram.legendClusterID })
    }

    func testUncheckedPathwaysStillDraw() throws {
        var p = try Fixtures.pathway()
        p.states[0].next.insert(Transition(to: "nowhere", probability: 0.1), at: 0)
        p.states[1].duration = .fixed(.infinity)
        p.organisations.append(Organisation(id: "hospice", name: "Hospice", sector: .hospice, maturity: .basic))
        let g = PathwayDiagram(pathway: p).graph()
        XCTAssertTrue(html(node(g, "state:nowhere")?.attributes["label"]).contains("no such state"))
        XCTAssertTrue(html(node(g, "state:discharge-planning")?.attributes["label"]).contains("fixed ?"))
        // An organisation without states keeps its cluster (Graphviz would drop an empty one).
        let hospice = try XCTUnwrap(clusters(g).first { $0.name == "cluster_3" })
        XCTAssertEqual(nodeIDs(hospice.statements).count, 1)
    }

    func testDurationAndPercentText() {
        XCTAssertEqual(DiagramText.percent(0.7), "70%")
        XCTAssertEqual(DiagramText.percent(0.125), "12.5%")
        XCTAssertEqual(DiagramText.percent(1.0 / 3), "33.3%")
        XCTAssertEqual(DiagramText.distribution(.exponential(mean: 4)), "exponential mean 4h")
        XCTAssertEqual(DiagramText.distribution(.uniform(min: 1, max: 3)), "uniform 1h to 3h")
        XCTAssertEqual(DiagramText.distribution(.gamma(shape: 2, scale: 3)), "gamma mean 6h")
        XCTAssertEqual(DiagramText.duration(.nan), "?")
        XCTAssertEqual(DiagramText.duration(1e300), "1e+300h")
    }
}
