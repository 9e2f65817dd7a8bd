/// A calendar date (proleptic Gregorian), for bank holidays and monthly demand factors. Converted
/// to and from a day count with Howard Hinnant's `days_from_civil` algorithm
/// (https://howardhinnant.github.io/date_algorithms.html), so no Foundation calendar or time zone
/// is involved: the same date is the same day on every machine.
public struct CivilDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1 ... 12
    public var month: Int
    /// 1 ... 31
    public var day: Int

    /// nil unless it is a real date between the years 1900 and 2999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month), day >= 1,
              day <= Self.daysInMonth(year: year, month: month) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// `2025-12-25`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0); month = m; day = d
    }

    /// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }

    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    public static func < (a: Self, b: Self) -> Bool { a.dayNumber < b.dayNumber }

    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}

/// Where simulation time sits in the calendar, and the days roles treat as bank holidays.
/// Time 0 is Monday 00:00 of the week that starts on `start` (which must be a Monday).
public struct ScenarioCalendar: Hashable, Sendable {
    public var start: CivilDate?
    public var bankHolidays: [CivilDate]

    public init(start: CivilDate? = nil, bankHolidays: [CivilDate] = []) {
        self.start = start; self.bankHolidays = bankHolidays
    }

    /// Bank holidays as day numbers from time 0, sorted; empty without a start date.
    public var bankHolidayDays: [Int] {
        guard let start else { return [] }
        return Set(bankHolidays.map { $0.dayNumber - start.dayNumber }.filter { $0 >= 0 }).sorted()
    }

    /// Calendar month (0 = January) of simulation day `day`, or nil without a start date.
    public func monthIndex(ofDay day: Int) -> Int? {
        guard let start else { return nil }
        return CivilDate(dayNumber: start.dayNumber + day).month - 1
    }
}
