import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// A scenario's `workshop:` section: the levers a room may move, checked by `validate` with
/// located errors.
final class ScenarioWorkshopTests: XCTestCase {
    static let pathway = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/reference/mmc-pathway.yaml").path

    func check(_ workshop: String) throws -> ScenarioFile.Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-workshop-format-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("test.yaml")
        let text = """
            scenario: mmc
            pathway: \(Self.pathway)
            cohort: { patients: 100, arrivals: 2.4/h }
            workshop:
            \(workshop)
            """
        try Data(text.utf8).write(to: url)
        return ScenarioFile.check(text: text, file: "test.yaml", baseDirectory: folder)
    }

    func testDeclaredLeversAreRead() throws {
        let result = try check("""
              - place: capacities.clinic/desk
                label: Desk staff
                min: 1
                max: 8
              - place: cohort.arrivals
                min: 1
                max: 100
                step: 1
              - place: architecture.option
                options: [point-to-point, shared-record]
            """)
        XCTAssertEqual(result.errors, [])
        let workshop = try XCTUnwrap(result.scenario?.workshop)
        XCTAssertEqual(workshop.map(\.written), ["capacities.clinic/desk", "cohort.arrivals", "architecture.option"])
        XCTAssertEqual(workshop[0].place, .roleCapacity(RoleReference(organisation: "clinic", role: "desk")))
        XCTAssertEqual(workshop[0].label, "Desk staff")
        XCTAssertEqual(workshop[0].maximum, 8)
        XCTAssertEqual(workshop[1].step, 1)
        XCTAssertEqual(workshop[2].options, ["point-to-point", "shared-record"])
    }

    func testEachMistakeIsLocated() throws {
        let result = try check("""
              - place: capacities.clinic/nurse
              - place: capacities.clinic/desk
                min: 5
                max: 4
              - place: cohort.arrivals
                min: 100
                max: 200
              - place: architecture.option
                min: 1
              - place: architecture.option
                options: [shared-record, email]
              - place: states.service.duration
                label: How long
                colour: red
            """)
        func at(_ fragment: String) -> Int? { result.errors.first { $0.message.contains(fragment) }?.line }
        XCTAssertEqual(at("no role of 'clinic' named 'nurse'") ?? at("nurse"), 5, "\(result.errors)")
        XCTAssertEqual(at("min (5) is above max (4)"), 7, "\(result.errors)")
        XCTAssertEqual(at("the baseline's value (3) is below min (5)"), 7, "\(result.errors)")
        XCTAssertEqual(at("the baseline's value (57.6/d) is below min (100)"), 10, "\(result.errors)")
        XCTAssertEqual(at("'min' is for numbers"), 13, "\(result.errors)")
        XCTAssertEqual(at("already offered above"), 14, "\(result.errors)")
        XCTAssertEqual(at("unknown key 'colour'"), 18, "\(result.errors)")
        XCTAssertNil(result.scenario)
    }
}
