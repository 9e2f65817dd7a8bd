/// A kind of record that travels between organisations: a discharge summary, a care-needs assessment.
public struct InformationItem: Hashable, Sendable {
    public var id: String
    public var title: String?
    public var category: InformationCategory
    /// Where the item may already exist when a patient arrives (a GP record, an advance care plan):
    /// the first alternative whose condition holds gives the organisation and the probability.
    public var existing: [ExistingRecord]
    /// Concerns about this kind of record wherever it is recorded or read (a form coded differently
    /// by every system, a summary often incomplete): their effects add to those of the state.
    public var annotations: [Annotation]

    public init(id: String, title: String? = nil, category: InformationCategory, existing: [ExistingRecord] = [],
                annotations: [Annotation] = []) {
        self.id = id; self.title = title; self.category = category; self.existing = existing; self.annotations = annotations
    }
}

/// An item recorded before the pathway starts, at `organisation`, for a share of patients.
public struct ExistingRecord: Hashable, Sendable {
    public var organisation: String
    public var probability: Double
    /// Only for patients for whom this holds (nil: everyone left).
    public var condition: Condition?
    public init(organisation: String, probability: Double, condition: Condition? = nil) {
        self.organisation = organisation; self.probability = probability; self.condition = condition
    }
}

/// An item a state sends on its own to an organisation that is not next in the pathway (a
/// discharge letter to the GP), by direct message where both ends can, else by post.
public struct Send: Hashable, Sendable {
    public var item: String
    public var organisation: String
    public init(item: String, to organisation: String) { self.item = item; self.organisation = organisation }
}

/// What access rules refer to.
public enum InformationCategory: String, CaseIterable, Hashable, Sendable {
    case health
    case socialCare = "social-care"
    case mentalHealth = "mental-health"
    case safeguarding
    case administrative
}
