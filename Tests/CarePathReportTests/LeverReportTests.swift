import CarePathFormat
import CarePathMetrics
import CarePathModel
@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The options table shows each lever an option pulls, beside the value the other options run with.
final class LeverReportTests: XCTestCase {
    func testTheOptionsTableShowsTheShorterStayBesideTheOthers() throws {
        let input = try Runs.discharge()
        XCTAssertEqual(input.summary.variants.map(\.name).last, "shorter-stay")
        let html = try HTMLReport.scenarioReport(input)
        let document = try ReportChecks.parse(html)
        let rows = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='question']//*[local-name()='tr'][*[local-name()='th'][starts-with(., 'Set by a lever')]]")
        // The stay depends on deprivation: the option sets both of its alternatives.
        XCTAssertEqual(rows.count, 2)
        let row = try XCTUnwrap(rows.last as? XMLElement)
        XCTAssertEqual(row.elements(forName: "th").first?.stringValue, "Set by a lever: states.inpatient-treatment.duration[1].is")
        let cells = row.elements(forName: "td")
        XCTAssertEqual(cells.count, input.summary.variants.count)
        XCTAssertEqual(cells.dropLast().compactMap(\.stringValue), Array(repeating: "lognormal(mean=3.75d, sd=3.3d)", count: cells.count - 1))
        XCTAssertEqual(cells.last?.stringValue, "lognormal(mean=3.3d, sd=2.9d)")
        XCTAssertTrue(html.contains("<td class=\"differs\">lognormal(mean=3.3d, sd=2.9d)</td></tr>"), "marked as differing from the first option")
    }

    func testLeverTextIsEscaped() throws {
        var input = try Runs.discharge()
        let place = LeverPlace.architecture(.messageLoss)
        input.scenario.variants[1].levers = [Lever(place: place, value: .number(0.1), text: "0.1 <script>alert(1)</script> & more")]
        let html = try HTMLReport.scenarioReport(input)
        _ = try ReportChecks.parse(html)
        XCTAssertFalse(html.contains("<script>alert(1)"))
        XCTAssertTrue(html.contains("0.1 &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"))
        XCTAssertTrue(html.contains("<th scope=\"row\">Set by a lever: architecture.message-loss</th><td>0.02</td>"), "the others show the value they run with")
    }
}
