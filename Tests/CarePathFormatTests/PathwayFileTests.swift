import XCTest
import CarePathFormat
import CarePathModel

/// A complete pathway using every part of the format.
private let dischargeToAssess = """
pathway: discharge-to-assess
title: Hospital discharge to assess
description: >-
  Free text for the workshop.
start: inpatient-stay
attributes:
  age: number
  lives_alone: boolean
  sex: [female, male]
organisations:
  acute:
    name: City General Hospital
    sector: acute
    maturity: integrated
    connects: [messaging, shared-record]
    concerns:
      - concern: liability-fear
        note: Discharge summaries written defensively.
        under-recording: 0.05
    roles:
      ward: { capacity: 40, title: Ward team }
      discharge-team:
        capacity: 4
        calendar: weekdays 09:00-17:00
        queue: { priority: age, order: highest-first }
  council:
    name: County Council
    sector: social-care
    maturity: basic
    connects: [shared-record]
    roles:
      social-worker: { capacity: 3, calendar: "mon,wed,fri 09:00-13:00", queue: fifo }
information:
  discharge-summary: { category: health, title: Discharge summary }
  care-assessment: { category: social-care }
states:
  inpatient-stay:
    title: Inpatient stay
    owner: acute/ward
    duration: lognormal(mean=6d, sd=4d)
    produces: [discharge-summary]
    next:
      - { to: discharge-planning, when: "age >= 85 and lives_alone" }
      - { to: discharge-planning, p: 0.3 }
      - { to: home }
  discharge-planning:
    owner: acute/discharge-team
    duration: triangular(1h, 2h, 4h)
    needs: [discharge-summary]
    on-gap: proceed
    next:
      - { to: assessment }
  assessment:
    owner: council/social-worker
    duration: "exponential(mean: 4h)"
    occupies: false
    needs: [discharge-summary]
    produces: [care-assessment]
    on-gap: { chase: exponential(mean=4h) }
    next:
      - to: home
        p: 0.8
        carries: [care-assessment, discharge-summary]
        concerns:
          - { concern: consent, note: Patient consent to share. }
      - { to: care-home, p: 0.2 }
  home:
    terminal: true
  care-home:
    terminal: true
"""

final class ValidPathwayTests: XCTestCase {
    func testCompleteExampleHasNoProblems() {
        let result = check(dischargeToAssess)
        XCTAssertEqual(result.problems.map(\.description), [])
        XCTAssertNotNil(result.pathway)
    }

    func testHeaderFieldsAndAttributes() throws {
        let p = try XCTUnwrap(check(dischargeToAssess).pathway)
        XCTAssertEqual(p.id, "discharge-to-assess")
        XCTAssertEqual(p.title, "Hospital discharge to assess")
        XCTAssertEqual(p.description, "Free text for the workshop.")
        XCTAssertEqual(p.start, "inpatient-stay")
        XCTAssertEqual(p.attributes, [PatientAttribute(name: "age", type: .number),
                                      PatientAttribute(name: "lives_alone", type: .boolean),
                                      PatientAttribute(name: "sex", type: .categorical(["female", "male"]))])
    }

    func testOrganisationsWithTheirConnectionsAndConcerns() throws {
        let p = try XCTUnwrap(check(dischargeToAssess).pathway)
        XCTAssertEqual(p.organisations.map(\.id), ["acute", "council"])
        let acute = try XCTUnwrap(p.organisation("acute"))
        XCTAssertEqual(acute.name, "City General Hospital")
        XCTAssertEqual(acute.sector, .acute)
        XCTAssertEqual(acute.maturity, .integrated)
        XCTAssertEqual(acute.connections, [.messaging, .sharedRecord])
        XCTAssertEqual(acute.annotations, [Annotation(concern: .liabilityFear, note: "Discharge summaries written defensively.",
                                                      underRecording: 0.05)])
        XCTAssertEqual(acute.underRecording, 0.05)
        let council = try XCTUnwrap(p.organisation("council"))
        XCTAssertEqual(council.name, "County Council")
        XCTAssertEqual(council.sector, .socialCare)
        XCTAssertEqual(council.maturity, .basic)
        XCTAssertEqual(council.connections, [.sharedRecord])
    }

    func testRolesWithCapacityCalendarAndQueue() throws {
        let p = try XCTUnwrap(check(dischargeToAssess).pathway)
        XCTAssertEqual(p.roles.map(\.reference.description), ["acute/ward", "acute/discharge-team", "council/social-worker"])

        let ward = try XCTUnwrap(p.role(RoleReference(organisation: "acute", role: "ward")))
        XCTAssertEqual(ward.capacity, 40)
        XCTAssertEqual(ward.title, "Ward team")
        XCTAssertEqual(ward.calendar, .always)
        XCTAssertEqual(ward.queue, .fifo)

        let team = try XCTUnwrap(p.role(RoleReference(organisation: "acute", role: "discharge-team")))
        XCTAssertEqual(team.organisation, "acute")
        XCTAssertEqual(team.capacity, 4)
        XCTAssertNil(team.title)
        XCTAssertEqual(team.calendar, WorkingCalendar(days: [0, 1, 2, 3, 4], opens: 9 * 60, closes: 17 * 60))
        XCTAssertEqual(team.queue, .priority(attribute: "age", highestFirst: true))

        let social = try XCTUnwrap(p.role(RoleReference(organisation: "council", role: "social-worker")))
        XCTAssertEqual(social.capacity, 3)
        XCTAssertEqual(social.calendar, WorkingCalendar(days: [0, 2, 4], opens: 9 * 60, closes: 13 * 60))
        XCTAssertEqual(social.queue, .fifo)
    }

    func testInformationItems() throws {
        let p = try XCTUnwrap(check(dischargeToAssess).pathway)
        XCTAssertEqual(p.information, [InformationItem(id: "discharge-summary", title: "Discharge summary", category: .health),
                                       InformationItem(id: "care-assessment", category: .socialCare)])
    }

    func testStatesInFileOrderWithTheirSettings() throws {
        let p = try XCTUnwrap(check(dischargeToAssess).pathway)
        XCTAssertEqual(p.states.map(\.id), ["inpatient-stay", "discharge-planning", "assessment", "home", "care-home"])

        let stay = try XCTUnwrap(p.state("inpatient-stay"))
        XCTAssertEqual(stay.title, "Inpatient stay")
        XCTAssertEqual(stay.owner, RoleReference(organisation: "acute", role: "ward"))
        XCTAssertEqual(stay.duration, .lognormal(mean: 144, sd: 96))
        XCTAssertTrue(stay.occupiesRole)
        XCTAssertEqual(stay.needs, [])
        XCTAssertEqual(stay.produces, ["discharge-summary"])
        XCTAssertEqual(stay.onGap, .proceed)
        XCTAssertFalse(stay.isTerminal)

        let planning = try XCTUnwrap(p.state("discharge-planning"))
        XCTAssertEqual(planning.duration, .triangular(min: 1, mode: 2, max: 4))
        XCTAssertEqual(planning.needs, ["discharge-summary"])

        let assessment = try XCTUnwrap(p.state("assessment"))
        XCTAssertEqual(assessment.owner, RoleReference(organisation: "council", role: "social-worker"))
        XCTAssertEqual(assessment.duration, .exponential(mean: 4))
        XCTAssertFalse(assessment.occupiesRole)
        XCTAssertEqual(assessment.produces, ["care-assessment"])
        XCTAssertEqual(assessment.onGap, .chase(.exponential(mean: 4)))

        for id in ["home", "care-home"] {
            let terminal = try XCTUnwrap(p.state(id))
            XCTAssertTrue(terminal.isTerminal)
            XCTAssertNil(terminal.owner)
            XCTAssertEqual(terminal.next, [])
        }
    }

    func testTransitionsWithConditionsProbabilitiesDefaultsAndCarriedItems() throws {
        let p = try XCTUnwrap(check(dischargeToAssess).pathway)
        let stay = try XCTUnwrap(p.state("inpatient-stay"))
        XCTAssertEqual(stay.next.map(\.to), ["discharge-planning", "discharge-planning", "home"])
        XCTAssertEqual(stay.next[0].condition, try Condition.parse("age >= 85 and lives_alone"))
        XCTAssertNil(stay.next[0].probability)
        XCTAssertEqual(stay.next[1].probability, 0.3)
        XCTAssertNil(stay.next[1].condition)
        XCTAssertTrue(stay.next[2].isDefault)
        XCTAssertNil(stay.next[2].carries)
        // Without `carries`, a handoff sends what the sending organisation records and the receiving one needs.
        XCTAssertEqual(p.itemsCarried(from: stay, by: stay.next[2]), [], "the patient leaves: nothing is sent")
        XCTAssertEqual(p.itemsCarried(from: stay, by: stay.next[1]), [], "within one organisation: nothing is sent")
        let planning = try XCTUnwrap(p.state("discharge-planning"))
        XCTAssertEqual(p.itemsCarried(from: planning, by: planning.next[0]), ["discharge-summary"])

        let assessment = try XCTUnwrap(p.state("assessment"))
        XCTAssertEqual(assessment.next, [
            Transition(to: "home", probability: 0.8, carries: ["care-assessment", "discharge-summary"],
                       annotations: [Annotation(concern: .consent, note: "Patient consent to share.")]),
            Transition(to: "care-home", probability: 0.2),
        ])
        XCTAssertTrue(p.isCrossOrganisation(from: "discharge-planning", to: "assessment"))
        XCTAssertFalse(p.isCrossOrganisation(from: "inpatient-stay", to: "discharge-planning"))
    }

    func testMinimalPathwayUsesDefaults() throws {
        let result = check("""
        pathway: minimal
        organisations:
          gp:
            sector: primary
            maturity: paper
            roles:
              reception: { capacity: 1 }
        states:
          visit:
            owner: gp/reception
            next: [{ to: done }]
          done: { terminal: true }
        """)
        XCTAssertEqual(result.problems.map(\.description), [])
        let p = try XCTUnwrap(result.pathway)
        XCTAssertEqual(p.title, "minimal", "the title defaults to the identifier")
        XCTAssertEqual(p.start, "visit", "the start defaults to the first state")
        XCTAssertEqual(p.organisation("gp")?.name, "gp")
        XCTAssertEqual(p.information, [])
        XCTAssertEqual(p.attributes, [])
        XCTAssertEqual(p.state("visit")?.duration, .fixed(0))
        XCTAssertEqual(p.state("visit")?.occupiesRole, true)
    }
}

final class PathwayProblemTests: XCTestCase {
    func testYAMLSyntaxErrorIsLocatedWithAHintForNamedArguments() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            duration: exponential(mean: 4h)
            next: [{ to: home }]
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        let problem = assertProblem(result, "YAML syntax: mapping values are not allowed", line: 11, column: 31, path: "(document)")
        XCTAssertEqual(problem?.message.hasSuffix("a distribution with named arguments is written mean=4h, or quote the whole value"), true)
    }

    func testUnclosedFlowMappingIsASyntaxError() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute
        states: {}
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        XCTAssertEqual(result.problems.first?.message.hasPrefix("YAML syntax:"), true)
        XCTAssertEqual(result.problems.first?.line, 4)
    }

    func testUnknownKeyIsReportedWithLineAndSuggestion() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            duraton: 2d
            next: [{ to: home }]
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        let problem = assertProblem(result, "unknown key 'duraton'", line: 11, column: 5, path: "states.stay.duraton")
        XCTAssertEqual(problem?.message, "unknown key 'duraton'; did you mean 'duration'? (expected one of: title, owner, duration, occupies, holds, needs, produces, sends, on-gap, terminal, next, concerns)")
        XCTAssertEqual(problem?.description, "test.yaml:11:5: error: states.stay.duraton: " + (problem?.message ?? ""))
        XCTAssertEqual(result.errors.count, 1)
    }

    func testMisspeltTopLevelKeyAlsoMissesTheRequiredKey() {
        let result = check("""
        pathway: p
        organizations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 1 } } }
        states:
          home: { terminal: true }
        """)
        assertProblem(result, "unknown key 'organizations'; did you mean 'organisations'?", line: 2, column: 1)
        assertProblem(result, "missing required key 'organisations'", line: 1, column: 1)
    }

    func testUnknownKeyFarFromAnyAllowedKeyGetsNoSuggestion() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            budget: 1000000
            roles: { ward: { capacity: 1 } }
        states:
          home: { terminal: true }
        """)
        let problem = assertProblem(result, "unknown key 'budget'", line: 6, column: 5)
        XCTAssertEqual(problem?.message, "unknown key 'budget' (expected one of: name, sector, maturity, connects, roles, concerns)")
    }

    func testUnknownOrganisationInOwnerIsLocatedAtTheOwnerKey() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acme/ward
            next: [{ to: home }]
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        let problem = assertProblem(result, "unknown organisation 'acme' (known: acute)", line: 10, column: 5, path: "states.stay.owner")
        XCTAssertEqual(problem?.description, "test.yaml:10:5: error: states.stay.owner: unknown organisation 'acme' (known: acute)")
    }

    func testUnknownRoleInOwnerListsTheOrganisationsRoles() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
              theatre: { capacity: 1 }
        states:
          stay:
            owner: acute/nurse
            next: [{ to: home }]
          home: { terminal: true }
        """)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "organisation 'acute' has no role 'nurse' (known: ward, theatre)", line: 11, column: 5)
    }

    func testMalformedOwnerIsReportedAtTheValue() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute-ward
            next: [{ to: home }]
          home: { terminal: true }
        """)
        assertProblem(result, "expected an owner as 'organisation/role' (such as acute/ward), found 'acute-ward'", line: 6, column: 12)
    }

    func testUnknownItemsAreLocatedAtTheListEntry() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        information:
          summary: { category: health }
        states:
          stay:
            owner: acute/ward
            needs: [summary, sumary]
            produces: [summary, letter]
            next:
              - { to: home, carries: [sumry] }
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.errors.count, 3)
        assertProblem(result, "unknown information item 'sumary' (known: summary)", line: 13, column: 22, path: "states.stay.needs[1]")
        assertProblem(result, "unknown information item 'letter' (known: summary)", line: 14, column: 25, path: "states.stay.produces[1]")
        assertProblem(result, "unknown information item 'sumry' (known: summary)", line: 16, column: 31,
                      path: "states.stay.next[0].carries[0]")
    }

    func testUnknownStateInBranchIsLocatedAtTheToKey() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: hme, p: 0.5 }
              - { to: home, p: 0.5 }
          home:
            terminal: true
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "unknown state 'hme' (known: stay, home)", line: 12, column: 11, path: "states.stay.next[0].to")
    }

    func testUnknownStartStateIsLocatedAtStart() {
        let result = check("""
        pathway: p
        start: admission
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "start state 'admission' is not a state of this pathway (known: stay, home)", line: 2, column: 1)
    }

    func testProbabilitiesNotSummingToOneWithoutADefaultBranch() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, p: 0.5 }
              - { to: care-home, p: 0.25 }
          home:
            terminal: true
          care-home:
            terminal: true
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "branch probabilities sum to 0.75, expected 1 (within 1e-9) since there is no default branch",
                      line: 11, column: 5, path: "states.stay.next")
    }

    func testProbabilitiesThatSumToOneWithinRoundingAreAccepted() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, p: 0.1 }
              - { to: home, p: 0.2 }
              - { to: home, p: 0.7 }
          home: { terminal: true }
        """)
        XCTAssertEqual(result.problems.map(\.description), [])
        XCTAssertNotNil(result.pathway)
    }

    func testProbabilityAboveOneIsReportedAtP() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, p: 1.5 }
              - { to: home }
          home: { terminal: true }
        """)
        assertProblem(result, "a probability must be between 0 and 1, found 1.5", line: 8, column: 21, path: "states.stay.next[0].p")
    }

    func testConditionalBranchesWithoutADefaultBranch() {
        let result = check("""
        pathway: p
        attributes:
          age: number
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, when: age < 85 }
              - { to: care-home, when: age >= 85 }
          home: { terminal: true }
          care-home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "branches with 'when' need a default branch (one with neither 'p' nor 'when') for patients no condition matches",
                      line: 13, column: 5, path: "states.stay.next")
    }

    func testDefaultBranchThatIsNotLastIsReportedAtTheLaterBranch() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home }
              - { to: care-home, p: 0.5 }
          home: { terminal: true }
          care-home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        assertProblem(result, "this branch follows the default branch (one with neither 'p' nor 'when') and can never be taken",
                      line: 13, column: 9, path: "states.stay.next[1]")
    }

    func testStateUnreachableFromStartIsReportedAtItsName() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            next: [{ to: home }]
          orphan:
            owner: acute/ward
            next: [{ to: home }]
          home:
            terminal: true
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "state 'orphan' cannot be reached from the start state 'stay'", line: 12, column: 3, path: "states.orphan")
    }

    func testStateFromWhichNoTerminalIsReachable() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: limbo, p: 0.5 }
              - { to: home, p: 0.5 }
          limbo:
            owner: acute/ward
            next: [{ to: limbo }]
          home:
            terminal: true
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "no terminal state can be reached from state 'limbo': patients would never leave",
                      line: 14, column: 3, path: "states.limbo")
    }

    func testNonTerminalStateWithoutNextAndTerminalWithNext() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute/ward
          home:
            terminal: true
            next: [{ to: stay }]
        """)
        assertProblem(result, "state 'stay' has no 'next' and is not marked 'terminal: true'", line: 5, column: 3)
        assertProblem(result, "a terminal state has no next states", line: 9, column: 5)
    }

    func testNeededItemThatNoStateProducesIsAWarningAndThePathwayStaysValid() throws {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        information:
          referral: { category: administrative }
        states:
          stay:
            owner: acute/ward
            needs: [referral]
            next: [{ to: home }]
          home:
            terminal: true
        """)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.warnings.count, 1)
        let warning = assertProblem(result, "no state produces 'referral': it must come from outside the pathway, or it will always be missing",
                                    line: 13, column: 13, severity: .warning, path: "states.stay.needs[0]")
        XCTAssertEqual(warning?.description.hasPrefix("test.yaml:13:13: warning: states.stay.needs[0]: "), true)
        let pathway = try XCTUnwrap(result.pathway, "a warning does not make the pathway invalid")
        XCTAssertEqual(pathway.state("stay")?.needs, ["referral"])
    }

    func testZeroCapacityIsAnError() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 0 }
        states:
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "capacity must be a whole number of at least 1, found 0", line: 7, column: 15,
                      path: "organisations.acute.roles.ward.capacity")
    }

    func testNegativeCapacityIsAnError() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward:
                capacity: -3
        states:
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        assertProblem(result, "capacity must be a whole number of at least 1, found -3", line: 8, column: 9)
    }

    func testFractionalCapacityIsNotAWholeNumber() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward:
                capacity: 2.5
        states:
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        assertProblem(result, "expected a capacity (whole number of staff or slots), found '2.5'", line: 8, column: 19)
    }

    func testInvalidDistributionParametersAreReportedOnceAtTheValue() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            duration: uniform(3h, 1h)
            next: [{ to: triage }]
          triage:
            owner: acute/ward
            duration: triangular(1h, 5h, 4h)
            next: [{ to: home }]
            on-gap:
              repeat: gamma(shape=0, scale=1h)
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 3, result.problems.map(\.description).joined(separator: "\n"))
        assertProblem(result, "uniform needs 0 <= min <= max, found min 3.0, max 1.0", line: 11, column: 15, path: "states.stay.duration")
        assertProblem(result, "triangular needs 0 <= min <= mode <= max with min < max, found (1.0, 5.0, 4.0)", line: 15, column: 15)
        assertProblem(result, "gamma needs shape > 0 and scale > 0, found shape 0.0, scale 1.0", line: 18, column: 15,
                      path: "states.triage.on-gap.repeat")
    }

    func testUnparseableDistributionIsReportedAtTheValue() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute/ward
            duration: expnential(mean=4h)
            next: [{ to: triage }]
          triage:
            owner: acute/ward
            duration: 4
            next: [{ to: home }]
          home: { terminal: true }
        """)
        assertProblem(result, "unknown distribution 'expnential'; did you mean 'exponential'?", line: 7, column: 15)
        assertProblem(result, "as a duration with a unit (45s, 30m, 4h, 6d, 2w), found '4'", line: 11, column: 15)
    }

    func testDuplicateKeyIsRefusedAtTheKey() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2 }
        states:
          stay:
            owner: acute/ward
            owner: acute/ward
            next: [{ to: home }]
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "duplicate key 'owner' (first at line 10): each key may appear once in a mapping", line: 11, column: 5)
    }

    func testTwoDuplicateKeysAreEachReportedWhereTheyAre() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          - stay: { owner: acute/ward, next: [{ to: home }] }
            home: { terminal: true }
            stay: { owner: acute/ward }
            # a comment, then the second repeat
            home: { terminal: true }
        """)
        XCTAssertEqual(result.problems.count, 2, result.problems.map(\.description).joined(separator: "\n"))
        assertProblem(result, "duplicate key 'stay' (first at line 5)", line: 7, column: 5)
        assertProblem(result, "duplicate key 'home' (first at line 6)", line: 9, column: 5)
        // In a flow mapping the repeat cannot be found by its line: Yams' place, the first key.
        let flow = check("pathway: p\nstates: { a: { terminal: true }, a: { terminal: true } }\n")
        assertProblem(flow, "duplicate key 'a' in one mapping", line: 2, column: 11)
    }

    func testDuplicateStateNameIsRefused() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          home: { terminal: true }
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        assertProblem(result, "duplicate key 'home' (first at line 5)", line: 7, column: 3)
    }

    func testConditionTypeErrorPointsInsideTheQuotedText() {
        let result = check("""
        pathway: p
        attributes:
          age: number
          lives_alone: boolean
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, when: "lives_alone and frailty > 2" }
              - to: home
                when: lives_alone == 1
              - { to: home }
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        // The quote is at column 27, so the condition's column 17 is file column 27 + 17.
        assertProblem(result, "unknown attribute 'frailty' (known attributes: age, lives_alone)", line: 11, column: 44,
                      path: "states.stay.next[0].when")
        // Unquoted: the text starts at column 15, its '==' at column 13 of the condition.
        assertProblem(result, "cannot compare a true/false value with a number", line: 13, column: 27, path: "states.stay.next[1].when")
    }

    func testConditionSyntaxErrorPointsInsideTheText() {
        let result = check("""
        pathway: p
        attributes:
          age: number
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, when: "age = 85" }
              - { to: home }
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1, result.problems.map(\.description).joined(separator: "\n"))
        assertProblem(result, "in condition: '=' is not an operator: use '==' to compare", line: 10, column: 32,
                      path: "states.stay.next[0].when")
    }

    func testPriorityQueueByUndeclaredAttribute() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 2, queue: { priority: frailty, order: lowest-first } }
        states:
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        assertProblem(result, "priority by unknown attribute 'frailty'", line: 7, column: 28,
                      path: "organisations.acute.roles.ward.queue")
    }

    func testInvalidCalendarAndQueueAreReportedAtTheirValues() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward:
                capacity: 2
                calendar: weekdays 9-5
                queue: lifo
        states:
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        assertProblem(result, "expected a calendar such as 'always', 'weekdays 09:00-17:00'", line: 9, column: 19)
        assertProblem(result, "expected 'fifo' or { priority: ATTRIBUTE, order: highest-first | lowest-first }", line: 10, column: 16)
    }

    func testUnknownEnumerationValuesSuggestTheClosest() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acut
            maturity: integrate
            connects: [shared-records]
            roles: { ward: { capacity: 2 } }
        information:
          summary: { category: heath }
        states:
          stay: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        assertProblem(result, "unknown sector 'acut'; did you mean 'acute'?", line: 4, column: 13)
        assertProblem(result, "unknown digital maturity 'integrate'; did you mean 'integrated'?", line: 5, column: 15)
        assertProblem(result, "unknown sharing service 'shared-records'; did you mean 'shared-record'?", line: 6, column: 16)
        assertProblem(result, "unknown information category 'heath'; did you mean 'health'?", line: 9, column: 24)
    }

    func testMissingRequiredKeysAreReportedAtTheirMapping() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            roles:
              ward: { title: Ward }
        states:
          home: { terminal: true }
        """)
        assertProblem(result, "missing required key 'maturity'", line: 4, column: 5, path: "organisations.acute.maturity")
        assertProblem(result, "missing required key 'capacity'", line: 6, column: 13, path: "organisations.acute.roles.ward.capacity")
    }

    func testAMissingRequiredKeyDoesNotHideTheOtherProblems() {
        // A missing key used to be reported at its mapping, here the whole document, and every
        // problem found in the model below that place was dropped as a consequence of it.
        let result = check("""
        title: No identifier
        organisations:
          acute:
            sector: acute
            roles: { ward: { capacity: 0 } }
        states:
          stay: { owner: acute/nurse, next: [{ to: hme }] }
          orphan: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        XCTAssertNil(result.pathway)
        assertProblem(result, "missing required key 'pathway'", line: 1, column: 1, path: "pathway")
        assertProblem(result, "missing required key 'maturity'", line: 4, column: 5, path: "organisations.acute.maturity")
        assertProblem(result, "capacity must be a whole number of at least 1, found 0", line: 5, column: 22)
        assertProblem(result, "organisation 'acute' has no role 'nurse'", line: 7, column: 11)
        assertProblem(result, "unknown state 'hme'", line: 7, column: 40)
        assertProblem(result, "state 'orphan' cannot be reached from the start state 'stay'", line: 8, column: 3)
    }

    func testAMissingBranchTargetIsNotAlsoReportedAsAnUnknownState() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          stay:
            owner: acute/ward
            next:
              - { p: 1 }
          home: { terminal: true }
        """)
        assertProblem(result, "missing required key 'to'", line: 8, column: 9, path: "states.stay.next[0].to")
        XCTAssertEqual(result.problems(containing: "unknown state").count, 0)
    }

    func testFileWithFiveMistakesReportsEachOnItsOwnLine() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 0 }
        information:
          summary: { category: health }
        states:
          stay:
            owner: acute/nurse
            duraton: 2d
            needs: [sumary]
            next:
              - { to: home, p: 0.5 }
              - { to: home, p: 0.4 }
          home:
            terminal: true
        """)
        XCTAssertNil(result.pathway)
        XCTAssertGreaterThanOrEqual(result.errors.count, 5, result.problems.map(\.description).joined(separator: "\n"))
        assertProblem(result, "capacity must be a whole number of at least 1, found 0", line: 7, column: 15)
        assertProblem(result, "organisation 'acute' has no role 'nurse'", line: 12, column: 5)
        assertProblem(result, "unknown key 'duraton'; did you mean 'duration'?", line: 13, column: 5)
        assertProblem(result, "unknown information item 'sumary'", line: 14, column: 13)
        assertProblem(result, "branch probabilities sum to 0.9", line: 15, column: 5)
        XCTAssertEqual(Set(result.errors.map(\.line)), [7, 12, 13, 14, 15])
    }

    func testProblemsAreSortedByLineAndColumn() {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: { capacity: 0 }
        states:
          stay:
            owner: acute/nurse
            next: [{ to: hme }]
          home: { terminal: true }
        """)
        let places = result.problems.map { [$0.line, $0.column] }
        XCTAssertEqual(places, places.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
        XCTAssertGreaterThanOrEqual(result.problems.count, 3)
    }

    func testEmptyFileIsRefused() {
        for text in ["", "\n\n", "# only a comment\n"] {
            let result = check(text)
            XCTAssertNil(result.pathway)
            XCTAssertEqual(result.problems.map(\.description), ["test.yaml:1:1: error: the file is empty; expected a YAML mapping"])
        }
    }

    func testDocumentThatIsNotAMappingIsRefused() {
        let list = check("- stay\n- home\n")
        XCTAssertNil(list.pathway)
        XCTAssertEqual(list.problems.map(\.message), ["expected a pathway (a mapping with pathway, organisations, information, states), found a list"])
        assertProblem(list, "found a list", line: 1, column: 1)

        let scalar = check("just some text")
        XCTAssertNil(scalar.pathway)
        XCTAssertEqual(scalar.problems.map(\.message), ["expected a pathway (a mapping with pathway, organisations, information, states), found 'just some text'"])
    }

    func testNamesMustStartWithALetter() {
        let result = check("""
        pathway: p
        organisations:
          acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
        states:
          1st-visit: { owner: acute/ward, next: [{ to: home }] }
          home: { terminal: true }
        """)
        assertProblem(result, "expected a state name (letters, digits, '-' or '_', starting with a letter), found '1st-visit'", line: 5, column: 3)
    }
}
