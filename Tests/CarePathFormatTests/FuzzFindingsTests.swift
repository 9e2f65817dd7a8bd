import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// Inputs that crashed a reader under fuzzing (scripts/fuzz.sh) or in the reliability probe
/// (issue 12), fed to the same reader: each must now be a located error, not a trap.
final class FuzzFindingsTests: XCTestCase {
    static let pathway = """
    pathway: clinic
    attributes:
      age: number
    organisations:
      clinic:
        sector: acute
        maturity: integrated
        roles:
          desk: { capacity: 3 }
    states:
      service: { owner: clinic/desk, duration: DURATION, next: [{ to: left }] }
      left: { terminal: true }
    """

    func scenario(age: String) -> ScenarioFile.Result {
        let text = """
        scenario: probe
        pathway: pathway.yaml
        cohort:
          patients: 10
          arrivals: 1/h
          attributes:
            age: \(age)
        """
        return ScenarioFile.check(text: text, file: "probe.yaml", baseDirectory: URL(fileURLWithPath: "/nonexistent"),
                                  pathwayText: Self.pathway.replacingOccurrences(of: "DURATION", with: "1h"), includedTexts: [:])
    }

    /// `validate` trapped on abs(Int.min) (SIGILL, exit 132).
    func testAnIntegerRangeFromIntMinIsRefusedWithItsLimits() throws {
        for range in ["integer(-9223372036854775808, 5)", "integer(1, 9223372036854775807)",
                      "integer(-9223372036854775808, -9223372036854775808)"] {
            let result = scenario(age: range)
            XCTAssertNil(result.scenario, range)
            let error = try XCTUnwrap(result.errors.first, range)
            XCTAssertEqual(error.file, "probe.yaml")
            XCTAssertEqual(error.line, 7, range)
            XCTAssertTrue(error.message.hasPrefix("integer(LOW, HIGH) takes whole numbers between -"), error.message)
        }
        XCTAssertNotNil(scenario(age: "integer(-1000000000000, 1000000000000)").scenario, "the limits themselves are allowed")
    }

    /// A duration whose number is finite but whose hours are not (about 1e308 weeks) was read as an
    /// infinite duration, refused later as "found inf"; now the text itself is refused, as written.
    func testADurationTooLongForItsUnitIsRefused() throws {
        let weeks = String(repeating: "9", count: 308) + "w"
        let result = PathwayFile.check(text: Self.pathway.replacingOccurrences(of: "DURATION", with: weeks), file: "clinic.yaml")
        XCTAssertNil(result.pathway)
        let error = try XCTUnwrap(result.errors.first)
        XCTAssertEqual(error.file, "clinic.yaml")
        XCTAssertEqual(error.line, 11)
        XCTAssertTrue(error.message.contains("expected a distribution"), error.message)
    }
}
