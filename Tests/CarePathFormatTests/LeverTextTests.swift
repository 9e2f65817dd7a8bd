import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// Levers as text: places and values alone (as a workshop page sends them), and a variant's `set:`
/// in a scenario file, with every problem located.
final class LeverTextTests: XCTestCase {
    static let socialWorker = RoleReference(organisation: "council", role: "social-worker")

    var pathway: Pathway!
    var folder: URL!

    override func setUpWithError() throws {
        pathway = try XCTUnwrap(PathwayFile.check(text: ScenarioFileTests.pathwayText, file: "p.yaml").pathway)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-levers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Pathways"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        try Data(ScenarioFileTests.pathwayText.utf8).write(to: folder.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func check(_ text: String) throws -> ScenarioFile.Result {
        let url = folder.appendingPathComponent("Scenarios/scenario.yaml")
        try Data(text.utf8).write(to: url)
        return ScenarioFile.check(url)
    }

    /// The fixture scenario with `variants` replaced.
    func scenario(variants: String) -> String {
        let full = ScenarioFileTests.fullScenario
        guard let range = full.range(of: "variants:") else { return full }
        return String(full[..<range.lowerBound]) + "variants:\n" + variants
    }

    func place(_ text: String) -> Result<LeverPlace, LeverProblem> { LeverPlace.parse(text, pathway: pathway) }

    func placeProblem(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard case .failure(let problem) = place(text) else {
            XCTFail("'\(text)' was read", file: file, line: line)
            return ""
        }
        XCTAssertEqual(problem.part, .place, file: file, line: line)
        return problem.message
    }

    // MARK: Places

    func testEveryPlaceReadsBackFromTheNameTheValidatorGivesIt() throws {
        let all = LeverPlace.all(in: pathway)
        XCTAssertGreaterThan(all.count, 30)
        for p in all { XCTAssertEqual(try place(p.description).get(), p, p.description) }
        XCTAssertTrue(all.contains(.branchProbability(state: "social-care-assessment", branch: 1)))
        XCTAssertFalse(all.contains(.branchProbability(state: "inpatient-stay", branch: 0)), "a branch with a condition only has no p to set")
        XCTAssertTrue(all.contains(.chaseDelay("social-care-assessment")))
        XCTAssertTrue(all.contains(.attributeShare("lives_alone")))
        XCTAssertTrue(all.contains(.attributeDistribution("age")))
    }

    func testRolesHaveAShortFormAndCapacitiesNameTheSamePlace() throws {
        let full = LeverPlace.roleCapacity(Self.socialWorker)
        XCTAssertEqual(try place("organisations.council.roles.social-worker.capacity").get(), full)
        XCTAssertEqual(try place("roles.council/social-worker.capacity").get(), full)
        XCTAssertEqual(try place("capacities.council/social-worker").get(), full)
        XCTAssertEqual(full.description, "organisations.council.roles.social-worker.capacity", "printed in the validator's form")
        XCTAssertEqual(try place("roles.acute/ward.queue.patience").get(), .patience(RoleReference(organisation: "acute", role: "ward")))
        XCTAssertEqual(try place("cohort.arrivals.rate").get(), .arrivals)
        XCTAssertEqual(try place(" states.reablement.duration ").get(), .stateDuration("reablement"))
        XCTAssertEqual(try place("states.social-care-assessment.next[1].p").get(), .branchProbability(state: "social-care-assessment", branch: 1))
        XCTAssertEqual(try place("organisations.council.concerns[0].under-recording").get(),
                       .concern(.organisation("council"), index: 0, parameter: .underRecording))
        XCTAssertEqual(try place("states.inpatient-stay.next[0].concerns[2].availability").get(),
                       .concern(.branch(state: "inpatient-stay", branch: 0), index: 2, parameter: .availability))
    }

    func testAWrongStepIsNamedWithTheNearestValidOneOrTheValidOnes() {
        XCTAssertEqual(placeProblem("states.inpatient-sty.duration"),
                       "states.inpatient-sty: no state 'inpatient-sty'; did you mean 'inpatient-stay'?")
        XCTAssertEqual(placeProblem("states.triage.duration"),
                       "states.triage: no state 'triage' (the pathway's states: inpatient-stay, social-care-assessment, reablement, care-home-placement, home, care-home)")
        XCTAssertEqual(placeProblem("roles.council/social-workr.capacity"),
                       "roles.council/social-workr: no role of 'council' named 'social-workr'; did you mean 'social-worker'?")
        XCTAssertEqual(placeProblem("roles.councl/social-worker.capacity"),
                       "roles.councl/social-worker: no organisation 'councl'; did you mean 'council'?")
        XCTAssertEqual(placeProblem("organisations.council.roles.reablement.capacty"),
                       "organisations.council.roles.reablement.capacty: no lever 'capacty' on role council/reablement; did you mean 'capacity'? (its levers: capacity, queue.limit, queue.patience, concerns[N].…)")
        XCTAssertEqual(placeProblem("state.reablement.duration"),
                       "state: no place 'state'; did you mean 'states'? (a place starts with one of: organisations, roles, states, information, cohort, architecture, handoffs, capacities, channels, consent, under-recording)")
        XCTAssertEqual(placeProblem("cohort.arivals"),
                       "cohort.arivals: no lever 'arivals' on the cohort; did you mean 'arrivals'? (its levers: patients, horizon, arrivals, attributes.NAME)")
        XCTAssertEqual(placeProblem("architecture.mesage-loss"),
                       "architecture.mesage-loss: no lever 'mesage-loss' on the architecture; did you mean 'message-loss'? (its levers: option, message-latency, message-loss, publish-latency, batch.every, batch.at, outages.every, outages.lasting, source-availability, source-outage, paper-latency, paper-loss, fallback)")
        XCTAssertEqual(placeProblem("cohort.attributes.sex"),
                       "cohort.attributes.sex: expected level of 'sex' next (its levels: female, male)")
        XCTAssertEqual(try place("cohort.attributes.sex.female").get(), .attributeWeight("sex", level: "female"))
        XCTAssertEqual(placeProblem("cohort.attributes.sex.femal"), "cohort.attributes.sex.femal: no level of 'sex' 'femal'; did you mean 'female'?")
    }

    func testPlacesCutShortOrTooLongSayWhatIsThere() {
        XCTAssertEqual(placeProblem("states.reablement"),
                       "states.reablement: state 'reablement' is not a value; name one of its levers: duration, on-gap.chase, on-gap.effort, on-gap.repeat, next[N].p, next[N].concerns[N].…, concerns[N].…")
        XCTAssertEqual(placeProblem("states.reablement.duration.mean"),
                       "states.reablement.duration.mean: nothing is under states.reablement.duration, which takes a distribution with time units, such as lognormal(mean=4d, sd=3d), or a fixed time such as 4h")
        XCTAssertEqual(placeProblem("states.reablement.next.p"), "states.reablement.next: 'next' is a list: give a position from 0, such as next[0]")
        XCTAssertEqual(placeProblem("states.reablement.duration[0]"), "states.reablement.duration[0]: 'duration' is not a list; write duration without [0]")
        XCTAssertEqual(placeProblem("states.reablement.next[x].p"), "states.reablement.next[x]: expected a step with a position from 0, such as next[1] or concerns[0]")
        XCTAssertEqual(placeProblem("states..duration"), "states.: an empty step (two dots, or a dot at an end)")
        XCTAssertEqual(placeProblem("roles.council.capacity"), "roles.council: expected a role as ORGANISATION/ROLE, such as council/social-worker")
        XCTAssertEqual(placeProblem(""), "expected a place such as states.assessment.duration, found an empty name")
    }

    // MARK: Values

    func testValuesOfEveryKindAreReadAndShownAgain() throws {
        let cases: [(LeverKind, String, LeverValue)] = [
            (.wholeNumber(minimum: 1), "8", .wholeNumber(8)),
            (.wholeNumber(minimum: 0), "1_000", .wholeNumber(1000)),
            (.probability, "0.6", .number(0.6)),
            (.probabilityBelowOne, "0", .number(0)),
            (.availability, "1", .number(1)),
            (.distribution(durations: true), "lognormal(mean=3.5d, sd=3d)", .distribution(.lognormal(mean: 84, sd: 72))),
            (.distribution(durations: true), "4h", .distribution(.fixed(4))),
            (.distribution(durations: false), "normal(mean=80, sd=6)", .distribution(.normal(mean: 80, sd: 6))),
            (.duration, "2d", .hours(48)),
            (.timeOfDay, "04:30", .hours(4.5)),
            (.rate, "25/d", .ratePerHour(25.0 / 24)),
            (.rate, "100/w", .ratePerHour(100.0 / 168)),
            (.option, "shared-record", .option(.sharedRecord)),
        ]
        for (kind, text, expected) in cases {
            let value = try LeverValue.parse(text, as: kind).get()
            XCTAssertEqual(value, expected, text)
            XCTAssertEqual(try LeverValue.parse(value.text(as: kind), as: kind).get(), value, "\(text) shown as \(value.text(as: kind))")
        }
        XCTAssertEqual(LeverValue.ratePerHour(25.0 / 24).text(as: .rate), "25/d")
        XCTAssertEqual(LeverValue.ratePerHour(100.0 / 168).text(as: .rate), "100/w")
        XCTAssertEqual(LeverValue.hours(4.5).text(as: .timeOfDay), "04:30")
        XCTAssertEqual(LeverValue.distribution(.lognormal(mean: 84, sd: 72)).text(as: .distribution(durations: true)), "lognormal(mean=3.5d, sd=3d)")
    }

    func testIllTypedValuesSayWhatThePlaceExpects() {
        func problem(_ text: String, _ kind: LeverKind) -> String {
            guard case .failure(let p) = LeverValue.parse(text, as: kind) else { return "read" }
            XCTAssertEqual(p.part, .value)
            return p.message
        }
        XCTAssertEqual(problem("eight", .wholeNumber(minimum: 1)), "expected a whole number >= 1, found 'eight'")
        XCTAssertEqual(problem("0", .wholeNumber(minimum: 1)), "expected a whole number >= 1, found 0")
        XCTAssertEqual(problem("1.4", .probability), "expected a probability between 0 and 1, found 1.4")
        XCTAssertEqual(problem("", .probability), "expected a probability between 0 and 1, found an empty value")
        XCTAssertTrue(problem("1", .probabilityBelowOne).contains("below 1"))
        XCTAssertEqual(problem("lognorml(mean=4d, sd=3d)", .distribution(durations: true)),
                       "unknown distribution 'lognorml'; did you mean 'lognormal'? (expected one of: fixed, exponential, uniform, triangular, normal, lognormal, gamma, weibull, empirical)")
        XCTAssertEqual(problem("lognormal(mean=4, sd=3d)", .distribution(durations: true)),
                       "expected mean of lognormal as a duration with a unit (45s, 30m, 4h, 6d, 2w), found '4'")
        XCTAssertEqual(problem("exponential(mean=0h)", .distribution(durations: true)), "exponential needs a mean > 0, found 0.0")
        XCTAssertEqual(problem("4", .duration), "expected a time above 0 with a unit, such as 4h or 2d, found '4'")
        XCTAssertEqual(problem("25:00", .timeOfDay), "expected a time of day such as 02:00 from 00:00 to 23:59, found '25:00'")
        XCTAssertEqual(problem("25/m", .rate), "expected a rate such as 20/d, 1.5/h or 100/w (patients per day, hour or week), found '25/m'")
        XCTAssertEqual(problem("0/d", .rate), "expected a rate > 0, found '0/d'")
        XCTAssertEqual(problem("shared", .option),
                       "unknown architecture option 'shared' (expected one of: point-to-point, shared-record, federated-query, paper)")
    }

    // MARK: One lever alone, as a workshop page sends it

    func testALeverAloneIsReadAndCheckedAgainstTheModel() throws {
        let loaded = try XCTUnwrap(try check(ScenarioFileTests.fullScenario).scenario)
        let lever = try Lever.parse(place: "roles.council/social-worker.capacity", value: "6", pathway: pathway, scenario: loaded).get()
        XCTAssertEqual(lever, Lever(place: .roleCapacity(Self.socialWorker), value: .wholeNumber(6), text: "6"))
        XCTAssertEqual(lever.description, "organisations.council.roles.social-worker.capacity = 6")

        guard case .failure(let sum) = Lever.parse(place: "states.social-care-assessment.next[0].p", value: "0.9", pathway: pathway, scenario: loaded) else {
            return XCTFail("0.9 + 0.3 accepted")
        }
        XCTAssertEqual(sum.part, .model)
        XCTAssertNil(sum.lever)
        XCTAssertEqual(sum.message, "with this change, states.social-care-assessment.next: branch probabilities sum to 1.2, expected 1 (within 1e-9) since there is no default branch")

        guard case .failure(let noP) = Lever.parse(place: "states.inpatient-stay.next[1].p", value: "0.5", pathway: pathway, scenario: loaded) else {
            return XCTFail("a default branch was given a p")
        }
        XCTAssertEqual(noP.part, .place)
        XCTAssertTrue(noP.message.contains("the branch to 'home' has no 'p' (it is the default branch)"), noP.message)

        guard case .failure(let type) = Lever.parse(place: "cohort.patients", value: "many", pathway: pathway, scenario: loaded) else {
            return XCTFail("accepted")
        }
        XCTAssertEqual(type, LeverProblem(.value, "expected a whole number >= 1, found 'many'"))
    }

    // MARK: A variant's set: in a scenario file

    func testAVariantSetsPlacesOnItsOwnPathwayCohortAndSettings() throws {
        let text = scenario(variants: """
          - name: base
          - name: levers
            title: Shorter stays, more social workers
            capacities: { council/social-worker: 14 }
            set:
              states.inpatient-stay.duration: lognormal(mean=4d, sd=3d)
              roles.council/social-worker.capacity: 16
              states.social-care-assessment.next[0].p: 0.6
              states.social-care-assessment.next[1].p: 0.4
              cohort.arrivals: 25/d
              architecture.message-loss: 0.1
              handoffs.loss: 0.05
        """)
        let result = try check(text)
        XCTAssertEqual(result.errors, [], result.problems.map(\.description).joined(separator: "\n"))
        let s = try XCTUnwrap(result.scenario), p = try XCTUnwrap(result.pathway)
        let base = s.variants[0], levers = s.variants[1]
        XCTAssertTrue(base.levers.isEmpty)
        XCTAssertEqual(base.pathway(over: p), p)
        XCTAssertEqual(levers.levers.map(\.place.description), [
            "states.inpatient-stay.duration", "organisations.council.roles.social-worker.capacity",
            "states.social-care-assessment.next[0].p", "states.social-care-assessment.next[1].p", "cohort.arrivals",
            "architecture.message-loss", "handoffs.loss"])
        XCTAssertEqual(levers.levers[4].text, "25/d")
        let own = levers.pathway(over: p)
        XCTAssertEqual(own.state("inpatient-stay")?.duration, .lognormal(mean: 96, sd: 72))
        XCTAssertEqual(own.state("social-care-assessment")?.next.map(\.probability), [0.6, 0.4])
        XCTAssertEqual(p.state("inpatient-stay")?.duration, .lognormal(mean: 144, sd: 96), "the scenario's pathway is unchanged")
        XCTAssertEqual(levers.settings.capacities[Self.socialWorker], 16, "set: is pulled after the variant's other settings")
        XCTAssertEqual(s.cohort(of: levers).arrivals, .poisson(ratePerHour: 25.0 / 24))
        XCTAssertEqual(s.cohort.arrivals, .poisson(ratePerHour: 20.0 / 24))
        XCTAssertEqual(levers.settings.architecture.messageLoss, 0.1)
        XCTAssertEqual(levers.settings.handoffs.loss, 0.05)
        XCTAssertEqual(levers.settings.architecture.option, .pointToPoint, "the rest as the base")
    }

    func testEveryProblemOfASetIsLocatedWithWhatWasExpected() throws {
        let text = scenario(variants: """
          - name: base
          - name: typos
            set:
              states.inpatient-sty.duration: 4d
              roles.council/social-worker.capacity: six
              cohort.arrivals: 25 a day
              roles.acute/ward.queue.limit: 3
              capacities.council/social-worker: 12
              organisations.council.roles.social-worker.capacity: 13
              handoffs: 4h
              architecture.outages.every: { mean: 4d }
        """)
        let result = try check(text)
        XCTAssertNil(result.scenario)
        func located(_ fragment: String, _ marker: String, column: Int) {
            let matches = result.errors.filter { $0.message.contains(fragment) }
            XCTAssertEqual(matches.count, 1, "'\(fragment)' in:\n" + result.problems.map(\.description).joined(separator: "\n"))
            guard let problem = matches.first else { return }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(problem.line, (lines.firstIndex { $0.contains(marker) } ?? -2) + 1, problem.description)
            XCTAssertEqual(problem.column, column, problem.description)
        }
        // Places at their key (column 7), values at their value.
        located("states.inpatient-sty: no state 'inpatient-sty'; did you mean 'inpatient-stay'?", "inpatient-sty", column: 7)
        located("expected a whole number >= 1, found 'six'", ": six", column: 45)
        located("expected a rate such as 20/d", "25 a day", column: 24)
        located("acute/ward has no queue limit", "queue.limit", column: 7)
        located("is already set above (as 'capacities.council/social-worker') in this variant", "organisations.council.roles", column: 7)
        located("handoffs is not a value; name one of its levers: latency, loss, resend-after", "handoffs: 4h", column: 7)
        located("expected a time above 0 with a unit, such as 4h or 2d for architecture.outages.every, found a mapping", "outages.every", column: 35)
        XCTAssertEqual(result.errors.count, 7, result.problems.map(\.description).joined(separator: "\n"))
        let first = try XCTUnwrap(result.errors.first)
        XCTAssertTrue(first.description.hasSuffix("error: variants[1].set.states.inpatient-sty.duration: states.inpatient-sty: no state 'inpatient-sty'; did you mean 'inpatient-stay'?"),
                      first.description)
    }

    func testTheModelIsCheckedAgainAtTheLeversLine() throws {
        let text = scenario(variants: """
          - name: base
          - name: over
            set:
              states.inpatient-stay.duration: 2d
              states.social-care-assessment.next[0].p: 0.8
        """)
        let result = try check(text)
        let problem = try XCTUnwrap(result.errors.first)
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertEqual(problem.line, text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("next[0].p") }.map { $0 + 1 })
        XCTAssertEqual(problem.column, 7)
        XCTAssertEqual(problem.message, "with this change, states.social-care-assessment.next: branch probabilities sum to 1.1, expected 1 (within 1e-9) since there is no default branch")
    }

    func testScenarioPlacesAreCheckedEvenWhenThePathwayCannotBeRead() throws {
        try Data("pathway: broken\nstates: {}\n".utf8).write(to: folder.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
        let result = try check(scenario(variants: """
          - name: odd
            set:
              states.anything.duration: 4d
              architecture.message-loss: 2
        """))
        XCTAssertNil(result.scenario)
        XCTAssertEqual(result.errors.filter { $0.path.description.hasPrefix("variants") }.map(\.message),
                       ["expected a probability between 0 and 1, found 2"])
    }

    func testSetTakesAMappingOfScalars() throws {
        let result = try check(scenario(variants: """
          - name: odd
            set: [states.home.duration]
        """))
        XCTAssertEqual(result.errors.map(\.message), ["expected a mapping of PLACE: VALUE, such as { states.assessment.duration: lognormal(mean=2d, sd=1d), roles.council/social-worker.capacity: 6 }, found a list"])
    }
}

/// Concerns on items and channels: read where the concern stands, with the effects that make sense
/// there, and levers on them like any other concern's.
final class ItemAndChannelConcernTests: XCTestCase {
    func testAnItemsConcernsAreReadAndItsReadingEffectsRefusedAtTheirLine() throws {
        let text = ScenarioFileTests.pathwayText.replacingOccurrences(
            of: "discharge-summary: { category: health }",
            with: "discharge-summary: { category: health, concerns: [ { concern: training-gap, note: often incomplete, errors: 0.1 } ] }")
        let pathway = try XCTUnwrap(PathwayFile.check(text: text, file: "p.yaml").pathway)
        XCTAssertEqual(pathway.information.first { $0.id == "discharge-summary" }?.annotations.first?.effects.errors, 0.1)

        let overload = ScenarioFileTests.pathwayText.replacingOccurrences(
            of: "discharge-summary: { category: health }",
            with: "discharge-summary: { category: health, concerns: [ { concern: data-overload, note: long, overlook: 0.1 } ] }")
        let result = PathwayFile.check(text: overload, file: "p.yaml")
        let problem = try XCTUnwrap(result.problems.first { $0.message.contains("overlook") }, result.problems.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(problem.line, (overload.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("overlook") } ?? -2) + 1)
        XCTAssertTrue(problem.message.contains("'overlook' is not an effect of an item (it acts where items are shown: annotate the state, role or organisation that reads)"), problem.message)

        // A lever on it, by the place the validator names.
        let lever = try LeverPlace.parse("information.discharge-summary.concerns[0].errors", pathway: pathway).get()
        XCTAssertEqual(lever, .concern(.item("discharge-summary"), index: 0, parameter: .errors))
        XCTAssertTrue(LeverPlace.all(in: pathway).contains(lever))
        guard case .failure(let typo) = LeverPlace.parse("information.discharge-sumary.concerns[0].errors", pathway: pathway) else { return XCTFail("read") }
        XCTAssertTrue(typo.message.contains("did you mean 'discharge-summary'?"), typo.message)
    }

    func testAChannelsConcernsAreTheScenariosAndALeverSetsThemPerVariant() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-channels-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Pathways"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        try Data(ScenarioFileTests.pathwayText.utf8).write(to: folder.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
        let full = ScenarioFileTests.fullScenario
        let head = String(full[..<(full.range(of: "variants:")?.lowerBound ?? full.endIndex)])
        let text = head + """
        channels:
          point-to-point:
            concerns: [ { concern: legacy-systems, note: codes differ, unusable: 0.1, rekeying: 10m } ]
        variants:
          - name: base
          - name: common-coding
            set:
              channels.point-to-point.concerns[0].unusable: 0.02
        """
        let url = folder.appendingPathComponent("Scenarios/scenario.yaml")
        try Data(text.utf8).write(to: url)
        let result = ScenarioFile.check(url)
        XCTAssertEqual(result.errors, [], result.problems.map(\.description).joined(separator: "\n"))
        let s = try XCTUnwrap(result.scenario)
        XCTAssertEqual(s.variants[0].settings.channels[.pointToPoint]?.first?.effects.unusable, 0.1)
        XCTAssertEqual(s.variants[1].settings.channels[.pointToPoint]?.first?.effects.unusable, 0.02)
        XCTAssertEqual(s.variants[1].settings.channels[.pointToPoint]?.first?.effects.rekeying, .fixed(10.0 / 60))

        // Only what a channel can do, and only channels that exist, each at its line.
        let wrong = head + """
        channels:
          point-to-pont:
            concerns: [ { concern: legacy-systems, note: codes differ, unusable: 0.1 } ]
          paper:
            concerns: [ { concern: training-gap, note: transcription, errors: 0.1 } ]
        """
        try Data(wrong.utf8).write(to: url)
        let refused = ScenarioFile.check(url)
        let lines = wrong.split(separator: "\n", omittingEmptySubsequences: false)
        let channel = try XCTUnwrap(refused.errors.first { $0.message.contains("unknown channel 'point-to-pont'; did you mean 'point-to-point'?") },
                                    refused.problems.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(channel.line, (lines.firstIndex { $0.contains("point-to-pont") } ?? -2) + 2, "at the channel's value")
        let errors = try XCTUnwrap(refused.errors.first { $0.message.contains("errors") })
        XCTAssertEqual(errors.line, (lines.firstIndex { $0.contains("transcription") } ?? -2) + 1)
    }
}
