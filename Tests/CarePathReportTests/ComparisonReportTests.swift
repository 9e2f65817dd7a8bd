import CarePathFormat
import CarePathMetrics
import CarePathModel
@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `carepath compare A.yaml B.yaml`: separate scenarios on the same pathway, side by side.
final class ComparisonReportTests: XCTestCase {
    /// The discharge scenario, and a second scenario on the same pathway with more social workers
    /// and only two options, run for real.
    func twoScenarios() throws -> [ReportInput] {
        let first = try Runs.discharge()
        var (scenario, pathway, _) = try ScenarioFile.load(packageRoot.appendingPathComponent("Scenarios/discharge-architectures.yaml"))
        scenario.id = "discharge-more-social-workers"
        scenario.title = "Discharge to assess with two more social workers"
        scenario.cohort.size = .patients(300)
        scenario.warmUp = .fraction(0.1)
        scenario.variants = Array(scenario.variants.prefix(2)).map { v in
            var v = v
            v.settings.capacities[RoleReference(organisation: "council", role: "social-worker")] = 14
            return v
        }
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 2, threads: 2))
        var second = first
        second.scenario = scenario
        second.pathway = pathway
        second.summary = summary
        return [first, second]
    }

    func testComparisonReportOfTwoScenarios() throws {
        let inputs = try twoScenarios()
        let html = try HTMLReport.comparisonReport(inputs)
        let document = try ReportChecks.parse(html)
        ReportChecks.assertNoExternalReferences(html, "comparison")
        XCTAssertEqual(try ReportChecks.sectionIDs(document), HTMLReport.comparisonSectionIDs)

        let options = inputs.reduce(0) { $0 + $1.summary.variants.count }
        let table = "//*[local-name()='table'][contains(@class,'tradeoff')]"
        let headers = try ReportChecks.nodes(document, table + "/*[local-name()='thead']//*[local-name()='th']")
        XCTAssertEqual(headers.count, options + 1, "every option of both scenarios side by side")
        let headerText = headers.compactMap(\.stringValue).joined(separator: " | ")
        XCTAssertTrue(headerText.contains("discharge-architectures: paper"), headerText)
        XCTAssertTrue(headerText.contains("discharge-more-social-workers: shared-record"), headerText)

        // Paired differences only within a scenario: the first options of each are baselines.
        let differences = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'differences')]/*[local-name()='thead']//*[local-name()='th']")
        XCTAssertEqual(differences.count, 1 + options - inputs.count)
        // The capacity change shows as an assumption of the second scenario.
        let question = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='question']")).first?.stringValue ?? ""
        XCTAssertTrue(question.contains("council/social-worker: 14"), question)
        // Both scenarios' inputs and commands in the reproduce section.
        let reproduce = (try ReportChecks.nodes(document, "//*[local-name()='section'][@id='reproduce']")).first?.stringValue ?? ""
        XCTAssertTrue(reproduce.contains(inputs[0].inputs[0].sha256))
        XCTAssertEqual(try HTMLReport.comparisonReport(inputs), html, "deterministic")
    }

    func testTheSameScenarioTwiceGetsDistinctColumns() throws {
        let input = try Runs.discharge()
        let document = try ReportChecks.parse(try HTMLReport.comparisonReport([input, input]))
        let headers = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'tradeoff')]/*[local-name()='thead']//*[local-name()='th']")
            .compactMap(\.stringValue)
        XCTAssertEqual(Set(headers).count, headers.count, "column labels must be unique: \(headers)")
    }

    func testComparisonNeedsAScenario() {
        XCTAssertThrowsError(try HTMLReport.comparisonReport([]))
    }
}

/// The chart module on its own: well-formed, accessible SVG for awkward data.
final class ChartTests: XCTestCase {
    func parse(_ svg: HTML) throws -> XMLDocument {
        try XMLDocument(data: Data(svg.markup.utf8), options: [])
    }

    func testBarChartsWithNegativeValuesErrorsAndMissingValues() throws {
        for horizontal in [false, true] {
            let chart = BarChart(title: "Differences <b>", description: "A test & more",
                                 categories: ["a very long category name that needs truncating in the chart", "b", "c"],
                                 series: [BarSeries(name: "one", values: [-1.5, 2, nil], errors: [0.5, nil, 1]),
                                          BarSeries(name: "two \"quoted\"", values: [0, .nan, 3], errors: [])],
                                 valueAxis: "value", categoryAxis: "category", horizontal: horizontal, lowerBound: nil)
            let ids = IDMaker()
            let svg = chart.svg(ids: ids)
            let document = try parse(svg)
            let root = try XCTUnwrap(document.rootElement())
            XCTAssertEqual(root.name, "svg")
            XCTAssertEqual(try root.nodes(forXPath: "@aria-labelledby").first?.stringValue, "chart-1-title chart-1-desc")
            XCTAssertEqual(try root.nodes(forXPath: "*[local-name()='title']").first?.stringValue, "Differences <b>")
            // Four bars drawn (the nil and the NaN are skipped), one error bar (the other interval's bar is missing).
            XCTAssertEqual(try root.nodes(forXPath: "//*[local-name()='rect'][*[local-name()='title']]").count, 4)
            XCTAssertEqual(try root.nodes(forXPath: "//*[local-name()='path']").count, 1)
            XCTAssertFalse(svg.markup.contains("nan"), "no NaN coordinates")
            XCTAssertEqual(chart.svg(ids: IDMaker()).markup, svg.markup, "deterministic")
        }
    }

    func testLineChartAndTicks() throws {
        let chart = LineChart(title: "Queues", description: "Lines",
                              series: [LineSeries(name: "ward", points: [(0, 0), (1, 2.5), (2, 1)]),
                                       LineSeries(name: "team", points: [(0, 1), (1, 0), (2, 4)])],
                              xAxis: "days", yAxis: "patients")
        let document = try parse(chart.svg(ids: IDMaker()))
        XCTAssertEqual(try document.nodes(forXPath: "//*[local-name()='path']").count, 2)
        let ticks = Chart.ticks(0, 4.2)
        XCTAssertEqual(ticks.values.first, 0)
        XCTAssertGreaterThanOrEqual(ticks.values.last ?? 0, 4.2)
        XCTAssertEqual(Chart.ticks(-1.3, 2).values.first, -1.5)
    }

    func testNumbersAreLocaleFreeAndSafe() {
        XCTAssertEqual(Format.number(1234.5678, 2), "1234.57")
        XCTAssertEqual(Format.number(-0.001, 2), "0.00")
        XCTAssertEqual(Format.number(-1.5, 1), "\u{2212}1.5")
        XCTAssertEqual(Format.signed(0.25, 2), "+0.25")
        XCTAssertEqual(Format.number(.infinity, 2), "n/a")
        XCTAssertEqual(Format.duration(.nan), "n/a")
        XCTAssertEqual(ReportBuilder.binLabels([0, 1, 4], count: 3), ["under 1h", "1h\u{2013}4h", "4h or more"])
        XCTAssertEqual(ReportBuilder.best([2, 1, 1, nil]), [false, true, true, false])
        XCTAssertEqual(ReportBuilder.best([1, 1]), [false, false])
    }
}
