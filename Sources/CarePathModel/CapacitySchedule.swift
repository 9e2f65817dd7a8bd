/// A role's capacity as a step function of simulation time: its working calendar compiled into one
/// pattern per day of the week (windows past midnight spill into the next day), plus the pattern of
/// a bank holiday, and the bank holidays as day numbers from time 0.
///
/// Time is in hours from Monday 00:00 of week 0; a day's pattern is in minutes. Reading the capacity
/// costs a division and a short scan; the event loop only does it for roles that are not open
/// round the clock at a constant capacity.
public struct CapacitySchedule: Hashable, Sendable {
    public struct Segment: Hashable, Sendable {
        /// Minutes after midnight, start inclusive, end exclusive.
        public var start: Int
        public var end: Int
        public var capacity: Int
    }

    /// Eight patterns: Monday ... Sunday, then a bank holiday. Each covers [0, 1440) without gaps.
    public let days: [[Segment]]
    /// Sorted day numbers (from time 0) that are bank holidays.
    public let bankHolidayDays: [Int]
    /// The same capacity at every minute (an always-open role).
    public let constant: Int?
    /// The largest capacity at any time.
    public let peak: Int

    /// Latest time the schedule is read at, in hours (about 114,000 years): times past it are read
    /// as this, so that no conversion of a huge time to an integer can trap.
    static let lastHour = 1e12

    public init(_ calendar: WorkingCalendar, nominal: Int, bankHolidayDays: [Int] = []) {
        days = Self.dayPatterns(calendar, nominal: nominal)
        self.bankHolidayDays = bankHolidayDays
        let capacities = Set(days.flatMap { $0.map(\.capacity) })
        constant = capacities.count == 1 ? capacities.first : nil
        peak = capacities.max() ?? 0
    }

    /// A role open round the clock with `capacity`.
    public static func constant(_ capacity: Int) -> CapacitySchedule {
        CapacitySchedule(.always, nominal: capacity)
    }

    /// The calendar as eight day patterns of segments covering the day. Overlapping windows take
    /// the capacity of the last listed (validation refuses overlaps, so this is a guard only).
    static func dayPatterns(_ calendar: WorkingCalendar, nominal: Int) -> [[Segment]] {
        var minutes = [[Int]](repeating: [Int](repeating: 0, count: 1440), count: 7)
        for w in calendar.windows {
            let capacity = max(w.capacity ?? nominal, 0)
            let opens = min(max(w.opens, 0), 1440), closes = min(max(w.closes, 0), 1440)
            for d in w.days where (0..<7).contains(d) {
                if closes > opens {
                    for m in opens..<closes { minutes[d][m] = capacity }
                } else {
                    for m in opens..<1440 { minutes[d][m] = capacity }
                    for m in 0..<closes { minutes[(d + 1) % 7][m] = capacity }
                }
            }
        }
        var patterns = minutes.map(segments)
        switch calendar.bankHolidays {
        case .asSunday: patterns.append(patterns[6])
        case .closed: patterns.append([Segment(start: 0, end: 1440, capacity: 0)])
        case .normal: patterns.append([])  // never read: bank holidays are their own weekday
        }
        return patterns
    }

    static func segments(_ minutes: [Int]) -> [Segment] {
        var result: [Segment] = []
        var start = 0
        for m in 1...1440 where m == 1440 || minutes[m] != minutes[start] {
            result.append(Segment(start: start, end: m, capacity: minutes[start]))
            start = m
        }
        return result
    }

    /// Day number and minute of the day at `t`; a small tolerance so that a boundary computed in
    /// hours counts as reached.
    @inline(__always)
    static func position(_ t: Double) -> (day: Int, minute: Int) {
        let hours = min(max(t, 0), lastHour)
        // NaN (never from a bounded run) reads as time 0 rather than trapping.
        let minuteCount = Int(clampingFloor: hours * 60 + 1e-6)
        return (minuteCount / 1440, minuteCount % 1440)
    }

    /// Which of the eight patterns day `day` follows.
    @inline(__always)
    func pattern(ofDay day: Int) -> Int {
        if !bankHolidayDays.isEmpty && !days[7].isEmpty && isBankHoliday(day) { return 7 }
        return day % 7
    }

    public func isBankHoliday(_ day: Int) -> Bool {
        var lo = 0, hi = bankHolidayDays.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if bankHolidayDays[mid] < day { lo = mid + 1 } else { hi = mid }
        }
        return lo < bankHolidayDays.count && bankHolidayDays[lo] == day
    }

    /// Staff or slots at time `t`.
    public func capacity(atHour t: Double) -> Int {
        if let constant { return constant }
        let (day, minute) = Self.position(t)
        for s in days[pattern(ofDay: day)] where minute < s.end { return s.capacity }
        return 0
    }

    /// The next time after `t` at which the capacity changes, or infinity.
    public func nextChange(after t: Double) -> Double {
        guard constant == nil else { return .infinity }
        let now = capacity(atHour: t)
        return next(after: t) { $0 != now }
    }

    /// The next time after `t` at which the capacity goes up (a window opens or a bigger shift
    /// starts), or infinity: when queued patients may start although nobody finished.
    public func nextRise(after t: Double) -> Double {
        guard constant == nil, peak > 0 else { return .infinity }
        var previous = capacity(atHour: t)
        return next(after: t) { c in
            defer { previous = c }
            return c > previous
        }
    }

    /// The start of the first segment after `t` whose capacity satisfies `test` (segments are
    /// visited in time order), within 800 days; infinity past that.
    func next(after t: Double, _ test: (Int) -> Bool) -> Double {
        let (day, minute) = Self.position(t)
        for d in day..<(day + 800) {
            for s in days[pattern(ofDay: d)] where d > day || s.start > minute {
                if test(s.capacity) {
                    let time = Double(d) * 24 + Double(s.start) / 60
                    return time > Self.lastHour ? .infinity : time
                }
            }
        }
        return .infinity
    }

    /// The integral of `f(capacity)` over [a, b], in hours: unit-hours open when `f` is the
    /// identity, hours of work beyond the rota for `max(0, n - capacity)`.
    public func integrate(from a: Double, to b: Double, _ f: (Int) -> Double) -> Double {
        guard b > a else { return 0 }
        if let constant { return f(constant) * (b - a) }
        let lo = min(max(a, 0), Self.lastHour), hi = min(max(b, 0), Self.lastHour)
        guard hi > lo else { return 0 }
        var total = 0.0
        var day = Int((lo / 24).rounded(.down))
        while Double(day) * 24 < hi {
            let dayStart = Double(day) * 24
            for s in days[pattern(ofDay: day)] {
                let from = max(lo, dayStart + Double(s.start) / 60), to = min(hi, dayStart + Double(s.end) / 60)
                if to > from { total += f(s.capacity) * (to - from) }
            }
            day += 1
        }
        return total
    }

    /// Unit-hours the role is open between `a` and `b`.
    public func openUnitHours(from a: Double, to b: Double) -> Double {
        integrate(from: a, to: b) { Double($0) }
    }

    /// Mean capacity over a week without bank holidays.
    public var weeklyMean: Double {
        if let constant { return Double(constant) }
        // In floating point: a capacity given as a huge number must not overflow.
        let minutes = days.prefix(7).reduce(0.0) { sum, day in sum + day.reduce(0.0) { $0 + Double($1.capacity) * Double($1.end - $1.start) } }
        return minutes / Double(7 * 1440)
    }
}
