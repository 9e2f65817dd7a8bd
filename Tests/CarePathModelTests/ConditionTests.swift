import Foundation
import XCTest
import CarePathModel

/// The patient attributes most condition tests read, in slot order.
private let attributes = [
    PatientAttribute(name: "age", type: .number),                         // slot 0
    PatientAttribute(name: "lives_alone", type: .boolean),                // slot 1
    PatientAttribute(name: "deprivation", type: .number),                 // slot 2
    PatientAttribute(name: "sex", type: .categorical(["female", "male"])), // slot 3
    PatientAttribute(name: "consent_opt_out", type: .boolean),            // slot 4
]

/// Three boolean attributes for precedence checks.
private let abc = ["a", "b", "c"].map { PatientAttribute(name: $0, type: .boolean) }

private struct Patient {
    var age: Double = 80
    var livesAlone = false
    var deprivation: Double = 3
    var sex = "female"
    var optOut = false
    var slots: [Double] {
        [age, livesAlone ? 1 : 0, deprivation, sex == "female" ? 0 : 1, optOut ? 1 : 0]
    }
}

private func holds(_ source: String, for patient: Patient = Patient()) throws -> Bool {
    try Condition.parse(source).compile(attributes: attributes).evaluate(patient.slots)
}

private func holds(_ source: String, a: Bool, b: Bool, c: Bool) throws -> Bool {
    try Condition.parse(source).compile(attributes: abc).evaluate([a, b, c].map { $0 ? 1.0 : 0.0 })
}

/// The error thrown by parsing `source`, or a failure when it parses.
private func parseError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> ConditionError? {
    do {
        let c = try Condition.parse(source)
        XCTFail("expected a parse error, got \(c.expression)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// The error thrown by compiling `source` against `attributes` (it must parse).
private func typeError(_ source: String, against list: [PatientAttribute] = attributes,
                       file: StaticString = #filePath, line: UInt = #line) -> ConditionError? {
    let condition: Condition
    do { condition = try Condition.parse(source) } catch {
        XCTFail("\(source) should parse: \(error)", file: file, line: line)
        return nil
    }
    do {
        let compiled = try condition.compile(attributes: list)
        XCTFail("expected a type error, got \(compiled)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

final class ConditionParsingTests: XCTestCase {
    func testAndBindsTighterThanOr() throws {
        let c = try Condition.parse("a or b and c")
        XCTAssertEqual(c.expression, .or(.attribute("a", column: 1),
                                         .and(.attribute("b", column: 6), .attribute("c", column: 12))))
    }

    func testNotBindsTighterThanAnd() throws {
        let c = try Condition.parse("not a and b")
        XCTAssertEqual(c.expression, .and(.not(.attribute("a", column: 5), column: 1), .attribute("b", column: 11)))
    }

    func testParenthesesOverridePrecedence() throws {
        let c = try Condition.parse("(a or b) and c")
        XCTAssertEqual(c.expression, .and(.or(.attribute("a", column: 2), .attribute("b", column: 7)),
                                          .attribute("c", column: 14)))
    }

    func testChainsAssociateToTheLeft() throws {
        let c = try Condition.parse("a and b and c")
        XCTAssertEqual(c.expression, .and(.and(.attribute("a", column: 1), .attribute("b", column: 7)),
                                          .attribute("c", column: 13)))
    }

    func testComparisonRecordsOperatorAndColumns() throws {
        let c = try Condition.parse("age >= 85")
        XCTAssertEqual(c.expression, .compare(.attribute("age", column: 1), .greaterOrEqual, .number(85, column: 8), column: 5))
    }

    func testEachComparisonOperatorIsRecognised() throws {
        for op in ComparisonOperator.allCases {
            let c = try Condition.parse("age \(op.rawValue) 3")
            guard case .compare(_, let found, _, _) = c.expression else { return XCTFail("\(op) not a comparison") }
            XCTAssertEqual(found, op)
        }
    }

    func testMembershipListIsParsed() throws {
        let c = try Condition.parse("deprivation in [1, 2]")
        XCTAssertEqual(c.expression, .member(.attribute("deprivation", column: 1),
                                             [.number(1, column: 17), .number(2, column: 20)], negated: false, column: 13))
    }

    func testNotInIsANegatedMembership() throws {
        let c = try Condition.parse("sex not in [\"male\"]")
        XCTAssertEqual(c.expression, .member(.attribute("sex", column: 1), [.text("male", column: 13)], negated: true, column: 5))
    }

    func testTextsBooleansAndDecimalsAreLiterals() throws {
        XCTAssertEqual(try Condition.parse("'female'").expression, .text("female", column: 1))
        XCTAssertEqual(try Condition.parse("true").expression, .boolean(true, column: 1))
        XCTAssertEqual(try Condition.parse("false").expression, .boolean(false, column: 1))
        XCTAssertEqual(try Condition.parse(".5").expression, .number(0.5, column: 1))
        XCTAssertEqual(try Condition.parse("2.75").expression, .number(2.75, column: 1))
    }

    func testAttributeNamesMayHoldDigitsDashesAndUnderscores() throws {
        XCTAssertEqual(try Condition.parse("imd_2019-quintile").expression, .attribute("imd_2019-quintile", column: 1))
    }

    func testAttributeNamesListsEveryAttributeRead() throws {
        let c = try Condition.parse("not consent_opt_out or (sex == \"female\" and age > 75) or deprivation in [1]")
        XCTAssertEqual(c.attributeNames, ["consent_opt_out", "sex", "age", "deprivation"])
    }

    func testDescriptionIsTheSourceText() throws {
        XCTAssertEqual(try Condition.parse("age >= 85 and lives_alone").description, "age >= 85 and lives_alone")
    }

    // MARK: parse errors, with the column

    func testMissingRightOperandPointsAtTheEnd() {
        let e = parseError("age >= ")
        XCTAssertEqual(e?.column, 8)
        XCTAssertEqual(e?.message, "expected an attribute, a number, a text or '(', found the end of the condition")
    }

    func testSingleEqualsSignSuggestsDoubleEquals() {
        let e = parseError("age = 3")
        XCTAssertEqual(e?.column, 5)
        XCTAssertEqual(e?.message, "'=' is not an operator: use '==' to compare")
    }

    func testUnclosedParenthesisPointsAtTheEndAndNamesTheOpening() {
        let e = parseError("(age > 3")
        XCTAssertEqual(e?.column, 9)
        XCTAssertEqual(e?.message, "expected ')' to close the '(' at column 1, found the end of the condition")
    }

    func testSymbolicLogicalOperatorsAreRefusedWithTheWordToUse() {
        let and = parseError("a && b")
        XCTAssertEqual(and?.column, 3)
        XCTAssertEqual(and?.message, "'&' is not an operator: use 'and', 'or', 'not'")
        XCTAssertEqual(parseError("a || b")?.column, 3)
        XCTAssertEqual(parseError("!a")?.column, 1)
    }

    func testUnterminatedStringPointsAtItsOpeningQuote() {
        let e = parseError("sex == \"female")
        XCTAssertEqual(e?.column, 8)
        XCTAssertEqual(e?.message, "text starting here has no closing \"")
        XCTAssertEqual(parseError("sex == 'female")?.column, 8)
    }

    func testEmptyConditionIsRefused() {
        XCTAssertEqual(parseError("")?.message, "the condition is empty")
        XCTAssertEqual(parseError("   ")?.column, 1)
    }

    func testTrailingWordsAreRefused() {
        let e = parseError("age > 3 age")
        XCTAssertEqual(e?.column, 9)
        XCTAssertEqual(e?.message, "expected 'and', 'or' or the end of the condition, found 'age'")
    }

    func testDanglingAndPointsAtTheEnd() {
        XCTAssertEqual(parseError("age > 3 and")?.column, 12)
    }

    func testMembershipNeedsABracketedNonEmptyListOfLiterals() {
        let noBracket = parseError("age in 1")
        XCTAssertEqual(noBracket?.column, 8)
        XCTAssertEqual(noBracket?.message, "expected '[' to start a list after 'in', found number 1.0")
        let empty = parseError("age in []")
        XCTAssertEqual(empty?.column, 9)
        XCTAssertEqual(empty?.message, "the list is empty")
        let noComma = parseError("age in [1 2]")
        XCTAssertEqual(noComma?.column, 11)
        XCTAssertEqual(noComma?.message, "expected ',' or ']' in the list, found number 2.0")
        let attribute = parseError("age in [other]")
        XCTAssertEqual(attribute?.column, 9)
        XCTAssertEqual(attribute?.message, "a list after 'in' holds only numbers, texts or true/false")
    }

    func testMalformedNumberIsRefused() {
        let e = parseError("1.2.3 > age")
        XCTAssertEqual(e?.column, 1)
        XCTAssertEqual(e?.message, "'1.2.3' is not a number")
    }

    func testUnexpectedCharacterIsRefused() {
        let e = parseError("age @ 3")
        XCTAssertEqual(e?.column, 5)
        XCTAssertEqual(e?.message, "unexpected character '@'")
    }

    func testReservedWordCannotBeAnAttribute() {
        let e = parseError("and > 3")
        XCTAssertEqual(e?.column, 1)
        XCTAssertEqual(e?.message, "expected an attribute, a number, a text or '(', found 'and'")
    }

    // MARK: hostile input

    func testDeepParenthesesAreRefusedWithoutCrashing() {
        let e = parseError(String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100))
        XCTAssertEqual(e?.message, "the condition is nested too deeply")
        XCTAssertEqual(e?.column, 65)
    }

    func testHundredsOfParenthesesAreRefusedAsTooDeep() {
        let e = parseError(String(repeating: "(", count: 400) + "a" + String(repeating: ")", count: 400))
        XCTAssertEqual(e?.message, "the condition is nested too deeply")
    }

    func testHundredsOfThousandsOfParenthesesAreRefusedQuickly() {
        let start = Date()
        let e = parseError(String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000))
        // So many symbols are refused by the length limit before the parser nests at all.
        XCTAssertEqual(e?.message, "the condition is too long (more than 1000 words, numbers and symbols)")
        XCTAssertEqual(e?.column, 1001)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testLongNotChainsAreRefused() {
        let e = parseError(String(repeating: "not ", count: 100) + "a")
        XCTAssertEqual(e?.message, "the condition is nested too deeply")
        XCTAssertEqual(e?.column, 257)
    }

    func testNestingWithinTheLimitIsAccepted() throws {
        let source = String(repeating: "(", count: 50) + "a" + String(repeating: ")", count: 50)
        XCTAssertTrue(try holds(source, a: true, b: false, c: false))
        XCTAssertTrue(try holds(String(repeating: "not ", count: 40) + "a", a: true, b: false, c: false))
    }

    func testAHugeFlatChainIsRefusedInsteadOfOverflowingTheStack() {
        // Before a length limit, 200,000 `and`s built a tree 200,000 deep and compiling it crashed.
        let source = Array(repeating: "a", count: 200_000).joined(separator: " and ")
        let e = parseError(source)
        XCTAssertEqual(e?.message.hasPrefix("the condition is too long"), true, e?.message ?? "")
    }

    func testAModeratelyLongChainStillWorks() throws {
        let source = Array(repeating: "a", count: 200).joined(separator: " and ")
        XCTAssertTrue(try holds(source, a: true, b: false, c: false))
        XCTAssertFalse(try holds(source, a: false, b: false, c: false))
    }
}

final class ConditionEvaluationTests: XCTestCase {
    func testOrOfAndFollowsPrecedence() throws {
        // a or (b and c) is true here; (a or b) and c would be false.
        XCTAssertTrue(try holds("a or b and c", a: true, b: false, c: false))
        XCTAssertFalse(try holds("(a or b) and c", a: true, b: false, c: false))
    }

    func testNotAppliesOnlyToItsOperand() throws {
        // (not a) and b is false here; not (a and b) would be true.
        XCTAssertFalse(try holds("not a and b", a: false, b: false, c: false))
        XCTAssertTrue(try holds("not (a and b)", a: false, b: false, c: false))
        XCTAssertTrue(try holds("not a and b", a: false, b: true, c: false))
    }

    func testEachComparisonOnNumbers() throws {
        let p = Patient(age: 85)
        XCTAssertTrue(try holds("age == 85", for: p))
        XCTAssertFalse(try holds("age != 85", for: p))
        XCTAssertFalse(try holds("age < 85", for: p))
        XCTAssertTrue(try holds("age <= 85", for: p))
        XCTAssertTrue(try holds("age > 84.5", for: p))
        XCTAssertFalse(try holds("age >= 86", for: p))
        XCTAssertTrue(try holds("90 > age", for: p))
        XCTAssertTrue(try holds("age == age", for: p))
    }

    func testTheDocumentedExample() throws {
        XCTAssertTrue(try holds("age >= 85 and lives_alone", for: Patient(age: 85, livesAlone: true)))
        XCTAssertFalse(try holds("age >= 85 and lives_alone", for: Patient(age: 84, livesAlone: true)))
        XCTAssertFalse(try holds("age >= 85 and lives_alone", for: Patient(age: 90, livesAlone: false)))
    }

    func testMembershipAndNegatedMembership() throws {
        XCTAssertTrue(try holds("deprivation in [1, 2]", for: Patient(deprivation: 2)))
        XCTAssertFalse(try holds("deprivation in [1, 2]", for: Patient(deprivation: 3)))
        XCTAssertTrue(try holds("deprivation not in [1, 2]", for: Patient(deprivation: 3)))
        XCTAssertFalse(try holds("deprivation not in [1, 2]", for: Patient(deprivation: 1)))
    }

    func testCategoricalEqualityWithStrings() throws {
        let male = Patient(sex: "male")
        XCTAssertTrue(try holds("sex == \"male\"", for: male))
        XCTAssertFalse(try holds("sex == \"female\"", for: male))
        XCTAssertTrue(try holds("sex != 'female'", for: male))
        XCTAssertTrue(try holds("\"male\" == sex", for: male))
        XCTAssertTrue(try holds("sex in [\"female\", \"male\"]", for: male))
        XCTAssertFalse(try holds("sex not in [\"male\"]", for: male))
    }

    func testBooleanEqualityWithLiterals() throws {
        let alone = Patient(livesAlone: true), together = Patient(livesAlone: false)
        XCTAssertTrue(try holds("lives_alone == true", for: alone))
        XCTAssertFalse(try holds("lives_alone == true", for: together))
        XCTAssertTrue(try holds("lives_alone == false", for: together))
        XCTAssertTrue(try holds("lives_alone != true", for: together))
        XCTAssertTrue(try holds("true == lives_alone", for: alone))
        XCTAssertTrue(try holds("lives_alone in [true]", for: alone))
        XCTAssertTrue(try holds("lives_alone == consent_opt_out", for: Patient(livesAlone: true, optOut: true)))
    }

    func testConstantsAndNegation() throws {
        XCTAssertTrue(try holds("true"))
        XCTAssertFalse(try holds("false"))
        XCTAssertTrue(try holds("not consent_opt_out", for: Patient(optOut: false)))
        XCTAssertFalse(try holds("not consent_opt_out", for: Patient(optOut: true)))
    }

    func testMixedExampleFromTheDocumentation() throws {
        let source = "not consent_opt_out or (sex == \"female\" and age > 75)"
        XCTAssertTrue(try holds(source, for: Patient(age: 80, sex: "female", optOut: true)))
        XCTAssertFalse(try holds(source, for: Patient(age: 70, sex: "female", optOut: true)))
        XCTAssertTrue(try holds(source, for: Patient(age: 70, sex: "male", optOut: false)))
    }

    func testCompiledFormReadsSlots() throws {
        XCTAssertEqual(try Condition.parse("age >= 85").compile(attributes: attributes),
                       .compare(.slot(0), .greaterOrEqual, .value(85)))
        XCTAssertEqual(try Condition.parse("lives_alone").compile(attributes: attributes), .flag(slot: 1))
        XCTAssertEqual(try Condition.parse("sex == \"male\"").compile(attributes: attributes),
                       .compare(.slot(3), .equal, .value(1)))
        XCTAssertEqual(try Condition.parse("deprivation not in [1, 2]").compile(attributes: attributes),
                       .member(slot: 2, values: [1, 2], negated: true))
    }

    func testEvaluationThroughABufferPointerMatchesTheArray() throws {
        let compiled = try Condition.parse("age >= 85 and not lives_alone").compile(attributes: attributes)
        let slots = Patient(age: 90).slots
        XCTAssertTrue(compiled.evaluate(slots))
        XCTAssertTrue(slots.withUnsafeBufferPointer { compiled.evaluate($0) })
    }

    // MARK: type errors, with the column

    func testNumberUsedAsBooleanIsReportedAtTheNumber() {
        let e = typeError("lives_alone and age")
        XCTAssertEqual(e?.column, 17)
        XCTAssertEqual(e?.message, "expected a true/false value here, found a number")
        XCTAssertEqual(typeError("age")?.column, 1)
        XCTAssertEqual(typeError("not deprivation")?.column, 5)
        XCTAssertEqual(typeError("lives_alone or 3")?.column, 16)
    }

    func testTextUsedAsBooleanIsRefused() {
        XCTAssertEqual(typeError("\"yes\"")?.message, "expected a true/false value here, found a text")
    }

    func testComparingABooleanWithANumberIsReportedAtTheOperator() {
        let e = typeError("lives_alone == 1")
        XCTAssertEqual(e?.column, 13)
        XCTAssertEqual(e?.message, "cannot compare a true/false value with a number")
    }

    func testOrderingBooleansIsRefused() {
        let e = typeError("lives_alone > false")
        XCTAssertEqual(e?.column, 13)
        XCTAssertEqual(e?.message, "true/false values can only be compared with == or !=")
    }

    func testCategoricalWithUnknownLevelIsReportedAtTheText() {
        let e = typeError("sex == \"other\"")
        XCTAssertEqual(e?.column, 8)
        XCTAssertEqual(e?.message, "'other' is not a level of 'sex' (levels: female, male)")
        let inList = typeError("sex in [\"female\", \"unknown\"]")
        XCTAssertEqual(inList?.column, 19)
        XCTAssertEqual(inList?.message, "'unknown' is not a level of 'sex' (levels: female, male)")
    }

    func testCategoricalOnlySupportsEquality() {
        let e = typeError("sex < \"male\"")
        XCTAssertEqual(e?.column, 5)
        XCTAssertEqual(e?.message, "categorical attribute 'sex' can only be compared with == or !=")
    }

    func testCategoricalComparedWithNumberIsRefused() {
        let e = typeError("sex == 1")
        XCTAssertEqual(e?.column, 5)
        XCTAssertEqual(e?.message, "cannot compare a categorical attribute 'sex' with a number")
    }

    func testNumberComparedWithTextIsRefused() {
        XCTAssertEqual(typeError("age == \"old\"")?.message, "cannot compare a number with a text")
    }

    func testMembershipLiteralsMustMatchTheAttributeType() {
        let e = typeError("age in [\"old\"]")
        XCTAssertEqual(e?.column, 9)
        XCTAssertEqual(e?.message, "'age' is a number, so it cannot be compared with this value")
        XCTAssertEqual(typeError("lives_alone in [1]")?.column, 17)
    }

    func testMembershipNeedsAnAttributeOnTheLeft() {
        let e = typeError("3 in [1]")
        XCTAssertEqual(e?.column, 1)
        XCTAssertEqual(e?.message, "the left of 'in' must be an attribute")
    }

    func testUnknownAttributeIsReportedWithItsColumnAndTheKnownOnes() {
        let e = typeError("age > 3 and frailty > 2")
        XCTAssertEqual(e?.column, 13)
        XCTAssertEqual(e?.message, "unknown attribute 'frailty' (known attributes: age, lives_alone, deprivation, sex, consent_opt_out)")
        XCTAssertEqual(typeError("frailty in [1]")?.column, 1)
    }

    func testUnknownAttributeWhenNoneAreDeclared() {
        XCTAssertEqual(typeError("age > 3", against: [])?.message, "unknown attribute 'age' (the pathway declares no attributes)")
    }

    func testErrorDescriptionNamesTheColumn() {
        XCTAssertEqual(ConditionError(column: 4, message: "boom").description, "column 4: boom")
    }
}

final class NegativeNumberConditionTests: XCTestCase {
    func testNegativeNumbersAreValuesWhereNoValuePrecedesThem() throws {
        let attributes = [PatientAttribute(name: "score", type: .number)]
        let c = try Condition.parse("score > -4 and score in [-3, 2]").compile(attributes: attributes)
        XCTAssertTrue(c.evaluate([-3]))
        XCTAssertFalse(c.evaluate([-5]))
        XCTAssertFalse(c.evaluate([1]))
        // After a value a minus is not an operator: there is no arithmetic.
        XCTAssertThrowsError(try Condition.parse("score -1 > 2")) { error in
            XCTAssertEqual((error as? ConditionError)?.column, 7)
        }
    }
}
