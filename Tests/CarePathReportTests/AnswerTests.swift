import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathReport
import Foundation
import XCTest

/// The answer on the first screen names an option best only where every paired interval says so.
/// Three options of the M/M/3 reference station: a fourth server (Erlang C: the mean wait falls
/// from 1.08 h to 0.16 h, so time in the system clearly falls) and the same three servers twice,
/// which run on the same patients and so cannot differ at all.
final class AnswerTests: XCTestCase {
    func testTheBestOptionIsNamedOnlyWhereItIsClearlyBest() throws {
        let url = packageRoot.appendingPathComponent("Scenarios/reference/mmc.yaml")
        var (scenario, pathway, pathwayURL) = try ScenarioFile.load(url)
        let desk = try XCTUnwrap(pathway.roles.first).reference
        var four = scenario.settings
        four.capacities[desk] = 4
        scenario.variants = [Variant(name: "three", settings: scenario.settings), Variant(name: "four", settings: four),
                             Variant(name: "three-again", settings: scenario.settings)]
        scenario.cohort.size = .patients(3000)
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 5, threads: 2))

        // The pairs are every option against every other, and the identical two do not differ at all.
        let same = try XCTUnwrap(summary.paired("time_in_pathway_mean_h", "three", minus: "three-again"))
        XCTAssertEqual(same.mean, 0)
        XCTAssertFalse(same.isClear)
        let faster = try XCTUnwrap(summary.paired("time_in_pathway_mean_h", "four", minus: "three"))
        XCTAssertTrue(faster.isClear)
        XCTAssertLessThan(faster.mean, -0.5, "about 0.9 h less waiting (Erlang C: 1.08 h at three servers, 0.16 h at four)")
        XCTAssertEqual(summary.paired("time_in_pathway_mean_h", "three", minus: "four")?.mean, -faster.mean, "read either way round")

        let input = ReportInput(scenario: scenario, pathway: pathway, summary: summary,
                                inputs: [try InputFile.read(url, as: "Scenarios/reference/mmc.yaml"),
                                         try InputFile.read(pathwayURL, as: "Scenarios/reference/mmc-pathway.yaml")],
                                commandLine: "carepath simulate Scenarios/reference/mmc.yaml")
        let html = try HTMLReport.scenarioReport(input)
        let document = try ReportChecks.parse(html)
        let answers = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='answer']//*[local-name()='ul'][@class='answer'][1]/*[local-name()='li']")
            .map { ($0.stringValue ?? "").replacingOccurrences(of: "\n", with: " ") }
        let time = try XCTUnwrap(answers.first { $0.contains("mean time in the pathway") }, answers.joined(separator: "\n"))
        XCTAssertTrue(time.hasPrefix("four does best on mean time in the pathway"), time)
        // No item is needed here: every option has no gaps, and none is named best.
        let gaps = try XCTUnwrap(answers.first { $0.contains("data gaps per patient") })
        XCTAssertTrue(gaps.hasPrefix("No clear difference between the options on data gaps per patient"), gaps)

        // The trade-off table stars the fourth server's time only, not the tied rows.
        let starred = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'tradeoff')]//*[local-name()='tr'][.//*[@class='best-mark']]/*[local-name()='th']")
            .compactMap(\.stringValue)
        XCTAssertTrue(starred.contains { $0.contains("Time in pathway") }, starred.joined(separator: "; "))
        XCTAssertFalse(starred.contains { $0.contains("Data gaps per patient") }, starred.joined(separator: "; "))
        // Utilisation is lowest with four servers, but no pairs are kept for it: no star.
        XCTAssertFalse(starred.contains { $0.contains("Mean utilisation") }, starred.joined(separator: "; "))
        // The answer comes before the table of contents.
        let answer = try XCTUnwrap(html.range(of: "<section id=\"answer\"")), toc = try XCTUnwrap(html.range(of: "<nav class=\"toc\""))
        XCTAssertLessThan(answer.lowerBound, toc.lowerBound)
    }
}
