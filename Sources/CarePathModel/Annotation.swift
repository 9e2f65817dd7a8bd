/// A socio-organisational concern attached to an organisation, state or transition, with the
/// workshop's note. Where the concern has a quantitative effect the annotation carries its parameter.
public struct Annotation: Hashable, Sendable {
    public var concern: Concern
    public var note: String
    /// For `liability-fear` and `training-gap`: probability an item produced is not recorded.
    public var underRecording: Double?
    /// For `connectivity`: fraction of time the organisation's systems are up.
    public var availability: Double?
    /// Effects of the other dimensions on information (docs/simulation.md, "Information effects").
    public var effects = InformationEffects()

    public init(concern: Concern, note: String, underRecording: Double? = nil, availability: Double? = nil,
                effects: InformationEffects = InformationEffects()) {
        self.concern = concern; self.note = note; self.underRecording = underRecording; self.availability = availability
        self.effects = effects
    }
}

/// What a socio-organisational dimension does to information where it is annotated (an
/// organisation or a state); nil: nothing. Research: ../shared/research/dimensions.md.
public struct InformationEffects: Hashable, Sendable {
    /// Reluctance to share, unclear data ownership, incentives: a recorded item is kept from the
    /// shared record and from messages with this probability.
    public var withholding: Double?
    /// Skills, training, data quality: a recorded item is wrong or incomplete with this probability;
    /// whoever uses it finds out, and it counts as a gap.
    public var errors: Double?
    /// System configuration, incompatible data structures: an item that comes from another
    /// organisation's system is unusable here with this probability...
    public var unusable: Double?
    /// ...or, with a re-keying time, usable after this much of the role's time.
    public var rekeying: Distribution?
    /// Mistrust after inconsistencies: once the patient has met a stale or late item, a state that
    /// repeats assessments collects a readable item again with this probability.
    public var mistrust: Double?
    /// Data overload: the role's time per readable item it does not need...
    public var readingTime: Distribution?
    /// ...and the chance, per such item, of overlooking each needed one.
    public var overlook: Double?
    /// Documentation burden: the role's time per item produced.
    public var recordingTime: Distribution?

    public init(withholding: Double? = nil, errors: Double? = nil, unusable: Double? = nil, rekeying: Distribution? = nil,
                mistrust: Double? = nil, readingTime: Distribution? = nil, overlook: Double? = nil, recordingTime: Distribution? = nil) {
        self.withholding = withholding; self.errors = errors; self.unusable = unusable; self.rekeying = rekeying
        self.mistrust = mistrust; self.readingTime = readingTime; self.overlook = overlook; self.recordingTime = recordingTime
    }

    public var isEmpty: Bool { self == InformationEffects() }
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
    case documentationBurden = "documentation-burden"
    case other
}
