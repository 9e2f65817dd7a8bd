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
    /// The most patients that may wait (not counting those in service), and where the others go.
    public var limit: QueueLimit?
    /// How long a patient waits before giving up, and where they go then.
    public var patience: Patience?
    public var annotations: [Annotation]

    public init(id: String, organisation: String, title: String? = nil, capacity: Int,
                calendar: WorkingCalendar = .always, queue: QueueDiscipline = .fifo, limit: QueueLimit? = nil,
                patience: Patience? = nil, annotations: [Annotation] = []) {
        self.id = id; self.organisation = organisation; self.title = title; self.capacity = capacity
        self.calendar = calendar; self.queue = queue; self.limit = limit; self.patience = patience
        self.annotations = annotations
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

/// A queue that overflows: a patient who finds `waiting` patients already queued (and no free unit)
/// does not join but goes to `overflow`, a state of the pathway (admitted elsewhere, self-funded care).
public struct QueueLimit: Hashable, Sendable {
    public var waiting: Int
    public var overflow: String
    public init(waiting: Int, overflow: String) { self.waiting = waiting; self.overflow = overflow }
}

/// A queue patients give up on: each waits at most a draw of `distribution`, then goes to `destination`.
public struct Patience: Hashable, Sendable {
    public var distribution: Distribution
    public var destination: String
    public init(_ distribution: Distribution, destination: String) { self.distribution = distribution; self.destination = destination }
}

extension Role {
    /// The capacity schedule this role works to, with a scenario's capacities and bank holidays.
    public func schedule(capacity: Int? = nil, shiftCapacities: [Int]? = nil, bankHolidayDays: [Int] = []) -> CapacitySchedule {
        var calendar = self.calendar
        if let shiftCapacities {
            // One capacity per window, in the calendar's order.
            for (w, c) in zip(calendar.windows.indices, shiftCapacities) { calendar.windows[w].capacity = c }
        }
        return CapacitySchedule(calendar, nominal: capacity ?? self.capacity, bankHolidayDays: bankHolidayDays)
    }
}
