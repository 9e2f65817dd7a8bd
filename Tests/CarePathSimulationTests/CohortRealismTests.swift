import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Durations and branch shares that depend on patient attributes, attributes that depend on each
/// other, and several breakdowns in one run, each against hand computation.
final class CohortRealismTests: XCTestCase {
    /// One ward stay whose length depends on age, then a branch whose share depends on living alone.
    /// The ward never queues, so the time at the stay is its drawn duration.
    static func pathway(stayCondition: String = "age >= 85") -> String {
        """
        pathway: cohort
        title: Cohort realism
        attributes:
          age: number
          lives_alone: boolean
          deprivation: number
        organisations:
          acute:
            name: Hospital
            sector: acute
            maturity: integrated
            roles:
              ward: { capacity: 100000 }
              therapy: { capacity: 100000 }
        information: {}
        states:
          stay:
            owner: acute/ward
            duration:
              - when: \(stayCondition)
                is: exponential(mean=7d)
              - is: exponential(mean=4d)
            next:
              - to: care-home
                p:
                  - { when: "lives_alone", is: 0.4 }
                  - { is: 0.1 }
              - { to: rehab }
          rehab:
            owner: acute/therapy
            duration: exponential(mean=2d)
            next: [ { to: home } ]
          care-home: { terminal: true }
          home: { terminal: true }
        """
    }

    static let livesAloneByAge = "[{ when: \"age >= 85\", is: 0.6 }, { is: 0.2 }]"

    static func scenario(patients: Int = 20_000, replications: Int = 2,
                         breakdown: String = "[{ attribute: age, cuts: [85, 90] }, lives_alone]",
                         livesAlone: String = livesAloneByAge) -> String {
        """
        scenario: cohort
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: 100/d
          attributes:
            age: normal(mean=80, sd=8)
            lives_alone: \(livesAlone)
            deprivation: integer(1, 5)
        replications: \(replications)
        seed: 11
        breakdown: \(breakdown)
        """
    }

    /// P(age >= x) for the scenario's normal(80, 8).
    static func above(_ x: Double) -> Double { 0.5 * erfc((x - 80) / 8 / 2.0.squareRoot()) }

    /// What a test needs of each patient: its groups (both breakdowns), and per state its time there.
    struct Journeys: SimulationObserver {
        var groups: [Int: CohortGroups] = [:]
        var started: [Int: [Int: Double]] = [:]
        var durations: [Int: [Int: Double]] = [:]
        var terminal: [Int: Int] = [:]
        mutating func patientArrived(_ p: PatientContext, at time: Double) { groups[p.index] = p.groups }
        mutating func stateStarted(_ p: PatientContext, state: Int, waited: Double, handoffDelay: Double, at time: Double) {
            started[p.index, default: [:]][state] = time
        }
        mutating func stateEnded(_ p: PatientContext, state: Int, at time: Double) {
            durations[p.index, default: [:]][state] = time - (started[p.index]?[state] ?? .nan)
        }
        mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) { self.terminal[p.index] = terminal }
    }

    func journeys(_ f: Fixture.Loaded) -> Journeys {
        ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                 seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: Journeys())
    }

    /// Asserts `observed` lies within `k` standard errors of `expected`.
    func assertNear(_ observed: Double, _ expected: Double, standardError: Double, k: Double = 4, _ what: String,
                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan(abs(observed - expected), k * standardError,
                          "\(what): observed \(observed), expected \(expected) (standard error \(standardError))", file: file, line: line)
    }

    // MARK: Durations by condition

    func testTheTimeAtAStateIsTheMeanOfThePatientsAlternative() throws {
        let f = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario())
        let run = journeys(f)
        let stay = f.stateIndex("stay")
        // Age bands: 0 below 85, 1 at 85-89, 2 at 90 and over; exponential durations, sd = mean.
        var byBand: [[Double]] = [[], [], []]
        for (patient, groups) in run.groups {
            byBand[groups[0]].append(try XCTUnwrap(run.durations[patient]?[stay]))
        }
        for (band, meanDays) in [(0, 4.0), (1, 7.0), (2, 7.0)] {
            let values = byBand[band]
            XCTAssertGreaterThan(values.count, 500, "band \(band)")
            let mean = values.reduce(0, +) / Double(values.count)
            assertNear(mean, meanDays * 24, standardError: meanDays * 24 / Double(values.count).squareRoot(), "mean stay in age band \(band)")
        }

        // The collector's figures by group say the same: time in pathway = stay + rehab (2 d) for
        // those not going to a care home.
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        let older = try XCTUnwrap(summary.variants[0].metric("group_patient_share", group: "age>=90"))
        XCTAssertEqual(older.mean, Self.above(90), accuracy: 0.01)
        let under = try XCTUnwrap(summary.variants[0].metric("group_patient_share", group: "age<85"))
        XCTAssertEqual(under.mean, 1 - Self.above(85), accuracy: 0.01)
    }

    func testAChangedConditionChangesOnlyThePatientsItMovesAndDrawsOncePerState() throws {
        let a = try Fixture.load(pathway: Self.pathway(stayCondition: "age >= 85"), scenario: Self.scenario(patients: 4000, replications: 1))
        let b = try Fixture.load(pathway: Self.pathway(stayCondition: "age >= 90"), scenario: Self.scenario(patients: 4000, replications: 1))
        let runA = journeys(a), runB = journeys(b)
        let stay = a.stateIndex("stay"), rehab = a.stateIndex("rehab")
        XCTAssertEqual(runA.groups, runB.groups, "the same patients with the same attributes")
        var moved = 0, kept = 0
        for (patient, groups) in runA.groups {
            let durationA = try XCTUnwrap(runA.durations[patient]), durationB = try XCTUnwrap(runB.durations[patient])
            // The branch is drawn from its own stream, so every patient takes the same one.
            XCTAssertEqual(runA.terminal[patient], runB.terminal[patient])
            // Only patients aged 85-89 change alternative; everyone else draws exactly the same.
            if groups[0] == 1 {
                moved += 1
                // One draw either way: the same standard exponential scaled by 7 d, then by 4 d.
                XCTAssertEqual(try XCTUnwrap(durationB[stay]), try XCTUnwrap(durationA[stay]) * 4 / 7,
                               accuracy: 1e-9 * max(1, durationA[stay] ?? 0), "patient \(patient)")
            } else {
                kept += 1
                XCTAssertEqual(durationA[stay], durationB[stay], "patient \(patient)")
            }
            // The next state's draw is the same for every patient: one draw per state (measured
            // as end minus start, whose clock times differ for the patients moved: rounding only).
            if let rehabA = durationA[rehab] {
                let rehabB = try XCTUnwrap(durationB[rehab])
                XCTAssertEqual(rehabA, rehabB, accuracy: 1e-9 * max(1, rehabA), "patient \(patient)")
            } else {
                XCTAssertNil(durationB[rehab])
            }
        }
        XCTAssertGreaterThan(moved, 300)
        XCTAssertGreaterThan(kept, 3000)
    }

    // MARK: Branch shares by condition

    func testEachGroupTakesTheBranchWithItsOwnShare() throws {
        let f = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario())
        let run = journeys(f)
        let careHome = f.stateIndex("care-home")
        for (group, share) in [(0, 0.1), (1, 0.4)] {
            let patients = run.groups.filter { $0.value[1] == group }.map(\.key)
            let taking = patients.filter { run.terminal[$0] == careHome }.count
            let n = Double(patients.count)
            assertNear(Double(taking) / n, share, standardError: (share * (1 - share) / n).squareRoot(), "care-home share, lives_alone group \(group)")
        }
        // And over everyone, as the offered-load walk predicts it: 0.1 + 0.3 x P(lives alone).
        let livingAlone = Self.above(85) * 0.6 + (1 - Self.above(85)) * 0.2
        let visits = ExpectedVisits(pathway: f.pathway, cohort: f.scenario.cohort, patients: 40_000)
        XCTAssertEqual(visits.visits("care-home"), 0.1 + 0.3 * livingAlone, accuracy: 0.01)
        XCTAssertEqual(visits.visits("rehab"), 1 - visits.visits("care-home"), accuracy: 1e-12)
        // Unit-hours per patient at the stay: the alternatives' means by the age mix.
        let expected = (Self.above(85) * 7 + (1 - Self.above(85)) * 4) * 24
        XCTAssertEqual(try XCTUnwrap(visits.hoursByAttributes["stay"]), expected, accuracy: 0.01 * expected)
        let load = OfferedLoad(pathway: f.pathway, cohort: f.scenario.cohort, settings: f.variant.settings, visits: visits)
        XCTAssertEqual(try XCTUnwrap(load.load(of: RoleReference(organisation: "acute", role: "ward"))).hoursPerPatient,
                       visits.hoursByAttributes["stay"] ?? 0, accuracy: 1e-9)
    }

    // MARK: Attributes that depend on each other

    func testLivingAloneFollowsAgeAsTheCohortSays() throws {
        let f = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario())
        XCTAssertEqual(f.scenario.cohort.attributeOrder, ["age", "lives_alone", "deprivation"])
        let run = journeys(f)
        for (older, share) in [(true, 0.6), (false, 0.2)] {
            let group = run.groups.values.filter { ($0[0] >= 1) == older }
            let alone = group.filter { $0[1] == 1 }.count
            let n = Double(group.count)
            assertNear(Double(alone) / n, share, standardError: (share * (1 - share) / n).squareRoot(),
                       "share living alone, \(older ? "85 and over" : "under 85")")
        }
    }

    func testAttributesAreDrawnInTheCohortsOrderWithOneDrawEach() throws {
        // Deprivation is drawn after lives_alone either way: a conditional lives_alone draws once,
        // so every patient's deprivation is the one a plain probability would give.
        let plain = Self.scenario(patients: 2000, replications: 1, breakdown: "deprivation", livesAlone: "0.3")
        let a = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario(patients: 2000, replications: 1, breakdown: "deprivation"))
        let b = try Fixture.load(pathway: Self.pathway(), scenario: plain)
        let groupsA = journeys(a).groups, groupsB = journeys(b).groups
        XCTAssertEqual(groupsA.count, 2000)
        XCTAssertEqual(groupsA.mapValues { $0[0] }, groupsB.mapValues { $0[0] })
    }

    // MARK: Several breakdowns

    func testTwoBreakdownsInOneRunGiveBothGroupsFigures() throws {
        let f = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario(patients: 3000, replications: 3,
                                                                                   breakdown: "[deprivation, lives_alone]"))
        XCTAssertEqual(f.scenario.breakdowns.map(\.attribute), ["deprivation", "lives_alone"])
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        let v = summary.variants[0]
        let deprivation = (1...5).map { "deprivation=\($0)" }, alone = ["lives_alone=false", "lives_alone=true"]
        for groups in [deprivation, alone] {
            var total = 0.0
            for g in groups {
                let share = try XCTUnwrap(v.metric("group_patient_share", group: g), g)
                total += share.mean
                for name in ["time_in_pathway_mean_h", "gaps_per_patient", "handoffs_cross_per_patient"] {
                    XCTAssertNotNil(v.metric(name, group: g), "\(name) for \(g)")
                }
                XCTAssertNotNil(v.metric("wait_mean_h", subject: "acute/ward", group: g), "ward wait for \(g)")
            }
            XCTAssertEqual(total, 1, accuracy: 1e-9, "the shares of \(groups) sum to 1")
        }
        let groups = Set(v.metrics.map(\.group)).subtracting([""])
        XCTAssertEqual(groups, Set(deprivation + alone), "no other group")
        // By hand: time in pathway = the stay (7 d at 85 and over, else 4 d) + 2 d of rehab for
        // those not going to a care home (60% living alone, 90% not).
        let old = Self.above(85)
        for (alone, rehab) in [(true, 0.6), (false, 0.9)] {
            let (pOld, pYoung) = alone ? (old * 0.6, (1 - old) * 0.2) : (old * 0.4, (1 - old) * 0.8)
            let expected = (pOld * 168 + pYoung * 96) / (pOld + pYoung) + rehab * 48
            let n = (pOld + pYoung) * 3000 * 3
            let observed = try XCTUnwrap(v.metric("time_in_pathway_mean_h", group: "lives_alone=\(alone)")).mean
            assertNear(observed, expected, standardError: 1.2 * expected / n.squareRoot(), "time in pathway, lives_alone=\(alone)")
        }

        // Patients' outcomes name every group they are in.
        let outcomes = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: PatientOutcomeRecorder())
        XCTAssertTrue(outcomes.outcomes.allSatisfy { $0.group.hasPrefix("deprivation=") && $0.group.contains(", lives_alone=") })
    }

    func testResultsAreTheSameWhateverTheThreads() throws {
        let f = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario(patients: 1500, replications: 4))
        let one = try ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 1)).json()
        let four = try ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 4)).json()
        XCTAssertEqual(one, four)
    }

    func testGroupNamesCarryTheirAttribute() {
        let pathway = Pathway(id: "p", title: "p", attributes: [
            PatientAttribute(name: "age", type: .number), PatientAttribute(name: "sex", type: .categorical(["female", "male"])),
            PatientAttribute(name: "alone", type: .boolean), PatientAttribute(name: "imd", type: .number),
        ], organisations: [], information: [], states: [], start: "")
        let breakdowns = [Breakdown(attribute: "age", cuts: [85, 75]), Breakdown(attribute: "sex"),
                          Breakdown(attribute: "alone"), Breakdown(attribute: "imd")]
        let naming = SimulationPlan.GroupNaming(breakdowns: breakdowns, pathway: pathway)
        XCTAssertEqual((0..<3).map { naming.name($0) }, ["age<75", "age 75-85", "age>=85"])
        XCTAssertEqual(naming.name(CohortGroups.stride + 1), "sex=male")
        XCTAssertEqual(naming.name(2 * CohortGroups.stride), "alone=false")
        XCTAssertEqual(naming.name(3 * CohortGroups.stride + 4), "imd=4")
        XCTAssertEqual(naming.name(-1), "")
        var groups = CohortGroups()
        for g in [2, 0, 1, 5000] { groups.append(g) }
        XCTAssertEqual(groups.count, 4)
        XCTAssertEqual(naming.name(groups), "age>=85, sex=female, alone=true, imd=999")
        // Each group belongs to its own breakdown only.
        XCTAssertTrue(breakdowns[0].owns(group: "age 75-85"))
        XCTAssertFalse(Breakdown(attribute: "ag").owns(group: "age<75"))
        XCTAssertEqual(breakdowns[2].groups(among: ["age<75", "alone=true", "sex=male"], of: breakdowns), ["alone=true"])
        XCTAssertEqual(breakdowns[2].groups(among: ["<75", "female"], of: [breakdowns[2]]), ["<75", "female"])
    }

    // MARK: Warnings

    func testAnAttributeReadOnlyByAnotherUsedOneIsNotUnused() throws {
        // deprivation is read by nothing: warned. age is read by the stay's duration and by
        // lives_alone's distribution; lives_alone by the branch share.
        let f = try Fixture.load(pathway: Self.pathway(stayCondition: "lives_alone"),
                                 scenario: Self.scenario(patients: 100, replications: 1, breakdown: "lives_alone"))
        XCTAssertEqual(RunWarnings.unusedAttributes(f.scenario, pathway: f.pathway).map(\.subject), ["deprivation"])
        let g = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario(patients: 100, replications: 1, breakdown: "[deprivation]"))
        XCTAssertEqual(RunWarnings.unusedAttributes(g.scenario, pathway: g.pathway).map(\.subject), [])
    }
}
