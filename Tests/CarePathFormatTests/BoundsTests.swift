import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// Values beyond `Bounds` are refused where they are written, with the bound in the message, so
/// that whatever validates can be simulated (issue 12: each of these once trapped or hung a run).
final class BoundsTests: XCTestCase {
    static func pathway(duration: String) -> String {
        """
        pathway: desk
        attributes:
          age: number
        organisations:
          clinic:
            sector: acute
            maturity: integrated
            roles:
              desk: { capacity: 2 }
        states:
          service:
            owner: clinic/desk
            duration: "\(duration)"
            next: [{ to: left }]
          left: { terminal: true }
        """
    }

    static func scenario(patients: String = "100", arrivals: String = "10/h", age: String = "normal(mean=70, sd=10)",
                         extra: String = "") -> String {
        """
        scenario: bounds
        pathway: desk.yaml
        cohort:
          patients: \(patients)
          arrivals: \(arrivals)
          attributes:
            age: "\(age)"
        replications: 1
        \(extra)
        """
    }

    /// The errors of a scenario over a pathway with `duration`, as `line: message`.
    func errors(duration: String = "1h", _ scenario: String) -> [String] {
        let result = ScenarioFile.check(text: scenario, file: "s.yaml", baseDirectory: FileManager.default.temporaryDirectory,
                                        pathwayText: Self.pathway(duration: duration))
        return result.problems.filter { $0.severity == .error }.map { "\($0.file):\($0.line): \($0.path): \($0.message)" }
    }

    func assertOneError(_ errors: [String], containing parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(errors.count, 1, errors.joined(separator: "\n"), file: file, line: line)
        for part in parts { XCTAssertTrue(errors.first?.contains(part) ?? false, "\(part) in \(errors)", file: file, line: line) }
    }

    func testADurationBeyondAThousandYearsIsRefusedWhereItIsWritten() {
        // 1e19 h once passed validation and trapped converting a time to a whole number.
        assertOneError(errors(duration: "10000000000000000000h", Self.scenario()),
                       containing: ["desk.yaml:13", "states.service.duration", "at most 8,766,000 h (1,000 years)"])
        // Just inside the bound is a valid duration.
        XCTAssertEqual(errors(duration: "8766000h", Self.scenario()), [])
    }

    func testHugeMeansAndTinyShapesAreRefused() {
        let forty = String(repeating: "9", count: 40) + "h"
        assertOneError(errors(duration: "exponential(mean=\(forty))", Self.scenario()), containing: ["exponential", "at most 8,766,000 h"])
        // Weibull's mean is scale x Gamma(1 + 1/shape): shape 0.0001 overflows it.
        assertOneError(errors(duration: "weibull(shape=0.0001, scale=1d)", Self.scenario()), containing: ["weibull needs a shape from 0.01"])
        // Shape 0.05 is in range but its mean, 24 h x 20! = 5.8e19 h, is not.
        assertOneError(errors(duration: "weibull(shape=0.05, scale=1d)", Self.scenario()), containing: ["weibull: the mean must be at most"])
        XCTAssertEqual(errors(duration: "weibull(shape=0.5, scale=1d)", Self.scenario()), [])
    }

    func testARateTooSmallToEverBringAPatientIsRefusedLikeZero() {
        assertOneError(errors(Self.scenario(arrivals: "1e-300/d")), containing: ["s.yaml:5", "cohort.arrivals", "one patient in 1,000 years"])
        assertOneError(errors(Self.scenario(arrivals: "2000000/h")), containing: ["1,000,000 an hour"])
        XCTAssertEqual(errors(Self.scenario(arrivals: "1/w")), [])
    }

    func testIntegerRangeAtTheEdgeOfIntIsAnErrorNotATrap() {
        // abs(Int.min) trapped in validate.
        assertOneError(errors(Self.scenario(age: "integer(-9223372036854775808, 5)")),
                       containing: ["cohort.attributes.age", "between -1,000,000,000,000 and 1,000,000,000,000"])
        assertOneError(errors(Self.scenario(age: "integer(1, 9223372036854775807)")), containing: ["1,000,000,000,000"])
        XCTAssertEqual(errors(Self.scenario(age: "integer(-1000000000000, 1000000000000)")), [])
    }

    func testACohortBeyondTheMaximumIsRefused() {
        for n in ["2147483648", "1000000000000"] {
            assertOneError(errors(Self.scenario(patients: n)), containing: ["cohort.patients", "from 1 to 100,000,000"])
        }
        XCTAssertEqual(errors(Self.scenario(patients: "100000000")), [])
    }

    func testTheStateEntryLimitIsAWholeNumberInRange() {
        XCTAssertEqual(errors(Self.scenario(extra: "max-state-entries: 50")), [])
        assertOneError(errors(Self.scenario(extra: "max-state-entries: 0")), containing: ["max-state-entries", "from 1 to 100,000,000"])
        let result = ScenarioFile.check(text: Self.scenario(extra: "max-state-entries: 50"), file: "s.yaml",
                                        baseDirectory: FileManager.default.temporaryDirectory, pathwayText: Self.pathway(duration: "1h"))
        XCTAssertEqual(result.scenario?.maximumStateEntries, 50)
    }

    func testNumberAttributesHaveTheirOwnBoundNotTheTimeOne() {
        // An attribute is not a time: a mean of ten million is allowed, of 10^13 not.
        XCTAssertEqual(errors(Self.scenario(age: "normal(mean=10000000, sd=1)")), [])
        assertOneError(errors(Self.scenario(age: "normal(mean=10000000000000, sd=1)")), containing: ["at most 10^12"])
    }

    func testLeversObeyTheSameBounds() {
        let variants = """
        variants:
          - { name: base }
          - name: slow
            set: { states.service.duration: "20000000h" }
          - name: rare
            set: { cohort.arrivals: "1e-300/d" }
        """
        let found = errors(Self.scenario(extra: variants))
        XCTAssertEqual(found.count, 2, found.joined(separator: "\n"))
        XCTAssertTrue(found.contains { $0.contains("at most 8,766,000 h") }, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("one patient in 1,000 years") }, "\(found)")
    }

    func testSafeConversionsClampInsteadOfTrapping() {
        XCTAssertEqual(Int(clampingFloor: .nan), 0)
        XCTAssertEqual(Int(clampingFloor: .infinity), .max)
        XCTAssertEqual(Int(clampingFloor: -1e300), .min)
        XCTAssertEqual(Int(clampingFloor: -2.5), -3)
        XCTAssertEqual(UInt64(clampingFloor: 1e30), .max)
        XCTAssertEqual(UInt64(clampingFloor: -4), 0)
        XCTAssertEqual(UInt64(clampingFloor: 7.9), 7)
    }
}

extension BoundsTests {
    func testAHorizonIsBoundedByThePatientsItBrings() {
        // 1,000 years at 1,000,000 an hour: 8.8 x 10^12 patients.
        let endless = Self.scenario(patients: "x", arrivals: "1000000/h").replacingOccurrences(of: "patients: x", with: "horizon: 8766000h")
        assertOneError(errors(endless), containing: ["cohort.horizon", "more than 100,000,000"])
        let fine = Self.scenario(patients: "x", arrivals: "20/d").replacingOccurrences(of: "patients: x", with: "horizon: 52w")
        XCTAssertEqual(errors(fine), [])
    }
}
