import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation
import XCTest
@testable import CarePathWorkshop

final class ShippedWorkshopTests: XCTestCase {
    /// The shipped discharge scenario, its first option (point-to-point, the baseline) against the
    /// shared record, one replication: stored, and its stored text reads back to exactly what ran
    /// (variants, levers, settings), as `carepath report RUN` reads it.
    func testALiveRunOfTheShippedDischargeScenarioIsStored() async throws {
        let folder = try temporaryFolder(self)
        let store = try ResultsStore(path: folder.appendingPathComponent("results.sqlite").path)
        let setup = try Shipped.setup("Scenarios/discharge-architectures.yaml")
        let run = try WorkshopRun(setup: setup, settings: ["architecture.option": "shared-record", "capacities.acute/discharge-team[1]": "2"],
                                  name: "Shared record, two at weekends", replications: 1)
        let all = await updates(of: run, store: store)
        let last = try XCTUnwrap(all.last)
        XCTAssertEqual(all.count, 1)
        XCTAssertNil(last.storeProblem)
        let id = try XCTUnwrap(last.storedRun)
        XCTAssertEqual(try store.variants(run: id).map(\.name), ["point-to-point", "shared-record-two-at-weekends"])
        XCTAssertEqual(try store.variants(run: id).map(\.architecture), ["point-to-point", "shared-record"])
        let gaps = try XCTUnwrap(last.headlines.first { $0.name == "gaps_per_patient" })
        XCTAssertTrue(gaps.sentence.contains("after one replication"), gaps.sentence)
        XCTAssertTrue(last.nodes.contains { $0.subject.kind == .state && $0.baseline["state_gap_rate"] != nil })
        XCTAssertTrue(last.nodes.contains { $0.subject.kind == .role && $0.option["utilisation"] != nil })
    }
}
