import XCTest
import CarePathModel

final class CivilDateTests: XCTestCase {
    func testDayNumbersRoundTripOverEveryDayFrom1900To2999() throws {
        // Walk the calendar day by day with the month lengths, independently of the day-number algorithm.
        var expected = try XCTUnwrap(CivilDate(year: 1900, month: 1, day: 1)).dayNumber
        for year in 1900...2999 {
            for month in 1...12 {
                for day in 1...CivilDate.daysInMonth(year: year, month: month) {
                    let date = try XCTUnwrap(CivilDate(year: year, month: month, day: day))
                    XCTAssertEqual(date.dayNumber, expected, "\(date)")
                    XCTAssertEqual(CivilDate(dayNumber: expected), date)
                    expected += 1
                }
            }
        }
        XCTAssertEqual(CivilDate(dayNumber: expected).description, "3000-01-01")
    }

    func testKnownDayNumbersAndWeekdays() throws {
        let known: [(String, Int, String)] = [
            ("1900-01-01", -25_567, "Monday"), ("1970-01-01", 0, "Thursday"), ("2000-01-01", 10_957, "Saturday"),
            ("2000-02-29", 11_016, "Tuesday"), ("2024-02-29", 19_782, "Thursday"), ("2025-01-06", 20_094, "Monday"),
            ("2026-12-25", 20_812, "Friday"), ("2999-12-31", 376_199, "Tuesday"),
        ]
        for (text, dayNumber, weekday) in known {
            let date = try XCTUnwrap(CivilDate(text), text)
            XCTAssertEqual(date.dayNumber, dayNumber, text)
            XCTAssertEqual(CivilDate.weekdayNames[date.weekday], weekday, text)
            XCTAssertEqual(date.description, text)
        }
    }

    func testLeapYears() {
        XCTAssertEqual(CivilDate.daysInMonth(year: 2024, month: 2), 29)
        XCTAssertEqual(CivilDate.daysInMonth(year: 2000, month: 2), 29, "divisible by 400")
        XCTAssertEqual(CivilDate.daysInMonth(year: 1900, month: 2), 28, "divisible by 100, not 400")
        XCTAssertEqual(CivilDate.daysInMonth(year: 2100, month: 2), 28)
        XCTAssertEqual(CivilDate.daysInMonth(year: 2025, month: 2), 28)
        XCTAssertNotNil(CivilDate("2000-02-29"))
        XCTAssertNil(CivilDate("1900-02-29"))
        XCTAssertNil(CivilDate("2025-02-29"))
        XCTAssertEqual(CivilDate("2024-03-01")!.dayNumber - CivilDate("2024-02-28")!.dayNumber, 2)
    }

    func testOnlyRealDatesWrittenInFullAreRead() {
        for text in ["2025-1-6", "2025-01-6", "25-01-06", "2025-13-01", "2025-00-10", "2025-04-31", "1899-12-31", "3000-01-01",
                     "2025/01/06", "+025-01-06", "2025-01-06x", "", "２０２５-01-06"] {
            XCTAssertNil(CivilDate(text), text)
        }
        XCTAssertEqual(CivilDate("2025-01-06"), CivilDate(year: 2025, month: 1, day: 6))
    }

    func testScenarioCalendarPlacesBankHolidaysAndMonthsFromTheStart() throws {
        let start = try XCTUnwrap(CivilDate("2025-12-01"))
        let calendar = ScenarioCalendar(start: start, bankHolidays: [CivilDate("2025-12-26")!, CivilDate("2025-12-25")!,
                                                                     CivilDate("2024-12-25")!, CivilDate("2025-12-25")!])
        XCTAssertEqual(calendar.bankHolidayDays, [24, 25], "sorted, once each, none before time 0")
        XCTAssertEqual(calendar.monthIndex(ofDay: 0), 11)
        XCTAssertEqual(calendar.monthIndex(ofDay: 31), 0, "1 January")
        XCTAssertNil(ScenarioCalendar().monthIndex(ofDay: 0))
        XCTAssertEqual(ScenarioCalendar(bankHolidays: [start]).bankHolidayDays, [], "no start, no placing")
    }
}
