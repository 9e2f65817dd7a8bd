import CarePathExperiments
import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// `experiments.optimise` read from a scenario: every field checked where it is written.
final class OptimiseFileTests: XCTestCase {
    func check(_ optimise: String) -> ScenarioFile.Result {
        let text = """
        scenario: s
        pathway: pathway.yaml
        cohort: { patients: 100, arrivals: 4/h }
        experiments:
          optimise:
        \(optimise)
        """
        return ScenarioFile.check(text: text, file: "s.yaml", baseDirectory: URL(fileURLWithPath: "/nonexistent"),
                                  pathwayText: CapacitySearchTests.station)
    }

    /// The problem at `line`, as text.
    func problem(_ r: ScenarioFile.Result, line: Int) -> String {
        r.errors.filter { $0.line == line }.map(\.description).joined(separator: " | ")
    }

    func testAValidSearchIsRead() throws {
        let r = check("""
            decisions:
              capacities.clinic/staff: { min: 2, max: 9, cost: 52000 }
            constraints:
              - wait_p90_h at clinic/staff <= 2d
              - delayed_transfers_per_100_patients >= 0 per 100 patients
            objective: least-cost
            confidence: 0.9
            replications: { initial: 5, max: 30 }
            monotone: false
        """)
        XCTAssertEqual(r.errors.map(\.description), [])
        let spec = try XCTUnwrap(r.scenario?.experiments.optimise)
        XCTAssertEqual(spec.decisions, [CapacityDecision(role: RoleReference(organisation: "clinic", role: "staff"), minimum: 2, maximum: 9, cost: 52000)])
        XCTAssertEqual(spec.constraints.map(\.figure), ["wait_p90_h at clinic/staff", "delayed_transfers_per_100_patients"])
        XCTAssertEqual(spec.constraints[0].limit, 48)
        XCTAssertEqual(spec.constraints[0].relation, .atMost)
        XCTAssertEqual(spec.constraints[1].relation, .atLeast)
        XCTAssertEqual(spec.confidence, 0.9)
        XCTAssertEqual(spec.initialReplications, 5)
        XCTAssertEqual(spec.maximumReplications, 30)
        XCTAssertFalse(spec.monotone)
    }

    func testEveryMistakeIsLocatedAndSaysWhatWasExpected() {
        // Lines: the optimise section's fields start at line 6.
        let r = check("""
            decisions:
              capacities.clinic/staf: { min: 2, max: 9, cost: 1 }
              states.service.duration: { min: 1, max: 2, cost: 1 }
              capacities.clinic/staff: { min: 5, max: 3, cost: -1 }
            constraints:
              - wait_p09_h at clinic/staff <= 48h
              - wait_p90_h at clinic/staf <= 48h
              - wait_p90_h at clinic/staff <= 48
              - blocked_bed_days_per_month <= 300 per week
              - wait_p90_h at clinic/staff < 48h
            objective: most-staff
            confidence: 1.5
            replications: { initial: 1, max: 40 }
        """)
        XCTAssertNil(r.scenario?.experiments.optimise)
        XCTAssertTrue(problem(r, line: 7).contains("did you mean 'staff'"), problem(r, line: 7))
        XCTAssertTrue(problem(r, line: 8).contains("a decision is a role's capacity (capacities.ORG/ROLE)"), problem(r, line: 8))
        XCTAssertTrue(problem(r, line: 9).contains("expected a cost per unit from 0 to 1e12, found -1.0"), problem(r, line: 9))
        XCTAssertTrue(problem(r, line: 13).contains("expected a time with its unit for wait_p90_h, such as 48h or 2d, found '48'"), problem(r, line: 13))
        XCTAssertTrue(problem(r, line: 14).contains("after the number for blocked_bed_days_per_month, found 'per week'"), problem(r, line: 14))
        XCTAssertTrue(problem(r, line: 15).contains("expected a constraint FIGURE <= LIMIT or FIGURE >= LIMIT"), problem(r, line: 15))
        XCTAssertTrue(problem(r, line: 16).contains("expected the objective least-cost"), problem(r, line: 16))
        XCTAssertTrue(problem(r, line: 17).contains("expected a confidence from 0.5 to below 1"), problem(r, line: 17))
        XCTAssertTrue(problem(r, line: 18).contains("expected a number of replications from 2"), problem(r, line: 18))
        XCTAssertTrue(r.errors.allSatisfy { $0.file == "s.yaml" })
    }

    func testAnUnknownFigureIsNamedAtItsLineOnceTheMetricsAreKnown() throws {
        let r = check("""
            decisions:
              capacities.clinic/staff: { min: 1, max: 3, cost: 1 }
            constraints:
              - wait_mean_h at clinic/staff <= 1h
              - wait_p90h at clinic/staff <= 48
              - wait_p90_h at clinic/staf <= 48h
        """)
        let spec = try XCTUnwrap(r.scenario?.experiments.optimise, "\(r.problems)")
        let problems = CapacitySearch.figureProblems(spec, pathway: r.pathway)
        XCTAssertEqual(problems.map(\.description), [
            "s.yaml:10:9: error: experiments.optimise.constraints[1]: unknown metric 'wait_p90h'; did you mean 'wait_p90_h'? (`carepath glossary` lists the metrics and their subjects)",
            "s.yaml:11:9: error: experiments.optimise.constraints[2]: wait_p90_h is given per a role (ORGANISATION/ROLE); 'clinic/staf' is not one in pathway mmc; did you mean 'clinic/staff'? (clinic/staff)",
        ])
    }

    func testAMissingPartAndAnUnknownKeyAreNamed() {
        let r = check("""
            decisions:
              capacities.clinic/staff: { min: 1, max: 3 }
            constrains: []
        """)
        let all = r.errors.map(\.description).joined(separator: "\n")
        XCTAssertTrue(all.contains("missing required key 'cost'"), all)
        XCTAssertTrue(all.contains("unknown key 'constrains'; did you mean 'constraints'?"), all)
        XCTAssertTrue(all.contains("missing required key 'constraints'"), all)
    }

    func testTooLargeALatticeIsRefusedAtTheDecisions() {
        let r = check("""
            decisions:
              capacities.clinic/staff: { min: 1, max: 100000, cost: 1 }
            constraints: [ "wait_mean_h at clinic/staff <= 1h" ]
        """)
        XCTAssertNil(r.scenario?.experiments.optimise)
        XCTAssertTrue(r.errors.contains { $0.line == 6 && $0.message.contains("the decisions' ranges give 100,000 configurations; at most 10,000") },
                      r.errors.map(\.description).joined())
    }
}
