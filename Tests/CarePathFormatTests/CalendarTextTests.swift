import XCTest
import CarePathFormat
import CarePathModel

/// Hours from Monday 00:00 of week 0.
private func hour(week: Int = 0, day: Int, _ h: Double) -> Double { Double(week * 168 + day * 24) + h }
private let monday = 0, wednesday = 2, friday = 4, saturday = 5, sunday = 6

final class CalendarTextTests: XCTestCase {
    func testAlwaysIsOpenAllWeek() {
        XCTAssertEqual(CalendarText.parse("always"), .always)
        XCTAssertEqual(CalendarText.parse("24/7"), .always)
        XCTAssertEqual(CalendarText.parse("every day 00:00-24:00"), .always)
        XCTAssertEqual(WorkingCalendar.always.description, "always")
    }

    func testWeekdaysNineToFive() {
        let c = CalendarText.parse("weekdays 09:00-17:00")
        XCTAssertEqual(c, WorkingCalendar(days: [0, 1, 2, 3, 4], opens: 540, closes: 1020))
        XCTAssertEqual(c, .weekdays9to17)
        XCTAssertEqual(c?.description, "weekdays 09:00-17:00")
    }

    func testEveryDayAndItsSynonyms() {
        let expected = WorkingCalendar(days: Set(0..<7), opens: 480, closes: 1200)
        XCTAssertEqual(CalendarText.parse("every day 08:00-20:00"), expected)
        XCTAssertEqual(CalendarText.parse("daily 08:00-20:00"), expected)
        XCTAssertEqual(CalendarText.parse("all week 08:00-20:00"), expected)
        XCTAssertEqual(expected.description, "every day 08:00-20:00")
    }

    func testNamedDays() {
        let c = CalendarText.parse("mon,wed,fri 09:00-13:00")
        XCTAssertEqual(c, WorkingCalendar(days: [0, 2, 4], opens: 540, closes: 780))
        XCTAssertEqual(c?.description, "mon,wed,fri 09:00-13:00")
        XCTAssertEqual(CalendarText.parse("mon, wed, fri 09:00-13:00"), c)
        XCTAssertEqual(CalendarText.parse("weekends 10:00-16:30"), WorkingCalendar(days: [5, 6], opens: 600, closes: 990))
    }

    func testCaseAndSurroundingSpaceAreIgnored() {
        XCTAssertEqual(CalendarText.parse("  Weekdays 09:00-17:00 "), .weekdays9to17)
    }

    func testSingleDigitHoursAreAccepted() {
        XCTAssertEqual(CalendarText.parse("weekdays 9:00-17:00"), .weekdays9to17)
    }

    func testMalformedCalendarsAreRefused() {
        // (`weekdays 17:00-09:00` is a night window now: closing before opening runs past midnight.)
        for text in ["weekdays", "weekdays 9-17", "weekdays 09:00-09:00", "funday 09:00-17:00",
                     "weekdays 25:00-26:00", "weekdays 09:60-10:00", "weekdays 09:00-24:01", "mon,xyz 09:00-10:00",
                     "weekdays 09:00", "weekdays 009:00-17:00", ""] {
            XCTAssertNil(CalendarText.parse(text), text)
        }
    }

    /// Each kind of empty part gets its own words and place (column within the text, from 1).
    func testEmptyCalendarsWindowsAndDaysSaySoWhereTheyAre() {
        func problems(_ text: String) -> [String] {
            guard case .failure(let list) = CalendarText.read(text) else { return ["read"] }
            return list.problems.map { "\($0.column.map(String.init) ?? "-"): \($0.message)" }
        }
        XCTAssertEqual(problems("  "), ["-: the calendar is empty: expected 'always' or days and hours, such as 'weekdays 09:00-17:00'"])
        XCTAssertEqual(problems("mon-fri 09:00-12:00,,13:00-17:00"),
                       ["20: an empty window: nothing between two ','; expected a window such as 09:00-17:00 (or remove the ',')"])
        XCTAssertEqual(problems("mon-fri 09:00-12:00, "),
                       ["20: an empty window: nothing after the last ','; expected a window such as 09:00-17:00 (or remove the ',')"])
        XCTAssertEqual(problems("mon, ,wed 09:00-12:00"), ["5: a ',' with no day beside it: expected days such as mon,wed or mon-fri"])
        XCTAssertEqual(problems("mon 09:00-09:00"),
                       ["5: the window 09:00-09:00 is empty: it opens and closes at the same time (a window past midnight closes before it opens, such as 22:00-06:00)"])
    }

    func testDescriptionParsesBackToTheSameCalendar() {
        for c in [WorkingCalendar.always, .weekdays9to17, WorkingCalendar(days: [0, 2, 4], opens: 540, closes: 780),
                  WorkingCalendar(days: [6], opens: 0, closes: 1440), WorkingCalendar(days: Set(0..<7), opens: 450, closes: 1230)] {
            XCTAssertEqual(CalendarText.parse(c.description), c, c.description)
        }
    }

    // MARK: WorkingCalendar.isOpen

    func testIsOpenDuringWorkingHoursOnWorkingDays() {
        let c = WorkingCalendar.weekdays9to17
        XCTAssertTrue(c.isOpen(atHour: hour(day: monday, 9)))
        XCTAssertTrue(c.isOpen(atHour: hour(day: monday, 12.5)))
        XCTAssertTrue(c.isOpen(atHour: hour(day: friday, 16.99)))
        XCTAssertTrue(c.isOpen(atHour: hour(week: 3, day: wednesday, 10)))
    }

    func testIsClosedOutsideHoursAndAtClosingTime() {
        let c = WorkingCalendar.weekdays9to17
        XCTAssertFalse(c.isOpen(atHour: hour(day: monday, 8.99)))
        XCTAssertFalse(c.isOpen(atHour: hour(day: monday, 17)), "open when opens <= t < closes")
        XCTAssertFalse(c.isOpen(atHour: hour(day: friday, 18)))
        XCTAssertFalse(c.isOpen(atHour: hour(day: saturday, 12)))
        XCTAssertFalse(c.isOpen(atHour: hour(week: 2, day: sunday, 10)))
    }

    func testAlwaysIsOpenAtAnyHour() {
        XCTAssertTrue(WorkingCalendar.always.isOpen(atHour: hour(day: sunday, 3)))
        XCTAssertEqual(WorkingCalendar.always.nextOpening(atOrAfter: 123.4), 123.4)
        XCTAssertEqual(WorkingCalendar.always.closing(after: 5), .infinity)
    }

    // MARK: WorkingCalendar.nextOpening

    func testFridayEveningWaitsForMondayMorning() {
        let c = WorkingCalendar.weekdays9to17
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: friday, 18)), 168 + 9)
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: saturday, 10)), 168 + 9)
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: sunday, 23.5)), 168 + 9)
    }

    func testLaterWeeksKeepTheirWeek() {
        let c = WorkingCalendar.weekdays9to17
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(week: 2, day: saturday, 10)), hour(week: 3, day: monday, 9))
    }

    func testEarlyMorningWaitsForTodaysOpening() {
        let c = WorkingCalendar.weekdays9to17
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: monday, 8)), 9)
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: wednesday, 0)), hour(day: wednesday, 9))
    }

    func testAfterClosingWaitsForTheNextWorkingDay() {
        let c = WorkingCalendar.weekdays9to17
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: monday, 17)), hour(day: 1, 9))
    }

    func testWhenOpenTheOpeningIsNow() {
        let c = WorkingCalendar.weekdays9to17
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: monday, 9)), 9)
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: friday, 10.25)), hour(day: friday, 10.25))
    }

    func testNamedDaysSkipToTheNextListedDay() {
        let c = WorkingCalendar(days: [0, 2, 4], opens: 540, closes: 780)
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: monday, 14)), hour(day: wednesday, 9))
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: wednesday, 13)), hour(day: friday, 9))
    }

    func testASingleDayCalendarWaitsAFullWeek() {
        let c = WorkingCalendar(days: [0], opens: 540, closes: 1020)
        XCTAssertEqual(c.nextOpening(atOrAfter: hour(day: monday, 18)), hour(week: 1, day: monday, 9))
    }

    func testClosingIsTheSameDaysClosingTime() {
        XCTAssertEqual(WorkingCalendar.weekdays9to17.closing(after: hour(day: wednesday, 10)), hour(day: wednesday, 17))
    }
}
