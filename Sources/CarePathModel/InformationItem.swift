/// A kind of record that travels between organisations: a discharge summary, a care-needs assessment.
public struct InformationItem: Hashable, Sendable {
    public var id: String
    public var title: String?
    public var category: InformationCategory

    public init(id: String, title: String? = nil, category: InformationCategory) {
        self.id = id; self.title = title; self.category = category
    }
}

/// What access rules refer to.
public enum InformationCategory: String, CaseIterable, Hashable, Sendable {
    case health
    case socialCare = "social-care"
    case mentalHealth = "mental-health"
    case safeguarding
    case administrative
}
