import XCTest
import CarePathModel

private let ward = RoleReference(organisation: "acute", role: "ward")
private let socialWorker = RoleReference(organisation: "council", role: "social-worker")

/// A small valid discharge pathway, built in code.
private func dischargePathway() -> Pathway {
    Pathway(
        id: "d2a", title: "Discharge to assess",
        attributes: [PatientAttribute(name: "age", type: .number), PatientAttribute(name: "lives_alone", type: .boolean)],
        organisations: [
            Organisation(id: "acute", name: "City General", sector: .acute, maturity: .integrated,
                         connections: [.messaging],
                         roles: [Role(id: "ward", organisation: "acute", capacity: 40)]),
            Organisation(id: "council", name: "County Council", sector: .socialCare, maturity: .basic,
                         roles: [Role(id: "social-worker", organisation: "council", capacity: 3, calendar: .weekdays9to17,
                                      queue: .priority(attribute: "age", highestFirst: true))]),
        ],
        information: [InformationItem(id: "summary", category: .health),
                      InformationItem(id: "assessment", category: .socialCare)],
        states: [
            State(id: "stay", owner: ward, duration: .lognormal(mean: 144, sd: 96), produces: ["summary"], next: [
                Transition(to: "assess", condition: try! Condition.parse("age >= 85 and lives_alone")),
                Transition(to: "assess", probability: 0.3),
                Transition(to: "home"),
            ]),
            State(id: "assess", owner: socialWorker, duration: .triangular(min: 1, mode: 2, max: 4),
                  needs: ["summary"], produces: ["assessment"], onGap: .chase(.exponential(mean: 4)), next: [
                Transition(to: "home", probability: 0.75, carries: ["assessment"]),
                Transition(to: "care-home", probability: 0.25),
            ]),
            State(id: "home", owner: nil, isTerminal: true),
            State(id: "care-home", owner: nil, isTerminal: true),
        ],
        start: "stay")
}

private func summary(_ problems: [ModelProblem]) -> [String] {
    problems.map { "\($0.severity.rawValue) \($0.path): \($0.message)" }
}

final class PathwayProblemsTests: XCTestCase {
    func testAValidPathwayHasNoProblems() {
        XCTAssertEqual(summary(dischargePathway().problems()), [])
    }

    func testLookupsFindOrganisationsRolesStatesAndItems() {
        let p = dischargePathway()
        XCTAssertEqual(p.role(socialWorker)?.capacity, 3)
        XCTAssertEqual(p.role(socialWorker)?.reference, socialWorker)
        XCTAssertNil(p.role(RoleReference(organisation: "acute", role: "nurse")))
        XCTAssertEqual(p.organisation("council")?.sector, .socialCare)
        XCTAssertEqual(p.state("assess")?.needs, ["summary"])
        XCTAssertEqual(p.item("assessment")?.category, .socialCare)
        XCTAssertEqual(p.roles.map(\.id), ["ward", "social-worker"])
        XCTAssertEqual(p.attributeTypes, ["age": .number, "lives_alone": .boolean])
    }

    func testCrossOrganisationHandoffsAndCarriedItems() throws {
        let p = dischargePathway()
        XCTAssertTrue(p.isCrossOrganisation(from: "stay", to: "assess"))
        XCTAssertFalse(p.isCrossOrganisation(from: "stay", to: "stay"))
        XCTAssertFalse(p.isCrossOrganisation(from: "stay", to: "home"), "a state with no owner crosses no boundary")
        let stay = try XCTUnwrap(p.state("stay")), assess = try XCTUnwrap(p.state("assess"))
        // By default: what the sending organisation records that the receiving organisation needs.
        XCTAssertEqual(p.itemsCarried(from: stay, by: stay.next[1]), ["summary"])
        XCTAssertEqual(p.itemsCarried(from: stay, by: stay.next[2]), [], "to a state with no owner nothing is sent")
        XCTAssertEqual(p.itemsCarried(from: stay, by: Transition(to: "stay")), [], "within one organisation nothing is sent")
        XCTAssertEqual(p.itemsCarried(from: assess, by: assess.next[0]), ["assessment"], "an explicit list wins")
        XCTAssertEqual(p.itemsCarried(from: assess, by: assess.next[1]), [], "the council records nothing acute needs")
    }

    func testOrganisationWithoutRolesIsAnError() {
        var p = dischargePathway()
        p.organisations.append(Organisation(id: "gp", name: "GP", sector: .primary, maturity: .basic))
        XCTAssertEqual(summary(p.problems()), ["error organisations.gp.roles: an organisation needs at least one role"])
    }

    func testZeroOrNegativeCapacityIsAnError() {
        var p = dischargePathway()
        p.organisations[0].roles[0].capacity = 0
        XCTAssertEqual(summary(p.problems()),
                       ["error organisations.acute.roles.ward.capacity: capacity must be a whole number of at least 1, found 0"])
        p.organisations[0].roles[0].capacity = -2
        XCTAssertEqual(summary(p.problems()),
                       ["error organisations.acute.roles.ward.capacity: capacity must be a whole number of at least 1, found -2"])
    }

    func testPriorityQueueByUndeclaredAttributeIsAnError() {
        var p = dischargePathway()
        p.organisations[1].roles[0].queue = .priority(attribute: "frailty", highestFirst: false)
        XCTAssertEqual(summary(p.problems()),
                       ["error organisations.council.roles.social-worker.queue: priority by unknown attribute 'frailty' (known: age, lives_alone)"])
    }

    func testUnknownStartStateIsAnError() {
        var p = dischargePathway()
        p.start = "admission"
        XCTAssertEqual(summary(p.problems()),
                       ["error start: start state 'admission' is not a state of this pathway (known: stay, assess, home, care-home)"])
    }

    func testOwnerMustNameAKnownOrganisationAndRole() {
        var p = dischargePathway()
        p.states[0].owner = RoleReference(organisation: "acme", role: "ward")
        p.states[1].owner = RoleReference(organisation: "council", role: "nurse")
        XCTAssertEqual(summary(p.problems()), [
            "error states.stay.owner: unknown organisation 'acme' (known: acute, council)",
            "error states.assess.owner: organisation 'council' has no role 'nurse' (known: social-worker)",
        ])
    }

    func testOnlyTerminalStatesMayHaveNoOwner() {
        var p = dischargePathway()
        p.states[1].owner = nil
        XCTAssertEqual(summary(p.problems()),
                       ["error states.assess: state 'assess' needs an 'owner' (organisation/role); only terminal states may have none"])
    }

    func testInvalidDurationsAndGapPoliciesAreReportedAtTheirPaths() {
        var p = dischargePathway()
        p.states[0].duration = .uniform(min: 3, max: 1)
        p.states[1].onGap = .chase(.exponential(mean: 0))
        XCTAssertEqual(summary(p.problems()), [
            "error states.stay.duration: uniform needs 0 <= min <= max, found min 3.0, max 1.0",
            "error states.assess.on-gap.chase: exponential needs a mean > 0, found 0.0",
        ])
        p.states[1].onGap = .repeat(.gamma(shape: 0, scale: 1))
        XCTAssertTrue(summary(p.problems()).contains(
            "error states.assess.on-gap.repeat: gamma needs shape > 0 and scale > 0, found shape 0.0, scale 1.0"))
    }

    func testUnknownItemsInNeedsProducesAndCarriesAreErrors() {
        var p = dischargePathway()
        p.states[1].needs = ["sumary"]
        p.states[1].produces = ["assessment", "plan"]
        p.states[1].next[1].carries = ["letter"]
        XCTAssertEqual(summary(p.problems()), [
            "error states.assess.needs[0]: unknown information item 'sumary' (known: summary, assessment)",
            "error states.assess.produces[1]: unknown information item 'plan' (known: summary, assessment)",
            "error states.assess.next[1].carries[0]: unknown information item 'letter' (known: summary, assessment)",
        ])
    }

    func testTerminalStateWithNextAndOpenEndedStateAreErrors() {
        var p = dischargePathway()
        p.states[2].next = [Transition(to: "stay")]
        XCTAssertTrue(summary(p.problems()).contains("error states.home.next: a terminal state has no next states"))

        p = dischargePathway()
        p.states[1].next = []
        XCTAssertEqual(summary(p.problems()), [
            "error states.assess: state 'assess' has no 'next' and is not marked 'terminal: true'",
            "error states.assess: no terminal state can be reached from state 'assess': patients would never leave",
            "error states.care-home: state 'care-home' cannot be reached from the start state 'stay'",
        ])
    }

    func testBranchToUnknownStateIsAnError() {
        var p = dischargePathway()
        p.states[0].next[2].to = "hme"
        XCTAssertTrue(summary(p.problems()).contains(
            "error states.stay.next[2].to: unknown state 'hme' (known: stay, assess, home, care-home)"))
    }

    func testBranchAfterTheDefaultIsAnError() {
        var p = dischargePathway()
        p.states[0].next.append(Transition(to: "home", probability: 0.1))
        XCTAssertEqual(summary(p.problems()), [
            "error states.stay.next[3]: this branch follows the default branch (one with neither 'p' nor 'when') and can never be taken",
        ])
    }

    func testProbabilitiesMustSumToOneWithoutADefault() {
        var p = dischargePathway()
        p.states[1].next[1].probability = 0.125
        XCTAssertEqual(summary(p.problems()), [
            "error states.assess.next: branch probabilities sum to 0.875, expected 1 (within 1e-9) since there is no default branch",
        ])
    }

    func testProbabilitiesWithinToleranceOfOneAreAccepted() {
        var p = dischargePathway()
        p.states[1].next = [Transition(to: "home", probability: 0.1), Transition(to: "home", probability: 0.2),
                            Transition(to: "care-home", probability: 0.7)]
        XCTAssertEqual(summary(p.problems()), [])
    }

    func testProbabilityOutsideZeroToOneIsAnError() {
        var p = dischargePathway()
        p.states[0].next[1].probability = 1.5
        XCTAssertEqual(summary(p.problems()), ["error states.stay.next[1].p: a probability must be between 0 and 1, found 1.5"])
    }

    func testProbabilitiesBesideADefaultBranchMayTakeOneAtMost() {
        var p = dischargePathway()
        p.states[0].next.insert(Transition(to: "care-home", probability: 0.8), at: 2)
        XCTAssertEqual(summary(p.problems()), [
            "error states.stay.next: branch probabilities sum to 1.1, more than 1 (the default branch takes what the others leave, so they may add up to 1 at most)",
        ])
        p.states[0].next[2].probability = 0.7
        XCTAssertEqual(summary(p.problems()), [], "exactly 1 leaves the default branch nothing, which is allowed")
    }

    func testConditionalBranchesNeedADefault() {
        var p = dischargePathway()
        p.states[0].next.removeLast()
        XCTAssertEqual(summary(p.problems()), [
            "error states.stay.next: branches with 'when' need a default branch (one with neither 'p' nor 'when') for patients no condition matches",
        ])
    }

    func testConditionTypeErrorCarriesItsColumn() throws {
        var p = dischargePathway()
        p.states[0].next[0].condition = try Condition.parse("age >= 85 and frailty")
        let problems = p.problems()
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.path.description, "states.stay.next[0].when")
        XCTAssertEqual(problems.first?.columnOffset, 15)
        XCTAssertEqual(problems.first?.message, "unknown attribute 'frailty' (known attributes: age, lives_alone)")
    }

    func testNeededItemThatNoStateProducesIsOnlyAWarning() {
        var p = dischargePathway()
        p.information.append(InformationItem(id: "referral", category: .administrative))
        p.states[0].needs = ["referral"]
        let problems = p.problems()
        XCTAssertEqual(summary(problems), [
            "warning states.stay.needs[0]: no state produces 'referral': it must come from outside the pathway, or it will always be missing",
        ])
        XCTAssertEqual(problems.first?.severity, .warning)
    }

    func testStatesUnreachableFromTheStartAreErrors() {
        var p = dischargePathway()
        p.states.append(State(id: "orphan", owner: ward, next: [Transition(to: "home")]))
        XCTAssertEqual(summary(p.problems()), ["error states.orphan: state 'orphan' cannot be reached from the start state 'stay'"])
    }

    func testStatesThatCannotReachATerminalAreErrors() {
        var p = dischargePathway()
        p.states[1].next = [Transition(to: "loop")]
        p.states.append(State(id: "loop", owner: ward, next: [Transition(to: "loop")]))
        XCTAssertEqual(summary(p.problems()), [
            "error states.assess: no terminal state can be reached from state 'assess': patients would never leave",
            "error states.care-home: state 'care-home' cannot be reached from the start state 'stay'",
            "error states.loop: no terminal state can be reached from state 'loop': patients would never leave",
        ])
    }

    func testUnderRecordingComesFromTheLargestAnnotation() {
        var org = dischargePathway().organisations[0]
        XCTAssertEqual(org.underRecording, 0)
        org.annotations = [Annotation(concern: .liabilityFear, note: "defensive", underRecording: 0.05),
                           Annotation(concern: .trainingGap, note: "new staff", underRecording: 0.1),
                           Annotation(concern: .connectivity, note: "outages", availability: 0.98)]
        XCTAssertEqual(org.underRecording, 0.1)
        let state = State(id: "s", owner: ward, annotations: [Annotation(concern: .trainingGap, note: "x", underRecording: 0.2)])
        XCTAssertEqual(state.underRecording, 0.2)
        XCTAssertNil(State(id: "t", owner: nil).underRecording)
    }

    func testDefaultsOfAStateAndATransition() {
        let s = State(id: "s", owner: ward)
        XCTAssertEqual(s.duration, .fixed(0))
        XCTAssertTrue(s.occupiesRole)
        XCTAssertEqual(s.onGap, .proceed)
        XCTAssertFalse(s.isTerminal)
        XCTAssertTrue(Transition(to: "x").isDefault)
        XCTAssertFalse(Transition(to: "x", probability: 0.5).isDefault)
        XCTAssertEqual(GapPolicy.repeat(.fixed(1)).name, "repeat")
    }

    func testDocumentPathsPrintAsWrittenInFiles() {
        let path = DocumentPath.root.key("states").key("assessment").key("next").index(1).key("p")
        XCTAssertEqual(path.description, "states.assessment.next[1].p")
        XCTAssertEqual(path.parent?.description, "states.assessment.next[1]")
        XCTAssertEqual(DocumentPath.root.description, "(document)")
        XCTAssertNil(DocumentPath.root.parent)
    }

    func testDigitalMaturityIsOrdered() {
        XCTAssertLessThan(DigitalMaturity.paper, .basic)
        XCTAssertLessThan(DigitalMaturity.basic, .integrated)
    }
}
