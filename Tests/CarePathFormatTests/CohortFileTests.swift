import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// Durations and branch shares by patient attributes in pathway files; conditional attributes and
/// several breakdowns in scenario files; every problem located.
final class CohortFileTests: XCTestCase {
    static let pathway = """
    pathway: cohort
    title: Cohort
    attributes:
      age: number
      lives_alone: boolean
      deprivation: number
      sex: [female, male]
    organisations:
      acute:
        name: Hospital
        sector: acute
        maturity: integrated
        roles: { ward: { capacity: 40 } }
    information: {}
    states:
      stay:
        owner: acute/ward
        duration:
          - when: age >= 85
            is: lognormal(mean=7d, sd=5d)
          - { when: "deprivation in [1, 2]", is: "exponential(mean=5d)" }
          - is: lognormal(mean=4d, sd=3.5d)
        next:
          - to: care-home
            p:
              - { when: "lives_alone", is: 0.4 }
              - { is: 0.2 }
          - { to: home }
      home: { terminal: true }
      care-home: { terminal: true }
    """

    /// The 1-based line of the first line of `text` containing `marker`, and the column where it starts.
    func place(of marker: String, in text: String, file: StaticString = #filePath, line: UInt = #line) -> (line: Int, column: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let i = lines.firstIndex(where: { $0.contains(marker) }), let r = lines[i].range(of: marker) else {
            XCTFail("no line contains '\(marker)'", file: file, line: line)
            return (-1, -1)
        }
        return (i + 1, lines[i].distance(from: lines[i].startIndex, to: r.lowerBound) + 1)
    }

    // MARK: Pathway: durations and shares

    func testAlternativesAreReadInOrderWithTheDefaultLast() throws {
        let result = check(Self.pathway)
        XCTAssertEqual(result.problems, [], result.problems.map(\.description).joined(separator: "\n"))
        let pathway = try XCTUnwrap(result.pathway)
        let stay = try XCTUnwrap(pathway.state("stay"))
        XCTAssertEqual(stay.durationCases.map(\.condition.source), ["age >= 85", "deprivation in [1, 2]"])
        XCTAssertEqual(stay.durationCases.map(\.value), [.lognormal(mean: 168, sd: 120), .exponential(mean: 120)])
        XCTAssertEqual(stay.duration, .lognormal(mean: 96, sd: 84))
        XCTAssertEqual(stay.allDurations.map(\.condition?.source), ["age >= 85", "deprivation in [1, 2]", nil])
        let branch = stay.next[0]
        XCTAssertEqual(branch.probabilityCases.map(\.condition.source), ["lives_alone"])
        XCTAssertEqual(branch.probabilityCases.map(\.value), [0.4])
        XCTAssertEqual(branch.probability, 0.2)
        XCTAssertFalse(branch.isDefault)
        XCTAssertTrue(stay.next[1].isDefault)
    }

    func testBadConditionsAreLocatedInsideTheirText() {
        let text = Self.pathway
            .replacingOccurrences(of: "when: age >= 85", with: "when: agee >= 85")
            .replacingOccurrences(of: "{ when: \"lives_alone\", is: 0.4 }", with: "{ when: \"lives_alone and\", is: 0.4 }")
            .replacingOccurrences(of: "deprivation in [1, 2]", with: "sex >= 2")
        let result = check(text)
        XCTAssertNil(result.pathway)
        let unknown = place(of: "agee", in: text)
        assertProblem(result, "unknown attribute 'agee'", line: unknown.line, column: unknown.column,
                      path: "states.stay.duration[0].when")
        // Quoted: the column counts from inside the quotes.
        let cut = place(of: "lives_alone and\"", in: text)
        assertProblem(result, "expected an attribute, a number, a text or '('", line: cut.line, column: cut.column + 15,
                      path: "states.stay.next[0].p[0].when")
        let typed = place(of: "sex >= 2", in: text)
        assertProblem(result, "cannot compare", line: typed.line, column: typed.column + 4, path: "states.stay.duration[1].when")
    }

    func testTheDefaultMustBeLastAndAloneWithoutCondition() {
        let text = Self.pathway
            .replacingOccurrences(of: "      - { when: \"deprivation in [1, 2]\", is: \"exponential(mean=5d)\" }",
                                  with: "      - { is: \"exponential(mean=5d)\" }")
            .replacingOccurrences(of: "          - { is: 0.2 }", with: "          - { when: \"age > 90\", is: 0.2 }")
        let result = check(text)
        XCTAssertNil(result.pathway)
        let hidden = place(of: "- { is: \"exponential(mean=5d)\" }", in: text)
        assertProblem(result, "only the last alternative may leave out 'when'", line: hidden.line, column: hidden.column + 2,
                      path: "states.stay.duration[1]")
        let last = place(of: "age > 90", in: text)
        assertProblem(result, "the last alternative is the default", line: last.line, column: last.column - 1,
                      path: "states.stay.next[0].p[1].when")
    }

    func testSharesAreProbabilitiesAndSumToOneForEachAlternative() {
        // A share above 1, and without a default branch shares that do not sum to 1 for one group.
        let text = Self.pathway
            .replacingOccurrences(of: "{ when: \"lives_alone\", is: 0.4 }", with: "{ when: \"lives_alone\", is: 1.4 }")
            .replacingOccurrences(of: "      - { to: home }", with: """
                  - to: home
                    p:
                      - { when: "lives_alone", is: 0.5 }
                      - { is: 0.8 }
            """)
        let result = check(text)
        XCTAssertNil(result.pathway)
        let big = place(of: "is: 1.4", in: text)
        assertProblem(result, "a probability must be between 0 and 1, found 1.4", line: big.line, column: big.column,
                      path: "states.stay.next[0].p[0].is")
        let next = place(of: "next:", in: text)
        assertProblem(result, "for patients for whom \"lives_alone\" holds (and no condition before it), the branch shares sum to 1.9",
                      line: next.line, column: next.column, path: "states.stay.next")
        // The patients no condition matches: 0.2 + 0.8 = 1, fine.
        XCTAssertTrue(result.problems(containing: "no condition matches, the branch shares").isEmpty)

        // Different conditions on two branches cannot be checked alternative by alternative.
        let mixed = Self.pathway.replacingOccurrences(of: "      - { to: home }", with: """
                  - to: home
                    p:
                      - { when: "age >= 85", is: 0.6 }
                      - { is: 0.8 }
            """)
        assertProblem(check(mixed), "must give the same conditions in the same order", line: next.line, path: "states.stay.next")

        // With the same conditions and sums of 1 for everyone it is valid.
        let valid = Self.pathway.replacingOccurrences(of: "      - { to: home }", with: """
                  - to: home
                    p:
                      - { when: "lives_alone", is: 0.6 }
                      - { is: 0.8 }
            """)
        XCTAssertEqual(check(valid).errors, [], check(valid).problems.map(\.description).joined(separator: "\n"))
    }

    func testValueProblemsInAlternativesAreLocated() {
        let text = Self.pathway.replacingOccurrences(of: "is: lognormal(mean=7d, sd=5d)", with: "is: lognormal(mean=-7d, sd=5d)")
            .replacingOccurrences(of: "- { is: 0.2 }", with: "- { is: 0.2, p: 3 }")
        let result = check(text)
        XCTAssertNil(result.pathway)
        let bad = place(of: "lognormal(mean=-7d", in: text)
        assertProblem(result, "expected mean of lognormal as a duration", line: bad.line, column: bad.column, path: "states.stay.duration[0].is")
        let key = place(of: "p: 3", in: text)
        assertProblem(result, "unknown key 'p'", line: key.line, column: key.column)
        // An empty list says what it expected.
        let empty = check(Self.pathway.replacingOccurrences(of: "p:\n          - { when: \"lives_alone\", is: 0.4 }\n          - { is: 0.2 }",
                                                            with: "p: []"))
        XCTAssertEqual(empty.problems(containing: "found an empty list").count, 1, empty.problems.map(\.description).joined(separator: "\n"))
    }

    // MARK: Scenario: attributes that depend on others, several breakdowns

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-cohort-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.pathway.utf8).write(to: folder.appendingPathComponent("pathway.yaml"))
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    static let scenario = """
    scenario: cohort
    pathway: pathway.yaml
    cohort:
      patients: 100
      arrivals: 10/d
      attributes:
        age: normal(mean=81, sd=8)
        lives_alone:
          - { when: "age >= 85", is: 0.59 }
          - { is: 0.29 }
        sex:
          - when: age >= 85 and lives_alone
            is: { female: 0.7, male: 0.3 }
          - is: { female: 0.55, male: 0.45 }
        deprivation: integer(1, 5)
    breakdown: [deprivation, lives_alone, { attribute: age, cuts: [85] }]
    """

    func checkScenario(_ text: String) throws -> ScenarioFile.Result {
        let url = folder.appendingPathComponent("scenario.yaml")
        try Data(text.utf8).write(to: url)
        return ScenarioFile.check(url)
    }

    func testConditionalAttributesAndSeveralBreakdownsAreRead() throws {
        let result = try checkScenario(Self.scenario)
        XCTAssertEqual(result.problems, [], result.problems.map(\.description).joined(separator: "\n"))
        let scenario = try XCTUnwrap(result.scenario)
        XCTAssertEqual(scenario.cohort.attributeOrder, ["age", "lives_alone", "sex", "deprivation"])
        guard case .conditional(let cases, let otherwise)? = scenario.cohort.attributes["lives_alone"] else {
            return XCTFail("lives_alone is not conditional")
        }
        XCTAssertEqual(cases.map(\.condition.source), ["age >= 85"])
        XCTAssertEqual(cases.map(\.value), [.bernoulli(0.59)])
        XCTAssertEqual(otherwise, .bernoulli(0.29))
        XCTAssertEqual(scenario.cohort.attributes["sex"]?.attributeNames, ["age", "lives_alone"])
        XCTAssertEqual(scenario.breakdowns, [Breakdown(attribute: "deprivation"), Breakdown(attribute: "lives_alone"),
                                             Breakdown(attribute: "age", cuts: [85])])
        XCTAssertEqual(scenario.breakdown, Breakdown(attribute: "deprivation"))

        // The single form still works.
        let single = try checkScenario(Self.scenario.replacingOccurrences(of: "breakdown: [deprivation, lives_alone, { attribute: age, cuts: [85] }]",
                                                                      with: "breakdown: { attribute: age, cuts: [75, 85] }"))
        XCTAssertEqual(try XCTUnwrap(single.scenario).breakdowns, [Breakdown(attribute: "age", cuts: [75, 85])])
    }

    func testAConditionMayReadOnlyAttributesDrawnBefore() throws {
        let text = Self.scenario
            .replacingOccurrences(of: "{ when: \"age >= 85\", is: 0.59 }", with: "{ when: \"age >= 85 and deprivation <= 2\", is: 0.59 }")
            .replacingOccurrences(of: "when: age >= 85 and lives_alone", with: "when: sex == \"male\"")
        let result = try checkScenario(text)
        XCTAssertNil(result.scenario)
        let later = place(of: "deprivation <= 2", in: text)
        let problem = try XCTUnwrap(result.errors.first { $0.message.contains("'deprivation' is drawn after 'lives_alone'") },
                                    result.problems.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(problem.file.hasSuffix("scenario.yaml"), problem.file)
        XCTAssertEqual([problem.line, problem.column], [later.line, later.column])
        XCTAssertTrue(problem.message.contains("a condition may read those listed before (here: age)"), problem.message)
        XCTAssertEqual(problem.path.description, "cohort.attributes.lives_alone[0].when")

        let own = place(of: "sex == \"male\"", in: text)
        let itself = try XCTUnwrap(result.errors.first { $0.message.contains("'sex' cannot depend on itself") })
        XCTAssertEqual([itself.line, itself.column], [own.line, own.column])
    }

    func testConditionAndValueProblemsOfAttributesAreLocated() throws {
        let text = Self.scenario
            .replacingOccurrences(of: "{ is: 0.29 }", with: "{ is: 1.29 }")
            .replacingOccurrences(of: "when: age >= 85 and lives_alone", with: "when: age >= \"old\"")
            .replacingOccurrences(of: "is: { female: 0.55, male: 0.45 }", with: "is: { female: 0.55, mle: 0.45 }")
        let result = try checkScenario(text)
        XCTAssertNil(result.scenario)
        func located(_ fragment: String) throws -> FormatProblem {
            try XCTUnwrap(result.errors.first { $0.message.contains(fragment) }, result.problems.map(\.description).joined(separator: "\n"))
        }
        let share = place(of: "1.29", in: text)
        XCTAssertEqual(try located("expected the probability that it is true, between 0 and 1, found '1.29'").line, share.line)
        let compared = place(of: "age >= \"old\"", in: text)
        let typed = try located("cannot compare a number with a text")
        XCTAssertEqual([typed.line, typed.column], [compared.line, compared.column + 4])
        XCTAssertTrue(try located("'mle' is not a level of 'sex'").message.contains("did you mean 'male'?"))
    }

    func testBreakdownListsAreChecked() throws {
        func errors(_ breakdown: String) throws -> [String] {
            try checkScenario(Self.scenario.replacingOccurrences(of: "breakdown: [deprivation, lives_alone, { attribute: age, cuts: [85] }]",
                                                                 with: "breakdown: \(breakdown)")).errors.map(\.message)
        }
        XCTAssertEqual(try errors("[deprivation, lives_alone, deprivation]"),
                       ["'deprivation' is already a breakdown: give each attribute once (with all its cuts)"])
        XCTAssertEqual(try errors("[deprivation, frailty]").count, 1)
        XCTAssertTrue(try errors("[deprivation, frailty]")[0].contains("the pathway declares no attribute 'frailty'"))
        XCTAssertEqual(try errors("[deprivation, lives_alone, sex, age, { attribute: age, cuts: [80] }]").first,
                       "expected at most 4 breakdowns, found 5")
        XCTAssertEqual(try errors("[]"), ["expected at least one attribute to break the figures down by, found an empty list"])
    }
}
