import CarePathFormat
import CarePathMetrics
import CarePathModel
@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The report's capacity figures and warnings, from a summary given by hand the figures the
/// collector emits (so the page is tested apart from the engine), on the hostile pathway so that
/// every new table also proves its escaping.
final class CapacityReportTests: XCTestCase {
    static let evil = EscapingTests.evil
    static let ward = "acute/ward"
    static let assess = "assess<script>alert(1)</script>"

    /// The hostile run, its ward made a holding state, with the capacity metrics and warnings added.
    static func input(holding: Bool = true, capacityFigures: Bool = true) throws -> ReportInput {
        var input = try EscapingTests.hostileInput()
        if holding, let k = input.pathway.states.firstIndex(where: { $0.id == "stay" }) {
            input.pathway.states[k].hold = .untilNext
        }
        guard capacityFigures else { return input }
        func m(_ name: String, _ subject: String = "", group: String = "", _ mean: Double, _ half: Double? = 0.5) -> SummaryMetric {
            SummaryMetric(name: name, subject: subject, group: group, mean: mean, halfWidth: half)
        }
        // The hostile run's own capacity figures give way to these, so that every one shown is known.
        let replaced: Set = ["blocked_bed_days_per_month", "delayed_transfers_per_100_patients", "ready_to_moved_mean_h",
                             "ready_to_moved_p90_h", "utilisation_busy", "utilisation_blocked", "utilisation_chasing",
                             "overtime_hours_per_day", "balked_per_100_patients", "reneged_per_100_patients", "balk_share", "renege_share"]
        for v in input.summary.variants.indices {
            input.summary.variants[v].metrics.removeAll { replaced.contains($0.name) || ($0.name.hasPrefix("wait_") && !$0.group.isEmpty) }
            input.summary.variants[v].metrics += [
                m("blocked_bed_days_per_month", "", 42.5, 3.2),
                m("blocked_bed_days_per_month", ward, 42.5, 3.2),
                m("blocked_bed_days_per_month", ward + "|" + assess, 30.3),
                m("blocked_bed_days_per_month", ward + "|care", 12.3),
                m("delayed_transfers_per_100_patients", ward, 61.5),
                m("delayed_transfers_per_100_patients", ward + "|" + assess, 41.5),
                m("delayed_transfers_per_100_patients", ward + "|care", 20.0),
                m("ready_to_moved_mean_h", ward, 17.8),
                m("ready_to_moved_p90_h", ward + "|care", 93.3),
                m("utilisation_busy", ward, 0.6),
                m("utilisation_blocked", ward, 0.25),
                m("utilisation_chasing", ward, 0),
                m("overtime_hours_per_day", ward, 0),
                m("balked_per_100_patients", "council/social-worker", 3.5),
                m("reneged_per_100_patients", "council/social-worker", 0),
                m("wait_mean_h", "council/social-worker", group: "<80", 7.3),
                m("wait_p90_h", "council/social-worker", group: "<80", 19.5),
                m("wait_mean_h", "council/social-worker", group: ">=80", 9.75),
            ]
        }
        input.summary.warnings = [
            RunWarning(.overload, subject: "council/social-worker",
                       message: "council/social-worker: offered load 1.18 >= 1 " + evil + EscapingTests.breakout, figure: 1.18),
            RunWarning(.queueGrowing, variant: input.summary.variants[1].name, subject: ward, message: "queue growing " + evil, figure: 7.5),
        ]
        return input
    }

    /// Model text stayed text: no script or handler from it, and the page parses as XML.
    func assertSafe(_ html: String, _ name: String) throws {
        XCTAssertFalse(html.contains("<script>alert"), "\(name): raw script from the model")
        XCTAssertFalse(html.contains("onmouseover=\"alert"), "\(name): an attribute broke out")
        let document = try ReportChecks.parse(html)
        XCTAssertTrue(try ReportChecks.nodes(document, "//@*[starts-with(local-name(), 'on')]").isEmpty, name)
        XCTAssertEqual(try ReportChecks.nodes(document, "//*[local-name()='script']").count, 1, name)
    }

    func text(_ document: XMLDocument, _ xpath: String) throws -> String {
        try ReportChecks.nodes(document, xpath).map { $0.stringValue ?? "" }.joined(separator: "\n")
    }

    func testTheWarningBoxIsNearTheTopAndEscaped() throws {
        let input = try Self.input()
        let html = try HTMLReport.scenarioReport(input)
        try assertSafe(html, "scenario report with warnings")
        let document = try ReportChecks.parse(html)
        let box = try ReportChecks.nodes(document, "//*[local-name()='aside'][contains(@class, 'run-warnings')]")
        XCTAssertEqual(box.count, 1)
        let boxText = box.first?.stringValue ?? ""
        XCTAssertTrue(boxText.contains("Overloaded role"), boxText)
        XCTAssertTrue(boxText.contains("offered load 1.18 >= 1 <script>alert(1)</script>"), "the message shows as text")
        XCTAssertTrue(boxText.contains("(every option)"), boxText)
        XCTAssertTrue(boxText.contains("Queue still growing (shared \(EscapingTests.breakout))"), "named by the option's label: \(boxText)")
        // Before the first section: read before any figure.
        let boxAt = try XCTUnwrap(html.range(of: "run-warnings")), firstSection = try XCTUnwrap(html.range(of: "<section"))
        XCTAssertLessThan(boxAt.lowerBound, firstSection.lowerBound)
        XCTAssertEqual(try ReportChecks.sectionIDs(document), HTMLReport.scenarioSectionIDs)

        // No warnings, no box.
        var quiet = input
        quiet.summary.warnings = []
        XCTAssertFalse(try HTMLReport.scenarioReport(quiet).contains("<aside"))
        quiet.summary.warnings = nil
        XCTAssertFalse(try HTMLReport.scenarioReport(quiet).contains("<aside"))
    }

    func testDelayedTransfersByRoleAndDestination() throws {
        let html = try HTMLReport.scenarioReport(Self.input())
        let document = try ReportChecks.parse(html)
        let rows = try ReportChecks.nodes(document, "//*[local-name()='table'][*[local-name()='caption'][starts-with(., 'Delayed transfers')]]/*[local-name()='tbody']/*[local-name()='tr']")
        // Two options x (the ward's total, then its two destinations in pathway order).
        XCTAssertEqual(rows.count, 6)
        let first = rows.prefix(3).map { $0.stringValue ?? "" }
        XCTAssertTrue(first[0].contains("all destinations") && first[0].contains("42.5") && first[0].contains("61.5") && first[0].contains("17.8"), first[0])
        XCTAssertTrue(first[1].contains("Assessment " + EscapingTests.breakout) && first[1].contains("30.3") && first[1].contains("41.5"), first[1])
        XCTAssertTrue(first[2].contains("Care <script>alert(1)</script>") && first[2].contains("12.3") && first[2].contains("93.3"), first[2])
        XCTAssertTrue(first[0].contains("Ward <script>alert(1)</script>"), "role names as text")
        // The headline row with its interval and definition, since the ward holds its bed.
        let headline = try text(document, "//*[local-name()='section'][@id='headline']//*[local-name()='tr'][contains(., 'Delayed-transfer bed-days per month')]")
        XCTAssertTrue(headline.contains("per 30 days of the measurement window"), headline)
        XCTAssertTrue(headline.contains("42.5") && headline.contains("(39.3 to 45.7)"), headline)
    }

    func testBedDaysAppearInTheHeadlineOnlyWhenAStateHolds() throws {
        let html = try HTMLReport.scenarioReport(Self.input(holding: false))
        let document = try ReportChecks.parse(html)
        XCTAssertEqual(try text(document, "//*[local-name()='section'][@id='headline']//*[local-name()='tbody']/*[local-name()='tr'][contains(., 'bed-days')]"), "")
        // Without the figures there is no delayed-transfer table either.
        let plain = try HTMLReport.scenarioReport(Self.input(holding: false, capacityFigures: false))
        XCTAssertFalse(plain.contains("Delayed transfers by role"))
        XCTAssertFalse(plain.contains("Blocked (%)"))
    }

    func testLoadColumnsAppearWhenSomeRoleHasThemWithDefinitions() throws {
        let html = try HTMLReport.scenarioReport(Self.input())
        let document = try ReportChecks.parse(html)
        let headers = try ReportChecks.nodes(document, "//*[local-name()='table'][*[local-name()='caption'][starts-with(., 'Load per role')]]//*[local-name()='th'][@scope='col']")
        let names = headers.map { $0.stringValue ?? "" }
        for shown in ["Utilisation (%)", "Busy (%)", "Blocked (%)", "Balked (per 100 patients)"] {
            XCTAssertTrue(names.contains(shown), "\(shown) in \(names)")
        }
        // All zero in every option: not shown.
        for hidden in ["Chasing (%)", "Overtime (h a day)", "Reneged (per 100 patients)"] {
            XCTAssertFalse(names.contains(hidden), "\(hidden) in \(names)")
        }
        let title = try text(document, "//*[local-name()='th'][. = 'Blocked (%)']/@title")
        XCTAssertTrue(title.contains("waiting for the next setting"), title)
        XCTAssertTrue(html.contains("<b>Blocked (%)</b>: Unit-hours held by patients"), "the definitions are written under the table too")
    }

    func testWaitsByGroupInTheEquitySection() throws {
        let document = try ReportChecks.parse(try HTMLReport.scenarioReport(Self.input()))
        let equity = try text(document, "//*[local-name()='section'][@id='equity']")
        XCTAssertTrue(equity.contains("Waits by group"), equity)
        let rows = try ReportChecks.nodes(document, "//*[local-name()='table'][*[local-name()='caption'][starts-with(., 'Waiting for each role')]]/*[local-name()='tbody']/*[local-name()='tr']")
        XCTAssertEqual(rows.count, 4, "two groups of one role, in two options")
        XCTAssertTrue((rows.first?.stringValue ?? "").contains("7.3") && (rows.first?.stringValue ?? "").contains("19.5"))
    }

    func testTheComparisonReportHasTheWarningsAndBedDays() throws {
        let input = try Self.input()
        var other = input
        other.scenario.id = "other"
        let html = try HTMLReport.comparisonReport([input, other])
        try assertSafe(html, "comparison report with warnings")
        let document = try ReportChecks.parse(html)
        let box = try text(document, "//*[local-name()='aside'][contains(@class, 'run-warnings')]")
        XCTAssertTrue(box.contains("every option of other"), box)
        let trade = try text(document, "//*[local-name()='table'][contains(@class, 'tradeoff')]//*[local-name()='tr'][contains(., 'Delayed-transfer bed-days')]")
        XCTAssertTrue(trade.contains("42.5"), trade)
    }
}
