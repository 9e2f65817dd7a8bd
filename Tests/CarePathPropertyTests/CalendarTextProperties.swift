import CarePathFormat
import CarePathModel
import PropertyBased
import Testing

/// Working calendars as written: what a calendar writes reads back, any text is read or refused
/// without a trap, and the open check agrees with a plain reading of the windows.
@Suite struct CalendarTextProperties {
    /// A window on some days, opening and closing on whole or odd minutes, maybe past midnight.
    static let window = zip(
        Gen.int(in: 0...6).set(ofAtMost: 1...7).filter { !$0.isEmpty },
        Gen.int(in: 0...1439), Gen.int(in: 1...1440), Gen.int(in: 0...40).optional(valueRate: 0.3)
    ).filter { $0.1 != $0.2 }.map { WorkingCalendar.Window(days: $0.0, opens: $0.1, closes: $0.2, capacity: $0.3) }

    static let calendar = zip(window.array(of: 1...5), pick(WorkingCalendar.BankHolidays.allCases))
        .map { WorkingCalendar(windows: $0.0, bankHolidays: $0.1) }

    /// Calendars a file may hold: windows that do not overlap (`CalendarText.parse` refuses others).
    static let valid = zip(window.array(of: 1...3), pick(WorkingCalendar.BankHolidays.allCases))
        .map { WorkingCalendar(windows: $0.0, bankHolidays: $0.1) }.filter { $0.overlaps().isEmpty }

    @Test func aCalendarWrittenReadsBack() async {
        await propertyCheck(count: 500, input: Self.calendar) { calendar in
            let text = calendar.description
            guard case .success(let reading) = CalendarText.read(text) else {
                Issue.record("'\(text)' does not read back"); return
            }
            #expect(reading.calendar == calendar, "'\(text)' read back as '\(reading.calendar.description)'")
        }
    }

    /// Any text of the characters calendars are made of: a calendar or problems, never a trap.
    @Test func anyTextIsReadOrRefused() async {
        let pieces = pick(["mon", "fri", "sun", "weekdays", "every day", "-", ",", ";", " ", ":", "0", "9", "24", "00",
                                      "x", "3", "(", ")", "bank holidays", "closed", "always", "İ", "\u{301}", "\t"] as [String])
        await propertyCheck(count: 2000, input: pieces.array(of: 0...16).map { $0.joined() }) { text in
            switch CalendarText.read(text) {
            case .success(let reading):
                #expect(reading.windowColumns.count == reading.calendar.windows.count)
                for w in reading.calendar.windows {
                    #expect((0..<1440).contains(w.opens) && (0...1440).contains(w.closes) && w.opens != w.closes && !w.days.isEmpty)
                }
            case .failure(let list):
                #expect(!list.problems.isEmpty)
            }
        }
    }

    /// Open at hour t, by the windows alone: a window with staff covers its days from `opens`, and
    /// one past midnight covers the next morning too (ignoring bank holidays, as `isOpen` does).
    static func referenceOpen(_ calendar: WorkingCalendar, _ t: Double) -> Bool {
        let minute = Int((t * 60).rounded(.down))
        let day = (minute / 1440) % 7, inDay = minute % 1440
        return calendar.windows.contains { w in
            if w.capacity == 0 { return false }
            if w.pastMidnight {
                return (w.days.contains(day) && inDay >= w.opens) || (w.days.contains((day + 6) % 7) && inDay < w.closes)
            }
            return w.days.contains(day) && inDay >= w.opens && inDay < w.closes
        }
    }

    @Test func openWhereTheWindowsSay() async {
        // Whole minutes plus half a minute, so that no time sits on an edge where rounding decides.
        let times = Gen.int(in: 0...(52 * 7 * 1440)).map { (Double($0) + 0.5) / 60 }
        await propertyCheck(count: 300, input: Self.valid, times.array(of: 20)) { calendar, times in
            for t in times {
                #expect(calendar.isOpen(atHour: t) == Self.referenceOpen(calendar, t), "\(calendar) at \(t) h")
            }
        }
    }

    @Test func theNextOpeningIsOpenAndNothingBeforeItIs() async {
        let times = Gen.int(in: 0...(4 * 7 * 1440)).map { (Double($0) + 0.5) / 60 }
        await propertyCheck(count: 300, input: Self.valid, times) { calendar, t in
            let opening = calendar.nextOpening(atOrAfter: t)
            guard opening.isFinite else {
                #expect(calendar.windows.allSatisfy { $0.capacity == 0 }, "\(calendar) never opens after \(t) h")
                return
            }
            #expect(opening >= t && opening <= t + 168)
            if opening == t {
                #expect(Self.referenceOpen(calendar, t), "\(calendar): said open at \(t) h")
            } else {
                // Openings fall on whole minutes: half a minute later the window is open.
                #expect(Self.referenceOpen(calendar, opening + 0.5 / 60), "\(calendar): next opening after \(t) h is \(opening) h")
                #expect(!Self.referenceOpen(calendar, opening - 0.5 / 60))
                #expect(!Self.referenceOpen(calendar, t))
            }
        }
    }
}
