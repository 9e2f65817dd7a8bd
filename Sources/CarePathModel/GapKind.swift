/// How a needed item stands at the point of care; exactly one applies each time it is checked.
public enum GapKind: Int, CaseIterable, Hashable, Sendable, Codable {
    case available
    /// Recorded upstream but not yet readable here: in transit, awaiting a batch.
    case late
    /// Never recorded (under-recording, or the producing step never reached), or never sent here.
    case missing
    /// An access rule or the patient's consent forbids reading it here.
    case blocked
    /// The source or central system is down.
    case unavailable
    /// A newer version exists than the one readable here.
    case stale

    public var name: String {
        switch self {
        case .available: "available"
        case .late: "late"
        case .missing: "missing"
        case .blocked: "blocked"
        case .unavailable: "unavailable"
        case .stale: "stale"
        }
    }

    public static let gaps: [GapKind] = [.late, .missing, .blocked, .unavailable, .stale]
}
