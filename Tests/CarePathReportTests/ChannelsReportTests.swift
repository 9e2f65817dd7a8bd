@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The report says which channel each pair of organisations uses in each option, so that an
/// option falling back to paper for some of them is visible.
final class ChannelsReportTests: XCTestCase {
    func testEachOptionShowsWhoReachesWhomAndHow() throws {
        let input = try Runs.discharge()
        let document = try ReportChecks.parse(try HTMLReport.scenarioReport(input))
        let captions = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'channels')]/*[local-name()='caption']")
            .map { $0.stringValue ?? "" }
        // Point-to-point, the two shared-record options (same channels), federated query, paper.
        XCTAssertEqual(captions, ["Channels: point-to-point", "Channels: shared-record, shared-record-nightly",
                                  "Channels: federated-query", "Channels: paper"])
        func cell(_ caption: String, from: String, to: String) throws -> String {
            let column = try XCTUnwrap(input.pathway.organisations.firstIndex { $0.name == to }) + 2
            let xpath = "//*[local-name()='table'][*[local-name()='caption'][. = '\(caption)']]/*[local-name()='tbody']/*[local-name()='tr'][*[local-name()='th'][. = '\(from)']]/*[\(column)]"
            return try ReportChecks.nodes(document, xpath).first?.stringValue ?? ""
        }
        let hospital = "City General Hospital NHS Trust", council = "City Council Adult Social Care"
        // The council is not on the regional viewer: the option's fallback, paper, carries it.
        XCTAssertEqual(try cell("Channels: federated-query", from: hospital, to: council), "paper, post, phone")
        XCTAssertEqual(try cell("Channels: shared-record, shared-record-nightly", from: hospital, to: council), "shared record")
        XCTAssertEqual(try cell("Channels: point-to-point", from: hospital, to: council), "message")
    }
}
