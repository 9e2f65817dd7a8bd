import CarePathExperiments
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathTestSupport
import Foundation
import XCTest

/// The capacity search against queueing theory: on an M/M/c station the least capacity meeting
/// a limit on the mean wait is the one Erlang C gives, computed here by hand.
final class CapacitySearchTests: XCTestCase {
    /// One role, exponential service of mean 1 h, Poisson arrivals: an M/M/c queue.
    static let station = MMcStation.pathway

    static func scenario(arrivals: String = "4.4/h", patients: Int = 3000, range: (Int, Int) = (3, 8),
                         constraint: String = "wait_mean_h at clinic/staff <= 3h", budget: String = "{ initial: 10, max: 40 }") -> String {
        """
        scenario: mmc-staffing
        title: Least staff for a mean wait of at most 3 hours
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: \(arrivals)
        warm-up: 5%
        seed: 7
        experiments:
          optimise:
            decisions:
              capacities.clinic/staff: { min: \(range.0), max: \(range.1), cost: 1 }
            constraints:
              - \(constraint)
            confidence: 0.95
            replications: \(budget)
        """
    }

    static func load(_ text: String) throws -> (Scenario, Pathway, CapacitySearchSpec) {
        let result = ScenarioFile.check(text: text, file: "scenario.yaml", baseDirectory: URL(fileURLWithPath: "/nonexistent"),
                                        pathwayText: station)
        guard let scenario = result.scenario, let pathway = result.pathway, let spec = result.scenario?.experiments.optimise else {
            throw NSError(domain: "CapacitySearchTests", code: 1, userInfo: [NSLocalizedDescriptionKey: result.problems.map(\.description).joined(separator: "\n")])
        }
        return (scenario, pathway, spec)
    }

    /// The mean wait in queue, in hours (μ = 1 an hour); infinite when the queue cannot be stable.
    static func meanWait(servers c: Int, load a: Double) -> Double { ErlangC.meanWait(servers: c, load: a) }

    func testFindsTheLeastCapacityErlangCGives() throws {
        let (scenario, pathway, spec) = try Self.load(Self.scenario())
        // By hand: W(4) is infinite (4.4/h into 4 servers of 1/h), W(5) = 0.7184 / 0.6 = 1.197 h, W(6) = 0.245 h.
        let expected = (3...8).first { Self.meanWait(servers: $0, load: 4.4) <= 3 }
        XCTAssertEqual(expected, 5)
        XCTAssertEqual(Self.meanWait(servers: 5, load: 4.4), 1.1973, accuracy: 0.0001)

        let result = CapacitySearch(scenario: scenario, pathway: pathway, spec: spec).run()
        XCTAssertEqual(result.outcome, .chosen)
        let chosen = try XCTUnwrap(result.chosenConfiguration)
        XCTAssertEqual(chosen.capacities, [expected!])
        XCTAssertEqual(chosen.cost, 5)
        // The walk: 3 and 4 shown infeasible (overloaded), then 5 feasible; 6 and above never run.
        XCTAssertEqual(result.configurations.map(\.capacities), [[3], [4], [5]])
        XCTAssertEqual(result.configurations.map(\.status), [.infeasible, .infeasible, .feasible])
        XCTAssertEqual(result.configurations[1].figures[0].verdict, .fails)
        XCTAssertTrue(result.configurations[1].reason.contains("wait_mean_h at clinic/staff is at least"), result.configurations[1].reason)
        // The simulated wait at 5 agrees with Erlang C: within three 95% half-widths (warm-up and a
        // finite run leave a small bias at ρ = 0.88).
        let f = chosen.figures[0]
        let half = try XCTUnwrap(f.halfWidth)
        XCTAssertEqual(f.mean, 1.1973, accuracy: 3 * half, "mean \(f.mean) ± \(half)")
        XCTAssertLessThanOrEqual(f.bound, 3)
        // Bonferroni over one constraint and the looks 10, 20, 40.
        XCTAssertEqual(result.looks, [10, 20, 40])
        XCTAssertEqual(result.alphaPerTest, 0.05 / 3, accuracy: 1e-12)
    }

    func testReportsInfeasibleWithinTheRanges() throws {
        let (scenario, pathway, spec) = try Self.load(Self.scenario(patients: 1500, range: (2, 4)))
        let result = CapacitySearch(scenario: scenario, pathway: pathway, spec: spec).run()
        XCTAssertEqual(result.outcome, .infeasibleWithinRanges)
        XCTAssertNil(result.chosen)
        XCTAssertEqual(result.configurations.map(\.capacities), [[2], [3], [4]])
        XCTAssertTrue(result.configurations.allSatisfy { $0.status == .infeasible })
    }

    /// Two stations in tandem (a Jackson network: the second sees Poisson arrivals too).
    static let tandem = """
    pathway: tandem
    title: Two stations in tandem
    organisations:
      first:
        name: First
        sector: acute
        maturity: integrated
        roles:
          team: { capacity: 2 }
      second:
        name: Second
        sector: community
        maturity: basic
        roles:
          nurse: { capacity: 1 }
    states:
      one:
        owner: first/team
        duration: exponential(mean=1h)
        next: [ { to: two } ]
      two:
        owner: second/nurse
        duration: exponential(mean=30m)
        next: [ { to: done } ]
      done: { terminal: true }
    """

    /// The tandem pathway's staffing search: each role 1 to a few, cost 1 each, both mean waits <= 0.8 h.
    static func tandemStaffing(patients: Int) -> String {
        """
        scenario: tandem-staffing
        pathway: pathway.yaml
        cohort: { patients: \(patients), arrivals: 1.5/h }
        warm-up: 5%
        seed: 11
        experiments:
          optimise:
            decisions:
              capacities.first/team: { min: 1, max: 4, cost: 1 }
              capacities.second/nurse: { min: 1, max: 3, cost: 1 }
            constraints:
              - wait_mean_h at first/team <= 0.8h
              - wait_mean_h at second/nurse <= 0.8h
        """
    }

    func testTwoRolesAreBoundedThenWalkedAndPrunedByMonotonicity() throws {
        let text = Self.tandemStaffing(patients: 2000)
        let checked = ScenarioFile.check(text: text, file: "s.yaml", baseDirectory: URL(fileURLWithPath: "/nonexistent"), pathwayText: Self.tandem)
        let (scenario, pathway, spec) = (try XCTUnwrap(checked.scenario), try XCTUnwrap(checked.pathway), try XCTUnwrap(checked.scenario?.experiments.optimise, "\(checked.problems)"))
        // By hand (Erlang C, λ = 1.5/h): the team waits 1.286 h with 2, 0.158 h with 3; the nurse
        // (μ = 2/h) 1.5 h with 1, 0.082 h with 2. So 3 + 2 = cost 5 is the least.
        XCTAssertEqual(Self.meanWait(servers: 2, load: 1.5), 1.2857, accuracy: 0.0001)
        XCTAssertEqual(Self.meanWait(servers: 3, load: 1.5), 0.1579, accuracy: 0.0001)
        XCTAssertEqual(Self.meanWait(servers: 2, load: 0.75) / 2, 0.0818, accuracy: 0.0001)

        let result = CapacitySearch(scenario: scenario, pathway: pathway, spec: spec).run()
        XCTAssertEqual(result.chosenConfiguration?.capacities, [3, 2])
        // Bounds: the team 1, 2 (infeasible), 3 with the nurse at 3; the nurse 1 (infeasible), 2 with the team at 4.
        let bounds = result.configurations.filter { $0.phase == .bounds }.map(\.capacities)
        XCTAssertEqual(bounds, [[1, 3], [2, 3], [3, 3], [4, 1], [4, 2]])
        // The walk prunes everything below an infeasible bound and runs only the chosen one.
        let walk = result.configurations.filter { $0.phase == .walk }
        XCTAssertEqual(walk.filter { $0.status != .pruned }.map(\.capacities), [[3, 2]])
        XCTAssertEqual(Set(walk.filter { $0.status == .pruned }.map(\.capacities)), [[1, 1], [1, 2], [2, 1], [2, 2], [3, 1]])
        XCTAssertEqual(result.configurations.count, 11, "every configuration up to cost 5, each once")
    }

    func testSameSeedGivesTheSameJSONWhateverTheThreads() throws {
        let (scenario, pathway, spec) = try Self.load(Self.scenario(patients: 1000, range: (4, 6)))
        let one = try CapacitySearch(scenario: scenario, pathway: pathway, spec: spec, threads: 1).run().json()
        let two = try CapacitySearch(scenario: scenario, pathway: pathway, spec: spec, threads: 3).run().json()
        XCTAssertEqual(one, two)
        let other = try CapacitySearch(scenario: scenario, pathway: pathway, spec: spec, seed: 8, threads: 2).run().json()
        XCTAssertNotEqual(one, other, "another seed gives other figures")
    }
}
