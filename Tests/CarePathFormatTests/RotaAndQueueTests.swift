import XCTest
import CarePathFormat
import CarePathModel

/// A council pathway with the roles in `roles` (written as under `roles:`) and `states`.
func councilPathway(_ roles: String, states: String = """
  visit: { owner: council/nurse, next: [{ to: home }] }
  home: { terminal: true }
""") -> String {
    let indented = roles.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    return """
    pathway: p
    organisations:
      council:
        sector: social-care
        maturity: basic
        roles:
    \(indented)
    states:
    \(states)
    """
}

/// Line and column (1-based) of the first occurrence of `needle` in `text`.
func position(of needle: String, in text: String, file: StaticString = #filePath, line: UInt = #line) -> (line: Int, column: Int) {
    for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if let range = l.range(of: needle) { return (i + 1, l.distance(from: l.startIndex, to: range.lowerBound) + 1) }
    }
    XCTFail("no line contains '\(needle)'", file: file, line: line)
    return (-1, -1)
}

/// Asserts one problem containing `fragment`, at the first occurrence of `needle` (the needle's
/// `offset`-th character onwards).
@discardableResult
func assertProblem(_ text: String, _ result: PathwayFile.Result, _ fragment: String, at needle: String, severity: FormatProblem.Severity = .error,
                   path: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> FormatProblem? {
    let (l, c) = position(of: needle, in: text, file: file, line: line)
    return assertProblem(result, fragment, line: l, column: c, severity: severity, path: path, file: file, line: line)
}

private let everyDay = Set(0..<7)

final class RotaTests: XCTestCase {
    func testRotaGivesACapacityPerShift() throws {
        let text = councilPathway("""
        nurse:
          rota:
            - { when: "every day 08:00-20:00", capacity: 6 }
            - { when: "every day 20:00-08:00", capacity: 2 }
          bank-holidays: closed
        """)
        let result = check(text)
        XCTAssertEqual(result.problems.map(\.description), [])
        let nurse = try XCTUnwrap(result.pathway?.role(RoleReference(organisation: "council", role: "nurse")))
        XCTAssertEqual(nurse.calendar, WorkingCalendar(windows: [
            WorkingCalendar.Window(days: everyDay, opens: 480, closes: 1200, capacity: 6),
            WorkingCalendar.Window(days: everyDay, opens: 1200, closes: 480, capacity: 2),
        ], bankHolidays: .closed))
        XCTAssertEqual(nurse.capacity, 6, "the nominal capacity is the largest shift's")
        XCTAssertEqual(nurse.calendar.description, "every day 08:00-20:00 x6, 20:00-08:00 x2 (bank holidays closed)")
    }

    func testAShiftMayHaveSeveralWindowsAndTheNominalCapacityMayBeGiven() throws {
        let result = check(councilPathway("""
        nurse:
          capacity: 9
          rota:
            - { when: "mon-fri 08:00-12:30, 13:30-17:00", capacity: 4 }
            - { when: "sat-sun 10:00-14:00", capacity: 0 }
        """))
        XCTAssertEqual(result.problems.map(\.description), [])
        let nurse = try XCTUnwrap(result.pathway?.roles.first)
        XCTAssertEqual(nurse.capacity, 9)
        XCTAssertEqual(nurse.calendar.windows.map(\.capacity), [4, 4, 0])
        XCTAssertEqual(nurse.calendar.windows.map(\.days), [[0, 1, 2, 3, 4], [0, 1, 2, 3, 4], [5, 6]])
        XCTAssertEqual(nurse.calendar.bankHolidays, .asSunday)
    }

    func testSeveralWindowsInACalendarAndBankHolidays() throws {
        let result = check(councilPathway("""
        nurse:
          capacity: 3
          calendar: "mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00"
          bank-holidays: normal
        """))
        XCTAssertEqual(result.problems.map(\.description), [])
        let nurse = try XCTUnwrap(result.pathway?.roles.first)
        XCTAssertEqual(nurse.calendar.windows.count, 3)
        XCTAssertEqual(nurse.calendar.bankHolidays, .normal)
        XCTAssertFalse(nurse.calendar.hasShiftCapacities)
    }

    func testOverlappingWindowsOfOneCalendarNameBothWindows() {
        let text = councilPathway("""
        nurse:
          capacity: 2
          calendar: weekdays 08:00-13:00, 12:30-17:00
        """)
        assertProblem(text, check(text),
                      "the windows 'weekdays 08:00-13:00' and 'weekdays 12:30-17:00' overlap on Monday 12:30-13:00: each minute of a week belongs to one window at most",
                      at: "12:30-17:00", path: "organisations.council.roles.nurse.calendar")
    }

    func testOverlappingShiftsPastMidnightAreFoundOnTheNextDay() {
        let text = councilPathway("""
        nurse:
          rota:
            - { when: "every day 20:00-08:00", capacity: 2 }
            - { when: "mon 07:00-09:00", capacity: 4 }
        """)
        assertProblem(text, check(text), "the windows 'every day 20:00-08:00' and 'mon 07:00-09:00' overlap on Monday 07:00-08:00",
                      at: "07:00-09:00", path: "organisations.council.roles.nurse.rota[1].when")
    }

    func testProblemsInsideCalendarTextsAreLocatedAtTheirColumn() {
        let text = councilPathway("""
        nurse: { capacity: 1 }
        a:
          capacity: 1
          calendar: weekdays 09:00-09:00
        b:
          capacity: 1
          calendar: "sun 25:00-26:00"
        c:
          capacity: 1
          calendar: mon-fri 09:00-9:5
        d:
          capacity: 1
          calendar: funday 09:00-10:00
        """)
        let result = check(text)
        XCTAssertNil(result.pathway)
        assertProblem(text, result, "the window 09:00-09:00 is empty", at: "09:00-09:00", path: "organisations.council.roles.a.calendar")
        assertProblem(text, result, "invalid time of day '25:00'", at: "25:00", path: "organisations.council.roles.b.calendar")
        assertProblem(text, result, "invalid time of day '9:5'", at: "9:5")
        assertProblem(text, result, "unknown day 'funday'", at: "funday")
        XCTAssertEqual(result.errors.count, 4)
    }

    func testTheOldCalendarErrorStillNamesTheForms() {
        let text = councilPathway("""
        nurse:
          capacity: 2
          calendar: weekdays 9-5
        """)
        assertProblem(text, check(text), "expected a calendar such as 'always', 'weekdays 09:00-17:00', 'mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00' or 'every day 22:00-06:00', found 'weekdays 9-5'",
                      at: "weekdays 9-5")
    }

    func testARotaThatIsNeverOpenForARoleThatStatesUse() {
        let text = councilPathway("""
        nurse:
          rota:
            - { when: "weekdays 09:00-17:00", capacity: 0 }
        spare:
          rota:
            - { when: "weekdays 09:00-17:00", capacity: 0 }
        """)
        let result = check(text)
        assertProblem(text, result, "council/nurse is never open (every shift of its rota has capacity 0): no patient could be served",
                      at: "nurse:", path: "organisations.council.roles.nurse")
        XCTAssertEqual(result.errors.count, 1, "a role no state uses may be closed")
    }

    func testRotaAndCalendarAreExclusive() {
        let text = councilPathway("""
        nurse:
          capacity: 2
          calendar: weekdays 09:00-17:00
          rota:
            - { when: "every day 08:00-20:00", capacity: 6 }
        """)
        let result = check(text)
        assertProblem(text, result, "give either 'calendar' (the role's capacity in every window) or 'rota' (a capacity per shift), not both",
                      at: "rota:", path: "organisations.council.roles.nurse.rota")
        XCTAssertEqual(result.errors.count, 1)
    }

    func testShiftProblems() {
        let text = councilPathway("""
        nurse:
          rota:
            - { when: "weekdays 09:00-17:00", capacity: -1 }
            - { when: "weekdays 18:00-20:00 x3", capacity: 3 }
            - { when: "sat 10:00-14:00" }
            - { when: "sun 10:00-14:00 (bank holidays closed)", capacity: 1 }
        """)
        let result = check(text)
        assertProblem(text, result, "a shift's capacity must be 0 (closed) or more, found -1", at: "-1 }")
        assertProblem(text, result, "give the shift's capacity under 'capacity', not with 'x' in its hours", at: "\"weekdays 18:00")
        assertProblem(text, result, "missing required key 'capacity'", at: "{ when: \"sat", path: "organisations.council.roles.nurse.rota[2].capacity")
        assertProblem(text, result, "bank holidays are the role's: give 'bank-holidays' on the role, not in a shift", at: "\"sun 10:00")
        XCTAssertEqual(result.errors.count, 4, result.problems.map(\.description).joined(separator: "\n"))
    }

    func testAnEmptyRotaAndBadBankHolidayRules() {
        let text = councilPathway("""
        nurse:
          rota: []
        a:
          capacity: 1
          bank-holidays: sometimes
        b:
          capacity: 1
          calendar: weekdays 09:00-17:00 (bank holidays closed)
          bank-holidays: normal
        """)
        let result = check(text)
        assertProblem(text, result, "a rota needs at least one shift", at: "[]")
        assertProblem(text, result, "unknown bank holiday rule 'sometimes' (expected one of: as-sunday, closed, normal)", at: "sometimes")
        assertProblem(text, result, "the calendar text already says what the role does on bank holidays; give it once", at: "normal")
        XCTAssertEqual(result.errors.count, 3, result.problems.map(\.description).joined(separator: "\n"))
    }

    func testCapacityIsStillRequiredWithoutARota() {
        let text = councilPathway("""
        nurse:
          calendar: weekdays 09:00-17:00
        """)
        assertProblem(text, check(text), "missing required key 'capacity'", at: "calendar:", path: "organisations.council.roles.nurse.capacity")
    }
}
