/// The experiments a scenario declares (`experiments:`): a sensitivity analysis, a capacity
/// search. Each is run by its own command on the scenario's pathway through levers.
public struct Experiments: Hashable, Sendable {
    public var sensitivity: SensitivitySettings?
    /// `experiments.optimise`: the capacity search `carepath optimise` runs.
    public var optimise: CapacitySearchSpec?
    public init(sensitivity: SensitivitySettings? = nil) { self.sensitivity = sensitivity }
}

/// Where something was written in a file, so that a check made after reading (an outcome's
/// metric, a parameter's baseline) can still name the line.
public struct WrittenAt: Hashable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var path: DocumentPath
    public init(file: String, line: Int, column: Int, path: DocumentPath) {
        self.file = file; self.line = line; self.column = column; self.path = path
    }
}

/// A text as written (an outcome reference), with where.
public struct WrittenText: Hashable, Sendable {
    public var text: String
    public var at: WrittenAt
    public init(_ text: String, at: WrittenAt) { self.text = text; self.at = at }
}

/// How a sensitivity analysis varies the model.
public enum SensitivityMethod: String, CaseIterable, Hashable, Sendable {
    /// One at a time: each parameter at its low and its high, the others at the baseline.
    case oat
    /// Morris elementary effects along random trajectories.
    case morris
    /// Variance-based first-order and total indices (Saltelli / Jansen).
    case sobol
}

/// `experiments.sensitivity`: the parameters (lever places with their ranges), the outcomes, and
/// the method's settings.
public struct SensitivitySettings: Hashable, Sendable {
    /// The variant whose model is the baseline (nil: the first variant, or the base settings).
    public var variant: String?
    public var parameters: [SensitivityParameter]
    /// Outcome references as written (`wait_p90_h at council/social-worker`), checked against
    /// the metric names by the experiments module.
    public var outcomes: [WrittenText]
    public var method: SensitivityMethod
    /// Morris: trajectories (r) and grid levels (p, even).
    public var trajectories: Int
    public var levels: Int
    /// Sobol: base samples (N); the design has N x (k + 2) points.
    public var samples: Int
    /// The design's own random seed (trajectories, samples), apart from the scenario's.
    public var seed: UInt64
    /// Replications per design point (nil: the scenario's).
    public var replications: Int?
    public var at: WrittenAt

    public static let defaultTrajectories = 10
    public static let defaultLevels = 4
    public static let defaultSamples = 64
    public static let defaultShare = 0.2

    public init(variant: String? = nil, parameters: [SensitivityParameter] = [], outcomes: [WrittenText] = [], method: SensitivityMethod = .oat,
                trajectories: Int = defaultTrajectories, levels: Int = defaultLevels, samples: Int = defaultSamples, seed: UInt64 = 1,
                replications: Int? = nil, at: WrittenAt) {
        self.variant = variant; self.parameters = parameters; self.outcomes = outcomes; self.method = method
        self.trajectories = trajectories; self.levels = levels; self.samples = samples; self.seed = seed
        self.replications = replications; self.at = at
    }
}

/// One uncertain number: a lever place and the values it may take, in the place's own scalar
/// (hours for a time or a duration's mean, patients an hour for arrivals, the number otherwise).
public struct SensitivityParameter: Hashable, Sendable {
    public var place: LeverPlace
    public var range: ParameterRange
    public var at: WrittenAt
    public init(place: LeverPlace, range: ParameterRange, at: WrittenAt) {
        self.place = place; self.range = range; self.at = at
    }
}

/// The values a parameter may take.
public enum ParameterRange: Hashable, Sendable {
    /// The baseline value plus or minus this share (0.2: +-20%).
    case aroundBaseline(share: Double)
    /// From low to high, evenly.
    case interval(low: Double, high: Double)
    /// A distribution over the values (uniform, triangular, or normal truncated).
    case distribution(Distribution)
}
