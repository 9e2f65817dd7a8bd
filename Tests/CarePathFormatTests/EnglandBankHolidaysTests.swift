import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// The shipped England and Wales bank holidays, against the rules that make them.
final class EnglandBankHolidaysTests: XCTestCase {
    /// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    static func easter(_ year: Int) -> CivilDate {
        let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: year, month: month, day: day)!
    }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
    static func adding(_ days: Int, to date: CivilDate) -> CivilDate { CivilDate(dayNumber: date.dayNumber + days) }

    static func firstMonday(_ year: Int, _ month: Int) -> CivilDate {
        let first = date(year, month, 1)
        return adding((7 - first.weekday) % 7, to: first)
    }

    static func lastMonday(_ year: Int, _ month: Int) -> CivilDate {
        let last = date(year, month, CivilDate.daysInMonth(year: year, month: month))
        return adding(-last.weekday, to: last)
    }

    /// Holidays that fall at a weekend move to the next weekday not already a holiday, in order.
    static func substituted(_ days: [CivilDate]) -> [CivilDate] {
        var taken: [CivilDate] = []
        for day in days {
            var d = day
            while d.weekday >= 5 || taken.contains(d) { d = adding(1, to: d) }
            taken.append(d)
        }
        return taken
    }

    /// England and Wales: New Year, Good Friday, Easter Monday, early May, spring, summer,
    /// Christmas and Boxing Day, with substitute days.
    static func englandAndWales(_ year: Int) -> [CivilDate] {
        let easter = easter(year)
        return substituted([date(year, 1, 1)])
            + [adding(-2, to: easter), adding(1, to: easter), firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8)]
            + substituted([date(year, 12, 25), date(year, 12, 26)])
    }

    func testTheAlgorithmsOnKnownYears() {
        XCTAssertEqual(Self.easter(2024).description, "2024-03-31")
        XCTAssertEqual(Self.easter(2025).description, "2025-04-20")
        XCTAssertEqual(Self.easter(2038).description, "2038-04-25", "the latest Easter of the century")
        XCTAssertEqual(Self.easter(2008).description, "2008-03-23")
        // 2022: Christmas on a Sunday, so Boxing Day stays on Monday and Christmas moves to Tuesday.
        XCTAssertEqual(Self.englandAndWales(2022).suffix(2).map(\.description), ["2022-12-26", "2022-12-27"])
        // 2022: New Year's Day on a Saturday moved to Monday 3 January.
        XCTAssertEqual(Self.englandAndWales(2022).first?.description, "2022-01-03")
    }

    func testTheShippedFileHasEveryBankHolidayFrom2024To2027AndNoOther() throws {
        let result = BankHolidayFile.check(ScenarioCalendarTests.englandFile)
        XCTAssertEqual(result.problems.map(\.description), [])
        let expected = (2024...2027).flatMap(Self.englandAndWales)
        XCTAssertEqual(result.dates.map(\.description), expected.map(\.description))
        XCTAssertEqual(result.dates.count, 32)
        XCTAssertEqual(result.names[Self.date(2026, 12, 28)], "Boxing Day (substitute day)")
        XCTAssertEqual(result.names[Self.date(2027, 12, 27)], "Christmas Day (substitute day)")
        XCTAssertEqual(result.names[Self.date(2027, 12, 28)], "Boxing Day (substitute day)")
        XCTAssertEqual(result.names[Self.date(2025, 4, 18)], "Good Friday")
        XCTAssertTrue(result.dates.allSatisfy { $0.weekday < 5 }, "bank holidays are weekdays")
    }

    func testTheFileCitesItsSource() throws {
        let text = try String(contentsOf: ScenarioCalendarTests.englandFile, encoding: .utf8)
        XCTAssertTrue(text.contains("GOV.UK"))
        XCTAssertTrue(text.contains("UK bank holidays"))
    }
}
