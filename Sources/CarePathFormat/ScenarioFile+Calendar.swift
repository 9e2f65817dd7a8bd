import CarePathModel
import Foundation
import Yams

/// The scenario's calendar (the date of time 0 and the bank holidays), monthly demand factors, and
/// capacities given per window of a role's rota.
extension ScenarioFile {
    static let calendarKeys = ["start", "bank-holidays"]

    /// `calendar: { start: 2025-01-06, bank-holidays: FILE or [DATE, ...] }`; also whether `start`
    /// was written (readable or not), so that what needs it is not reported twice.
    static func readScenarioCalendar(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader,
                                     _ files: inout IncludedFiles) -> (ScenarioCalendar, startGiven: Bool) {
        guard let entries = r.mapping(node, path, allowed: calendarKeys,
                                      what: "a calendar such as { start: 2025-01-06, bank-holidays: calendars/england-bank-holidays.yaml }") else {
            return (ScenarioCalendar(), true)
        }
        var calendar = ScenarioCalendar()
        let startGiven = entries.contains { $0.key == "start" }
        for (key, value, p) in entries {
            if key == "start" {
                calendar.start = readStart(value, p, &r)
            } else {
                calendar.bankHolidays = readBankHolidays(value, p, &r, &files)
                if !startGiven {
                    r.error(nil, p, "bank holidays need the calendar's start date to place them in simulation time: give 'start', the Monday of time 0 (such as 2025-01-06)")
                }
            }
        }
        return (calendar, startGiven)
    }

    /// A real date that is a Monday: simulation time 0 is Monday 00:00.
    static func readStart(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> CivilDate? {
        guard let date = readDate(node, path, &r) else { return nil }
        guard date.weekday == 0 else {
            let monday = CivilDate(dayNumber: date.dayNumber - date.weekday)
            r.error(node, path, "\(date) is a \(CivilDate.weekdayNames[date.weekday]); simulation time 0 is a Monday 00:00 (that week's Monday is \(monday))")
            return nil
        }
        return date
    }

    static func readDate(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> CivilDate? {
        guard let text = r.scalar(node, path, what: "a date such as 2025-01-06") else { return nil }
        return civilDate(text, node, path, &r)
    }

    static func civilDate(_ text: String, _ node: Node?, _ path: DocumentPath, _ r: inout NodeReader) -> CivilDate? {
        if let date = CivilDate(text.trimming(" \t")) { return date }
        r.error(node, path, "expected a real date as YYYY-MM-DD between 1900 and 2999, such as 2025-01-06, found '\(text.prefix(60))'")
        return nil
    }

    /// A list of dates, or the path of a bank holiday file (relative to the scenario's folder),
    /// whose problems are reported in that file; the file read is kept in `files`.
    static func readBankHolidays(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader,
                                 _ files: inout IncludedFiles) -> [CivilDate] {
        guard case .scalar = node else { return BankHolidayFile.readDates(node, path, &r) }
        guard let written = r.scalar(node, path, what: "a bank holiday file"), !written.trimming(" \t").isEmpty else {
            r.error(node, path, "expected a list of dates such as [2025-12-25, 2025-12-26] or the path of a bank holiday file, found an empty value")
            return []
        }
        let trimmed = written.trimming(" \t")
        if CivilDate(trimmed) != nil {
            r.error(node, path, "one date is written as a list: [\(trimmed)]")
            return []
        }
        let (url, name, text, problem) = files.resolve(trimmed)
        files.bankHolidaysURL = url
        guard let text else {
            r.error(node, path, "cannot use the bank holiday file '\(trimmed.prefix(200))' (\(url.path)): \(problem ?? "unreadable")")
            return []
        }
        files.bankHolidays = InputFile(path: name, text: text)
        let result = BankHolidayFile.check(text: text, file: name)
        r.absorb(result.problems)
        return result.dates
    }

    // MARK: Monthly factors

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Twelve factors January..December, as a list or as `{ jan: 1.2, feb: 1.1, ... }`.
    static func readMonthlyFactors(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> [Double]? {
        func factor(_ value: Node, _ p: DocumentPath) -> Double? {
            guard let v = r.number(value, p, what: "a factor (a number > 0)") else { return nil }
            // Bounded so that a typo cannot turn the arrival rate into something no run could finish.
            guard v > 0 && v <= 1000 else {
                r.error(value, p, "expected a factor above 0 and at most 1000 (1 leaves the month's arrivals as they are), found \(formatNumber(v))")
                return nil
            }
            return v
        }
        if case .mapping = node {
            guard let entries = r.mapping(node, path, allowed: monthNames, what: "a factor per month") else { return nil }
            var byMonth: [String: Double] = [:], ok = true
            for (month, value, p) in entries {
                if let v = factor(value, p) { byMonth[month] = v } else { ok = false }
            }
            let missing = monthNames.filter { m in !entries.contains { $0.key == m } }
            if !missing.isEmpty {
                r.error(node, path, "missing a factor for \(missing.joined(separator: ", ")) (give all twelve months; 1 for a month as the rest)")
                return nil
            }
            return ok ? monthNames.map { byMonth[$0] ?? 1 } : nil
        }
        guard let items = r.sequence(node, path, what: "twelve factors January to December, as a list or { jan: 1.2, ... }") else { return nil }
        let values = items.map { factor($0.0, $0.1) }
        guard items.count == 12 else {
            r.error(node, path, "expected twelve factors, January to December, found \(items.count)")
            return nil
        }
        let factors = values.compactMap { $0 }
        return factors.count == 12 ? factors : nil
    }

    // MARK: Capacities by window

    /// `organisation/role: N`, or a list with one capacity per window of the role's calendar, in order.
    static func applyCapacity(_ text: String, _ value: Node, _ path: DocumentPath, to settings: inout ScenarioSettings,
                              _ r: inout NodeReader, _ c: Context) {
        let reference = roleReference(text, nil, path, &r, c)
        let role = reference.flatMap { c.pathway?.role($0) }
        guard case .sequence = value else {
            guard let n = r.integer(value, path, what: "a capacity (a whole number >= 1)") else { return }
            guard n >= 1 else { r.error(value, path, "expected a capacity >= 1, found \(n)"); return }
            if let role, role.calendar.hasShiftCapacities {
                let example = role.calendar.windows.map { String($0.capacity ?? role.capacity) }.joined(separator: ", ")
                r.error(value, path, "\(role.reference) has a rota with a capacity per shift: give one capacity per window, e.g. [\(example)]")
                return
            }
            if let reference { settings.capacities[reference] = n; settings.shiftCapacities[reference] = nil }
            return
        }
        guard let items = r.sequence(value, path, what: "a list of capacities, one per window") else { return }
        var capacities: [Int] = [], ok = true
        for (item, p) in items {
            guard let n = r.integer(item, p, what: "a capacity (a whole number >= 0; 0 for a closed window)") else { ok = false; continue }
            if n >= 0 { capacities.append(n) } else { r.error(item, p, "expected a capacity >= 0 (0 for a closed window), found \(n)"); ok = false }
        }
        guard ok, let reference else { return }
        if let role, role.calendar.windows.count != capacities.count {
            let count = role.calendar.windows.count
            r.error(value, path, "\(reference) works \(count) window\(count == 1 ? "" : "s") ('\(role.calendar)'): expected \(count) capacit\(count == 1 ? "y" : "ies"), one per window in that order, found \(capacities.count)")
            return
        }
        if capacities.allSatisfy({ $0 == 0 }) {
            r.error(value, path, "\(reference) would never be open: every window has capacity 0")
            return
        }
        settings.shiftCapacities[reference] = capacities
        settings.capacities[reference] = nil
    }
}

/// Bank holiday files: `bank-holidays:` with `DATE: name` pairs, or a list of dates.
public enum BankHolidayFile {
    public struct Result: Sendable {
        /// The dates in the order written.
        public var dates: [CivilDate]
        /// The names given to dates (none for a list).
        public var names: [CivilDate: String]
        public var problems: [FormatProblem]
    }

    public static func check(_ url: URL) -> Result {
        let (text, problem) = ScenarioFile.readText(url)
        guard let text else {
            return Result(dates: [], names: [:], problems: [FormatProblem(.error, file: url.relativePath, line: 1, column: 1, path: .root,
                                                                           message: problem ?? "cannot read the file")])
        }
        return check(text: text, file: url.relativePath)
    }

    static let keys = ["title", "source", "bank-holidays"]

    public static func check(text: String, file: String) -> Result {
        let document: YAMLDocument
        do throws(FormatErrors) {
            document = try YAMLDocument.parse(text, file: file)
        } catch {
            return Result(dates: [], names: [:], problems: error.problems)
        }
        var r = NodeReader(file: file)
        var dates: [CivilDate] = [], names: [CivilDate: String] = [:]
        if let entries = r.mapping(document.root, .root, allowed: keys,
                                   what: "a bank holiday file (a mapping with bank-holidays: DATE: name pairs)") {
            r.require(["bank-holidays"], in: entries, of: document.root, .root)
            for (key, value, p) in entries {
                switch key {
                case "bank-holidays":
                    if case .mapping = value {
                        for (text, name, dp) in r.mapping(value: value, p) {
                            guard let date = ScenarioFile.civilDate(text, nil, dp, &r) else { continue }
                            dates.append(date)
                            names[date] = r.string(name, dp, what: "the bank holiday's name")
                        }
                    } else {
                        dates = readDates(value, p, &r)
                    }
                default: _ = r.string(value, p)
                }
            }
        }
        return Result(dates: dates, names: names, problems: r.problems.sorted())
    }

    /// A list of `YYYY-MM-DD` dates, each once.
    static func readDates(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> [CivilDate] {
        guard let items = r.sequence(node, path, what: "a list of dates such as [2025-12-25, 2025-12-26], or the path of a bank holiday file") else { return [] }
        var dates: [CivilDate] = [], seen = Set<CivilDate>()
        for (item, p) in items {
            guard let date = ScenarioFile.readDate(item, p, &r) else { continue }
            if !seen.insert(date).inserted { r.error(item, p, "\(date) is listed twice"); continue }
            dates.append(date)
        }
        return dates
    }
}
