import XCTest
import CarePathFormat
import CarePathModel

/// Hours from Monday 00:00 of week 0.
private func hour(week: Int = 0, day: Int, _ h: Double) -> Double { Double(week * 168 + day * 24) + h }
private let monday = 0, tuesday = 1, friday = 4, saturday = 5, sunday = 6

/// The one role of a pathway whose `nurse` role is written as `role`.
private func nurse(_ role: String, file: StaticString = #filePath, line: UInt = #line) throws -> Role {
    let text = councilPathway("nurse:\n" + role.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    let result = check(text)
    XCTAssertEqual(result.problems.map(\.description), [], file: file, line: line)
    return try XCTUnwrap(result.pathway?.roles.first, file: file, line: line)
}

/// Capacity schedules compiled from rotas and calendars as written in pathway files.
final class CapacityScheduleTests: XCTestCase {
    func testDayAndNightShifts() throws {
        let role = try nurse("""
        rota:
          - { when: "every day 08:00-20:00", capacity: 6 }
          - { when: "every day 20:00-08:00", capacity: 2 }
        """)
        let s = role.schedule()
        XCTAssertEqual(s.capacity(atHour: hour(day: monday, 9)), 6)
        XCTAssertEqual(s.capacity(atHour: hour(day: monday, 21)), 2)
        XCTAssertEqual(s.capacity(atHour: hour(day: tuesday, 7.99)), 2)
        XCTAssertEqual(s.capacity(atHour: hour(day: tuesday, 8)), 6)
        XCTAssertEqual(s.capacity(atHour: hour(day: monday, 3)), 2, "Sunday's night shift runs into Monday")
        XCTAssertEqual(s.nextRise(after: hour(day: monday, 21)), hour(day: tuesday, 8))
        XCTAssertEqual(s.nextChange(after: hour(day: monday, 9)), hour(day: monday, 20))
        XCTAssertEqual(s.openUnitHours(from: 0, to: 168), 7 * (12 * 6 + 12 * 2))
        XCTAssertEqual(s.peak, 6)
        // A scenario's capacity per window replaces the shifts' in order.
        let more = role.schedule(shiftCapacities: [8, 3])
        XCTAssertEqual(more.capacity(atHour: hour(day: friday, 12)), 8)
        XCTAssertEqual(more.capacity(atHour: hour(day: friday, 23)), 3)
    }

    func testWeekdaysNineToFiveWithTwoStaffOpenEightyUnitHoursAWeek() throws {
        let role = try nurse("capacity: 2\ncalendar: weekdays 09:00-17:00")
        let s = role.schedule()
        XCTAssertEqual(s.openUnitHours(from: 0, to: 168), 80)
        XCTAssertEqual(s.openUnitHours(from: hour(week: 3, day: monday, 0), to: hour(week: 4, day: monday, 0)), 80)
        XCTAssertEqual(s.capacity(atHour: hour(day: saturday, 12)), 0)
        XCTAssertEqual(s.nextRise(after: hour(day: friday, 18)), hour(week: 1, day: monday, 9))
        XCTAssertEqual(role.schedule(capacity: 5).openUnitHours(from: 0, to: 168), 200, "a scenario's capacity is the nominal")
    }

    func testLunchBreakAndSaturdayMorning() throws {
        let s = try nurse("capacity: 3\ncalendar: \"mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00\"").schedule()
        XCTAssertEqual(s.capacity(atHour: hour(day: monday, 12.75)), 0)
        XCTAssertEqual(s.nextRise(after: hour(day: monday, 12.75)), hour(day: monday, 13.5))
        XCTAssertEqual(s.capacity(atHour: hour(day: saturday, 11)), 3)
        XCTAssertEqual(s.openUnitHours(from: 0, to: 168), 3 * (5 * 8 + 4))
    }

    func testANightShiftFromSundayIntoMonday() throws {
        let s = try nurse("capacity: 1\ncalendar: sun 22:00-06:00").schedule()
        XCTAssertEqual(s.capacity(atHour: hour(day: sunday, 21.99)), 0)
        XCTAssertEqual(s.capacity(atHour: hour(day: sunday, 23)), 1)
        XCTAssertEqual(s.capacity(atHour: hour(week: 1, day: monday, 5.5)), 1)
        XCTAssertEqual(s.capacity(atHour: hour(week: 1, day: monday, 6)), 0)
        XCTAssertEqual(s.capacity(atHour: hour(day: monday, 2)), 1, "the week repeats: Monday of week 0 has the night too")
        XCTAssertEqual(s.nextRise(after: hour(day: monday, 6)), hour(day: sunday, 22))
        XCTAssertEqual(s.nextChange(after: hour(day: sunday, 23)), hour(week: 1, day: monday, 6))
        XCTAssertEqual(s.openUnitHours(from: 0, to: 168), 8)
    }

    func testABankHolidayMondayAsASundayClosedOrNormal() throws {
        // Monday 25 August 2025 (the summer bank holiday) is day 7 from Monday 18 August.
        let calendar = ScenarioCalendar(start: CivilDate("2025-08-18"), bankHolidays: [CivilDate("2025-08-25")!])
        XCTAssertEqual(calendar.bankHolidayDays, [7])
        let bankMonday = hour(week: 1, day: monday, 0)
        var expectedWeek: [WorkingCalendar.BankHolidays: Double] = [.asSunday: 4 * 16 + 4 + 4, .closed: 4 * 16 + 4, .normal: 5 * 16 + 4]
        for rule in WorkingCalendar.BankHolidays.allCases {
            let role = try nurse("""
            rota:
              - { when: "weekdays 09:00-17:00", capacity: 2 }
              - { when: "sun 10:00-14:00", capacity: 1 }
            bank-holidays: \(rule.rawValue)
            """)
            let s = role.schedule(bankHolidayDays: calendar.bankHolidayDays)
            let expectedMorning = rule == .normal ? 2 : 0, expectedNoon = [.asSunday: 1, .closed: 0, .normal: 2][rule]
            XCTAssertEqual(s.capacity(atHour: bankMonday + 9.5), expectedMorning, rule.rawValue)
            XCTAssertEqual(s.capacity(atHour: bankMonday + 11), expectedNoon, rule.rawValue)
            XCTAssertEqual(s.capacity(atHour: hour(day: monday, 9.5)), 2, "an ordinary Monday, \(rule.rawValue)")
            XCTAssertEqual(s.openUnitHours(from: bankMonday, to: bankMonday + 168), expectedWeek.removeValue(forKey: rule), rule.rawValue)
        }
        XCTAssertEqual(expectedWeek, [:])
    }

    func testAsSundayIsTheDefaultAndAlwaysRolesMayCloseOnBankHolidays() throws {
        let s = try nurse("capacity: 4\nbank-holidays: closed").schedule(bankHolidayDays: [2])
        XCTAssertEqual(s.capacity(atHour: hour(day: 2, 12)), 0)
        XCTAssertEqual(s.capacity(atHour: hour(day: 3, 12)), 4)
        XCTAssertEqual(try nurse("capacity: 4\ncalendar: weekdays 09:00-17:00").calendar.bankHolidays, .asSunday)
    }
}
