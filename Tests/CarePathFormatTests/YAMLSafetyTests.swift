import Foundation
import XCTest
import CarePathFormat
import CarePathModel

/// `levels` anchors, each a list of nine aliases to the one before: 9^levels values once expanded.
private func laughs(levels: Int = 9, indent: String = "  ") -> String {
    var lines = [indent + "- &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in 1..<levels {
        lines.append(indent + "- &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ") + "]")
    }
    return lines.joined(separator: "\n")
}

private let organisations = """
organisations:
  acute: { sector: acute, maturity: basic, roles: { ward: { capacity: 2 } } }
"""

final class YAMLSafetyTests: XCTestCase {
    func testBillionLaughsUnderNeedsIsRefusedQuickly() throws {
        // Lines 1-2 header, 3-11 the nine anchors, 12-13 organisations, then the states.
        let text = "pathway: p\nx-lol:\n" + laughs() + "\n" + organisations + """

        states:
          stay:
            owner: acute/ward
            needs: *l8
            next: [{ to: home }]
          home: { terminal: true }
        """
        let result = try XCTUnwrap(check(text, within: 10))
        XCTAssertNil(result.pathway)
        assertProblem(result, "unknown key 'x-lol'", line: 2, column: 1)
        // Each of the nine entries is a list, not a name; an alias's problems point at its anchor.
        let notNames = result.problems(containing: "expected information item name, found a list")
        XCTAssertEqual(notNames.map(\.path.description), (0..<9).map { "states.stay.needs[\($0)]" })
        XCTAssertEqual(Set(notNames.map(\.line)), [10])
    }

    func testBillionLaughsAsAConditionIsRefusedQuickly() throws {
        let text = "pathway: p\nx-lol:\n" + laughs() + "\n" + organisations + """

        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, when: *l8 }
              - { to: home }
          home: { terminal: true }
        """
        let result = try XCTUnwrap(check(text, within: 10))
        XCTAssertNil(result.pathway)
        assertProblem(result, "expected a condition, found a list", line: 11, path: "states.stay.next[0].when")
    }

    func testAliasExpansionBeyondTheBudgetIsRefused() throws {
        // Each state is the same mapping, with 300 branches that each carry 300 concerns:
        // 100 states expand to millions of values from a few kilobytes.
        let concerns = "[ &k { concern: other, note: x }" + String(repeating: ", *k", count: 299) + " ]"
        let branches = "[ &t { to: home, concerns: &c \(concerns) }" + String(repeating: ", *t", count: 299) + " ]"
        var lines = ["pathway: p", organisations, "states:", "  s0: &s", "    owner: acute/ward", "    next: \(branches)"]
        for i in 1..<100 { lines.append("  s\(i): *s") }
        lines.append("  home: { terminal: true }")
        let text = lines.joined(separator: "\n")
        XCTAssertLessThan(text.utf8.count, 20_000)

        let result = try XCTUnwrap(check(text, within: 60))
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems(containing: "the document expands to more than 200,000 values (YAML aliases?); refused").count, 1)
    }

    func testNestingBeyondLibyamlsLimitSaysSoWithoutLibyamlsFunctionName() throws {
        let text = "pathway: p\nx-deep: " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000) + "\n"
        let result = try XCTUnwrap(check(text, within: 10))
        XCTAssertEqual(result.problems.count, 1)
        let problem = assertProblem(result, "lists or mappings are nested more than 1000 levels deep here", line: 2)
        XCTAssertFalse(problem?.message.contains("yaml_") ?? true, problem?.message ?? "")
    }

    func testAliasUsedAsKeyIsRefused() throws {
        let text = "pathway: p\nx-lol:\n" + laughs() + "\n" + organisations + "\nstates:\n  *l8 : { terminal: true }\n"
        let result = try XCTUnwrap(check(text, within: 10))
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        assertProblem(result, "a YAML alias used as a mapping key is not supported; write the key out", line: 15, column: 3)
    }

    func testAliasKeyEndingInAColonIsRefused() {
        let result = check("a: &k key\nb: { *k: 1 }\n")
        assertProblem(result, "a YAML alias used as a mapping key is not supported", line: 2, column: 6)
    }

    func testAliasKeyAfterAnApostropheIsStillFound() throws {
        // `it's` is a plain scalar, not the start of a quoted one: the alias after it is a key.
        let text = "x-lol:\n" + laughs() + "\nz: { a: it's, *l8: v }\n"
        let result = try XCTUnwrap(check(text, within: 10))
        assertProblem(result, "a YAML alias used as a mapping key is not supported", line: 11, column: 15)
    }

    func testAliasKeyAfterACarriageReturnLineBreakIsStillFound() throws {
        let text = "x-lol:\n" + laughs() + "\rz: 1\r*l8 : v\n"
        let result = try XCTUnwrap(check(text, within: 10))
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.first?.message, "a YAML alias used as a mapping key is not supported; write the key out")
    }

    func testListOfAliasesUsedAsKeyIsRefused() throws {
        // The YAML library hashes keys to find duplicates; this key expands to 2 * 9^9 values.
        let text = "x-lol:\n" + laughs() + "\nz: {[*l8, *l8]: 1}\n"
        let result = try XCTUnwrap(check(text, within: 10))
        XCTAssertNil(result.pathway)
        assertProblem(result, "a list or mapping used as a mapping key is not supported in a file that uses YAML aliases",
                      line: 11, column: 14)
    }

    func testExplicitComplexKeyWithAliasesIsRefused() throws {
        let text = "x-lol:\n" + laughs() + "\n? [*l8]\n: 1\n"
        let result = try XCTUnwrap(check(text, within: 10))
        assertProblem(result, "a list or mapping used as a mapping key is not supported", line: 11, column: 1)
    }

    func testMappingWithAliasUsedAsKeyIsRefused() throws {
        let text = "x-lol:\n" + laughs() + "\nz:\n  {a: *l8}: 1\n"
        let result = try XCTUnwrap(check(text, within: 10))
        assertProblem(result, "a list or mapping used as a mapping key is not supported", line: 12, column: 10)
    }

    func testListKeyWithoutAliasesIsAnOrdinaryProblem() {
        let result = check("pathway: p\n[a, b]: 1\n")
        assertProblem(result, "expected a name as key, found a list", line: 2, column: 1)
    }

    func testAliasesAsValuesStillWork() throws {
        let result = check("""
        pathway: p
        organisations:
          acute:
            sector: acute
            maturity: basic
            roles:
              ward: &team { capacity: 2, calendar: weekdays 09:00-17:00 }
              theatre: *team
        states:
          stay:
            owner: acute/ward
            duration: &usual triangular(1h, 2h, 4h)
            next: [{ to: surgery }]
          surgery:
            owner: acute/theatre
            duration: *usual
            next: [{ to: home }]
          home: { terminal: true }
        """)
        XCTAssertEqual(result.problems.map(\.description), [])
        let pathway = try XCTUnwrap(result.pathway)
        XCTAssertEqual(pathway.role(RoleReference(organisation: "acute", role: "theatre"))?.calendar, .weekdays9to17)
        XCTAssertEqual(pathway.state("surgery")?.duration, .triangular(min: 1, mode: 2, max: 4))
    }

    func testDeeplyNestedYAMLIsRefusedWithoutCrashing() throws {
        let text = "pathway: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let result = try XCTUnwrap(check(text, within: 10))
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        XCTAssertEqual(result.problems.first?.message.hasPrefix("YAML: lists or mappings are nested more than 1000 levels deep"), true)
    }

    func testHugeConditionInAFileIsRefusedWithoutCrashing() throws {
        let condition = Array(repeating: "urgent", count: 100_000).joined(separator: " and ")
        let text = """
        pathway: p
        attributes: { urgent: boolean }
        \(organisations)
        states:
          stay:
            owner: acute/ward
            next:
              - { to: home, when: "\(condition)" }
              - { to: home }
          home: { terminal: true }
        """
        let result = try XCTUnwrap(check(text, within: 20))
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        XCTAssertEqual(result.problems.first?.line, 9)
        XCTAssertEqual(result.problems.first?.message.hasPrefix("in condition: the condition is too long"), true)
    }

    func testOversizedFileIsRefusedBeforeParsing() {
        let text = "pathway: p\ndescription: " + String(repeating: "x", count: 5 * 1024 * 1024)
        let result = check(text)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.map(\.message),
                       ["the file is larger than 4 MB; expected a pathway or scenario of a few hundred lines"])
    }

    func testCheckingAFileThatCannotBeReadIsAProblemNotACrash() {
        let url = URL(fileURLWithPath: "/nonexistent/carepath-\(UUID().uuidString).yaml")
        let result = PathwayFile.check(url)
        XCTAssertNil(result.pathway)
        XCTAssertEqual(result.problems.count, 1)
        XCTAssertEqual(result.problems.first?.message.hasPrefix("cannot read the file"), true)
        XCTAssertThrowsError(try PathwayFile.load(url))
    }
}
