import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathReport
import Foundation
import XCTest

/// Where the pathway struggles, by record and by kind of gap, against a pathway whose gaps are
/// known by construction: the review needs a letter no state ever produces (missing at every
/// check: at least one missing gap per patient) and a summary its own ward recorded just before
/// (always there); the GP needs the summary from the hospital an hour later, which only reaches it
/// by post, days later or never (not there at any check: late, or missing where the post lost it).
final class AnswerGapsTests: XCTestCase {
    static let pathway = """
    pathway: two-gaps
    start: admit
    organisations:
      hospital:
        sector: acute
        maturity: paper
        roles:
          ward: { capacity: 50 }
      practice:
        sector: primary
        maturity: paper
        roles:
          gp: { capacity: 50 }
    information:
      summary: { category: health }
      letter: { category: health }
    states:
      admit:
        owner: hospital/ward
        duration: 1h
        produces: [summary]
        next: [{ to: review }]
      review:
        owner: hospital/ward
        duration: 1h
        needs: [summary, letter]
        next: [{ to: visit }]
      visit:
        owner: practice/gp
        duration: 1h
        needs: [summary]
        next: [{ to: home }]
      home: { terminal: true }
    """

    func testTheAnswerNamesTheRecordsMostOftenNotThereAndTheKindsOfGap() throws {
        let scenarioText = "scenario: two-gaps\npathway: two-gaps.yaml\ncohort: { patients: 200, arrivals: 1/h }\nreplications: 2\nseed: 5\n"
        let checked = ScenarioFile.check(text: scenarioText, file: "two-gaps.yaml", baseDirectory: URL(fileURLWithPath: "/"), pathwayText: Self.pathway)
        let scenario = try XCTUnwrap(checked.scenario, "\(checked.problems)"), pathway = try XCTUnwrap(checked.pathway)
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 2, threads: 2))
        let metrics = try XCTUnwrap(summary.variants.first).metrics
        func mean(_ name: String, _ subject: String = "") -> Double? { metrics.first { $0.name == name && $0.subject == subject && $0.group.isEmpty }?.mean }
        // What the construction says, read from the run first.
        let missing = try XCTUnwrap(mean("gaps_missing_per_patient")), late = try XCTUnwrap(mean("gaps_late_per_patient"))
        XCTAssertGreaterThanOrEqual(missing, 1, "one review per patient, the letter never recorded (and posts lost on top)")
        XCTAssertEqual(try XCTUnwrap(mean("missing_share", "hospital/ward|letter")), 1, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(mean("available_share", "hospital/ward|summary")), 1, accuracy: 1e-12, "recorded by the ward itself")

        let input = ReportInput(scenario: scenario, pathway: pathway, summary: summary, inputs: [], commandLine: "carepath simulate two-gaps.yaml")
        let document = try ReportChecks.parse(try HTMLReport.scenarioReport(input))
        let items = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='answer']//*[local-name()='li']")
            .map { ($0.stringValue ?? "").replacingOccurrences(of: "\n", with: " ") }
        let records = try XCTUnwrap(items.first { $0.hasPrefix("Records most often not there") }, items.joined(separator: "\n"))
        // The letter, for the ward: every one of its 100 checks per 100 patients missing; the summary
        // the ward recorded itself is not named.
        XCTAssertTrue(records.contains("letter for ward 100% of 100 checks (mostly missing)"), records)
        XCTAssertTrue(records.contains("summary for gp 100% of 100 checks (mostly late)"), records)
        XCTAssertFalse(records.contains("summary for ward"), records)
        let kinds = try XCTUnwrap(items.first { $0.hasPrefix("Kinds of gap") }, items.joined(separator: "\n"))
        XCTAssertTrue(kinds.contains("missing \(String(format: "%.2f", missing)); late \(String(format: "%.2f", late))"), kinds)
        // Both link to their definitions.
        let links = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='answer']//*[local-name()='li'][starts-with(., 'Records most often') or starts-with(., 'Kinds of gap')]//*[local-name()='a']/@href")
            .compactMap(\.stringValue)
        for anchor in ["#glossary-KIND_share", "#glossary-needed_per_100_patients", "#glossary-gaps_KIND_per_patient", "#glossary-gaps_per_patient"] {
            XCTAssertTrue(links.contains(anchor), "\(anchor) not in \(links)")
        }
    }
}
