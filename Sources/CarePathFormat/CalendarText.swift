import CarePathModel

/// Working calendars as written in files: `always`, `weekdays 09:00-17:00`, `mon,wed,fri 09:00-13:00`,
/// several windows a day and several day groups (`mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00`),
/// windows past midnight (`every day 22:00-06:00`), and the two forms `WorkingCalendar.description`
/// adds so that it reads back: `x6` after a window with its own capacity, and a closing
/// `(bank holidays closed)`.
public enum CalendarText {
    /// A problem in a calendar text; `column` (1-based, in the text) is nil when the text as a whole
    /// could not be read.
    public struct Problem: Error, Hashable, Sendable {
        public var message: String
        public var column: Int?
    }

    /// A calendar read from text, with the column where each window is written (for later problems,
    /// such as overlaps with another text's windows), and whether the text set the bank holidays.
    public struct Reading: Hashable, Sendable {
        public var calendar: WorkingCalendar
        public var windowColumns: [Int]
        public var setsBankHolidays: Bool
    }

    static let examples = "'always', 'weekdays 09:00-17:00', 'mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00' or 'every day 22:00-06:00'"
    static let dayHelp = "expected mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, weekdays, weekends or every day"

    /// The calendar, or nil when the text has any problem, overlapping windows included.
    public static func parse(_ text: String) -> WorkingCalendar? {
        guard case .success(let reading) = read(text), reading.calendar.overlaps().isEmpty else { return nil }
        return reading.calendar
    }

    /// Reads a calendar text, or every problem found in it. Overlaps are not checked here: a rota's
    /// windows come from several texts, which are checked together.
    public static func read(_ text: String) -> Result<Reading, ProblemList> {
        let chars = Array(text)
        var problems: [Problem] = []
        var (lo, hi) = trimmed(chars, 0, chars.count)
        let whole = String(chars[lo..<hi])
        func unreadable(_ detail: String = "") -> Result<Reading, ProblemList> {
            .failure(ProblemList([Problem(message: "expected a calendar such as \(examples), found '\(whole.prefix(80))'\(detail)", column: nil)]))
        }
        guard lo < hi else {
            return .failure(ProblemList([Problem(message: "the calendar is empty: expected 'always' or days and hours, such as 'weekdays 09:00-17:00'", column: nil)]))
        }

        var bankHolidays = WorkingCalendar.BankHolidays.asSunday, setsBankHolidays = false
        if chars[hi - 1] == ")", let open = chars[lo..<hi].lastIndex(of: "(") {
            let inner = lowered(chars, open + 1, hi - 1)
            // `(bank holidays closed)`; a colon is read too, though YAML needs the text quoted then.
            let prefix = "bank holidays"
            guard inner.hasPrefix(prefix) else { return unreadable() }
            var value = inner.dropFirst(prefix.count).trimming(" \t")
            if value.hasPrefix(":") { value = value.dropFirst().trimming(" \t") }
            guard let choice = WorkingCalendar.BankHolidays(rawValue: value) else {
                let options = WorkingCalendar.BankHolidays.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(ProblemList([Problem(message: "unknown bank holiday rule '\(value.prefix(40))' (expected one of: \(options))", column: open + 1)]))
            }
            bankHolidays = choice; setsBankHolidays = true
            (lo, hi) = trimmed(chars, lo, open)
        }

        let rest = lowered(chars, lo, hi)
        if rest == "always" || rest == "24/7" {
            var calendar = WorkingCalendar.always
            calendar.bankHolidays = bankHolidays
            return .success(Reading(calendar: calendar, windowColumns: [lo + 1], setsBankHolidays: setsBankHolidays))
        }

        var windows: [WorkingCalendar.Window] = [], columns: [Int] = []
        for (start, end) in split(chars, lo, hi, on: ";") {
            let (gs, ge) = trimmed(chars, start, end)
            guard gs < ge else { problems.append(Problem(message: "nothing between two ';': expected days and hours such as mon-fri 09:00-17:00", column: start + 1)); continue }
            // The days come before the first digit; the windows after it.
            guard let digit = (gs..<ge).first(where: { chars[$0].isASCII && chars[$0].isNumber }) else {
                return unreadable(": '\(String(chars[gs..<ge]).prefix(40))' has no hours, such as 09:00-17:00")
            }
            let (ds, de) = trimmed(chars, gs, digit)
            guard ds < de else { return unreadable(": the days are missing before '\(String(chars[digit..<ge]).prefix(20))'") }
            guard let days = readDays(chars, ds, de, &problems) else { continue }
            for (ws, we) in split(chars, digit, ge, on: ",") {
                let (s, e) = trimmed(chars, ws, we)
                guard s < e else {
                    // ws is just after a ','; say which: the last one, or one of two in a row.
                    let where_ = we >= ge ? "nothing after the last ','" : "nothing between two ','"
                    problems.append(Problem(message: "an empty window: \(where_); expected a window such as 09:00-17:00 (or remove the ',')", column: ws))
                    continue
                }
                switch readWindow(chars, s, e, days: days) {
                case .success(let w): windows.append(w); columns.append(s + 1)
                case .failure(let p) where p.column == nil: return unreadable(": \(p.message)")
                case .failure(let p): problems.append(p)
                }
            }
        }
        guard problems.isEmpty else { return .failure(ProblemList(problems)) }
        return .success(Reading(calendar: WorkingCalendar(windows: windows, bankHolidays: bankHolidays),
                                windowColumns: columns, setsBankHolidays: setsBankHolidays))
    }

    /// Problems found in one text.
    public struct ProblemList: Error, Hashable, Sendable {
        public var problems: [Problem]
        init(_ problems: [Problem]) { self.problems = problems }
    }

    // MARK: Parts

    /// `weekdays`, `every day`, `mon,wed,fri`, `mon-fri`, `sat-sun`, or a list of them.
    static func readDays(_ chars: [Character], _ lo: Int, _ hi: Int, _ problems: inout [Problem]) -> Set<Int>? {
        var days = Set<Int>(), ok = true
        for (start, end) in split(chars, lo, hi, on: ",") {
            let (s, e) = trimmed(chars, start, end)
            let item = lowered(chars, s, e).split(separator: " ").joined(separator: " ")
            guard !item.isEmpty else {
                problems.append(Problem(message: "a ',' with no day beside it: expected days such as mon,wed or mon-fri", column: start + 1))
                ok = false
                continue
            }
            switch item {
            case "weekdays": days.formUnion(0..<5)
            case "weekends": days.formUnion([5, 6])
            case "every day", "daily", "all week": days.formUnion(0..<7)
            default:
                let ends = item.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimming(" ") }
                let numbers = ends.map(day)
                if ends.count <= 2, let first = numbers.first ?? nil, let last = numbers.last ?? nil {
                    // A range may run over the weekend (`fri-mon`).
                    var d = first
                    while true { days.insert(d); if d == last { break }; d = (d + 1) % 7 }
                    continue
                }
                let bad = ends.count <= 2 ? (zip(ends, numbers).first { $0.1 == nil }?.0 ?? item) : item
                var message = "unknown day '\(bad.prefix(40))'"
                if let close = closest(bad, in: WorkingCalendar.dayNames + ["weekdays", "weekends"]) { message += "; did you mean '\(close)'?" }
                problems.append(Problem(message: message + " (\(dayHelp))", column: s + 1))
                ok = false
            }
        }
        return ok ? days : nil
    }

    static let fullDayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    static func day(_ name: String) -> Int? {
        WorkingCalendar.dayNames.firstIndex(of: name) ?? fullDayNames.firstIndex(of: name)
    }

    /// `09:00-17:00`, `22:00-06:00`, `08:00-20:00 x6`. A failure without a column means the text is
    /// not a window at all.
    static func readWindow(_ chars: [Character], _ lo: Int, _ hi: Int, days: Set<Int>) -> Result<WorkingCalendar.Window, Problem> {
        let text = lowered(chars, lo, hi)
        if let first = text.first, first.isLetter {
            return .failure(Problem(message: "'\(text.prefix(30))': other days start a new group after ';', such as 'mon 09:00-12:00; tue 13:00-17:00'", column: lo + 1))
        }
        var hours = Substring(text), capacity: Int?
        if let x = text.firstIndex(of: "x") {
            hours = text[..<x]
            let written = text[text.index(after: x)...].trimming(" \t")
            let column = lo + text.distance(from: text.startIndex, to: x) + 1
            guard !written.isEmpty, written.allSatisfy({ $0.isASCII && $0.isNumber }), written.count <= 9, let n = Int(written) else {
                return .failure(Problem(message: "expected a window's capacity as a whole number >= 0 after 'x' (such as 09:00-17:00 x6), found 'x\(written.prefix(20))'", column: column))
            }
            capacity = n
        }
        let ends = hours.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimming(" \t") }
        guard ends.count == 2, ends.allSatisfy({ $0.contains(":") }) else {
            return .failure(Problem(message: "'\(text.prefix(30))' is not a window such as 09:00-17:00", column: nil))
        }
        var minutes: [Int] = []
        for (i, end) in ends.enumerated() {
            guard let m = clockMinutes(end) else {
                let offset = i == 0 ? 0 : (text.firstIndex(of: "-").map { text.distance(from: text.startIndex, to: $0) + 1 } ?? 0)
                return .failure(Problem(message: "invalid time of day '\(end.prefix(20))': expected HH:MM from 00:00 to 24:00, such as 09:05", column: lo + offset + 1))
            }
            minutes.append(m)
        }
        let (opens, closes) = (minutes[0], minutes[1])
        if opens == 1440 {
            return .failure(Problem(message: "a window cannot open at 24:00; write 00:00 (and the next day)", column: lo + 1))
        }
        if opens == closes {
            return .failure(Problem(message: "the window \(ends[0])-\(ends[1]) is empty: it opens and closes at the same time (a window past midnight closes before it opens, such as 22:00-06:00)", column: lo + 1))
        }
        return .success(WorkingCalendar.Window(days: days, opens: opens, closes: closes, capacity: capacity))
    }

    /// `9:00`, `09:00`, `24:00` -> minutes after midnight.
    static func clockMinutes(_ clock: String) -> Int? {
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    // MARK: Text helpers (positions are offsets in the original characters, for columns)

    static func trimmed(_ chars: [Character], _ lo: Int, _ hi: Int) -> (Int, Int) {
        var lo = lo, hi = hi
        while lo < hi, chars[lo] == " " || chars[lo] == "\t" { lo += 1 }
        while hi > lo, chars[hi - 1] == " " || chars[hi - 1] == "\t" { hi -= 1 }
        return (lo, hi)
    }

    static func lowered(_ chars: [Character], _ lo: Int, _ hi: Int) -> String {
        String(chars[lo..<max(lo, hi)]).lowercased().trimming(" \t")
    }

    static func split(_ chars: [Character], _ lo: Int, _ hi: Int, on separator: Character) -> [(Int, Int)] {
        var parts: [(Int, Int)] = [], start = lo
        for i in lo..<max(lo, hi) where chars[i] == separator { parts.append((start, i)); start = i + 1 }
        parts.append((start, max(lo, hi)))
        return parts
    }
}

extension Substring {
    func trimming(_ set: String) -> String { String(self).trimming(set) }
}
