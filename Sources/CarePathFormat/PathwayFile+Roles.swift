import CarePathModel
import Yams

/// Roles: capacity, calendar or rota, bank holidays, and the queue with its limit and patience.
extension PathwayFile {
    static let roleKeys = ["title", "capacity", "calendar", "rota", "bank-holidays", "queue", "concerns"]

    /// Where a window of a role's calendar is written, so that a problem between windows written
    /// in different texts (two shifts of a rota that overlap) points at the right one.
    struct WindowSource {
        let node: Node
        let path: DocumentPath
        let column: Int
    }

    static let rotaExample = "{ when: \"every day 08:00-20:00\", capacity: 6 }"

    static func readRole(_ id: String, organisation: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Role? {
        guard checkName(id, path, &r, what: "a role name"),
              let entries = r.mapping(node, path, allowed: roleKeys, what: "a role (a mapping with capacity)") else { return nil }
        var role = Role(id: id, organisation: organisation, capacity: 1)
        let calendarEntry = entries.first { $0.key == "calendar" }, rotaEntry = entries.first { $0.key == "rota" }
        if calendarEntry != nil, let rota = rotaEntry {
            r.error(nil, rota.path, "give either 'calendar' (the role's capacity in every window) or 'rota' (a capacity per shift), not both")
        }
        var capacity: Int?, calendar: WorkingCalendar?, sources: [WindowSource] = []
        var textBankHolidays = false, bankHolidays: (rule: WorkingCalendar.BankHolidays, node: Node, path: DocumentPath)?
        for (key, value, p) in entries {
            switch key {
            case "title": role.title = r.string(value, p)
            case "capacity": capacity = r.integer(value, p, what: "a capacity (whole number of staff or slots)")
            case "calendar":
                guard let reading = readCalendar(value, p, &r), rotaEntry == nil else { break }
                calendar = reading.calendar
                sources = reading.windowColumns.map { WindowSource(node: value, path: p, column: $0) }
                textBankHolidays = reading.setsBankHolidays
            case "rota":
                guard let (rota, rotaSources) = readRota(value, p, &r), calendarEntry == nil else { break }
                calendar = rota; sources = rotaSources
            case "bank-holidays":
                if let rule = r.choice(value, p, WorkingCalendar.BankHolidays.self, what: "bank holiday rule") { bankHolidays = (rule, value, p) }
            case "queue": (role.queue, role.limit, role.patience) = readQueue(value, p, &r)
            default: role.annotations = readAnnotations(value, p, &r)
            }
        }
        var working = calendar ?? .always
        if let bankHolidays {
            if textBankHolidays {
                r.error(bankHolidays.node, bankHolidays.path, "the calendar text already says what the role does on bank holidays; give it once")
            }
            working.bankHolidays = bankHolidays.rule
        }
        r.calendarWindows += working.windows.count
        if r.calendarWindows > NodeReader.maximumCalendarWindows {
            // Reported once; a real pathway has a few dozen windows in all.
            if r.calendarWindows - working.windows.count <= NodeReader.maximumCalendarWindows {
                r.error(node, path, "the file's calendars and rotas have more than \(NodeReader.maximumCalendarWindows) windows in all; refused")
            }
            return role
        }
        for overlap in working.overlaps() where overlap.second < sources.count {
            var first = working.windows[overlap.first], second = working.windows[overlap.second]
            first.capacity = nil; second.capacity = nil
            let source = sources[overlap.second]
            r.errorInText(source.node, source.path, column: source.column,
                          "the windows '\(first)' and '\(second)' overlap on \(overlap): each minute of a week belongs to one window at most")
        }
        role.calendar = working

        // With a capacity per shift the role's own capacity is a nominal figure (for display):
        // the largest shift's unless given.
        let shiftCapacities = working.windows.compactMap(\.capacity)
        if let capacity {
            role.capacity = capacity
        } else if rotaEntry != nil || (!working.windows.isEmpty && shiftCapacities.count == working.windows.count) {
            role.capacity = shiftCapacities.max() ?? 1
        } else {
            r.report(.error, node.mark, path.key("capacity"), "missing required key 'capacity' (staff or slots; a 'rota' gives them by shift instead)")
        }
        return role
    }

    /// `always`, `weekdays 09:00-17:00`, `mon-fri 08:00-12:30, 13:30-17:00; sat 10:00-14:00`,
    /// `every day 22:00-06:00`; each problem at its column in the text.
    static func readCalendar(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, what: String = "a calendar") -> CalendarText.Reading? {
        guard let text = r.scalar(node, path, what: what) else { return nil }
        switch CalendarText.read(text) {
        case .success(let reading): return reading
        case .failure(let list):
            for problem in list.problems { r.errorInText(node, path, column: problem.column, problem.message) }
            return nil
        }
    }

    /// A list of shifts `{ when: HOURS, capacity: N }`: every window of `when` gets that capacity.
    static func readRota(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> (WorkingCalendar, [WindowSource])? {
        guard let items = r.sequence(node, path, what: "a rota: a list of shifts such as - \(rotaExample)") else { return nil }
        if items.isEmpty {
            r.error(node, path, "a rota needs at least one shift, such as - \(rotaExample)")
            return nil
        }
        var windows: [WorkingCalendar.Window] = [], sources: [WindowSource] = [], ok = true
        for (item, p) in items {
            guard let entries = r.mapping(item, p, allowed: ["when", "capacity"], what: "a shift such as \(rotaExample)") else { ok = false; continue }
            r.require(["when", "capacity"], in: entries, of: item, p)
            var capacity: Int?, reading: CalendarText.Reading?, when: (node: Node, path: DocumentPath)?
            for (key, value, vp) in entries {
                if key == "capacity" {
                    guard let n = r.integer(value, vp, what: "a shift's capacity (a whole number of staff or slots, 0 for a closed shift)") else { continue }
                    if n >= 0 { capacity = n } else { r.error(value, vp, "a shift's capacity must be 0 (closed) or more, found \(n)") }
                    continue
                }
                when = (value, vp)
                guard let read = readCalendar(value, vp, &r, what: "a shift's days and hours") else { continue }
                if read.calendar.hasShiftCapacities {
                    r.error(value, vp, "give the shift's capacity under 'capacity', not with 'x' in its hours")
                } else if read.setsBankHolidays {
                    r.error(value, vp, "bank holidays are the role's: give 'bank-holidays' on the role, not in a shift")
                } else { reading = read }
            }
            guard let capacity, let reading, let when else { ok = false; continue }
            for (window, column) in zip(reading.calendar.windows, reading.windowColumns) {
                var w = window
                w.capacity = capacity
                windows.append(w)
                sources.append(WindowSource(node: when.node, path: when.path, column: column))
            }
        }
        return ok ? (WorkingCalendar(windows: windows), sources) : nil
    }

    static let queueKeys = ["priority", "order", "limit", "when-full", "patience", "gives-up-to"]
    static let queueForms = "expected 'fifo' or { priority: ATTRIBUTE, order: highest-first | lowest-first }, "
        + "optionally with limit: N, when-full: STATE, patience: DISTRIBUTION, gives-up-to: STATE"

    /// `fifo`, or a mapping with an optional priority, and a limit and a patience each with where
    /// patients go (the destinations are checked against the states with the whole pathway).
    static func readQueue(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> (QueueDiscipline, QueueLimit?, Patience?) {
        if case .scalar = node {
            if r.scalar(node, path, what: "a queue discipline") == "fifo" { return (.fifo, nil, nil) }
            r.error(node, path, queueForms)
            return (.fifo, nil, nil)
        }
        guard let entries = r.mapping(node, path, allowed: queueKeys, what: "a queue discipline") else { return (.fifo, nil, nil) }
        var attribute: String?, highestFirst = true
        var limit: Int?, whenFull: String?, patience: Distribution?, givesUpTo: String?
        var given: [String: (node: Node, path: DocumentPath)] = [:]
        for (key, value, p) in entries {
            given[key] = (value, p)
            switch key {
            case "priority": attribute = r.name(value, p, what: "an attribute name")
            case "order":
                switch r.scalar(value, p, what: "an order") {
                case "highest-first": highestFirst = true
                case "lowest-first": highestFirst = false
                case nil: break
                case let other?: r.error(value, p, "expected highest-first or lowest-first, found '\(other.prefix(40))'")
                }
            case "limit":
                guard let n = r.integer(value, p, what: "a queue limit (the most patients waiting, a whole number >= 0)") else { break }
                if n >= 0 { limit = n } else { r.error(value, p, "a queue limit counts the patients waiting: expected 0 (no waiting room) or more, found \(n)") }
            case "when-full": whenFull = r.name(value, p, what: "a state name")
            case "patience": patience = r.distribution(value, p)
            default: givesUpTo = r.name(value, p, what: "a state name")
            }
        }
        if let order = given["order"], given["priority"] == nil {
            r.error(nil, order.path, "'order' goes with 'priority': without a priority the queue is first come, first served")
        }
        // Each limit or patience needs its destination, and a destination its trigger.
        let pairs = [("limit", "when-full", "the state a patient goes to when the queue is full"),
                     ("patience", "gives-up-to", "the state a patient goes to after giving up waiting")]
        for (trigger, destination, meaning) in pairs {
            if let t = given[trigger], given[destination] == nil {
                r.error(nil, t.path, "'\(trigger)' needs '\(destination)': \(meaning)")
            } else if let d = given[destination], given[trigger] == nil {
                r.error(nil, d.path, "'\(destination)' goes with '\(trigger)'" + (trigger == "limit"
                    ? ": how many patients may wait before the queue is full"
                    : ": how long a patient waits before giving up, such as exponential(mean=2d)"))
            }
        }
        let discipline = attribute.map { QueueDiscipline.priority(attribute: $0, highestFirst: highestFirst) } ?? .fifo
        let queueLimit = limit.flatMap { n in whenFull.map { QueueLimit(waiting: n, overflow: $0) } }
        let queuePatience = patience.flatMap { d in givesUpTo.map { Patience(d, destination: $0) } }
        return (discipline, queueLimit, queuePatience)
    }
}

extension NodeReader {
    /// A problem at `column` (1-based) of a text value, when the value is on one line as written;
    /// at the value otherwise.
    mutating func errorInText(_ node: Node, _ path: DocumentPath, column: Int?, _ message: String) {
        guard let column, case .scalar(let s) = node, let mark = s.mark,
              [.plain, .singleQuoted, .doubleQuoted].contains(s.style) else {
            error(node, path, message)
            return
        }
        let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
        report(.error, line: mark.line, column: mark.column + column - 1 + (quoted ? 1 : 0), path, message)
    }
}
