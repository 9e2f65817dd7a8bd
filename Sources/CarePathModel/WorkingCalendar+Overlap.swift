extension WorkingCalendar {
    /// Two windows covering the same minutes of one weekday: `second` (the later listed) overlaps
    /// `first` on `day` from `from` to `to` (minutes after midnight; `to` may be 1440).
    public struct Overlap: Hashable, Sendable, CustomStringConvertible {
        public var first: Int
        public var second: Int
        public var day: Int
        public var from: Int
        public var to: Int

        public init(first: Int, second: Int, day: Int, from: Int, to: Int) {
            self.first = first; self.second = second; self.day = day; self.from = from; self.to = to
        }

        /// `Saturday 05:00-06:00`.
        public var description: String {
            "\(CivilDate.weekdayNames[day]) \(WorkingCalendar.clock(from))-\(WorkingCalendar.clock(to))"
        }
    }

    /// Each window that covers a minute of the week an earlier window already covers, with the first
    /// such stretch (within one day). A window past midnight covers the start of the next day, and
    /// Sunday night runs into Monday. At most one overlap per window, so a long rota gives a short list.
    public func overlaps() -> [Overlap] {
        // One window cannot overlap itself: it lasts at most a day, on distinct days.
        guard windows.count > 1 else { return [] }
        let week = 7 * 1440
        var owner = [Int](repeating: -1, count: week)
        var result: [Overlap] = []
        for (i, w) in windows.enumerated() {
            let opens = min(max(w.opens, 0), 1439), length = min(max(w.minutes, 0), 1440)
            var clashes: [(minute: Int, earlier: Int)] = []
            for d in w.days.sorted() where (0..<7).contains(d) {
                let start = d * 1440 + opens
                for k in 0..<length {
                    let m = (start + k) % week
                    if owner[m] < 0 { owner[m] = i } else if owner[m] != i { clashes.append((m, owner[m])) }
                }
            }
            clashes.sort { $0.minute < $1.minute }
            var found: Overlap?
            if let first = clashes.first {
                let day = first.minute / 1440
                var end = first.minute + 1
                for c in clashes.dropFirst() where c.minute == end && c.earlier == first.earlier && c.minute / 1440 == day { end += 1 }
                found = Overlap(first: first.earlier, second: i, day: day, from: first.minute % 1440, to: end - day * 1440)
            }
            if let found { result.append(found) }
        }
        return result
    }

    /// No window is open with any capacity, with `nominal` staff for windows without their own
    /// (what `CapacitySchedule.peak <= 0` says, without compiling the schedule).
    public func isNeverOpen(nominal: Int) -> Bool {
        !windows.contains { w in
            (w.capacity ?? nominal) > 0 && w.minutes > 0 && w.days.contains { (0..<7).contains($0) }
        }
    }
}
