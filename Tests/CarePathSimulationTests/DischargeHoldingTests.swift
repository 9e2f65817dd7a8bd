import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// The shipped discharge pathway holds acute beds until the next setting takes the patient: fewer
/// reablement starts must show on the ward, on the same patients (common random numbers).
final class DischargeHoldingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testFewerReablementStartsFillTheWardWithPatientsReadyToLeave() throws {
        var (scenario, pathway, _) = try ScenarioFile.load(Self.root.appendingPathComponent("Scenarios/discharge-architectures.yaml"))
        // Point-to-point messaging, as shipped (20 replications), against the same with 4 reablement assessors instead of 6.
        let base = scenario.effectiveVariants[0]
        var fewer = base
        fewer.name = "fewer-reablement-starts"
        fewer.settings.capacities[RoleReference(organisation: "council", role: "reablement-assessor")] = 4
        scenario.variants = [base, fewer]
        let summary = ScenarioRunner.run(scenario, pathway: pathway)
        let difference = summary.variants[1]
        for (name, subject) in [("utilisation", "acute/ward"), ("utilisation_blocked", "acute/ward"), ("wait_mean_h", "acute/ward"),
                                ("blocked_bed_days_per_month", ""), ("ready_to_moved_mean_h", "acute/ward|reablement-first-visit")] {
            let d = try XCTUnwrap(difference.difference(name, subject: subject), name)
            let before = try XCTUnwrap(summary.variants[0].metric(name, subject: subject)).mean
            print("fewer reablement starts: \(name) [\(subject)] \(before) -> \(before + d.mean), paired difference \(d.mean) ± \(d.halfWidth ?? .nan)")
            XCTAssertGreaterThan(try XCTUnwrap(d.low), 0, "\(name) [\(subject)] rises, and the paired interval excludes zero")
        }
    }
}
