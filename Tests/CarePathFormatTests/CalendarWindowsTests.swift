import XCTest
import CarePathFormat
import CarePathModel

private typealias Window = WorkingCalendar.Window
private let weekdays: Set<Int> = [0, 1, 2, 3, 4], everyDay = Set(0..<7)

/// The problems of a calendar text, as `column: message`.
private func problems(_ text: String) -> [String] {
    switch CalendarText.read(text) {
    case .success: return []
    case .failure(let list): return list.problems.map { "\($0.column.map(String.init) ?? "-"): \($0.message)" }
    }
}

/// Several windows a day, day ranges, nights, capacities by window, and descriptions that read back.
final class CalendarWindowsTests: XCTestCase {
    func testSeveralWindowsPerDayAndSeveralDayGroups() {
        let c = CalendarText.parse("mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00")
        XCTAssertEqual(c, WorkingCalendar(windows: [Window(days: weekdays, opens: 480, closes: 750),
                                                    Window(days: weekdays, opens: 810, closes: 1020),
                                                    Window(days: [5], opens: 600, closes: 840)]))
        XCTAssertEqual(c?.description, "weekdays 08:00-12:30, 13:30-17:00; sat 10:00-14:00")
        XCTAssertEqual(CalendarText.parse(" Mon-Fri 08:00-12:30 ,13:30-17:00 ;SAT 10:00-14:00 "), c, "spaces and case do not matter")
    }

    func testDayRangesListsAndNames() {
        XCTAssertEqual(CalendarText.parse("sat-sun 10:00-16:00"), WorkingCalendar(days: [5, 6], opens: 600, closes: 960))
        XCTAssertEqual(CalendarText.parse("mon,wed 09:00-13:00"), WorkingCalendar(days: [0, 2], opens: 540, closes: 780))
        XCTAssertEqual(CalendarText.parse("mon-wed,fri 09:00-13:00"), WorkingCalendar(days: [0, 1, 2, 4], opens: 540, closes: 780))
        XCTAssertEqual(CalendarText.parse("fri-mon 09:00-13:00"), WorkingCalendar(days: [4, 5, 6, 0], opens: 540, closes: 780), "a range may run over the weekend")
        XCTAssertEqual(CalendarText.parse("weekdays, sat 09:00-13:00"), WorkingCalendar(days: [0, 1, 2, 3, 4, 5], opens: 540, closes: 780))
        XCTAssertEqual(CalendarText.parse("Monday, Thursday 09:00-13:00"), WorkingCalendar(days: [0, 3], opens: 540, closes: 780))
    }

    func testWindowsPastMidnightAndMidnightClosing() {
        XCTAssertEqual(CalendarText.parse("every day 22:00-06:00"), WorkingCalendar(days: everyDay, opens: 1320, closes: 360))
        XCTAssertEqual(CalendarText.parse("weekends 20:00-24:00"), WorkingCalendar(days: [5, 6], opens: 1200, closes: 1440))
        XCTAssertEqual(CalendarText.parse("every day 20:00-08:00")?.windows.first?.minutes, 720)
        // Day shift and night shift back to back: the night runs into the next morning.
        XCTAssertEqual(CalendarText.parse("every day 08:00-20:00, 20:00-08:00")?.windows.count, 2)
    }

    func testSingleWindowTextsStillReadAsOneWindow() {
        for (text, calendar) in [("weekdays 09:00-17:00", WorkingCalendar(days: weekdays, opens: 540, closes: 1020)),
                                 ("every day 22:00-06:00", WorkingCalendar(days: everyDay, opens: 1320, closes: 360)),
                                 ("always", WorkingCalendar(days: everyDay, opens: 0, closes: 1440))] {
            XCTAssertEqual(CalendarText.parse(text), calendar, text)
        }
    }

    func testCapacityByWindowAndBankHolidayRuleAsDescriptionsWriteThem() throws {
        let c = try XCTUnwrap(CalendarText.parse("every day 08:00-20:00 x6, 20:00-08:00 x2 (bank holidays closed)"))
        XCTAssertEqual(c, WorkingCalendar(windows: [Window(days: everyDay, opens: 480, closes: 1200, capacity: 6),
                                                    Window(days: everyDay, opens: 1200, closes: 480, capacity: 2)],
                                          bankHolidays: .closed))
        XCTAssertTrue(c.hasShiftCapacities)
        XCTAssertEqual(CalendarText.parse("always (bank holidays normal)")?.bankHolidays, .normal)
        XCTAssertEqual(CalendarText.parse("weekdays 09:00-17:00 (Bank Holidays: closed)")?.bankHolidays, .closed, "a colon reads too")
        XCTAssertEqual(CalendarText.parse("weekdays 09:00-17:00 x0")?.windows.first?.capacity, 0, "a closed window")
    }

    func testDescriptionReadsBackToAnEqualCalendar() {
        let calendars: [WorkingCalendar] = [
            .always, .weekdays9to17,
            WorkingCalendar(days: [0, 2, 4], opens: 540, closes: 780),
            WorkingCalendar(days: [6], opens: 0, closes: 1440),
            WorkingCalendar(days: everyDay, opens: 1320, closes: 360),
            WorkingCalendar(days: [0, 1, 2, 3, 5], opens: 30, closes: 1439),
            WorkingCalendar(windows: [Window(days: weekdays, opens: 480, closes: 750), Window(days: weekdays, opens: 810, closes: 1020),
                                      Window(days: [5], opens: 600, closes: 840)]),
            WorkingCalendar(windows: [Window(days: everyDay, opens: 480, closes: 1200, capacity: 6),
                                      Window(days: everyDay, opens: 1200, closes: 480, capacity: 2)], bankHolidays: .closed),
            WorkingCalendar(windows: [Window(days: everyDay, opens: 0, closes: 1440)], bankHolidays: .normal),
            WorkingCalendar(windows: [Window(days: everyDay, opens: 0, closes: 720), Window(days: everyDay, opens: 720, closes: 1440)]),
            WorkingCalendar(windows: [Window(days: [6], opens: 1320, closes: 420, capacity: 1), Window(days: [0], opens: 420, closes: 1020, capacity: 3)]),
        ]
        for c in calendars {
            XCTAssertEqual(CalendarText.parse(c.description), c, c.description)
        }
    }

    func testRandomRotasReadBack() {
        // A fixed sequence of calendars without overlaps, from a small linear congruential generator.
        var state: UInt64 = 20_261_202
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var checked = 0
        for _ in 0..<400 {
            var windows: [Window] = []
            for _ in 0..<(1 + next(4)) {
                var days = Set<Int>()
                for d in 0..<7 where next(2) == 0 { days.insert(d) }
                if days.isEmpty { days = [next(7)] }
                let opens = next(96) * 15, closes = next(97) * 15
                guard opens != closes else { continue }
                windows.append(Window(days: days, opens: opens, closes: closes, capacity: next(3) == 0 ? nil : next(9)))
            }
            let c = WorkingCalendar(windows: windows, bankHolidays: WorkingCalendar.BankHolidays.allCases[next(3)])
            guard !windows.isEmpty, c.overlaps().isEmpty else { continue }
            XCTAssertEqual(CalendarText.parse(c.description), c, c.description)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
    }

    // MARK: Problems, each at its column in the text

    func testInvalidClockTimes() {
        XCTAssertEqual(problems("weekdays 25:00-26:00"), ["10: invalid time of day '25:00': expected HH:MM from 00:00 to 24:00, such as 09:05"])
        XCTAssertEqual(problems("mon-fri 09:00-9:5"), ["15: invalid time of day '9:5': expected HH:MM from 00:00 to 24:00, such as 09:05"])
        XCTAssertEqual(problems("weekdays 09:60-10:00").first?.hasPrefix("10: invalid time of day '09:60'"), true)
        XCTAssertEqual(problems("weekdays 09:00-24:01").first?.hasPrefix("16: invalid time of day '24:01'"), true)
        XCTAssertEqual(problems("every day 24:00-06:00"), ["11: a window cannot open at 24:00; write 00:00 (and the next day)"])
    }

    func testUnknownDayNamesWithASuggestion() {
        XCTAssertEqual(problems("mon,xyz 09:00-10:00"),
                       ["5: unknown day 'xyz' (expected mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, weekdays, weekends or every day)"])
        XCTAssertEqual(problems("mon-fri 09:00-12:00; tues 13:00-17:00").first?.hasPrefix("22: unknown day 'tues'; did you mean 'tue'?"), true)
        XCTAssertEqual(problems("mon-fry 09:00-12:00").first?.hasPrefix("1: unknown day 'fry'; did you mean 'fri'?"), true)
    }

    func testEmptyWindowsAndOtherWindowProblems() {
        XCTAssertEqual(problems("weekdays 09:00-17:00, 12:00-12:00"),
                       ["23: the window 12:00-12:00 is empty: it opens and closes at the same time (a window past midnight closes before it opens, such as 22:00-06:00)"])
        XCTAssertEqual(problems("mon 09:00-12:00, tue 13:00-17:00"),
                       ["18: 'tue 13:00-17:00': other days start a new group after ';', such as 'mon 09:00-12:00; tue 13:00-17:00'"])
        XCTAssertEqual(problems("weekdays 09:00-17:00 x-1").first?.hasPrefix("22: expected a window's capacity as a whole number >= 0"), true)
        XCTAssertEqual(problems("weekdays 09:00-17:00 (bank holidays sometimes)"),
                       ["22: unknown bank holiday rule 'sometimes' (expected one of: as-sunday, closed, normal)"])
        XCTAssertEqual(problems("weekdays 09:00-17:00;"), ["22: nothing between two ';': expected days and hours such as mon-fri 09:00-17:00"])
    }

    func testTextsThatAreNoCalendarAtAll() {
        XCTAssertEqual(problems(""), ["-: the calendar is empty: expected 'always' or days and hours, such as 'weekdays 09:00-17:00'"])
        for text in ["weekdays", "weekdays 9-5", "09:00-17:00", "always; sat 10:00-14:00", "weekdays 09:00"] {
            let found = problems(text)
            XCTAssertEqual(found.count, 1, text)
            XCTAssertEqual(found.first?.hasPrefix("-: expected a calendar such as 'always', 'weekdays 09:00-17:00'"), true, "\(text): \(found)")
        }
    }

    func testOverlappingWindowsAreNoCalendar() {
        XCTAssertNil(CalendarText.parse("weekdays 08:00-13:00, 12:30-17:00"))
        XCTAssertNil(CalendarText.parse("every day 22:00-06:00; mon 05:00-09:00"), "Sunday night runs into Monday 05:00")
        XCTAssertNotNil(CalendarText.parse("every day 22:00-06:00; mon 06:00-09:00"))
    }
}
