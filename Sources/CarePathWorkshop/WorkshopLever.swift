import CarePathModel

/// One control of the workshop page: a lever's place, in plain words, with the values the room
/// may give it and the value the baseline has.
public struct WorkshopLever: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A whole number (a slider in steps of one): a role's capacity.
        case integer
        /// A number (a slider): a probability, a rate of patients a day (see `unit`).
        case number
        /// One of `options` (a select): the architecture.
        case choice
        /// One of two `options` (a switch): declared with two options.
        case toggle
        /// Free text the files would take, checked as they check it: a distribution, a duration.
        case text
    }

    /// The place as a scenario's `set:` names it (`capacities.hub/coordinator`): the control's id.
    public var id: String
    public var label: String
    public var kind: Kind
    /// For `.integer` and `.number`: the range and step (in `unit` for rates).
    public var minimum: Double?
    public var maximum: Double?
    public var step: Double?
    /// For `.choice` and `.toggle`: the values, as a file writes them.
    public var options: [String]
    /// The unit a bare number is in (`/d`: patients a day), appended to it before it is read.
    public var unit: String?
    /// The baseline's value, as a file writes it (`4`, `point-to-point`, `20` for `20/d`).
    public var baseline: String
    /// What the lever belongs to, so that a clicked diagram node shows its levers.
    public var subject: WorkshopSubject

    public init(id: String, label: String, kind: Kind, minimum: Double? = nil, maximum: Double? = nil, step: Double? = nil,
                options: [String] = [], unit: String? = nil, baseline: String, subject: WorkshopSubject) {
        self.id = id; self.label = label; self.kind = kind; self.minimum = minimum; self.maximum = maximum; self.step = step
        self.options = options; self.unit = unit; self.baseline = baseline; self.subject = subject
    }
}

/// The part of the pathway or scenario a lever or a note belongs to: a node of the diagram
/// (an organisation, a role, a state, an item) or the scenario as a whole.
public struct WorkshopSubject: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case organisation, role, state, item, channel, cohort, scenario
    }
    public var kind: Kind
    /// The organisation's, state's or item's id; `ORG/ROLE` for a role; the option for a channel;
    /// empty for the cohort and the scenario.
    public var id: String
    /// The organisation a role belongs to (its cluster in the diagram).
    public var organisation: String?

    public init(kind: Kind, id: String = "", organisation: String? = nil) {
        self.kind = kind; self.id = id; self.organisation = organisation
    }

    public var description: String { id.isEmpty ? kind.rawValue : "\(kind.rawValue) \(id)" }

    /// What a lever's place belongs to.
    public init(_ place: LeverPlace) {
        func role(_ r: RoleReference) -> WorkshopSubject { WorkshopSubject(kind: .role, id: r.description, organisation: r.organisation) }
        func site(_ s: ConcernSite) -> WorkshopSubject {
            switch s {
            case .organisation(let o): return WorkshopSubject(kind: .organisation, id: o)
            case .role(let r): return role(r)
            case .state(let s), .branch(let s, _): return WorkshopSubject(kind: .state, id: s)
            case .item(let i): return WorkshopSubject(kind: .item, id: i)
            case .channel(let c): return WorkshopSubject(kind: .channel, id: c.rawValue)
            }
        }
        switch place {
        case .roleCapacity(let r), .shiftCapacity(let r, _), .queueLimit(let r), .patience(let r): self = role(r)
        case .stateDuration(let s), .durationCase(let s, _), .chaseDelay(let s), .chaseEffort(let s), .repeatDuration(let s),
             .branchProbability(let s, _):
            self = WorkshopSubject(kind: .state, id: s)
        case .concern(let s, _, _), .concernTime(let s, _, _): self = site(s)
        case .existingShare(let item, _): self = WorkshopSubject(kind: .item, id: item)
        case .arrivals, .patients, .horizon, .attributeShare, .attributeDistribution, .attributeWeight: self = WorkshopSubject(kind: .cohort)
        case .architecture, .handoff, .consentOptOut, .underRecording: self = WorkshopSubject(kind: .scenario)
        }
    }
}
