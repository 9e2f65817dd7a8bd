import CarePathFormat
import CarePathModel
import Foundation
import XCTest
@testable import CarePathWorkshop

final class WorkshopSetupTests: XCTestCase {
    /// Without a `workshop:` section the room gets every role's capacity, the architecture, the
    /// arrivals and every place the scenario's options change.
    func testDefaultLeversOfTheDischargeScenario() throws {
        let setup = try Shipped.setup("Scenarios/discharge-architectures.yaml")
        let ids = setup.levers.map(\.id)
        for role in setup.pathway.roles {
            if role.calendar.hasShiftCapacities {
                // Four coordinators on weekdays, one on weekend mornings: one control per shift.
                for i in role.calendar.windows.indices { XCTAssertTrue(ids.contains("capacities.\(role.reference)[\(i)]"), "\(role.reference) in \(ids)") }
            } else {
                XCTAssertTrue(ids.contains("capacities.\(role.reference)"), "\(role.reference) in \(ids)")
            }
        }
        let weekend = try XCTUnwrap(setup.lever("capacities.acute/discharge-team[1]"))
        XCTAssertEqual(weekend.baseline, "1")
        XCTAssertEqual(weekend.minimum, 0)
        XCTAssertTrue(weekend.label.hasSuffix("how many, weekends 09:00-13:00"), weekend.label)
        let ward = try XCTUnwrap(setup.lever("capacities.acute/ward"))
        XCTAssertEqual(ward.kind, .integer)
        XCTAssertEqual(ward.baseline, "130")
        XCTAssertEqual(ward.minimum, 1)
        XCTAssertEqual(ward.maximum, 260)
        XCTAssertEqual(ward.subject, WorkshopSubject(kind: .role, id: "acute/ward", organisation: "acute"))

        let architecture = try XCTUnwrap(setup.lever("architecture.option"))
        XCTAssertEqual(architecture.kind, .choice)
        XCTAssertEqual(architecture.options, ["point-to-point", "shared-record", "federated-query", "paper"])
        XCTAssertEqual(architecture.baseline, "point-to-point")

        let arrivals = try XCTUnwrap(setup.lever("cohort.arrivals"))
        XCTAssertEqual(arrivals.kind, .number)
        XCTAssertEqual(arrivals.unit, "/d")
        XCTAssertEqual(arrivals.baseline, "20")
        XCTAssertEqual(arrivals.subject.kind, .cohort)

        // shorter-stay's `set:` changes the stay's two duration cases: distributions, which a room
        // does not type, so no control unless the scenario's `workshop:` declares one.
        XCTAssertFalse(ids.contains { $0.hasPrefix("states.inpatient-treatment.duration") }, "\(ids)")
        XCTAssertFalse(setup.levers.contains { $0.kind == .text }, "\(ids)")
        // No batch in the baseline (real-time publishing): nothing to start a control from.
        XCTAssertNil(setup.lever("architecture.batch.every"))
        XCTAssertEqual(Set(ids).count, ids.count)
    }

    /// A value is checked by the rules of the files, then the control's range.
    func testValuesAreCheckedAsTheFilesCheckThem() throws {
        let setup = try Shipped.setup("Scenarios/discharge-architectures.yaml")
        XCTAssertNil(setup.check("capacities.acute/ward", "140"))
        XCTAssertNil(setup.check("architecture.option", "shared-record"))
        XCTAssertNil(setup.check("cohort.arrivals", "25"))
        XCTAssertNil(setup.check("cohort.arrivals", "25/d"))
        let label = try XCTUnwrap(setup.lever("capacities.acute/ward")).label
        XCTAssertEqual(setup.check("capacities.acute/ward", "0"), "\(label): expected a whole number >= 1, found 0")
        XCTAssertEqual(setup.check("capacities.acute/ward", "1.5"), "\(label): expected a whole number >= 1, found '1.5'")
        XCTAssertEqual(setup.check("capacities.acute/ward", "261"), "\(label): expected 1 to 260, found 261")
        XCTAssertEqual(setup.check("cohort.arrivals", "41"), "Patients arriving a day: expected 1 to 40/d, found 41")
        XCTAssertEqual(setup.check("architecture.option", "email"),
                       "How information is shared: unknown architecture option 'email' (expected one of: point-to-point, shared-record, federated-query, paper)")
        XCTAssertEqual(setup.check("roles.acute/ward.capacity", "3"), "roles.acute/ward.capacity: no such lever in this workshop")
    }
}

final class DeclaredLeverTests: XCTestCase {
    /// A scenario's `workshop:` levers replace the defaults, with their words, ranges and choices.
    func testDeclaredLeversReplaceTheDefaults() throws {
        let folder = try temporaryFolder(self)
        let url = folder.appendingPathComponent("mmc.yaml")
        try """
            scenario: mmc
            pathway: \(Shipped.url("Scenarios/reference/mmc-pathway.yaml").path)
            cohort: { patients: 300, arrivals: 2.4/h }
            replications: 2
            workshop:
              - place: capacities.clinic/desk
                label: Desk staff
                min: 2
                max: 6
              - place: architecture.option
                label: How records travel
                options: [point-to-point, shared-record]
              - place: states.service.duration
                label: How long the service takes
            """.write(to: url, atomically: true, encoding: .utf8)
        let setup = try WorkshopSetup.load(url)
        XCTAssertEqual(setup.levers.map(\.id), ["capacities.clinic/desk", "architecture.option", "states.service.duration"])
        XCTAssertEqual(setup.levers[0].label, "Desk staff")
        XCTAssertEqual(setup.levers[0].minimum, 2)
        XCTAssertEqual(setup.levers[0].maximum, 6)
        XCTAssertEqual(setup.levers[1].kind, .choice)
        XCTAssertEqual(setup.check("capacities.clinic/desk", "7"), "Desk staff: expected 2 to 6, found 7")
        XCTAssertNil(setup.check("capacities.clinic/desk", "6"))
        XCTAssertEqual(setup.check("architecture.option", "paper"), "How records travel: expected one of point-to-point, shared-record, found 'paper'")
        XCTAssertEqual(setup.check("cohort.arrivals", "3"), "cohort.arrivals: no such lever in this workshop")
        // A declared distribution is a text control, checked by the files' rules.
        XCTAssertEqual(setup.levers[2].kind, .text)
        XCTAssertNil(setup.check("states.service.duration", "lognormal(mean=1h, sd=0.5h)"))
        XCTAssertEqual(setup.check("states.service.duration", "lognormal(mean=1h)").map { $0.contains("sd") }, true)
    }
}
