import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Offered load and expected visits against hand computations, and against the engine itself.
final class OfferedLoadTests: XCTestCase {
    /// Branches worked out by hand (F = frail, 40% of patients; N = not frail, 60%):
    /// - triage: every patient once; then 30% to review, 70% straight to assess.
    /// - review (30%): frail patients go on to assess, the others home: a `when` without `p`.
    /// - assess: frail patients go home; a non-frail one goes to extra with p 0.5 (a `when` with
    ///   `p`: frail patients skip it and take the default), and extra loops back to assess.
    /// Expected visits: triage 1; review 0.3; assess 0.4 x 1 (every frail patient, by either
    /// route) + 0.6 x 0.7 x 2 (non-frail ones arrive only straight from triage, and visit assess
    /// 1 / (1 - 0.5) = 2 times) = 1.24; extra 0.6 x 0.7 x 1 = 0.42; home 1.
    static let pathway = """
    pathway: hand
    title: Hand-computed visits
    attributes:
      frail: boolean
    organisations:
      hospital:
        name: Hospital
        sector: acute
        maturity: integrated
        roles:
          nurse: { capacity: 2 }
          team: { capacity: 2, calendar: weekdays 09:00-17:00 }
          porter: { capacity: 1 }
    states:
      triage:
        owner: hospital/nurse
        duration: 1h
        next: [ { to: review, p: 0.3 }, { to: assess } ]
      review:
        owner: hospital/team
        duration: exponential(mean=2h)
        next: [ { to: assess, when: frail }, { to: home } ]
      assess:
        owner: hospital/team
        duration: "triangular(1h, 2h, 3h)"
        next: [ { to: extra, when: not frail, p: 0.5 }, { to: home } ]
      extra:
        owner: hospital/porter
        duration: 30m
        occupies: false
        next: [ { to: assess } ]
      home: { terminal: true }
    """

    static func scenario(rate: String = "1/h", patients: Int = 5000, replications: Int = 4) -> String {
        """
        scenario: hand
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: \(rate)
          attributes:
            frail: 0.4
        replications: \(replications)
        seed: 11
        """
    }

    static let expected = ["triage": 1.0, "review": 0.3, "assess": 1.24, "extra": 0.42, "home": 1.0]

    /// Sampling tolerance of 20,000 walks, at about 4.5 standard errors: a visit count that is
    /// 0 or 1 per patient has sd <= 0.5, so SE <= 0.0035 and 0.016 covers it; assess's count
    /// (1 for frail, geometric with mean 2 and variance 2 for 42% of patients, 0 otherwise) has
    /// variance 0.4 + 0.42 x 6 - 1.24^2 = 1.38, SE 0.0083, so 0.038. With the fixed seed the
    /// figures never change; the margin says any seed would pass.
    static let tolerance = ["triage": 0.0, "review": 0.016, "assess": 0.038, "extra": 0.016, "home": 0.0]

    func testExpectedVisitsMatchTheHandComputation() throws {
        let f = try Fixture.load(pathway: Self.pathway, scenario: Self.scenario())
        let visits = ExpectedVisits(pathway: f.pathway, cohort: f.scenario.cohort)
        XCTAssertEqual(visits.patients, ExpectedVisits.defaultPatients)
        XCTAssertEqual(visits.truncatedWalks, 0)
        for (state, value) in Self.expected {
            XCTAssertEqual(visits.visits(state), value, accuracy: Self.tolerance[state]! + 1e-12, state)
        }
        // Reproducible: the same files give the same figures.
        XCTAssertEqual(ExpectedVisits(pathway: f.pathway, cohort: f.scenario.cohort).perState, visits.perState)
    }

    func testOfferedLoadPerRoleMatchesTheHandComputation() throws {
        let f = try Fixture.load(pathway: Self.pathway, scenario: Self.scenario())
        let load = OfferedLoad(pathway: f.pathway, cohort: f.scenario.cohort, settings: f.scenario.settings)
        XCTAssertEqual(load.arrivalsPerHour, 1, accuracy: 1e-12)
        let nurse = try XCTUnwrap(load.load(of: RoleReference(organisation: "hospital", role: "nurse")))
        // 1 an hour x 1 visit x 1h over 2 staff, always open.
        XCTAssertEqual(nurse.load, 0.5, accuracy: 1e-12)
        XCTAssertEqual(nurse.sustainedLoad, 0.5, accuracy: 1e-12)
        // review 0.3 x 2h + assess 1.24 x 2h = 3.08 unit-hours per patient, over 2 staff for
        // 40 of the week's 168 hours: 3.08 / (80 / 168) = 6.468.
        let team = try XCTUnwrap(load.load(of: RoleReference(organisation: "hospital", role: "team")))
        XCTAssertEqual(team.meanCapacity, 80.0 / 168, accuracy: 1e-12)
        XCTAssertEqual(team.hoursPerPatient, 3.08, accuracy: 2 * (0.016 + 0.038))
        XCTAssertEqual(team.load, 3.08 * 168 / 80, accuracy: 2 * (0.016 + 0.038) * 168 / 80)
        // extra does not occupy the porter: no load.
        let porter = try XCTUnwrap(load.load(of: RoleReference(organisation: "hospital", role: "porter")))
        XCTAssertEqual(porter.visitsPerPatient, 0)
        XCTAssertEqual(porter.load, 0)
        // A variant's capacity counts: 4 staff halve the team's load.
        var more = f.scenario.settings
        more.capacities[RoleReference(organisation: "hospital", role: "team")] = 4
        let halved = OfferedLoad(pathway: f.pathway, cohort: f.scenario.cohort, settings: more)
        XCTAssertEqual(halved.load(of: team.role)!.load, team.load / 2, accuracy: 1e-9)
    }

    /// The walk and the engine branch alike: the simulated visits per patient agree with the
    /// expected ones within the run's interval plus the walk's own tolerance.
    func testExpectedVisitsAgreeWithTheEngine() throws {
        let f = try Fixture.load(pathway: Self.pathway, scenario: Self.scenario(rate: "0.1/h", patients: 2000))
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 2))
        let visits = ExpectedVisits(pathway: f.pathway, cohort: f.scenario.cohort)
        for state in ["triage", "review", "assess", "extra"] {
            let simulated = try XCTUnwrap(summary.variants[0].metric("state_visits_per_patient", subject: state), state)
            XCTAssertEqual(simulated.mean, visits.visits(state), accuracy: (simulated.halfWidth ?? 0) + Self.tolerance[state]! + 1e-9, state)
        }
    }

    func testMonthlyFactorsScaleTheArrivalRate() {
        var cohort = Cohort(size: .patients(10), arrivals: .poisson(ratePerHour: 2))
        XCTAssertEqual(OfferedLoad.arrivalsPerHour(cohort), 2)
        cohort.monthlyFactors = [1.3, 1.3, 1.1, 1, 1, 0.9, 0.9, 0.9, 1, 1, 1.2, 1.4]
        XCTAssertEqual(OfferedLoad.arrivalsPerHour(cohort), 2 * 13.0 / 12, accuracy: 1e-12)
    }

    func testAWalkThatNeverEndsIsCapped() {
        let org = Organisation(id: "o", name: "O", sector: .acute, maturity: .integrated,
                               roles: [Role(id: "r", organisation: "o", capacity: 1)])
        let loop = State(id: "loop", owner: RoleReference(organisation: "o", role: "r"), duration: .fixed(1),
                         next: [Transition(to: "loop")])
        let pathway = Pathway(id: "p", title: "P", organisations: [org], information: [], states: [loop], start: "loop")
        let visits = ExpectedVisits(pathway: pathway, cohort: Cohort(size: .patients(1), arrivals: .poisson(ratePerHour: 1)),
                                    patients: 10, stepCap: 50)
        XCTAssertEqual(visits.truncatedWalks, 10)
        XCTAssertEqual(visits.visits("loop"), 50)
    }

    /// The fluid estimate of the capacity a rota sustains, worked out by hand: 10 staff open 12
    /// hours a day. Services far shorter than the closure sustain the open mean (5); far longer,
    /// the peak (10); a 12h mean service loses 10 x 12 x e^-1 unit-hours each closure, so
    /// (120 + 120 (1 - e^-1)) / 24.
    func testSustainedCapacityOfARota() {
        let calendar = WorkingCalendar(days: Set(0..<7), opens: 8 * 60, closes: 20 * 60)
        let schedule = CapacitySchedule(calendar, nominal: 10)
        XCTAssertEqual(schedule.weeklyMean, 5, accuracy: 1e-12)
        XCTAssertEqual(OfferedLoad.sustainedCapacity(schedule, meanService: 0), 5, accuracy: 1e-12)
        XCTAssertEqual(OfferedLoad.sustainedCapacity(schedule, meanService: 1e-3), 5, accuracy: 1e-3)
        XCTAssertEqual(OfferedLoad.sustainedCapacity(schedule, meanService: 12), (120 + 120 * (1 - exp(-1))) / 24, accuracy: 1e-9)
        XCTAssertEqual(OfferedLoad.sustainedCapacity(schedule, meanService: 1e6), 10, accuracy: 1e-3)
        XCTAssertEqual(OfferedLoad.sustainedCapacity(.constant(3), meanService: 5), 3)
    }

    func testTheMeanOfATruncatedNormalIsTheEngines() {
        XCTAssertEqual(OfferedLoad.meanDuration(.normal(mean: 2, sd: 0)), 2)
        // Far from zero, truncation changes nothing.
        XCTAssertEqual(OfferedLoad.meanDuration(.normal(mean: 10, sd: 1)), 10, accuracy: 1e-12)
        // Mean 0 is not valid in a file, but the half-normal checks the formula: sd x sqrt(2 / pi).
        XCTAssertEqual(OfferedLoad.meanDuration(.normal(mean: 0, sd: 1)), (2 / Double.pi).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(OfferedLoad.meanDuration(.exponential(mean: 3)), 3)
    }
}
