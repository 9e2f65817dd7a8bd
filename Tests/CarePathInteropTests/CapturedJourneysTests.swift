@testable import CarePathInterop
import CarePathModel
import Foundation
import XCTest

/// The benchmark times the writers on captured journeys: that must write the very bytes an export
/// writes, or the rate it reports is of some other work.
final class CapturedJourneysTests: XCTestCase {
    func testWritingCapturedJourneysGivesTheExportsBytes() throws {
        let dir = try Support.temporaryDirectory(self)
        let (scenario, pathway) = try Support.smallScenario(in: dir, patients: 150)
        func options(_ name: String) -> EventLogExport.Options {
            EventLogExport.Options(xes: dir.appendingPathComponent(name + ".xes"), ocel: dir.appendingPathComponent(name + ".json"), replications: 2)
        }
        let exported = try EventLogExport.run(scenario, pathway: pathway, options: options("run"))
        let captured = try EventLogExport.capture(scenario, pathway: pathway, options: EventLogExport.Options(replications: 2))
        XCTAssertEqual(captured.journeys, exported.counts.patients)
        let written = try EventLogExport.write(captured, scenario: scenario, pathway: pathway, options: options("captured"))
        XCTAssertEqual(written, exported.counts)
        XCTAssertGreaterThan(written.xesEvents, 1000)
        for ext in ["xes", "json"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("run." + ext))
            let b = try Data(contentsOf: dir.appendingPathComponent("captured." + ext))
            XCTAssertEqual(a.count, b.count, ext)
            XCTAssertTrue(a == b, "\(ext): the captured journeys wrote other bytes than the export")
        }
        // The CSV log is made of simulation events, which a capture does not keep.
        var csv = EventLogExport.Options(replications: 2)
        csv.csv = dir.appendingPathComponent("log.csv")
        XCTAssertThrowsError(try EventLogExport.write(captured, scenario: scenario, pathway: pathway, options: csv)) { error in
            XCTAssertTrue("\(error)".contains("log.csv"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("log.csv").path))
    }
}
