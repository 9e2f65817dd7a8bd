import XCTest
import CarePathModel

private let ward = RoleReference(organisation: "acute", role: "ward")
private let socialWorker = RoleReference(organisation: "council", role: "social-worker")

/// A small pathway with one of everything a lever can reach.
private func pathway() -> Pathway {
    Pathway(
        id: "levers", title: "Levers",
        attributes: [PatientAttribute(name: "age", type: .number), PatientAttribute(name: "lives_alone", type: .boolean),
                     PatientAttribute(name: "sex", type: .categorical(["female", "male"]))],
        organisations: [
            Organisation(id: "acute", name: "City General", sector: .acute, maturity: .integrated, connections: [.messaging],
                         roles: [Role(id: "ward", organisation: "acute", capacity: 40,
                                      limit: QueueLimit(waiting: 5, overflow: "home"),
                                      patience: Patience(.exponential(mean: 48), destination: "home"))],
                         annotations: [Annotation(concern: .connectivity, note: "outages", availability: 0.97)]),
            Organisation(id: "council", name: "County Council", sector: .socialCare, maturity: .basic,
                         roles: [Role(id: "social-worker", organisation: "council", capacity: 3,
                                      annotations: [Annotation(concern: .trainingGap, note: "new staff", underRecording: 0.05)])]),
        ],
        information: [InformationItem(id: "summary", category: .health)],
        states: [
            State(id: "stay", owner: ward, duration: .lognormal(mean: 96, sd: 72), produces: ["summary"],
                  next: [Transition(to: "assess", probability: 0.3, annotations: [Annotation(concern: .liabilityFear, note: "n", underRecording: 0.1)]),
                         Transition(to: "home")]),
            State(id: "assess", owner: socialWorker, duration: .triangular(min: 1, mode: 2, max: 4), needs: ["summary"],
                  onGap: .chase(.exponential(mean: 4), effort: .fixed(0.25)),
                  next: [Transition(to: "home", probability: 0.75), Transition(to: "care-home", probability: 0.25)],
                  annotations: [Annotation(concern: .liabilityFear, note: "fear", underRecording: 0.02)]),
            State(id: "recheck", owner: socialWorker, duration: .fixed(1), onGap: .repeat(.fixed(2)), next: [Transition(to: "home")]),
            State(id: "home", owner: nil, isTerminal: true),
            State(id: "care-home", owner: nil, isTerminal: true),
        ],
        start: "stay")
}

private func scenario() -> Scenario {
    Scenario(id: "s", title: "S", pathwayFile: "p.yaml",
             cohort: Cohort(size: .patients(100), arrivals: .poisson(ratePerHour: 1),
                            attributes: ["age": .numeric(.normal(mean: 80, sd: 8)), "lives_alone": .bernoulli(0.4),
                                         "sex": .categorical(levels: ["female", "male"], weights: [1, 1])]),
             settings: ScenarioSettings(architecture: Architecture(outages: Outages(meanTimeBetween: 720, meanDuration: 4))))
}

private func pulled(_ levers: [Lever], file: StaticString = #filePath, line: UInt = #line) -> (pathway: Pathway, scenario: Scenario)? {
    switch Lever.apply(levers, to: pathway(), scenario()) {
    case .success(let pair): return pair
    case .failure(let problems):
        XCTFail("unexpected problems: \(problems)", file: file, line: line)
        return nil
    }
}

private func problems(_ levers: [Lever]) -> [LeverProblem] {
    switch Lever.apply(levers, to: pathway(), scenario()) {
    case .success: return []
    case .failure(let problems): return problems.problems
    }
}

private func lever(_ place: LeverPlace, _ value: LeverValue) -> Lever { Lever(place: place, value: value, text: "") }

final class LeverTests: XCTestCase {
    func testPlacesAreNamedAsTheValidatorNamesThem() {
        XCTAssertEqual(LeverPlace.roleCapacity(socialWorker).description, "organisations.council.roles.social-worker.capacity")
        XCTAssertEqual(LeverPlace.branchProbability(state: "triage", branch: 1).description, "states.triage.next[1].p")
        XCTAssertEqual(LeverPlace.concern(.branch(state: "stay", branch: 0), index: 0, parameter: .underRecording).description,
                       "states.stay.next[0].concerns[0].under-recording")
        XCTAssertEqual(LeverPlace.architecture(.batchEvery).description, "architecture.batch.every")
        XCTAssertEqual(LeverPlace.arrivals.description, "cohort.arrivals")
        XCTAssertEqual(LeverPlace.attributeShare("lives_alone").description, "cohort.attributes.lives_alone")
        XCTAssertEqual(LeverPlace.consentOptOut.description, "consent.opt-out")
        XCTAssertTrue(LeverPlace.stateDuration("stay").isInPathway)
        XCTAssertFalse(LeverPlace.arrivals.isInPathway)
    }

    func testEveryPathwayPlaceChangesItsNumberAndNothingElse() throws {
        let base = pathway()
        let p = try XCTUnwrap(pulled([
            lever(.queueLimit(ward), .wholeNumber(9)),
            lever(.patience(ward), .distribution(.exponential(mean: 24))),
            lever(.stateDuration("stay"), .distribution(.lognormal(mean: 84, sd: 72))),
            lever(.chaseDelay("assess"), .distribution(.exponential(mean: 8))),
            lever(.chaseEffort("assess"), .distribution(.fixed(0.5))),
            lever(.repeatDuration("recheck"), .distribution(.fixed(3))),
            lever(.branchProbability(state: "assess", branch: 0), .number(0.6)),
            lever(.branchProbability(state: "assess", branch: 1), .number(0.4)),
            lever(.concern(.organisation("acute"), index: 0, parameter: .availability), .number(0.9)),
            lever(.concern(.role(socialWorker), index: 0, parameter: .underRecording), .number(0.2)),
            lever(.concern(.state("assess"), index: 0, parameter: .underRecording), .number(0.3)),
            lever(.concern(.branch(state: "stay", branch: 0), index: 0, parameter: .underRecording), .number(0.4)),
        ])).pathway
        XCTAssertEqual(p.role(ward)?.limit, QueueLimit(waiting: 9, overflow: "home"))
        XCTAssertEqual(p.role(ward)?.patience, Patience(.exponential(mean: 24), destination: "home"))
        XCTAssertEqual(p.state("stay")?.duration, .lognormal(mean: 84, sd: 72))
        XCTAssertEqual(p.state("assess")?.onGap, .chase(.exponential(mean: 8), effort: .fixed(0.5)))
        XCTAssertEqual(p.state("recheck")?.onGap, .repeat(.fixed(3)))
        XCTAssertEqual(p.state("assess")?.next.map(\.probability), [0.6, 0.4])
        XCTAssertEqual(p.organisation("acute")?.annotations.first?.availability, 0.9)
        XCTAssertEqual(p.role(socialWorker)?.annotations.first?.underRecording, 0.2)
        XCTAssertEqual(p.state("assess")?.underRecording, 0.3)
        XCTAssertEqual(p.state("stay")?.next.first?.annotations.first?.underRecording, 0.4)
        // Numbers only: the structure is the same.
        XCTAssertEqual(p.states.map(\.id), base.states.map(\.id))
        XCTAssertEqual(p.roles.map(\.reference), base.roles.map(\.reference))
        XCTAssertEqual(p.states.map { $0.next.map(\.to) }, base.states.map { $0.next.map(\.to) })
    }

    func testRoleCapacityIsTheVariantsCapacityOfTheRoleAsCapacitiesSetsIt() throws {
        let (p, s) = try XCTUnwrap(pulled([lever(.roleCapacity(socialWorker), .wholeNumber(6))]))
        XCTAssertEqual(s.settings.capacities[socialWorker], 6)
        XCTAssertEqual(p, pathway(), "the pathway's own capacity stays as written; the scenario's capacity replaces it, as `capacities:` does")
    }

    func testEveryScenarioPlaceChangesItsSetting() throws {
        let s = try XCTUnwrap(pulled([
            lever(.arrivals, .ratePerHour(2)),
            lever(.patients, .wholeNumber(500)),
            lever(.attributeShare("lives_alone"), .number(0.5)),
            lever(.attributeDistribution("age"), .distribution(.normal(mean: 70, sd: 5))),
            lever(.architecture(.option), .option(.sharedRecord)),
            lever(.architecture(.fallback), .option(.pointToPoint)),
            lever(.architecture(.messageLatency), .distribution(.exponential(mean: 12))),
            lever(.architecture(.messageLoss), .number(0.1)),
            lever(.architecture(.batchEvery), .hours(24)),
            lever(.architecture(.batchAt), .hours(3)),
            lever(.architecture(.outagesEvery), .hours(100)),
            lever(.architecture(.outagesLasting), .hours(2)),
            lever(.architecture(.sourceAvailability), .number(0.9)),
            lever(.architecture(.sourceOutage), .hours(6)),
            lever(.handoff(.latency), .distribution(.fixed(1))),
            lever(.handoff(.loss), .number(0.05)),
            lever(.handoff(.resendAfter), .distribution(.fixed(24))),
            lever(.consentOptOut, .number(0.02)),
            lever(.underRecording, .number(0.01)),
        ])).scenario
        XCTAssertEqual(s.cohort.arrivals, .poisson(ratePerHour: 2))
        XCTAssertEqual(s.cohort.size, .patients(500))
        XCTAssertEqual(s.cohort.attributes["lives_alone"], .bernoulli(0.5))
        XCTAssertEqual(s.cohort.attributes["age"], .numeric(.normal(mean: 70, sd: 5)))
        let a = s.settings.architecture
        XCTAssertEqual(a.option, .sharedRecord)
        XCTAssertEqual(a.fallback, .pointToPoint)
        XCTAssertEqual(a.messageLatency, .exponential(mean: 12))
        XCTAssertEqual(a.messageLoss, 0.1)
        XCTAssertEqual(a.batchEvery, 24)
        XCTAssertEqual(a.batchAt, 3)
        XCTAssertEqual(a.outages, Outages(meanTimeBetween: 100, meanDuration: 2))
        XCTAssertEqual(a.sourceAvailability, 0.9)
        XCTAssertEqual(a.sourceOutageMean, 6)
        XCTAssertEqual(s.settings.handoffs, HandoffSettings(latency: .fixed(1), loss: 0.05, resendAfter: .fixed(24)))
        XCTAssertEqual(s.settings.consent, ConsentSettings(optOutRate: 0.02))
        XCTAssertEqual(s.settings.underRecording, 0.01)
    }

    func testAWeeklyProfileKeepsItsShapeAtTheNewRate() throws {
        var base = scenario()
        base.cohort.arrivals = .weekly(ratesPerHour: (0..<168).map { $0 < 84 ? 1 : 3 })
        guard case .success(let (_, s)) = Lever.apply([lever(.arrivals, .ratePerHour(4))], to: pathway(), base),
              case .weekly(let rates) = s.cohort.arrivals else { return XCTFail("not applied") }
        XCTAssertEqual(s.cohort.arrivals.meanRatePerHour, 4, accuracy: 1e-12)
        XCTAssertEqual(rates[100] / rates[0], 3, accuracy: 1e-12)
    }

    func testValuesOutOfRangeAreValueProblems() {
        let found = problems([lever(.roleCapacity(ward), .wholeNumber(0)), lever(.handoff(.loss), .number(1)),
                              lever(.stateDuration("stay"), .distribution(.lognormal(mean: -1, sd: 1))),
                              lever(.branchProbability(state: "stay", branch: 0), .wholeNumber(1))])
        XCTAssertEqual(found.map(\.part), [.value, .value, .value, .value])
        XCTAssertEqual(found.map(\.lever), [0, 1, 2, 3])
        XCTAssertEqual(found[0].message, "expected a whole number >= 1, found 0")
        XCTAssertTrue(found[1].message.contains("below 1"), found[1].message)
        XCTAssertTrue(found[2].message.contains("lognormal needs mean > 0"), found[2].message)
        XCTAssertEqual(found[3].message, "expected a probability between 0 and 1, found a whole number")
    }

    func testPlacesThatHoldNothingToSetAreProblemsNotStructureChanges() {
        let found = problems([
            lever(.branchProbability(state: "stay", branch: 1), .number(0.5)),
            lever(.branchProbability(state: "stay", branch: 7), .number(0.5)),
            lever(.queueLimit(socialWorker), .wholeNumber(3)),
            lever(.chaseDelay("stay"), .distribution(.fixed(1))),
            lever(.stateDuration("nowhere"), .distribution(.fixed(1))),
            lever(.concern(.state("stay"), index: 0, parameter: .underRecording), .number(0.1)),
            lever(.horizon, .hours(100)),
            lever(.attributeShare("age"), .number(0.5)),
        ])
        XCTAssertEqual(found.map(\.part), Array(repeating: .place, count: 8))
        XCTAssertEqual(found.map(\.lever), Array(0..<8))
        let messages = found.map(\.message)
        XCTAssertTrue(messages[0].contains("has no 'p' (it is the default branch)"), messages[0])
        XCTAssertEqual(messages[1], "states.stay.next[7]: state 'stay' has 2 branches (next[0] to next[1])")
        XCTAssertTrue(messages[2].contains("council/social-worker has no queue limit"), messages[2])
        XCTAssertTrue(messages[3].contains("does not chase"), messages[3])
        XCTAssertTrue(messages[4].contains("no state 'nowhere'"), messages[4])
        XCTAssertEqual(messages[5], "states.stay.concerns[0]: state 'stay' has 0 concerns (none)")
        XCTAssertTrue(messages[6].contains("given by a number of patients"), messages[6])
        XCTAssertTrue(messages[7].contains("'age' is number"), messages[7])
    }

    func testThePathwayIsCheckedAgainAtTheLastLeverThatTouchedIt() {
        // 0.9 + 0.25 > 1 with no default branch.
        let found = problems([lever(.stateDuration("stay"), .distribution(.fixed(2))),
                              lever(.branchProbability(state: "assess", branch: 0), .number(0.9))])
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.part, .model)
        XCTAssertEqual(found.first?.lever, 1)
        XCTAssertTrue(found.first?.message.hasPrefix("with this change, states.assess.next: branch probabilities sum to 1.15") == true,
                      found.first?.message ?? "")
        // With a default branch, the others may take 1 at most.
        let over = problems([lever(.branchProbability(state: "stay", branch: 0), .number(1))])
        XCTAssertEqual(over, [])
        var p = pathway()
        p.states[0].next.insert(Transition(to: "care-home", probability: 0.5), at: 1)
        guard case .failure(let failure) = Lever.apply([lever(.branchProbability(state: "stay", branch: 0), .number(0.6))], to: p, scenario()) else {
            return XCTFail("0.6 + 0.5 beside a default branch was accepted")
        }
        XCTAssertTrue(failure.problems.first?.message.contains("more than 1") == true, failure.description)
    }

    func testAVariantPullsItsLeversOnItsOwnSettingsAndKeepsThemForReports() throws {
        let s = scenario()
        var base = Variant(name: "shared", settings: s.settings)
        base.settings.architecture.option = .sharedRecord
        let levers = [lever(.stateDuration("stay"), .distribution(.fixed(10))), lever(.architecture(.messageLoss), .number(0.2)),
                      lever(.arrivals, .ratePerHour(3))]
        guard case .success(let v) = base.pulling(levers, pathway: pathway(), scenario: s) else { return XCTFail("not pulled") }
        XCTAssertEqual(v.settings.architecture.option, .sharedRecord, "the variant's own settings stay")
        XCTAssertEqual(v.settings.architecture.messageLoss, 0.2)
        XCTAssertEqual(v.pathway(over: pathway()).state("stay")?.duration, .fixed(10))
        XCTAssertEqual(s.cohort(of: v).arrivals, .poisson(ratePerHour: 3))
        XCTAssertEqual(v.levers, levers)
        // No lever on the pathway or cohort: the variant runs the scenario's.
        guard case .success(let only) = base.pulling([levers[1]], pathway: pathway(), scenario: s) else { return XCTFail("not pulled") }
        XCTAssertFalse(only.changesPathwayOrCohort)
        XCTAssertEqual(only.pathway(over: pathway()), pathway())
        XCTAssertEqual(s.cohort(of: only), s.cohort)
        XCTAssertTrue(v.changesPathwayOrCohort)
        // Pulled when run: a pathway or cohort changed in code after loading is seen.
        var changed = pathway()
        changed.states[1].duration = .fixed(99)
        XCTAssertEqual(v.pathway(over: changed).state("assess")?.duration, .fixed(99))
        XCTAssertEqual(v.pathway(over: changed).state("stay")?.duration, .fixed(10))
        var smaller = s
        smaller.cohort.size = .patients(7)
        XCTAssertEqual(smaller.cohort(of: v).size, .patients(7))
        XCTAssertEqual(smaller.cohort(of: v).arrivals, .poisson(ratePerHour: 3))
        // Problems name the position in the levers given.
        guard case .failure(let failure) = v.pulling([lever(.handoff(.loss), .number(2))], pathway: pathway(), scenario: s) else {
            return XCTFail("accepted")
        }
        XCTAssertEqual(failure.problems.map(\.lever), [0])
    }

    func testValuesAtAPlaceAreReadBack() {
        let p = pathway(), s = scenario()
        XCTAssertEqual(LeverPlace.stateDuration("stay").value(in: p, s), .distribution(.lognormal(mean: 96, sd: 72)))
        XCTAssertEqual(LeverPlace.roleCapacity(socialWorker).value(in: p, s), .wholeNumber(3))
        XCTAssertEqual(LeverPlace.branchProbability(state: "stay", branch: 0).value(in: p, s), .number(0.3))
        XCTAssertNil(LeverPlace.branchProbability(state: "stay", branch: 1).value(in: p, s))
        XCTAssertEqual(LeverPlace.arrivals.value(in: p, s), .ratePerHour(1))
        XCTAssertEqual(LeverPlace.architecture(.outagesLasting).value(in: p, s), .hours(4))
        XCTAssertNil(LeverPlace.architecture(.batchAt).value(in: p, s))
    }
}

/// Levers on cohort attributes change values only, never which attribute depends on which.
final class AttributeLeverTests: XCTestCase {
    func pull(_ place: LeverPlace, _ value: LeverValue, on cohort: inout Cohort) -> String? {
        var s = scenario()
        s.cohort = cohort
        switch Lever.apply([Lever(place: place, value: value, text: "")], to: pathway(), s) {
        case .success(let (_, changed)):
            cohort = changed.cohort
            return nil
        case .failure(let problems): return problems.problems.first?.message
        }
    }

    func testAttributeLeversKeepTheirStructure() throws {
        var cohort = Cohort(size: .patients(10), arrivals: .poisson(ratePerHour: 1), attributes: [
            "sex": .categorical(levels: ["female", "male"], weights: [0.56, 0.44]),
            "lives_alone": .conditional([Alternative(when: try Condition.parse("age >= 85"), .bernoulli(0.59))], otherwise: .bernoulli(0.29)),
        ])
        XCTAssertNil(pull(.attributeWeight("sex", level: "male"), .number(1), on: &cohort))
        XCTAssertEqual(cohort.attributes["sex"], .categorical(levels: ["female", "male"], weights: [0.56, 1]))
        XCTAssertEqual(pull(.attributeWeight("sex", level: "other"), .number(1), on: &cohort),
                       "cohort.attributes.sex.other: 'other' is not a level of 'sex' (its levels: female, male)")
        XCTAssertEqual(pull(.attributeWeight("sex", level: "female"), .number(-1), on: &cohort), "expected a weight of 0 or more (at most 1e12), found -1")
        XCTAssertNil(pull(.attributeShare("lives_alone", alternative: 1), .number(0.4), on: &cohort))
        guard case .conditional(let cases, let otherwise)? = cohort.attributes["lives_alone"] else { return XCTFail("the condition was lost") }
        XCTAssertEqual(cases.first?.value, .bernoulli(0.59))
        XCTAssertEqual(otherwise, .bernoulli(0.4))
        // The whole attribute would drop its dependency on age: refused, naming the alternatives.
        XCTAssertEqual(pull(.attributeShare("lives_alone"), .number(0.4), on: &cohort),
                       "cohort.attributes.lives_alone: 'lives_alone' depends on other attributes: set one alternative, cohort.attributes.lives_alone[0].is to [1].is (the last is the default)")
        XCTAssertEqual(LeverPlace.attributeShare("lives_alone", alternative: 1).description, "cohort.attributes.lives_alone[1].is")
    }
}
