import CarePathExperiments
import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// `experiments.sensitivity` is read with every field checked where it is written, and its
/// parameters resolved on the baseline model (defaults: +-20%, whole numbers at least one apart).
final class SensitivitySectionTests: XCTestCase {
    static let pathway = """
    pathway: desk
    attributes:
      age: number
    organisations:
      clinic:
        sector: acute
        maturity: integrated
        roles:
          desk: { capacity: 2 }
          nurse: { capacity: 3 }
    states:
      service:
        owner: clinic/desk
        duration: exponential(mean=2h)
        next: [{ to: care }]
      care:
        owner: clinic/nurse
        duration: 3h
        next: [{ to: left }]
      left: { terminal: true }
    """

    static func scenario(_ sensitivity: String) -> String {
        """
        scenario: sens
        pathway: desk.yaml
        cohort:
          patients: 200
          arrivals: 1/h
          attributes:
            age: normal(mean=70, sd=10)
        replications: 3
        experiments:
          sensitivity:
        \(sensitivity.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    func check(_ sensitivity: String) -> ScenarioFile.Result {
        ScenarioFile.check(text: Self.scenario(sensitivity), file: "s.yaml", baseDirectory: FileManager.default.temporaryDirectory,
                           pathwayText: Self.pathway)
    }

    func errors(_ sensitivity: String) -> [String] {
        let result = check(sensitivity)
        var out = result.errors.map { "\($0.line): \($0.path): \($0.message)" }
        if out.isEmpty, let s = result.scenario, let p = result.pathway, case .failure(let e) = SensitivityStudy.prepare(s, pathway: p) {
            out = e.problems.map { "\($0.line): \($0.path): \($0.message)" }
        }
        return out
    }

    func testASectionIsReadWithItsDefaults() throws {
        let result = check("""
        outcomes: [time_in_pathway_mean_h, "wait_mean_h at clinic/desk"]
        parameters:
          - states.service.duration
          - roles.clinic/desk.capacity
          - { place: states.care.duration, low: 2h, high: 4h }
          - { place: cohort.arrivals, low: 0.5/h, high: 1.5/h }
          - { place: handoffs.loss, distribution: "triangular(0, 0.02, 0.1)" }
        """)
        XCTAssertEqual(result.errors, [])
        let scenario = try XCTUnwrap(result.scenario), pathway = try XCTUnwrap(result.pathway)
        let s = try XCTUnwrap(scenario.experiments.sensitivity)
        XCTAssertEqual(s.method, .oat)
        XCTAssertEqual(s.trajectories, 10); XCTAssertEqual(s.levels, 4)
        let study = try SensitivityStudy.prepare(scenario, pathway: pathway).get()
        XCTAssertEqual(study.outcomes.map(\.description), ["time_in_pathway_mean_h", "wait_mean_h at clinic/desk"])
        let p = study.parameters
        // +-20% of the mean of exponential(mean=2h); the capacity 2 -> 1...3 (at least one either side).
        XCTAssertEqual(p[0].low, 1.6, accuracy: 1e-12); XCTAssertEqual(p[0].high, 2.4, accuracy: 1e-12)
        XCTAssertEqual(p[0].lever(2.4).text, "exponential(mean=2.4h)")
        XCTAssertEqual(p[1].low, 1); XCTAssertEqual(p[1].high, 3)
        XCTAssertEqual(p[2].low, 2); XCTAssertEqual(p[2].high, 4)
        XCTAssertEqual(p[3].lever(1.5).text, "36/d")
        XCTAssertEqual(p[4].value(at: 0), 0); XCTAssertEqual(p[4].value(at: 1), 0.1, accuracy: 1e-12)
        // Triangular(0, 0.02, 0.1): F(0.02) = 0.2.
        XCTAssertEqual(p[4].value(at: 0.2), 0.02, accuracy: 1e-12)
    }

    func testEveryFieldIsCheckedWhereItIsWritten() {
        func one(_ text: String, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
            let found = errors(text)
            XCTAssertEqual(found.count, 1, found.joined(separator: "\n"), file: file, line: line)
            for part in parts { XCTAssertTrue(found.first?.contains(part) ?? false, "\(part) in \(found)", file: file, line: line) }
        }
        let outcomes = "outcomes: [time_in_pathway_mean_h]\n"
        one(outcomes + "parameters: [states.servce.duration]", ["12:", "did you mean 'service'"])
        one(outcomes + "parameters: [{ place: roles.clinic/desk.capacity, low: 4, high: 2 }]", ["expected high above low (4), found 2"])
        one(outcomes + "parameters: [{ place: roles.clinic/desk.capacity, low: 0, high: 2 }]", ["expected whole numbers >= 1, found 0"])
        one(outcomes + "parameters: [{ place: handoffs.loss, low: 0.1 }]", ["expected both low and high"])
        one(outcomes + "parameters: [{ place: handoffs.loss, distribution: \"lognormal(mean=1, sd=1)\" }]", ["expected uniform, triangular or normal"])
        one(outcomes + "parameters: [handoffs.loss]", ["handoffs.loss is 0 in this model: +-20% of it is no range"])
        one(outcomes + "parameters: [architecture.option]", ["not a number that can vary"])
        one(outcomes + "parameters: [states.care.duration, states.care.duration]", ["already a parameter"])
        one("outcomes: [wait_mean_h]\nparameters: [states.care.duration]", ["11:", "experiments.sensitivity.outcomes[0]", "given per a role"])
        one(outcomes + "parameters: [states.care.duration]\nlevels: 5", ["expected an even number of levels"])
        one(outcomes + "parameters: [states.care.duration]\nmethod: morriss", ["did you mean 'morris'"])
        one(outcomes + "parameters: [states.care.duration]\ntrajectory: 4", ["unknown key 'trajectory'; did you mean 'trajectories'"])
        one(outcomes + "parameters: [states.care.duration]\nvariant: nope", ["variant 'nope' is not one of the scenario's"])
        one(outcomes + "parameters: [states.care.duration]\nmethod: sobol\nsamples: 1000000", ["the sobol design has 3,000,001 points, above the limit of 100,000"])
    }
}
