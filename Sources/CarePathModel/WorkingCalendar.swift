/// When a role works and with how many: a rota of weekly windows, each with its own capacity or the
/// role's. No service starts outside the windows (or beyond a window's capacity); work already
/// started finishes, even when the window closes or its capacity drops.
public struct WorkingCalendar: Hashable, Sendable, CustomStringConvertible {
    /// One shift of the week: the days it starts on, its hours, and how many work it.
    public struct Window: Hashable, Sendable, CustomStringConvertible {
        /// Days the window opens, 0 = Monday ... 6 = Sunday.
        public var days: Set<Int>
        /// Minutes after midnight; a window that closes at or before it opens runs past midnight into
        /// the next day (`22:00-06:00`). `closes` may be 1440 (midnight).
        public var opens: Int
        public var closes: Int
        /// Staff or slots during the window; nil: the role's capacity.
        public var capacity: Int?

        public init(days: Set<Int>, opens: Int, closes: Int, capacity: Int? = nil) {
            self.days = days; self.opens = opens; self.closes = closes; self.capacity = capacity
        }

        public var pastMidnight: Bool { closes <= opens }
        /// Length in minutes.
        public var minutes: Int { pastMidnight ? 1440 - opens + closes : closes - opens }

        /// `22:00-06:00 x2`.
        var hoursText: String {
            "\(WorkingCalendar.clock(opens))-\(WorkingCalendar.clock(closes))" + (capacity.map { " x\($0)" } ?? "")
        }

        /// `weekdays 09:00-17:00`, `every day 20:00-08:00 x2`: as a calendar text writes it.
        public var description: String { "\(WorkingCalendar.dayText(days)) \(hoursText)" }
    }

    /// What a role does on a bank holiday.
    public enum BankHolidays: String, CaseIterable, Hashable, Sendable {
        /// Works its Sunday windows (the NHS and council default: a bank holiday is staffed like a Sunday).
        case asSunday = "as-sunday"
        /// Does not work at all.
        case closed
        /// Works as on any other day of that weekday.
        case normal
    }

    public var windows: [Window]
    public var bankHolidays: BankHolidays

    public init(windows: [Window], bankHolidays: BankHolidays = .asSunday) {
        self.windows = windows; self.bankHolidays = bankHolidays
    }

    /// One window on the given days.
    public init(days: Set<Int>, opens: Int, closes: Int) {
        self.init(windows: [Window(days: days, opens: opens, closes: closes)])
    }

    public static let always = WorkingCalendar(days: Set(0..<7), opens: 0, closes: 24 * 60)
    public static let weekdays9to17 = WorkingCalendar(days: Set(0..<5), opens: 9 * 60, closes: 17 * 60)

    /// Open round the clock at the role's capacity, bank holidays included.
    public var isAlways: Bool {
        let days = CapacitySchedule.dayPatterns(self, nominal: 1)
        return days.allSatisfy { $0.count == 1 && $0[0].capacity == 1 }
    }

    /// Some window gives its own capacity (a rota with capacity by shift).
    public var hasShiftCapacities: Bool { windows.contains { $0.capacity != nil } }

    public static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// `always`, or windows joined by `; ` with consecutive windows of the same days sharing them
    /// (`mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00`), `x6` after a window with its own
    /// capacity, and `(bank holidays closed)` unless they are worked as a Sunday. Calendar texts
    /// read it back to an equal calendar, so `always` is printed only for `.always` itself.
    public var description: String {
        if windows == Self.always.windows && bankHolidays == .asSunday { return "always" }
        var groups: [(days: Set<Int>, windows: [String])] = []
        for w in windows {
            if let last = groups.last, last.days == w.days { groups[groups.count - 1].windows.append(w.hoursText) }
            else { groups.append((w.days, [w.hoursText])) }
        }
        var text = groups.map { "\(Self.dayText($0.days)) " + $0.windows.joined(separator: ", ") }.joined(separator: "; ")
        if bankHolidays != .asSunday { text += " (bank holidays \(bankHolidays.rawValue))" }
        return text
    }

    /// `weekdays`, `every day`, `weekends`, or names and ranges of three days or more (`mon-thu,sat`).
    public static func dayText(_ days: Set<Int>) -> String {
        switch days {
        case Set(0..<5): return "weekdays"
        case Set(0..<7): return "every day"
        case [5, 6]: return "weekends"
        default:
            var parts: [String] = []
            var d = 0
            while d < 7 {
                guard days.contains(d) else { d += 1; continue }
                var end = d
                while end + 1 < 7 && days.contains(end + 1) { end += 1 }
                parts.append(end - d >= 2 ? "\(dayNames[d])-\(dayNames[end])"
                                          : (d...end).map { dayNames[$0] }.joined(separator: ","))
                d = end + 1
            }
            return parts.joined(separator: ",")
        }
    }

    /// `09:05`; 1440 is `24:00`.
    public static func clock(_ m: Int) -> String {
        let h = m / 60, mm = m % 60
        return (h < 10 ? "0" : "") + "\(h):" + (mm < 10 ? "0" : "") + "\(mm)"
    }

    /// Whether any window is open at `t` (hours from Monday 00:00 of week 0), ignoring bank holidays.
    public func isOpen(atHour t: Double) -> Bool {
        CapacitySchedule(self, nominal: 1).capacity(atHour: t) > 0
    }

    /// The earliest time >= t at which some window is open (t itself when open now), ignoring bank holidays.
    public func nextOpening(atOrAfter t: Double) -> Double {
        let schedule = CapacitySchedule(self, nominal: 1)
        if schedule.capacity(atHour: t) > 0 { return t }
        return schedule.nextRise(after: t)
    }

    /// The next closing time after t, when open at t.
    public func closing(after t: Double) -> Double {
        if isAlways { return .infinity }
        return CapacitySchedule(self, nominal: 1).nextChange(after: t)
    }
}
