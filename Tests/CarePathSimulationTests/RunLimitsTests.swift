import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Every run ends, quickly, whatever the pathway: a patient caught in a loop stops the run with
/// the loop named, and a draw beyond the bounds stops it with the distribution named (issue 12).
final class RunLimitsTests: XCTestCase {
    /// `assess` goes to `loop` while the condition holds, else on to `review`; `review` goes back
    /// to `assess` while it holds, else out: with "age >= 0" (always true) nobody ever leaves.
    static func pathway(loop: String, duration: String = "1h", when condition: String = "age >= 0") -> String {
        """
        pathway: loop
        attributes:
          age: number
        organisations:
          clinic:
            sector: acute
            maturity: integrated
            roles:
              desk: { capacity: 2 }
              nurse: { capacity: 2 }
        states:
          assess:
            owner: clinic/desk
            duration: "\(duration)"
            next:
              - { to: \(loop), when: "\(condition)" }
              - { to: review }
          review:
            owner: clinic/nurse
            duration: 30m
            next:
              - { to: assess, when: "\(condition)" }
              - { to: left }
          left: { terminal: true }
        """
    }

    static func scenario(_ extra: String = "") -> String {
        """
        scenario: loop
        pathway: pathway.yaml
        cohort:
          patients: 20
          arrivals: 1/h
          attributes:
            age: normal(mean=70, sd=10)
        replications: 3
        seed: 5
        \(extra)
        """
    }

    func testAPatientWhoNeverLeavesALoopStopsTheRunWithTheCycleNamed() throws {
        let f = try Fixture.load(pathway: Self.pathway(loop: "assess"), scenario: Self.scenario())
        let started = Date()
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(threads: 2))
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "a stopped run returns at once")
        let fatal = try XCTUnwrap(summary.warnings?.first(where: \.isFatal))
        XCTAssertTrue(fatal.message.contains("run-away patient: patient 1 entered more than 10000 states"), fatal.message)
        XCTAssertTrue(fatal.message.contains("caught in the cycle assess -> assess"), fatal.message)
        XCTAssertEqual(fatal.subject, "assess assess")
    }

    func testALongerCycleIsNamedInTheOrderThePatientWentRoundIt() throws {
        let f = try Fixture.load(pathway: Self.pathway(loop: "review"), scenario: Self.scenario("max-state-entries: 50"))
        var stuck: StuckRun?
        _ = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant, seed: 1, maximumStateEntries: nil,
                                     observer: NoObserver(), stuck: &stuck)
        let message = try XCTUnwrap(stuck?.stopped)
        // Entries alternate assess, review: the 50th is review, the 51st assess, then review, then assess again.
        XCTAssertTrue(message.contains("entered more than 50 states, caught in the cycle assess -> review -> assess"), message)
    }

    func testTheLimitFromTheOptionsWinsOverTheScenarios() throws {
        let f = try Fixture.load(pathway: Self.pathway(loop: "assess"), scenario: Self.scenario("max-state-entries: 50"))
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(threads: 1, maximumStateEntries: 7))
        let message = try XCTUnwrap(summary.warnings?.first(where: \.isFatal)?.message)
        XCTAssertTrue(message.contains("more than 7 states"), message)
    }

    func testAPathwayThatEndsIsNotStoppedByTheLimit() throws {
        // Every patient enters exactly assess, review and left: a limit of 3 is never passed.
        let f = try Fixture.load(pathway: Self.pathway(loop: "assess", when: "age < -1"), scenario: Self.scenario("max-state-entries: 3"))
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        XCTAssertNil(summary.warnings?.first(where: \.isFatal))
        XCTAssertEqual(summary.variants.count, 1)
    }

    func testADrawBeyondTheBoundsStopsTheRunNamingTheDistribution() throws {
        // Valid parameters, a tail that reaches past 1,000 years about one draw in four.
        let f = try Fixture.load(pathway: Self.pathway(loop: "assess", duration: "lognormal(mean=8000000h, sd=8000000h)", when: "age < -1"),
                                 scenario: Self.scenario())
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        let message = try XCTUnwrap(summary.warnings?.first(where: \.isFatal)?.message)
        XCTAssertTrue(message.contains("states.assess.duration lognormal(mean 8000000 h, sd 8000000 h) drew "), message)
        XCTAssertTrue(message.contains("at most 8,766,000 h (1,000 years)"), message)
        XCTAssertTrue(summary.variants.isEmpty, "a stopped run has no figures")
    }

    func testExpectedVisitsOfALoopEndWithinTheirStepBudget() throws {
        let f = try Fixture.load(pathway: Self.pathway(loop: "assess"), scenario: Self.scenario())
        let started = Date()
        let visits = ExpectedVisits(pathway: f.pathway, cohort: f.scenario.cohort)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        // 2,000,000 steps at 10,000 a walk: 200 walks, every one stopped.
        XCTAssertEqual(visits.patients, ExpectedVisits.stepBudget / ExpectedVisits.defaultStepCap)
        XCTAssertEqual(visits.truncatedWalks, visits.patients)
        XCTAssertEqual(visits.statesPerPatient, Double(ExpectedVisits.defaultStepCap), accuracy: 1e-9)
    }

    func testProgressCountsJourneysWithinAReplication() throws {
        let f = try Fixture.load(pathway: Self.pathway(loop: "assess", when: "age < -1"),
                                 scenario: Self.scenario().replacingOccurrences(of: "patients: 20", with: "patients: 10000")
                                    .replacingOccurrences(of: "arrivals: 1/h", with: "arrivals: 1.5/h"))
        let seen = ProgressLog()
        _ = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(replications: 1, threads: 1),
                               progress: { seen.append($0) })
        let reports = seen.all
        // 10,000 journeys in batches of 4,096: two reports inside the replication, the rest at its end.
        XCTAssertEqual(reports.prefix(2).map(\.journeysDone), [4096, 8192])
        XCTAssertEqual(reports.prefix(2).map(\.replicationsDone), [0, 0])
        XCTAssertEqual(reports[0].fraction, 0.4096, accuracy: 1e-12)
        XCTAssertEqual(reports.last?.journeysDone, 10_000)
        XCTAssertEqual(reports.last?.fraction, 1)
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [RunProgress] = []
    func append(_ p: RunProgress) { lock.lock(); reports.append(p); lock.unlock() }
    var all: [RunProgress] { lock.lock(); defer { lock.unlock() }; return reports }
}
