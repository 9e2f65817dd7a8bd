/// A question put to a pathway: which cohort goes through it, under which information-sharing
/// architecture and capacities, how many replications, from which seed; optionally variants run on
/// common random numbers so that their differences are paired.
public struct Scenario: Hashable, Sendable {
    public var id: String
    public var title: String
    /// The question the scenario asks, in the planner's words (shown first in reports).
    public var question: String?
    /// The pathway file as written (relative to the scenario's folder).
    public var pathwayFile: String
    public var cohort: Cohort
    public var warmUp: WarmUp
    public var replications: Int
    public var seed: UInt64
    /// States one patient may enter in a replication before the run stops as a run-away patient.
    public var maximumStateEntries = Bounds.defaultMaximumStateEntries
    /// The base settings; each variant changes some of them.
    public var settings: ScenarioSettings
    public var variants: [Variant]
    /// Cohort attributes to break every metric down by (equity view), each on its own.
    public var breakdowns: [Breakdown]
    /// The levers a workshop room may move (`workshop:`); empty: the page's defaults.
    public var workshop: [WorkshopDeclaration] = []
    /// The first breakdown; setting it replaces them all (nil: none).
    public var breakdown: Breakdown? {
        get { breakdowns.first }
        set { breakdowns = newValue.map { [$0] } ?? [] }
    }

    public init(id: String, title: String, question: String? = nil, pathwayFile: String, cohort: Cohort,
                warmUp: WarmUp = .none, replications: Int = 10, seed: UInt64 = 1, settings: ScenarioSettings = ScenarioSettings(),
                variants: [Variant] = [], breakdown: Breakdown? = nil, breakdowns: [Breakdown] = []) {
        self.id = id; self.title = title; self.question = question; self.pathwayFile = pathwayFile; self.cohort = cohort
        self.warmUp = warmUp; self.replications = replications; self.seed = seed; self.settings = settings
        self.variants = variants; self.breakdowns = breakdowns.isEmpty ? (breakdown.map { [$0] } ?? []) : breakdowns
    }

    /// The variants to run: the declared ones, or the base settings alone as one variant.
    public var effectiveVariants: [Variant] {
        variants.isEmpty ? [Variant(name: "base", title: title, settings: settings)] : variants
    }
}

/// One option to compare: the base settings with some of them replaced, and levers pulled.
public struct Variant: Hashable, Sendable {
    public var name: String
    public var title: String?
    /// The settings, with the levers on scenario settings pulled.
    public var settings: ScenarioSettings
    /// The levers this variant pulls (`set:` in a scenario file), in order: those on scenario
    /// settings already pulled in `settings`; those on the pathway and cohort pulled when the
    /// variant runs (`pathway(over:)`, `Scenario.cohort(of:)`).
    public var levers: [Lever]

    public init(name: String, title: String? = nil, settings: ScenarioSettings, levers: [Lever] = []) {
        self.name = name; self.title = title; self.settings = settings; self.levers = levers
    }
}

/// Everything a variant may change.
public struct ScenarioSettings: Hashable, Sendable {
    public var architecture: Architecture
    /// Per organisation architecture, for organisations that use something else (a paper care home).
    public var organisationArchitectures: [String: ArchitectureOption]
    /// Capacity per role, replacing the pathway's.
    public var capacities: [RoleReference: Int]
    /// Capacity per window, in the order of the role's calendar, for roles whose rota gives a
    /// capacity by shift.
    public var shiftCapacities: [RoleReference: [Int]]
    /// Where time 0 sits in the calendar, and the bank holidays.
    public var calendar: ScenarioCalendar
    public var handoffs: HandoffSettings
    public var access: [AccessRule]
    public var consent: ConsentSettings
    /// Probability an item is not recorded, on top of the pathway's own under-recording annotations.
    public var underRecording: Double
    /// Concerns about a channel (`channels:`), acting on every item that reaches a reader by it:
    /// messages between systems that code care needs differently, post keyed in by hand.
    public var channels: [ArchitectureOption: [Annotation]] = [:]

    public init(architecture: Architecture = Architecture(), organisationArchitectures: [String: ArchitectureOption] = [:],
                capacities: [RoleReference: Int] = [:], shiftCapacities: [RoleReference: [Int]] = [:],
                calendar: ScenarioCalendar = ScenarioCalendar(), handoffs: HandoffSettings = HandoffSettings(), access: [AccessRule] = [],
                consent: ConsentSettings = ConsentSettings(), underRecording: Double = 0) {
        self.architecture = architecture; self.organisationArchitectures = organisationArchitectures
        self.capacities = capacities; self.shiftCapacities = shiftCapacities; self.calendar = calendar; self.handoffs = handoffs; self.access = access; self.consent = consent
        self.underRecording = underRecording
    }
}

extension ScenarioSettings {
    /// Whether an organisation takes part in an option: set per organisation in the scenario, or
    /// connected to the option's service and not on paper.
    public func uses(_ o: Organisation, _ option: ArchitectureOption) -> Bool {
        if let override = organisationArchitectures[o.id] { return override == option }
        guard let service = option.service else { return true }
        return o.connections.contains(service) && o.maturity != .paper
    }

    /// How an item gets from the organisation that recorded it to one that reads it: the option if
    /// both ends use it, otherwise the fallback if both can, otherwise paper.
    public func channel(from producer: Organisation, to consumer: Organisation) -> ArchitectureOption {
        let primary = architecture.option, fallback = architecture.fallback
        if uses(producer, primary) && uses(consumer, primary) { return primary }
        if uses(producer, fallback) && uses(consumer, fallback) { return fallback }
        return .paper
    }

    /// How an item sent on its own travels (a letter to the GP): a direct message where both ends
    /// are on the messaging service, whatever the architecture; otherwise post.
    public func directChannel(from sender: Organisation, to receiver: Organisation) -> ArchitectureOption {
        func messaging(_ o: Organisation) -> Bool {
            o.connections.contains(.messaging) && o.maturity != .paper && organisationArchitectures[o.id] != .paper
        }
        return messaging(sender) && messaging(receiver) ? .pointToPoint : .paper
    }
}

public enum ArchitectureOption: String, CaseIterable, Hashable, Sendable {
    case pointToPoint = "point-to-point"
    case sharedRecord = "shared-record"
    case federatedQuery = "federated-query"
    case paper

    /// The sharing service an organisation must be connected to for this option (paper needs none).
    public var service: SharingService? {
        switch self {
        case .pointToPoint: .messaging
        case .sharedRecord: .sharedRecord
        case .federatedQuery: .federatedQuery
        case .paper: nil
        }
    }
}

/// How an item gets from the organisation that records it to the one that needs it.
public struct Architecture: Hashable, Sendable {
    public var option: ArchitectureOption
    /// Point-to-point: delivery latency of a message, and the chance it is lost.
    public var messageLatency: Distribution
    public var messageLoss: Double
    /// Shared record: publishing in real time (with this latency) or in batches.
    public var publishLatency: Distribution
    /// Batch publishing: hours between publications and the hour of day of the first (nil: real time).
    public var batchEvery: Double?
    public var batchAt: Double
    /// Central service (shared record) or network (federated query) outages: mean time between
    /// failures and mean time to repair, in hours; nil means always up.
    public var outages: Outages?
    /// Federated query: source systems' availability unless an organisation's annotation says otherwise.
    public var sourceAvailability: Double
    /// Mean length of a source system outage, hours (federated query).
    public var sourceOutageMean: Double
    /// Paper: post/fax latency and loss; phoning for an item costs the receiving role this long.
    public var paperLatency: Distribution
    public var paperLoss: Double
    /// What an organisation not connected to this option's service falls back to.
    public var fallback: ArchitectureOption

    public init(option: ArchitectureOption = .pointToPoint,
                messageLatency: Distribution = .exponential(mean: 24), messageLoss: Double = 0.02,
                publishLatency: Distribution = .fixed(0.25), batchEvery: Double? = nil, batchAt: Double = 2,
                outages: Outages? = nil, sourceAvailability: Double = 0.98, sourceOutageMean: Double = 4,
                paperLatency: Distribution = .triangular(min: 24, mode: 72, max: 168), paperLoss: Double = 0.05,
                fallback: ArchitectureOption = .paper) {
        self.option = option; self.messageLatency = messageLatency; self.messageLoss = messageLoss
        self.publishLatency = publishLatency; self.batchEvery = batchEvery; self.batchAt = batchAt
        self.outages = outages; self.sourceAvailability = sourceAvailability; self.sourceOutageMean = sourceOutageMean
        self.paperLatency = paperLatency; self.paperLoss = paperLoss; self.fallback = fallback
    }
}

public struct Outages: Hashable, Sendable {
    public var meanTimeBetween: Double
    public var meanDuration: Double
    public init(meanTimeBetween: Double, meanDuration: Double) {
        self.meanTimeBetween = meanTimeBetween; self.meanDuration = meanDuration
    }
    public var availability: Double { meanTimeBetween / (meanTimeBetween + meanDuration) }
}

/// The referral that moves a patient between organisations: its latency, the chance it is lost,
/// and how long until a lost one is noticed and sent again.
public struct HandoffSettings: Hashable, Sendable {
    public var latency: Distribution
    public var loss: Double
    public var resendAfter: Distribution
    public init(latency: Distribution = .fixed(0), loss: Double = 0, resendAfter: Distribution = .fixed(48)) {
        self.latency = latency; self.loss = loss; self.resendAfter = resendAfter
    }
}

/// Denies roles or whole organisations access to a category of information (`blocked` gaps).
public struct AccessRule: Hashable, Sendable {
    public var category: InformationCategory
    /// `organisation` or `organisation/role`.
    public var denied: [String]
    public init(category: InformationCategory, denied: [String]) { self.category = category; self.denied = denied }

    public func denies(_ role: RoleReference) -> Bool {
        denied.contains(role.organisation) || denied.contains(role.description)
    }
}

/// Opt-out of sharing beyond direct messaging: by a patient attribute, or at a rate.
public struct ConsentSettings: Hashable, Sendable {
    public var optOutAttribute: String?
    public var optOutRate: Double
    public init(optOutAttribute: String? = nil, optOutRate: Double = 0) {
        self.optOutAttribute = optOutAttribute; self.optOutRate = optOutRate
    }
}

public struct Cohort: Hashable, Sendable {
    public enum Size: Hashable, Sendable {
        case patients(Int)
        /// Arrivals stop after this many hours; patients in the system finish.
        case horizon(Double)
    }
    public var size: Size
    public var arrivals: ArrivalProcess
    /// A way to draw each attribute the pathway declares, by name.
    public var attributes: [String: AttributeDistribution]
    /// The order attributes are drawn in (the scenario's): a conditional attribute reads only
    /// those before it. Empty: the pathway's declaration order.
    public var attributeOrder: [String] = []
    /// Twelve multipliers of the arrival rate, January to December (winter pressure); they need the
    /// scenario calendar's start date.
    public var monthlyFactors: [Double]?

    public init(size: Size, arrivals: ArrivalProcess, attributes: [String: AttributeDistribution] = [:], monthlyFactors: [Double]? = nil,
                attributeOrder: [String] = []) {
        self.size = size; self.arrivals = arrivals; self.attributes = attributes; self.monthlyFactors = monthlyFactors
        self.attributeOrder = attributeOrder
    }
}

public enum ArrivalProcess: Hashable, Sendable {
    /// Poisson arrivals, rate per hour.
    case poisson(ratePerHour: Double)
    /// A non-homogeneous Poisson process repeating weekly: 168 hourly rates from Monday 00:00.
    case weekly(ratesPerHour: [Double])

    public var meanRatePerHour: Double {
        switch self {
        case .poisson(let r): r
        case .weekly(let rates): rates.reduce(0, +) / Double(max(rates.count, 1))
        }
    }
}

public enum AttributeDistribution: Hashable, Sendable {
    case bernoulli(Double)
    case categorical(levels: [String], weights: [Double])
    /// Uniform over whole numbers lo...hi.
    case integers(Int, Int)
    case numeric(Distribution)
    /// A distribution chosen by attributes drawn before this one: the first alternative whose
    /// condition holds, else `otherwise` (`lives_alone` more likely at 85 and over).
    indirect case conditional([Alternative<AttributeDistribution>], otherwise: AttributeDistribution)
}

public enum WarmUp: Hashable, Sendable {
    case none
    case hours(Double)
    /// A share of the cohort's patients, in arrival order.
    case fraction(Double)
}

/// The cohort attribute metrics are broken down by; number attributes are cut into bands at `cuts`.
public struct Breakdown: Hashable, Sendable {
    public var attribute: String
    public var cuts: [Double]
    public init(attribute: String, cuts: [Double] = []) { self.attribute = attribute; self.cuts = cuts }
}
