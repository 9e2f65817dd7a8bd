/// A care provider taking part in a pathway: an acute trust, a GP practice, a council's adult social care.
public struct Organisation: Hashable, Sendable {
    public var id: String
    public var name: String
    public var sector: Sector
    public var maturity: DigitalMaturity
    /// The sharing services this organisation's systems are connected to.
    public var connections: [SharingService]
    public var roles: [Role]
    public var annotations: [Annotation]

    public init(id: String, name: String, sector: Sector, maturity: DigitalMaturity,
                connections: [SharingService] = [], roles: [Role] = [], annotations: [Annotation] = []) {
        self.id = id; self.name = name; self.sector = sector; self.maturity = maturity
        self.connections = connections; self.roles = roles; self.annotations = annotations
    }

    public func role(_ id: String) -> Role? { roles.first { $0.id == id } }

    /// Probability that an item produced here is never recorded, from `liability-fear` style annotations.
    public var underRecording: Double {
        annotations.compactMap(\.underRecording).max() ?? 0
    }
}

public enum Sector: String, CaseIterable, Hashable, Sendable {
    case acute, emergency, ambulance, primary, community
    case mentalHealth = "mental-health"
    case socialCare = "social-care"
    case careHome = "care-home"
    case hospice, voluntary, pharmacy, home
}

/// How far an organisation's records are electronic; `paper` cannot receive electronically.
public enum DigitalMaturity: String, CaseIterable, Hashable, Sendable, Comparable {
    case paper, basic, integrated

    public static func < (a: Self, b: Self) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

/// A channel through which information reaches another organisation.
public enum SharingService: String, CaseIterable, Hashable, Sendable {
    case messaging
    case sharedRecord = "shared-record"
    case federatedQuery = "federated-query"
}
