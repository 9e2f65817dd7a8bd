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
        assertProblem(text, result, "council/nurse is never open: no patient could be served (every shift of its rota has capacity 0)",
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

    func testCalendarsWithThousandsOfWindowsAreRefusedQuickly() throws {
        let day = (0..<24).map { h in "\(h < 10 ? "0" : "")\(h):00-\(h + 1 < 10 ? "0" : "")\(h + 1):00" }.joined(separator: ", ")
        var roles = "nurse: &r { capacity: 1, calendar: \"every day \(day)\" }\n"
        for i in 0..<200 { roles += "r\(i): *r\n" }
        let result = try XCTUnwrap(check(councilPathway(roles), within: 10))
        XCTAssertEqual(result.problems(containing: "more than 2000 windows in all; refused").count, 1)
        XCTAssertNil(result.pathway)
    }

    func testCapacityIsStillRequiredWithoutARota() {
        let text = councilPathway("""
        nurse:
          calendar: weekdays 09:00-17:00
        """)
        assertProblem(text, check(text), "missing required key 'capacity'", at: "calendar:", path: "organisations.council.roles.nurse.capacity")
    }
}

final class QueueAndHoldTests: XCTestCase {
    static let states = """
      visit: { owner: council/nurse, next: [{ to: home }] }
      elsewhere: { terminal: true }
      home: { terminal: true }
    """

    func testQueueLimitAndPatienceWithTheirDestinations() throws {
        let result = check(councilPathway("""
        nurse:
          capacity: 2
          queue:
            limit: 0
            when-full: elsewhere
            patience: exponential(mean=2d)
            gives-up-to: home
        """, states: Self.states))
        XCTAssertEqual(result.problems.map(\.description), [])
        let nurse = try XCTUnwrap(result.pathway?.roles.first)
        XCTAssertEqual(nurse.queue, .fifo, "without a priority the queue is first come, first served")
        XCTAssertEqual(nurse.limit, QueueLimit(waiting: 0, overflow: "elsewhere"))
        XCTAssertEqual(nurse.patience, Patience(.exponential(mean: 48), destination: "home"))
    }

    func testPriorityWithALimit() throws {
        let result = check("""
        pathway: p
        attributes: { age: number }
        organisations:
          council:
            sector: social-care
            maturity: basic
            roles:
              nurse: { capacity: 2, queue: { priority: age, order: lowest-first, limit: 5, when-full: elsewhere } }
        states:
        \(Self.states)
        """)
        XCTAssertEqual(result.problems.map(\.description), [])
        let nurse = try XCTUnwrap(result.pathway?.roles.first)
        XCTAssertEqual(nurse.queue, .priority(attribute: "age", highestFirst: false))
        XCTAssertEqual(nurse.limit, QueueLimit(waiting: 5, overflow: "elsewhere"))
        XCTAssertNil(nurse.patience)
    }

    func testEachLimitOrPatienceNeedsItsDestinationAndTheOtherWayRound() {
        let text = councilPathway("""
        nurse: { capacity: 1 }
        a: { capacity: 1, queue: { limit: 3 } }
        b: { capacity: 1, queue: { when-full: home } }
        c: { capacity: 1, queue: { patience: 2d } }
        d: { capacity: 1, queue: { gives-up-to: home } }
        e: { capacity: 1, queue: { limit: -1, when-full: home } }
        f: { capacity: 1, queue: { order: lowest-first } }
        g: { capacity: 1, queue: lifo }
        """)
        let result = check(text)
        assertProblem(text, result, "'limit' needs 'when-full': the state a patient goes to when the queue is full", at: "limit: 3",
                      path: "organisations.council.roles.a.queue.limit")
        assertProblem(text, result, "'when-full' goes with 'limit': how many patients may wait before the queue is full", at: "when-full: home }")
        assertProblem(text, result, "'patience' needs 'gives-up-to': the state a patient goes to after giving up waiting", at: "patience")
        assertProblem(text, result, "'gives-up-to' goes with 'patience': how long a patient waits before giving up", at: "gives-up-to")
        assertProblem(text, result, "a queue limit counts the patients waiting: expected 0 (no waiting room) or more, found -1", at: "-1")
        assertProblem(text, result, "'order' goes with 'priority'", at: "order")
        assertProblem(text, result, "expected 'fifo' or { priority: ATTRIBUTE, order: highest-first | lowest-first }, optionally with limit", at: "lifo")
        XCTAssertEqual(result.errors.count, 7, result.problems.map(\.description).joined(separator: "\n"))
    }

    func testDestinationsMustBeOtherRolesStates() {
        let text = councilPathway("""
        nurse: { capacity: 1, queue: { limit: 2, when-full: nowhere, patience: 3d, gives-up-to: visit } }
        """, states: Self.states)
        let result = check(text)
        assertProblem(text, result, "unknown state 'nowhere' (known: visit, elsewhere, home)", at: "when-full: nowhere",
                      path: "organisations.council.roles.nurse.queue.when-full")
        assertProblem(text, result, "state 'visit' is served by council/nurse itself: a patient sent there after giving up would join the same queue at once",
                      at: "gives-up-to: visit", path: "organisations.council.roles.nurse.queue.gives-up-to")
    }

    func testFullQueuesOverflowingIntoEachOtherAreReportedByRoleNames() {
        let text = councilPathway("""
        nurse: { capacity: 1, queue: { limit: 2, when-full: therapy } }
        therapist: { capacity: 1, queue: { limit: 0, when-full: visit } }
        """, states: """
          visit: { owner: council/nurse, next: [{ to: therapy }] }
          therapy: { owner: council/therapist, next: [{ to: home }] }
          home: { terminal: true }
        """)
        let result = check(text)
        assertProblem(text, result, "full queues overflow into each other round a loop (council/nurse -> council/therapist -> council/nurse)",
                      at: "when-full: therapy", path: "organisations.council.roles.nurse.queue.when-full")
        XCTAssertEqual(result.errors.count, 1)
    }

    func testHoldsUntilNextOrUntilNamedStates() throws {
        let result = check(councilPathway("""
        nurse: { capacity: 1 }
        bed: { capacity: 10 }
        """, states: """
          visit:
            owner: council/bed
            holds: until-next
            next: [{ to: review }]
          review:
            owner: council/nurse
            holds: { until: [home] }
            next: [{ to: home }]
          home: { terminal: true }
        """))
        XCTAssertEqual(result.problems.map(\.description), [])
        let p = try XCTUnwrap(result.pathway)
        XCTAssertEqual(p.state("visit")?.hold, .untilNext)
        XCTAssertEqual(p.state("review")?.hold, .until(["home"]))
        XCTAssertNil(p.state("home")?.hold)
    }

    func testHoldProblems() {
        let text = councilPathway("""
        nurse: { capacity: 1 }
        """, states: """
          visit:
            owner: council/nurse
            holds: { until: [home, discharge-lounge, visit] }
            next: [{ to: check }]
          check:
            owner: council/nurse
            occupies: false
            holds: until-next
            next: [{ to: call }]
          call:
            owner: council/nurse
            holds: { until: [] }
            next: [{ to: wait }]
          wait:
            owner: council/nurse
            holds: until-done
            next: [{ to: home }]
          home: { terminal: true, holds: until-next }
        """)
        let result = check(text)
        assertProblem(text, result, "unknown state 'discharge-lounge'", at: "discharge-lounge", path: "states.visit.holds.until[1]")
        assertProblem(text, result, "state 'visit' cannot be reached from 'visit': the unit would be held until the patient leaves the pathway (a warning: the model still runs)",
                      at: "visit] }", severity: .warning, path: "states.visit.holds.until[2]")
        assertProblem(text, result, "state 'check' does not occupy a unit of council/nurse ('occupies: false'), so it has none to hold",
                      at: "holds: until-next", path: "states.check.holds")
        assertProblem(text, result, "expected at least one state in 'until'", at: "until: []", path: "states.call.holds.until")
        assertProblem(text, result, "expected 'until-next' or { until: [STATE, ...] } (the states whose start frees the unit), found 'until-done'", at: "until-done")
        assertProblem(text, result, "a terminal state cannot hold a unit: the patient has left the pathway", at: "holds: until-next }", path: "states.home.holds")
        XCTAssertEqual(result.errors.count, 5, result.problems.map(\.description).joined(separator: "\n"))
    }
}
