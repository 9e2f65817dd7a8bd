import CarePathFormat
import CarePathMetrics
import CarePathModel
@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Model strings are text, never markup: a pathway and scenario whose every name, title, note,
/// id and condition holds `<script>`, quotes and an attribute break-out render as escaped text,
/// in the HTML, in its attributes and inside the Graphviz SVG.
final class EscapingTests: XCTestCase {
    static let evil = "<script>alert(1)</script> \"double\" 'single' & co"
    static let breakout = "\" onmouseover=\"alert(2)\" x=\""

    static func hostileInput() throws -> ReportInput {
        let evil = Self.evil, breakout = Self.breakout
        let assessID = "assess<script>alert(1)</script>"
        let acute = Organisation(
            id: "acute", name: "Hospital " + evil, sector: .acute, maturity: .integrated, connections: [.messaging, .sharedRecord],
            roles: [Role(id: "ward", organisation: "acute", title: "Ward " + evil + breakout, capacity: 6,
                         annotations: [Annotation(concern: .workforce, note: "Role note " + evil)])],
            annotations: [Annotation(concern: .liabilityFear, note: "Org note " + evil + breakout, underRecording: 0.1)])
        let council = Organisation(
            id: "council", name: "Council " + breakout, sector: .socialCare, maturity: .basic, connections: [.messaging, .sharedRecord],
            roles: [Role(id: "social-worker", organisation: "council", title: "Social worker " + evil, capacity: 3)])
        let home = Organisation(
            id: "carehome", name: "Care home " + evil, sector: .careHome, maturity: .paper,
            roles: [Role(id: "staff", organisation: "carehome", capacity: 4)])
        let states = [
            State(id: "stay", title: "Stay " + evil, owner: RoleReference(organisation: "acute", role: "ward"),
                  duration: .exponential(mean: 24), produces: ["summary"],
                  next: [
                    Transition(to: assessID, condition: try Condition.parse("age < 80"),
                               annotations: [Annotation(concern: .differentSpeeds, note: "Handoff note " + evil)]),
                    Transition(to: "care", probability: 0.3),
                    Transition(to: "home"),
                  ]),
            State(id: assessID, title: "Assessment " + breakout, owner: RoleReference(organisation: "council", role: "social-worker"),
                  duration: .triangular(min: 1, mode: 2, max: 4), needs: ["summary"], produces: ["assessment"],
                  onGap: .chase(.exponential(mean: 4)),
                  next: [Transition(to: "care", probability: 0.5), Transition(to: "home")],
                  annotations: [Annotation(concern: .dataOverload, note: "State note " + evil)]),
            State(id: "care", title: "Care " + evil, owner: RoleReference(organisation: "carehome", role: "staff"),
                  duration: .fixed(48), needs: ["summary", "assessment"], next: [Transition(to: "home")]),
            State(id: "home", title: "Home " + evil, owner: nil, isTerminal: true),
        ]
        let pathway = Pathway(
            id: "evil", title: "Pathway " + evil, description: "Description " + evil + breakout,
            attributes: [PatientAttribute(name: "age", type: .number)],
            organisations: [acute, council, home],
            information: [InformationItem(id: "summary", title: "Summary " + evil, category: .health),
                          InformationItem(id: "assessment", title: "Assessment " + breakout, category: .socialCare)],
            states: states, start: "stay")
        var shared = ScenarioSettings(architecture: Architecture(option: .sharedRecord))
        shared.capacities = [RoleReference(organisation: "council", role: "social-worker"): 4]
        let scenario = Scenario(
            id: "evil-scenario", title: "Title " + evil, question: "Question " + evil + breakout, pathwayFile: "evil.yaml",
            cohort: Cohort(size: .patients(150), arrivals: .poisson(ratePerHour: 0.5),
                           attributes: ["age": .numeric(.normal(mean: 80, sd: 8))]),
            replications: 2, seed: 7,
            variants: [Variant(name: "p2p " + evil, title: "Messages " + breakout, settings: ScenarioSettings()),
                       Variant(name: "shared " + breakout, title: "Shared " + evil, settings: shared)],
            breakdown: Breakdown(attribute: "age", cuts: [80]))
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 2, threads: 2))
        return ReportInput(scenario: scenario, pathway: pathway, summary: summary,
                           inputs: [InputFile(path: "Scenarios/" + evil + ".yaml", text: "scenario: " + evil),
                                    InputFile(path: "Pathways/" + breakout + ".yaml", text: "pathway: " + breakout)],
                           commandLine: "carepath simulate '" + evil + "' --report",
                           generatedBy: "CarePath " + evil)
    }

    func assertSafe(_ html: String, _ name: String) throws {
        XCTAssertFalse(html.contains("<script>alert"), "\(name): raw script from the model")
        XCTAssertFalse(html.contains("onmouseover=\"alert"), "\(name): an attribute broke out")
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "\(name): only the report's own script")
        let document = try ReportChecks.parse(html)
        // No event-handler attribute anywhere: the break-out string stayed inside its attribute.
        XCTAssertTrue(try ReportChecks.nodes(document, "//@*[starts-with(local-name(), 'on')]").isEmpty, name)
        // Only the report's own script element.
        XCTAssertEqual(try ReportChecks.nodes(document, "//*[local-name()='script']").count, 1, name)
        // The hostile text is there, as text.
        let text = document.rootElement()?.stringValue ?? ""
        XCTAssertTrue(text.contains("<script>alert(1)</script>"), "\(name): the names should show as text")
        ReportChecks.assertNoExternalReferences(html, name)
    }

    func testHostileNamesRenderAsTextEverywhere() throws {
        let input = try Self.hostileInput()
        let html = try HTMLReport.scenarioReport(input)
        try assertSafe(html, "scenario report")

        // Inside the Graphviz SVG too: the names are escaped there and read back as text.
        let document = try ReportChecks.parse(html)
        let svgs = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='diagram']//*[local-name()='svg']")
        XCTAssertEqual(svgs.count, 1)
        let svgText = svgs.first?.stringValue ?? ""
        XCTAssertTrue(svgText.contains("Hospital <script>alert(1)</script>"), "the organisation's name is in the diagram as text")
        XCTAssertTrue(svgText.contains("Stay <script>alert(1)</script>"), "the state's title is in the diagram as text")
        let start = html.range(of: "<svg", range: html.range(of: "<section id=\"diagram\"")!.upperBound..<html.endIndex)!
        let end = html.range(of: "</svg>", range: start.upperBound..<html.endIndex)!
        let svg = String(html[start.lowerBound..<end.upperBound])
        XCTAssertFalse(svg.contains("<script"), "raw script inside the SVG")
        XCTAssertTrue(svg.contains("&lt;script&gt;"), "escaped names inside the SVG")
        // One cluster per organisation even with hostile names.
        XCTAssertEqual(try ReportChecks.nodes(document, "//*[local-name()='g'][@class='cluster']").count, 4)

        // Every section is still there, and the text of each kind of model string shows.
        XCTAssertEqual(try ReportChecks.sectionIDs(document), HTMLReport.scenarioSectionIDs)
        let text = document.rootElement()?.stringValue ?? ""
        for fragment in ["Question <script>", "Role note <script>", "Handoff note <script>", "State note <script>",
                         "Org note <script>", "age < 80", "<80", ">=80", "Pathways/\" onmouseover", "carepath simulate '<script>"] {
            XCTAssertTrue(text.contains(fragment), "missing as text: \(fragment)")
        }
    }

    func testHostileNamesInTheComparisonReport() throws {
        let input = try Self.hostileInput()
        var other = input
        other.scenario.id = "other " + Self.breakout
        let html = try HTMLReport.comparisonReport([input, other])
        try assertSafe(html, "comparison report")
    }

    func testEscapeCoversMarkupQuotesAndXMLForbiddenCharacters() {
        XCTAssertEqual(HTML.escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        XCTAssertEqual(HTML.escape("bell\u{07}nul\u{0}tab\t"), "bell\u{FFFD}nul\u{FFFD}tab\t")
        let name = "<b>"
        let html: HTML = "<p title=\"\(name)\">\(name)</p>"
        XCTAssertEqual(html.markup, "<p title=\"&lt;b&gt;\">&lt;b&gt;</p>")
    }
}
