/// An activity in the pathway, owned by one role of one organisation.
public struct State: Hashable, Sendable {
    public var id: String
    public var title: String?
    /// The role doing the work; only a terminal state may have none (the patient has left).
    public var owner: RoleReference?
    /// The default duration; `durationCases` may give others for some patients.
    public var duration: Distribution
    /// Durations for patients whose attributes meet a condition, tried in order before `duration`.
    public var durationCases: [Alternative<Distribution>] = []
    /// Whether the state holds one unit of its role's capacity for its duration; a wait does not.
    public var occupiesRole: Bool
    /// Items that must be readable when the state starts: the point of care.
    public var needs: [String]
    /// Items recorded when the state completes.
    public var produces: [String]
    /// Items sent on their own when the state completes, to organisations not necessarily next.
    public var sends: [Send] = []
    public var onGap: GapPolicy
    /// Whether the role's unit stays taken after the work, until the patient is accepted onward.
    public var hold: Hold?
    public var isTerminal: Bool
    public var next: [Transition]
    public var annotations: [Annotation]

    public init(id: String, title: String? = nil, owner: RoleReference?, duration: Distribution = .fixed(0),
                occupiesRole: Bool = true, needs: [String] = [], produces: [String] = [], onGap: GapPolicy = .proceed,
                hold: Hold? = nil, isTerminal: Bool = false, next: [Transition] = [], annotations: [Annotation] = []) {
        self.id = id; self.title = title; self.owner = owner; self.duration = duration
        self.occupiesRole = occupiesRole; self.needs = needs; self.produces = produces; self.onGap = onGap
        self.hold = hold
        self.isTerminal = isTerminal; self.next = next; self.annotations = annotations
    }

    /// Probability an item produced here is not recorded, from this state's annotations.
    public var underRecording: Double? { annotations.compactMap(\.underRecording).max() }
}

/// What a state does when a needed item is not readable at its start.
public enum GapPolicy: Hashable, Sendable {
    /// Carry on without it: counted as a risk.
    case proceed
    /// Chase the item, then proceed with what came. Without `effort` the role is occupied for the
    /// whole chase; with it, the role spends `effort` (a phone call) and the patient waits the rest.
    case chase(Distribution, effort: Distribution? = nil)
    /// Collect the information again: the role's time is spent and the item is recorded anew (a duplicate).
    case `repeat`(Distribution)

    public var name: String {
        switch self {
        case .proceed: "proceed"
        case .chase: "chase"
        case .repeat: "repeat"
        }
    }
}

/// A branch out of a state. With neither `probability` nor `condition` it is the default branch.
public struct Transition: Hashable, Sendable {
    public var to: String
    /// The share of the patients reaching the branch who take it (the default share when
    /// `probabilityCases` gives others for some patients).
    public var probability: Double?
    /// Shares for patients whose attributes meet a condition, tried in order before `probability`.
    public var probabilityCases: [Alternative<Double>] = []
    public var condition: Condition?
    /// Items sent with the handoff; nil means the items the source state produces.
    public var carries: [String]?
    public var annotations: [Annotation]

    public init(to: String, probability: Double? = nil, condition: Condition? = nil,
                carries: [String]? = nil, annotations: [Annotation] = []) {
        self.to = to; self.probability = probability; self.condition = condition
        self.carries = carries; self.annotations = annotations
    }

    public var isDefault: Bool { probability == nil && condition == nil }
}

/// A state whose patient keeps the unit of its role after the work is done, until the next setting
/// accepts them: the bed of a medically fit patient waiting for reablement (blocking after service).
public enum Hold: Hashable, Sendable {
    /// Until the patient starts the state they move to next.
    case untilNext
    /// Until the patient starts one of these states (or ends the pathway): a bed held through
    /// allocation and assessment until the patient leaves hospital.
    case until([String])
}
