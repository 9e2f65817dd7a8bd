import CarePathFormat
import CarePathMetrics
import CarePathModel
@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The report of every shipped scenario, from a real (smaller) run: it parses, stays on the page,
/// holds the diagram with one cluster per organisation, and has every section in order.
final class ScenarioReportTests: XCTestCase {
    func testEveryShippedScenarioMakesACompleteSelfContainedReport() throws {
        let scenarios = try shippedScenarios()
        XCTAssertGreaterThanOrEqual(scenarios.count, 4, "the shipped scenarios are missing")
        for url in scenarios {
            let name = url.lastPathComponent
            let input = try Runs.input(url)
            let html = try HTMLReport.scenarioReport(input)
            let document = try ReportChecks.parse(html)

            XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"), name)
            XCTAssertTrue(html.contains("@media print"), "\(name): no print style")
            XCTAssertTrue(html.contains("<table class=\"sortable"), "\(name): no sortable table")
            ReportChecks.assertNoExternalReferences(html, name)

            // Every section, in order, each with its heading: the answer's open, the others' in the
            // summary of a part that folds away (open at first).
            let expected = HTMLReport.scenarioSectionIDs.filter { $0 != "comparison" || input.summary.variants.count > 1 }
            XCTAssertEqual(try ReportChecks.sectionIDs(document), expected, name)
            for id in expected {
                let path = id == "answer" ? "/*[local-name()='h2']" : "/*[local-name()='details'][@open]/*[local-name()='summary']/*[local-name()='h2']"
                let headings = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='\(id)']" + path)
                XCTAssertEqual(headings.count, 1, "\(name): section \(id) needs one h2")
            }
            XCTAssertEqual(input.summary.variants.count > 1, html.contains("<section id=\"comparison\""), name)

            // The Graphviz diagram, inline, in the diagram section: one cluster per organisation and the legend.
            let diagram = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='diagram']//*[local-name()='svg']")
            XCTAssertEqual(diagram.count, 1, "\(name): one inline SVG diagram")
            let clusters = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='diagram']//*[local-name()='g'][@class='cluster']/@id")
                .compactMap(\.stringValue)
            XCTAssertEqual(Set(clusters), Set(input.pathway.organisations.map { "org-" + $0.id } + ["legend"]), name)
            XCTAssertEqual(clusters.count, input.pathway.organisations.count + 1, name)
            // The overlay is painted: load and gap figures on the nodes.
            let diagramText = diagram.first?.xmlString ?? ""
            XCTAssertTrue(diagramText.contains("load "), "\(name): the diagram shows no load")
            XCTAssertTrue(diagramText.contains("role load (fill)"), "\(name): the legend explains no load colours")

            // Charts drawn by the project: accessible SVGs with a title and a description.
            let charts = try ReportChecks.nodes(document, "//*[local-name()='svg'][@class='chart-svg']")
            XCTAssertGreaterThanOrEqual(charts.count, 5, name)
            for chart in charts {
                guard let element = chart as? XMLElement else { continue }
                XCTAssertEqual(try element.nodes(forXPath: "@role").first?.stringValue, "img", name)
                XCTAssertFalse((try element.nodes(forXPath: "*[local-name()='title']")).isEmpty, "\(name): a chart without a title")
                XCTAssertFalse((try element.nodes(forXPath: "*[local-name()='desc']")).isEmpty, "\(name): a chart without a description")
            }
            let chartsText = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='charts']")).first?.stringValue ?? ""
            XCTAssertTrue(chartsText.contains("one replication"), "\(name): the queue chart must say it shows one replication")

            // The reproduce section names the seed, version, and the SHA-256 of both input files.
            let reproduce = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='reproduce']")).first?.stringValue ?? ""
            XCTAssertTrue(reproduce.contains(String(input.summary.seed)), name)
            XCTAssertTrue(reproduce.contains("CarePath \(ScenarioRunner.version)"), name)
            XCTAssertTrue(reproduce.contains(input.commandLine), name)
            XCTAssertEqual(input.inputs.count, 2)
            for file in input.inputs { XCTAssertTrue(reproduce.contains(file.sha256), "\(name): no hash of \(file.path)") }

            // The matrix of who needs what: a cell per role and item with the numbers written.
            let matrix = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='matrix']")).first?.stringValue ?? ""
            XCTAssertTrue(matrix.contains("per 100 patients"), name)
            XCTAssertTrue(matrix.contains("available"), name)

            // Equity: these scenarios all name a breakdown attribute, some several; one table per
            // breakdown and option, whose groups are that breakdown's only.
            XCTAssertFalse(input.scenario.breakdowns.isEmpty, name)
            XCTAssertFalse(html.contains("&lt;code&gt;"), "\(name): markup escaped twice")
            for b in input.scenario.breakdowns {
                let equity = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='equity']//*[local-name()='table'][*[local-name()='caption'][starts-with(., 'By \(b.attribute):')]]"))
                XCTAssertEqual(equity.count, input.summary.variants.count, "\(name): one equity table per option by \(b.attribute)")
                let groups = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='equity']//*[local-name()='table'][*[local-name()='caption'][starts-with(., 'By \(b.attribute):')]]//*[local-name()='tbody']/*[local-name()='tr']/*[local-name()='th']")
                XCTAssertFalse(groups.isEmpty, name)
                for g in groups { XCTAssertTrue(b.owns(group: g.stringValue ?? ""), "\(name): group '\(g.stringValue ?? "")' in the table by \(b.attribute)") }
            }

            // The register lists every annotation of the pathway, and each of the scenario's channels' once.
            let channels = Set(input.scenario.effectiveVariants.flatMap { v in v.settings.channels.flatMap { c, list in list.map { "\(c)\($0)" } } })
            let annotations = input.pathway.organisations.reduce(0) { $0 + $1.annotations.count + $1.roles.reduce(0) { $0 + $1.annotations.count } }
                + input.pathway.states.reduce(0) { $0 + $1.annotations.count + $1.next.reduce(0) { $0 + $1.annotations.count } }
                + input.pathway.information.reduce(0) { $0 + $1.annotations.count } + channels.count
            let paper = input.pathway.organisations.filter { $0.maturity == .paper }.count
            let registerRows = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='register']//*[local-name()='tbody']/*[local-name()='tr']")
            XCTAssertEqual(registerRows.count, annotations + paper, name)
        }
    }

    func testComparisonSectionShowsTradeOffsDifferencesAndBestOption() throws {
        let input = try Runs.discharge()
        let html = try HTMLReport.scenarioReport(input)
        let document = try ReportChecks.parse(html)
        let ids = try ReportChecks.sectionIDs(document)
        XCTAssertEqual(ids.firstIndex(of: "comparison"), ids.firstIndex(of: "headline").map { $0 + 1 }, "comparison comes right after headline")

        let table = "//*[local-name()='section'][@id='comparison']//*[local-name()='table'][contains(@class,'tradeoff')]"
        let headers = try ReportChecks.nodes(document, table + "/*[local-name()='thead']//*[local-name()='th']")
        XCTAssertEqual(headers.count, input.summary.variants.count + 1, "one column per option")
        let text = (try ReportChecks.nodes(document, table)).first?.stringValue ?? ""
        for row in ["Data gaps per patient", "Handoff delay", "Time in pathway", "Mean utilisation", "Most loaded role",
                    "Waiting between steps", "Interfaces needed", "Depends on a single service"] {
            XCTAssertTrue(text.contains(row), "the trade-off table has no row \(row)")
        }
        // A row per state that checks information: the social care assessment among them.
        XCTAssertTrue(text.contains("Gaps at each state"))
        XCTAssertFalse(try ReportChecks.nodes(document, table + "//*[contains(@class,'best')]").isEmpty, "no best option highlighted")

        // Interfaces: point-to-point counts pairs of organisations joined by handoffs; paper none.
        let builder = ReportBuilder(inputs: [input], comparison: false)
        let pairs = builder.exchangingPairs(input.pathway).count
        for o in builder.options {
            let n = builder.interfaces(o).count
            switch o.settings.architecture.option {
            case .pointToPoint: XCTAssertEqual(n, pairs)
            case .paper: XCTAssertEqual(n, 0)
            case .sharedRecord, .federatedQuery:
                XCTAssertEqual(n, input.pathway.organisations.filter { org in
                    org.maturity != .paper && org.connections.contains(o.settings.architecture.option.service!)
                }.count)
                XCTAssertNotNil(builder.singleServiceDependence(o))
            }
        }

        // Paired differences: one column per option after the first.
        let differences = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'differences')]/*[local-name()='thead']//*[local-name()='th']")
        XCTAssertEqual(differences.count, input.summary.variants.count)
    }

    func testReportIsDeterministicWhateverTheThreads() throws {
        let url = packageRoot.appendingPathComponent("Scenarios/end-of-life.yaml")
        let a = try HTMLReport.scenarioReport(try Runs.input(url, patients: 200, threads: 1))
        let b = try HTMLReport.scenarioReport(try Runs.input(url, patients: 200, threads: 2))
        XCTAssertEqual(a, b, "the same inputs must give the same report")
        let input = try Runs.discharge()
        XCTAssertEqual(try HTMLReport.scenarioReport(input), try HTMLReport.scenarioReport(input))
    }

    func testScenarioWithoutBreakdownOrVariantsSaysSo() throws {
        var input = try Runs.input(packageRoot.appendingPathComponent("Scenarios/frailty-fall.yaml"))
        input.scenario.breakdown = nil
        input.scenario.variants = []
        input.summary.variants = [input.summary.variants[0]]
        let html = try HTMLReport.scenarioReport(input)
        let document = try ReportChecks.parse(html)
        XCTAssertEqual(try ReportChecks.sectionIDs(document), HTMLReport.scenarioSectionIDs.filter { $0 != "comparison" })
        let equity = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='equity']")).first?.stringValue ?? ""
        XCTAssertTrue(equity.contains("no breakdown"), equity)
    }

    /// A bank holiday file changes the results: the reproduce section lists it with its hash, and
    /// says which dates the run used, so a changed copy shows.
    func testReproduceListsTheBankHolidayFileAndTheDatesUsed() throws {
        var input = try Runs.discharge()
        let holidays = InputFile(path: "Scenarios/calendars/england-bank-holidays.yaml",
                                 text: "bank-holidays:\n  2024-12-25: Christmas Day\n  2025-04-18: Good Friday\n  2025-12-25: Christmas Day\n")
        input.inputs.append(holidays)
        input.scenario.settings.calendar = ScenarioCalendar(start: CivilDate("2025-01-06"),
                                                            bankHolidays: ["2025-12-25", "2024-12-25", "2025-04-18"].compactMap { CivilDate($0) })
        let document = try ReportChecks.parse(try HTMLReport.scenarioReport(input))
        let reproduce = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='reproduce']")).first?.stringValue ?? ""
        XCTAssertTrue(reproduce.contains(holidays.path) && reproduce.contains(holidays.sha256), reproduce)
        XCTAssertTrue(reproduce.contains("sha256sum Scenarios/discharge-architectures.yaml Pathways/discharge-to-assess.yaml \(holidays.path)"), reproduce)
        XCTAssertTrue(reproduce.contains("time 0 is Monday 2025-01-06; 2 bank holidays from then on, 2025-04-18 to 2025-12-25"), reproduce)

        let plain = (try ReportChecks.nodes(try ReportChecks.parse(try HTMLReport.scenarioReport(try Runs.discharge())),
                                            "//*[local-name()='section'][@id='reproduce']")).first?.stringValue ?? ""
        XCTAssertFalse(plain.contains("Calendar"), "no calendar line for a scenario without a calendar")
    }
}
