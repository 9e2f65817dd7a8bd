import Foundation

/// What the server asks of the workshop's model: its levers, checking a value, running settings
/// against the baseline, and the room's board. The server turns these into HTTP and the page; it
/// never simulates or stores anything itself (CarePathWorkshop does, through `WorkshopEngine`).
public protocol WorkshopService: Sendable {
    /// Everything the page needs before the first run: titles, levers, states and roles.
    var setup: WireSetup { get }
    /// Why `value` is not allowed for lever `id`, in words; nil when it is.
    func check(lever id: String, value: String) -> String?
    /// Runs `settings` (lever id -> value as text) against the baseline, one update per replication
    /// finished. Ending the iteration (or cancelling its task) cancels the run. Throws
    /// `WorkshopServiceError` when the settings are refused, before anything runs.
    func run(settings: [String: String], client: String) throws -> AsyncThrowingStream<WireUpdate, any Error>
    /// The saved options and the notes.
    func board() throws -> WireBoard
    func saveOption(name: String, settings: [String: String]) throws -> WireBoard
    func addNote(subject: WireSubject, text: String) throws -> WireBoard
    /// The saved options named, side by side with their paired differences against the baseline.
    func compare(options names: [String]) async throws -> WireComparison
    /// Writes the options as variants and the notes as concerns into a new scenario file.
    /// Throws `WorkshopServiceError.exists` when the file is there and `overwrite` is false.
    func writeScenario(named file: String, overwrite: Bool) throws -> String
}

/// A refusal the page shows at the control or field it names.
public enum WorkshopServiceError: Error, Sendable, CustomStringConvertible {
    /// A lever's value is refused: the lever and why.
    case lever(id: String, message: String)
    /// The scenario file exists: asking again with `overwrite` replaces it.
    case exists(file: String)
    /// Anything else the room can correct (an unknown option, an empty name).
    case invalid(String)

    public var description: String {
        switch self {
        case .lever(let id, let message): return "\(id): \(message)"
        case .exists(let file): return "\(file) exists: confirm to overwrite it"
        case .invalid(let message): return message
        }
    }
}

// MARK: What goes over the wire (JSON through JSONEncoder; the page shows it with textContent)

public struct WireSetup: Codable, Sendable, Hashable {
    public var scenario: String
    public var title: String
    public var question: String?
    public var replications: Int
    public var levers: [WireLever]
    public var organisations: [WireOrganisation]
    public var states: [WireState]
    public init(scenario: String, title: String, question: String?, replications: Int, levers: [WireLever],
                organisations: [WireOrganisation], states: [WireState]) {
        self.scenario = scenario; self.title = title; self.question = question; self.replications = replications
        self.levers = levers; self.organisations = organisations; self.states = states
    }
}

public struct WireLever: Codable, Sendable, Hashable {
    /// The lever's place as the validator names it: the id the page sends back.
    public var id: String
    public var label: String
    /// `integer`, `number`, `choice`, `toggle` or `text` (a distribution or duration as a file writes it).
    public var kind: String
    /// The unit a number is in (`/d`: patients a day), shown beside the control.
    public var unit: String?
    public var minimum: Double?
    public var maximum: Double?
    public var step: Double?
    public var options: [String]?
    public var baseline: String
    public var subject: WireSubject?
    public init(id: String, label: String, kind: String, minimum: Double? = nil, maximum: Double? = nil, step: Double? = nil,
                options: [String]? = nil, unit: String? = nil, baseline: String, subject: WireSubject? = nil) {
        self.unit = unit; self.id = id; self.label = label; self.kind = kind; self.minimum = minimum; self.maximum = maximum
        self.step = step; self.options = options; self.baseline = baseline; self.subject = subject
    }
}

/// What a lever or note is about: an organisation, optionally one of its roles, or a state.
public struct WireSubject: Codable, Sendable, Hashable {
    public var organisation: String?
    public var role: String?
    public var state: String?
    public init(organisation: String? = nil, role: String? = nil, state: String? = nil) {
        self.organisation = organisation; self.role = role; self.state = state
    }
}

public struct WireOrganisation: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public init(id: String, name: String) { self.id = id; self.name = name }
}

public struct WireState: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var organisation: String?
    public var role: String?
    /// Why the state has no blocked-beds figure, when it can have none (it holds no unit while
    /// its patients wait to move on); nil when it can.
    public var noBlocked: String?
    /// Why the state has no data-gap figure, when it can have none (it needs no information).
    public var noGapRate: String?
    public init(id: String, title: String, organisation: String?, role: String?, noBlocked: String? = nil, noGapRate: String? = nil) {
        self.id = id; self.title = title; self.organisation = organisation; self.role = role
        self.noBlocked = noBlocked; self.noGapRate = noGapRate
    }
}

/// A mean with its 95% confidence interval (Student t across replications); no interval from one.
public struct WireEstimate: Codable, Sendable, Hashable {
    public var mean: Double
    public var low: Double?
    public var high: Double?
    public init(mean: Double, low: Double?, high: Double?) { self.mean = mean; self.low = low; self.high = high }
}

public struct WireHeadline: Codable, Sendable, Hashable {
    public var id: String
    public var label: String
    public var unit: String
    public var baseline: WireEstimate
    public var option: WireEstimate
    /// Option minus baseline, paired by replication (common random numbers).
    public var difference: WireEstimate
    /// The interval of the difference spans zero (or there is none yet).
    public var noClearDifference: Bool
    /// The figure as a plain sentence, with its interval.
    public var sentence: String
    public init(id: String, label: String, unit: String, baseline: WireEstimate, option: WireEstimate, difference: WireEstimate,
                noClearDifference: Bool, sentence: String) {
        self.id = id; self.label = label; self.unit = unit; self.baseline = baseline; self.option = option
        self.difference = difference; self.noClearDifference = noClearDifference; self.sentence = sentence
    }
}

/// A state's figures for colouring the diagram, in the baseline and under the option (means over
/// the replications done).
public struct WireStateFigures: Codable, Sendable, Hashable {
    public struct Figures: Codable, Sendable, Hashable {
        /// Utilisation of the state's role, 0...1.
        public var load: Double?
        /// Bed-days a month (unit-hours / 24, per 30 days) of the state's role held by patients
        /// ready to move on; only for a state that holds its unit (`holds:`).
        public var blocked: Double?
        /// Share of starts of the state with at least one data gap, 0...1.
        public var gapRate: Double?
        public init(load: Double?, blocked: Double?, gapRate: Double?) { self.load = load; self.blocked = blocked; self.gapRate = gapRate }
    }
    public var state: String
    public var baseline: Figures
    public var option: Figures
    public init(state: String, baseline: Figures, option: Figures) { self.state = state; self.baseline = baseline; self.option = option }
}

public struct WireUpdate: Codable, Sendable, Hashable {
    public var replicationsDone: Int
    public var replications: Int
    public var final: Bool
    public var headlines: [WireHeadline]
    public var states: [WireStateFigures]
    /// The results store's run, when the run is stored (`carepath report RUN`).
    public var storedRun: Int64?
    /// Why the finished run could not be stored, if it could not.
    public var problem: String?
    public init(replicationsDone: Int, replications: Int, final: Bool, headlines: [WireHeadline], states: [WireStateFigures],
                storedRun: Int64? = nil, problem: String? = nil) {
        self.problem = problem; self.replicationsDone = replicationsDone; self.replications = replications; self.final = final
        self.headlines = headlines; self.states = states; self.storedRun = storedRun
    }
}

public struct WireOption: Codable, Sendable, Hashable {
    public var name: String
    public var settings: [String: String]
    public init(name: String, settings: [String: String]) { self.name = name; self.settings = settings }
}

public struct WireNote: Codable, Sendable, Hashable {
    public var subject: WireSubject
    public var text: String
    public init(subject: WireSubject, text: String) { self.subject = subject; self.text = text }
}

public struct WireBoard: Codable, Sendable, Hashable {
    public var options: [WireOption]
    public var notes: [WireNote]
    public init(options: [WireOption], notes: [WireNote]) { self.options = options; self.notes = notes }
}

/// Saved options side by side: one row per headline figure, one cell per option.
public struct WireComparison: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public var label: String
        public var cells: [WireHeadline]
        public init(label: String, cells: [WireHeadline]) { self.label = label; self.cells = cells }
    }
    public var options: [String]
    public var rows: [Row]
    /// The comparison's run in the results store.
    public var storedRun: Int64?
    public init(options: [String], rows: [Row], storedRun: Int64? = nil) { self.options = options; self.rows = rows; self.storedRun = storedRun }
}
