/// A shared care pathway: a state machine whose states belong to roles of different organisations.
public struct Pathway: Hashable, Sendable {
    public var id: String
    public var title: String
    public var description: String?
    /// Patient attributes that conditions and priorities may read, in declaration order.
    public var attributes: [PatientAttribute]
    public var organisations: [Organisation]
    public var information: [InformationItem]
    /// States in file order; `start` names the entry state.
    public var states: [State]
    public var start: String

    public init(id: String, title: String, description: String? = nil, attributes: [PatientAttribute] = [],
                organisations: [Organisation], information: [InformationItem], states: [State], start: String) {
        self.id = id; self.title = title; self.description = description; self.attributes = attributes
        self.organisations = organisations; self.information = information; self.states = states; self.start = start
    }

    public func organisation(_ id: String) -> Organisation? { organisations.first { $0.id == id } }
    public func state(_ id: String) -> State? { states.first { $0.id == id } }
    public func item(_ id: String) -> InformationItem? { information.first { $0.id == id } }
    public func role(_ ref: RoleReference) -> Role? { organisation(ref.organisation)?.role(ref.role) }
    public var roles: [Role] { organisations.flatMap(\.roles) }

    /// Attribute types by name, for checking conditions.
    public var attributeTypes: [String: AttributeType] {
        Dictionary(attributes.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether moving from `from` to `to` crosses an organisational boundary.
    public func isCrossOrganisation(from: String, to: String) -> Bool {
        guard let a = state(from)?.owner, let b = state(to)?.owner else { return false }
        return a.organisation != b.organisation
    }

    /// Items a handoff sends (point-to-point and paper): the transition's explicit `carries`, or by
    /// default every item the sending organisation records that some state of the receiving
    /// organisation needs: an organisation sends its own documents to the next one, not others'.
    public func itemsCarried(from source: State, by transition: Transition) -> [String] {
        if let carries = transition.carries { return carries }
        guard let sender = source.owner?.organisation, let receiver = state(transition.to)?.owner?.organisation,
              sender != receiver else { return [] }
        let recorded = Set(states.filter { $0.owner?.organisation == sender }.flatMap(\.produces))
        let needed = Set(states.filter { $0.owner?.organisation == receiver }.flatMap(\.needs))
        return information.map(\.id).filter { recorded.contains($0) && needed.contains($0) }
    }
}

/// A patient attribute a cohort supplies (age, lives_alone, deprivation quintile).
public struct PatientAttribute: Hashable, Sendable {
    public var name: String
    public var type: AttributeType
    public init(name: String, type: AttributeType) { self.name = name; self.type = type }
}

public enum AttributeType: Hashable, Sendable, CustomStringConvertible {
    case number
    case boolean
    /// One of the listed levels; stored as the level's index.
    case categorical([String])

    public var description: String {
        switch self {
        case .number: "number"
        case .boolean: "boolean"
        case .categorical(let levels): "one of [" + levels.joined(separator: ", ") + "]"
        }
    }
}
