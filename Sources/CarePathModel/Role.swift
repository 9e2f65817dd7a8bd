/// A professional group inside an organisation, and the resource patients queue for.
public struct Role: Hashable, Sendable {
    /// The name inside its organisation (`social-worker`).
    public var id: String
    public var organisation: String
    public var title: String?
    /// Staff or slots; a state that occupies the role holds one unit for its duration.
    public var capacity: Int
    public var calendar: WorkingCalendar
    public var queue: QueueDiscipline
    public var annotations: [Annotation]

    public init(id: String, organisation: String, title: String? = nil, capacity: Int,
                calendar: WorkingCalendar = .always, queue: QueueDiscipline = .fifo, annotations: [Annotation] = []) {
        self.id = id; self.organisation = organisation; self.title = title; self.capacity = capacity
        self.calendar = calendar; self.queue = queue; self.annotations = annotations
    }

    public var reference: RoleReference { RoleReference(organisation: organisation, role: id) }
}

/// `organisation/role`, as written in files.
public struct RoleReference: Hashable, Sendable, CustomStringConvertible {
    public var organisation: String
    public var role: String
    public init(organisation: String, role: String) { self.organisation = organisation; self.role = role }
    public var description: String { "\(organisation)/\(role)" }
}

public enum QueueDiscipline: Hashable, Sendable {
    case fifo
    /// Highest (or lowest) value of a patient attribute first; ties in arrival order.
    case priority(attribute: String, highestFirst: Bool)
}

/// When a role starts work: no service starts outside these hours, work already started finishes.
public struct WorkingCalendar: Hashable, Sendable {
    /// Days open, 0 = Monday ... 6 = Sunday.
    public var days: Set<Int>
    /// Opening and closing time in minutes after midnight; open when opens <= t < closes.
    public var opens: Int
    public var closes: Int

    public init(days: Set<Int>, opens: Int, closes: Int) { self.days = days; self.opens = opens; self.closes = closes }

    public static let always = WorkingCalendar(days: Set(0..<7), opens: 0, closes: 24 * 60)
    public static let weekdays9to17 = WorkingCalendar(days: Set(0..<5), opens: 9 * 60, closes: 17 * 60)

    public var isAlways: Bool { days.count == 7 && opens == 0 && closes == 24 * 60 }

    public static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// `weekdays 09:00-17:00`, `every day 08:00-20:00`, `always`.
    public var description: String {
        if isAlways { return "always" }
        let dayText: String
        switch days {
        case Set(0..<5): dayText = "weekdays"
        case Set(0..<7): dayText = "every day"
        default: dayText = days.sorted().map { Self.dayNames[$0] }.joined(separator: ",")
        }
        func clock(_ m: Int) -> String {
            let h = m / 60, mm = m % 60
            return (h < 10 ? "0" : "") + "\(h):" + (mm < 10 ? "0" : "") + "\(mm)"
        }
        return "\(dayText) \(clock(opens))-\(clock(closes))"
    }

    /// Simulation time is hours from Monday 00:00 of week 0.
    public func isOpen(atHour t: Double) -> Bool {
        if isAlways { return true }
        // A small tolerance so that an opening time computed in hours counts as open.
        let minuteOfWeek = Int((t * 60 + 1e-6).rounded(.down)) % (7 * 24 * 60)
        let day = minuteOfWeek / (24 * 60), minute = minuteOfWeek % (24 * 60)
        return days.contains(day) && minute >= opens && minute < closes
    }

    /// The earliest time >= t at which the role is open (t itself when open now).
    public func nextOpening(atOrAfter t: Double) -> Double {
        if isAlways || days.isEmpty || opens >= closes { return t }
        if isOpen(atHour: t) { return t }
        let week = (t / 168).rounded(.down)
        let hourOfWeek = t - week * 168
        let dayNow = Int(hourOfWeek / 24)
        for offset in 0...7 {
            let day = (dayNow + offset) % 7
            guard days.contains(day) else { continue }
            let openAt = week * 168 + Double(dayNow + offset) * 24 + Double(opens) / 60
            if openAt >= t { return openAt }
        }
        return t
    }

    /// The next closing time after t, when open at t.
    public func closing(after t: Double) -> Double {
        if isAlways { return .infinity }
        let dayStart = (t / 24).rounded(.down) * 24
        return dayStart + Double(closes) / 60
    }
}
