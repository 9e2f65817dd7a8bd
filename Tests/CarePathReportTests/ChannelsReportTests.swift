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
        // Point-to-point (and the shorter stay, on the same messages), the two shared-record options
        // (same channels), federated query, paper.
        XCTAssertEqual(captions, ["Channels: point-to-point, shorter-stay", "Channels: shared-record, shared-record-nightly",
                                  "Channels: federated-query", "Channels: paper"])
        func cell(_ caption: String, from: String, to: String) throws -> String {
            let column = try XCTUnwrap(input.pathway.organisations.firstIndex { $0.name == to }) + 2
            let xpath = "//*[local-name()='table'][*[local-name()='caption'][. = '\(caption)']]/*[local-name()='tbody']/*[local-name()='tr'][*[local-name()='th'][. = '\(from)']]/*[\(column)]"
            return try ReportChecks.nodes(document, xpath).first?.stringValue ?? ""
        }
        let hospital = "City General Hospital NHS Trust", council = "City Council Adult Social Care"
        // The council is not on the regional viewer: the option's fallback, paper, carries it.
        XCTAssertEqual(try cell("Channels: federated-query", from: hospital, to: council), "paper, post, phone (fallback)")
        XCTAssertEqual(try cell("Channels: shared-record, shared-record-nightly", from: hospital, to: council), "shared record")
        XCTAssertEqual(try cell("Channels: point-to-point, shorter-stay", from: hospital, to: council), "message")
        // Per option, the pairs between which items pass, by channel: the care home is on paper (so
        // three of its pairs fall back to paper under messages and the shared record), and only the
        // hospital, community health and the GP are on the regional viewer.
        let notes = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'channels')]/../following-sibling::*[1]").map { $0.stringValue ?? "" }
        XCTAssertEqual(notes, [
            "Not all on the option. Items pass between 10 ordered pairs of organisations: 7 by message (the option), 3 by paper, post, phone (its fallback).",
            "Not all on the option. Items pass between 10 ordered pairs of organisations: 7 by shared record (the option), 3 by paper, post, phone (its fallback).",
            "Not all on the option. Items pass between 10 ordered pairs of organisations: 2 by regional viewer (the option), 8 by paper, post, phone (its fallback).",
            "Items pass between 10 ordered pairs of organisations: 10 by paper, post, phone (the option).",
        ])
        // The other 20 of the 6 x 5 ordered pairs pass nothing, and are greyed.
        let idle = try ReportChecks.nodes(document, "(//*[local-name()='table'][contains(@class,'channels')])[1]//*[local-name()='td'][contains(@class,'idle')]")
        XCTAssertEqual(idle.count, 20)
        XCTAssertTrue(idle.allSatisfy { ($0.stringValue ?? "").hasSuffix("no item passes") })
    }

    /// The register says what each annotated effect did, per option, and why the others do not act.
    func testTheRegisterShowsEachEffectWithTheFigureItMoved() throws {
        let input = try Runs.discharge()
        let document = try ReportChecks.parse(try HTMLReport.scenarioReport(input))
        let register = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='register']").first?.stringValue ?? ""
        for text in ["withholding: 10.0% of the items recorded here kept from the shared record and messages; items withheld:",
                     "errors: 5.0% of the items recorded here wrong or incomplete; recorded wrong:",
                     "unusable: 15.0% of the items from other systems keyed in again here; re-keying:",
                     "mistrust: after a stale or late item, 30.0% of the readable items collected again; repeats:",
                     "overlook: 2.0% per unneeded item shown", "reading time per unneeded item shown:",
                     "recording time per item produced:", "acts through the roles' capacities and rotas"] {
            XCTAssertTrue(register.contains(text), "register lacks: \(text)")
        }
        // Mistrust repeats differ by option: the figure is given per option.
        XCTAssertTrue(register.contains("(point-to-point)") && register.contains("(shared-record)"), register)
        let effects = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'register')]//*[local-name()='td'][contains(., 'per 100 patients') or contains(., 'hours a day')]")
        XCTAssertGreaterThanOrEqual(effects.count, 5, "at least five dimensions with a simulated effect and a measured consequence")
    }
}
