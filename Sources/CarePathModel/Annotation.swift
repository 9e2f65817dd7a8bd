/// A socio-organisational concern attached to an organisation, state or transition, with the
/// workshop's note. Where the concern has a quantitative effect the annotation carries its parameter.
public struct Annotation: Hashable, Sendable {
    public var concern: Concern
    public var note: String
    /// For `liability-fear` and `training-gap`: probability an item produced is not recorded.
    public var underRecording: Double?
    /// For `connectivity`: fraction of time the organisation's systems are up.
    public var availability: Double?

    public init(concern: Concern, note: String, underRecording: Double? = nil, availability: Double? = nil) {
        self.concern = concern; self.note = note; self.underRecording = underRecording; self.availability = availability
    }
}

/// Concerns from the shared-care literature (Cresswell et al., JMIR 2023;25:e38310, and the brief).
public enum Concern: String, CaseIterable, Hashable, Sendable {
    case dataOwnershipUnclear = "data-ownership-unclear"
    case liabilityFear = "liability-fear"
    case dataOverload = "data-overload"
    case differingIncentives = "differing-incentives"
    case trainingGap = "training-gap"
    case consent
    case informationGovernance = "information-governance"
    case digitalMaturity = "digital-maturity"
    case connectivity
    case differentSpeeds = "different-speeds"
    case workforce
    case professionalBoundaries = "professional-boundaries"
    case legacySystems = "legacy-systems"
    case other
}
