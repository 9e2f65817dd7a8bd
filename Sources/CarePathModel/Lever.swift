/// A lever: one number or distribution of a pathway or scenario, named by its place, set to a new
/// value. Variants, sensitivity analysis, capacity search and the workshop page all change a model
/// through levers, so that each of them names and checks a change the same way. A lever only
/// changes numbers, never the structure: states, roles, organisations and branches stay as they
/// are, so that figures by state and role line up across variants.
public struct Lever: Hashable, Sendable, CustomStringConvertible {
    public var place: LeverPlace
    public var value: LeverValue
    /// The value as written (`lognormal(mean=3.5d, sd=3d)`, `25/d`), shown in reports.
    public var text: String

    public init(place: LeverPlace, value: LeverValue, text: String) {
        self.place = place; self.value = value; self.text = text
    }

    /// `states.inpatient-treatment.duration = lognormal(mean=3.5d, sd=3d)`.
    public var description: String { "\(place) = \(text)" }
}

/// Where a lever acts, named as the validator names places (`DocumentPath`): pathway places from
/// the pathway file's top, scenario places from the scenario file's top.
public enum LeverPlace: Hashable, Sendable, CustomStringConvertible {
    // The pathway.
    /// A role's capacity: the variant's capacity of the role, as the scenario's `capacities` sets it.
    case roleCapacity(RoleReference)
    /// One shift's capacity of a role with a rota, in the order of its calendar's windows (as the
    /// scenario's `capacities: { ROLE: [...] }` gives them): the variant's.
    case shiftCapacity(RoleReference, shift: Int)
    case queueLimit(RoleReference)
    case patience(RoleReference)
    case stateDuration(String)
    /// One of a state's durations by patient attributes (`duration[i].is`; the last is the default).
    case durationCase(String, Int)
    case chaseDelay(String)
    case chaseEffort(String)
    case repeatDuration(String)
    /// The probability of branch `branch` (0-based, as the validator counts) of a state.
    case branchProbability(state: String, branch: Int)
    /// A number of a concern annotation (`concerns[0].under-recording`).
    case concern(ConcernSite, index: Int, parameter: ConcernParameter)
    /// A time of an information effect in a concern (`rekeying`, `reading-time`, `recording-time`).
    case concernTime(ConcernSite, index: Int, parameter: ConcernTime)
    /// The share of patients for whom an item exists before the pathway (`exists[i].p`).
    case existingShare(item: String, index: Int)

    // The scenario's cohort.
    case arrivals
    case patients
    case horizon
    /// A boolean attribute's probability of being true; of one alternative (`[i].is`, the last
    /// the default) when it depends on other attributes.
    case attributeShare(String, alternative: Int? = nil)
    /// A number attribute's distribution (no units); of one alternative likewise.
    case attributeDistribution(String, alternative: Int? = nil)
    /// A categorical attribute's weight of one level (weights need not sum to 1).
    case attributeWeight(String, level: String)

    // The scenario's settings (as variants may already change them).
    case architecture(ArchitectureParameter)
    case handoff(HandoffParameter)
    case consentOptOut
    case underRecording

    /// The place as the validator prints it: `organisations.council.roles.social-worker.capacity`.
    public var path: DocumentPath {
        let root = DocumentPath.root
        switch self {
        case .roleCapacity(let r): return Self.rolePath(r).key("capacity")
        case .shiftCapacity(let r, let i): return root.key("capacities").key(r.description).index(i)
        case .queueLimit(let r): return Self.rolePath(r).key("queue").key("limit")
        case .patience(let r): return Self.rolePath(r).key("queue").key("patience")
        case .stateDuration(let s): return root.key("states").key(s).key("duration")
        case .durationCase(let s, let i): return root.key("states").key(s).key("duration").index(i).key("is")
        case .chaseDelay(let s): return root.key("states").key(s).key("on-gap").key("chase")
        case .chaseEffort(let s): return root.key("states").key(s).key("on-gap").key("effort")
        case .repeatDuration(let s): return root.key("states").key(s).key("on-gap").key("repeat")
        case .branchProbability(let s, let i): return root.key("states").key(s).key("next").index(i).key("p")
        case .concern(let site, let i, let parameter): return site.path.key("concerns").index(i).key(parameter.rawValue)
        case .concernTime(let site, let i, let parameter): return site.path.key("concerns").index(i).key(parameter.rawValue)
        case .arrivals: return root.key("cohort").key("arrivals")
        case .patients: return root.key("cohort").key("patients")
        case .horizon: return root.key("cohort").key("horizon")
        case .attributeShare(let a, let i), .attributeDistribution(let a, let i):
            let attribute = root.key("cohort").key("attributes").key(a)
            return i.map { attribute.index($0).key("is") } ?? attribute
        case .attributeWeight(let a, let level): return root.key("cohort").key("attributes").key(a).key(level)
        case .existingShare(let item, let i): return root.key("information").key(item).key("exists").index(i).key("p")
        case .architecture(let p): return p.rawValue.split(separator: ".").reduce(root.key("architecture")) { $0.key(String($1)) }
        case .handoff(let p): return root.key("handoffs").key(p.rawValue)
        case .consentOptOut: return root.key("consent").key("opt-out")
        case .underRecording: return root.key("under-recording")
        }
    }

    static func rolePath(_ r: RoleReference) -> DocumentPath {
        DocumentPath.root.key("organisations").key(r.organisation).key("roles").key(r.role)
    }

    public var description: String { path.description }

    /// Whether the place is in the pathway file (the others are in the scenario file).
    public var isInPathway: Bool {
        switch self {
        case .concern(.channel, _, _), .concernTime(.channel, _, _): return false
        case .roleCapacity, .shiftCapacity, .queueLimit, .patience, .stateDuration, .durationCase, .chaseDelay, .chaseEffort, .repeatDuration,
             .branchProbability, .concern, .concernTime, .existingShare: return true
        default: return false
        }
    }

    /// What a lever on the place changes.
    public enum Target: Hashable, Sendable {
        /// The variant's pathway (its numbers only).
        case pathway
        /// The variant's cohort.
        case cohort
        /// The variant's settings (a role's capacity is one: the scenario's `capacities`).
        case settings
    }

    public var target: Target {
        switch self {
        // A channel's concerns are the scenario's.
        case .concern(.channel, _, _), .concernTime(.channel, _, _): return .settings
        case .queueLimit, .patience, .stateDuration, .durationCase, .chaseDelay, .chaseEffort, .repeatDuration, .branchProbability, .concern,
             .concernTime, .existingShare: return .pathway
        case .arrivals, .patients, .horizon, .attributeShare, .attributeDistribution, .attributeWeight: return .cohort
        case .roleCapacity, .shiftCapacity, .architecture, .handoff, .consentOptOut, .underRecording: return .settings
        }
    }

    /// The value the place takes.
    public var kind: LeverKind {
        switch self {
        case .roleCapacity, .patients: return .wholeNumber(minimum: 1)
        case .queueLimit, .shiftCapacity: return .wholeNumber(minimum: 0)
        case .attributeWeight: return .weight
        case .patience, .stateDuration, .durationCase, .chaseDelay, .chaseEffort, .repeatDuration, .concernTime: return .distribution(durations: true)
        case .branchProbability, .concern, .attributeShare, .consentOptOut, .underRecording, .existingShare: return .probability
        case .arrivals: return .rate
        case .horizon: return .duration
        case .attributeDistribution: return .distribution(durations: false)
        case .architecture(let p): return p.kind
        case .handoff(let p): return p.kind
        }
    }
}

/// What a concern annotation is attached to.
public enum ConcernSite: Hashable, Sendable {
    case organisation(String)
    case role(RoleReference)
    case state(String)
    case branch(state: String, branch: Int)
    /// An information item, wherever it is recorded or read.
    case item(String)
    /// A channel of the scenario (`channels.point-to-point`): the items that reach readers by it.
    case channel(ArchitectureOption)

    public var path: DocumentPath {
        switch self {
        case .organisation(let o): return DocumentPath.root.key("organisations").key(o)
        case .role(let r): return LeverPlace.rolePath(r)
        case .state(let s): return DocumentPath.root.key("states").key(s)
        case .branch(let s, let i): return DocumentPath.root.key("states").key(s).key("next").index(i)
        case .item(let i): return DocumentPath.root.key("information").key(i)
        case .channel(let c): return DocumentPath.root.key("channels").key(c.rawValue)
        }
    }
}

/// The numbers a concern annotation may carry. A new quantitative effect is one more case here
/// and one more line in `Annotation`'s key path table below.
public enum ConcernParameter: String, CaseIterable, Hashable, Sendable {
    case underRecording = "under-recording"
    case availability
    // The information effects' chances (docs/simulation.md, "Information effects").
    case withholding, errors, unusable, mistrust, overlook

    var keyPath: WritableKeyPath<Annotation, Double?> {
        switch self {
        case .underRecording: \.underRecording
        case .availability: \.availability
        case .withholding: \.effects.withholding
        case .errors: \.effects.errors
        case .unusable: \.effects.unusable
        case .mistrust: \.effects.mistrust
        case .overlook: \.effects.overlook
        }
    }
}

/// The times of the information effects a concern may carry.
public enum ConcernTime: String, CaseIterable, Hashable, Sendable {
    case rekeying
    case readingTime = "reading-time"
    case recordingTime = "recording-time"

    public var keyPath: WritableKeyPath<Annotation, Distribution?> {
        switch self {
        case .rekeying: \.effects.rekeying
        case .readingTime: \.effects.readingTime
        case .recordingTime: \.effects.recordingTime
        }
    }
}

/// The parameters of an architecture, as the scenario file names them (`batch.every` is
/// `batch: { every: ... }`).
public enum ArchitectureParameter: String, CaseIterable, Hashable, Sendable {
    case option
    case messageLatency = "message-latency"
    case messageLoss = "message-loss"
    case publishLatency = "publish-latency"
    case batchEvery = "batch.every"
    case batchAt = "batch.at"
    case outagesEvery = "outages.every"
    case outagesLasting = "outages.lasting"
    case sourceAvailability = "source-availability"
    case sourceOutage = "source-outage"
    case paperLatency = "paper-latency"
    case paperLoss = "paper-loss"
    case fallback

    public var kind: LeverKind {
        switch self {
        case .option, .fallback: return .option
        case .messageLatency, .publishLatency, .paperLatency: return .distribution(durations: true)
        case .messageLoss, .paperLoss: return .probability
        case .batchEvery, .outagesEvery, .outagesLasting, .sourceOutage: return .duration
        case .batchAt: return .timeOfDay
        case .sourceAvailability: return .availability
        }
    }
}

public enum HandoffParameter: String, CaseIterable, Hashable, Sendable {
    case latency
    case loss
    case resendAfter = "resend-after"

    public var kind: LeverKind {
        switch self {
        case .latency, .resendAfter: return .distribution(durations: true)
        case .loss: return .probabilityBelowOne
        }
    }
}

/// The type of value a place takes, with its range.
public enum LeverKind: Hashable, Sendable, CustomStringConvertible {
    case wholeNumber(minimum: Int)
    /// From 0 to 1.
    case probability
    /// From 0 to below 1 (a handoff lost every time would never arrive).
    case probabilityBelowOne
    /// Above 0 and at most 1 (a share of time a system is up).
    case availability
    /// With time units (durations), or without (a number attribute).
    case distribution(durations: Bool)
    /// A time above 0, in hours.
    case duration
    /// Hours after midnight, 0 to below 24.
    case timeOfDay
    /// Patients per hour, above 0.
    case rate
    /// A relative weight, 0 or more.
    case weight
    case option

    /// What the place expects, for messages: "a whole number >= 1".
    public var description: String {
        switch self {
        case .wholeNumber(let minimum): return "a whole number >= \(minimum)"
        case .probability: return "a probability between 0 and 1"
        case .probabilityBelowOne: return "a probability from 0 to below 1"
        case .availability: return "a share of time above 0 and at most 1"
        case .distribution(true): return "a distribution with time units, such as lognormal(mean=4d, sd=3d), or a fixed time such as 4h"
        case .distribution(false): return "a distribution without units, such as normal(mean=82, sd=7)"
        case .duration: return "a time above 0 with a unit, such as 4h or 2d"
        case .timeOfDay: return "a time of day such as 02:00"
        case .rate: return "a rate of patients such as 20/d, 1.5/h or 100/w"
        case .weight: return "a weight of 0 or more"
        case .option: return "an architecture option (" + ArchitectureOption.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        }
    }

    /// What is wrong with `value` for this kind, in words; nil when it fits.
    public func problem(with value: LeverValue) -> String? {
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        switch (self, value) {
        case (.wholeNumber(let minimum), .wholeNumber(let n)):
            guard n >= minimum else { return "expected \(self), found \(n)" }
            return Bounds.wholeNumberProblem(n, in: minimum...Bounds.maximumWholeNumber, what: "a whole number")
        case (.probability, .number(let p)):
            return p.isFinite && p >= 0 && p <= 1 ? nil : "expected \(self), found \(number(p))"
        case (.weight, .number(let w)):
            return w.isFinite && w >= 0 && w <= 1e12 ? nil : "expected \(self) (at most 1e12), found \(number(w))"
        case (.probabilityBelowOne, .number(let p)):
            return p.isFinite && p >= 0 && p < 1 ? nil : "expected \(self) (a referral lost every time never arrives), found \(number(p))"
        case (.availability, .number(let p)):
            return p.isFinite && p > 0 && p <= 1 ? nil : "expected \(self), found \(number(p))"
        case (.distribution(let durations), .distribution(let d)):
            let problems = d.problems(durations: durations)
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        case (.duration, .hours(let h)):
            guard h.isFinite && h > 0 else { return "expected \(self), found \(DurationText.format(hours: h))" }
            return Bounds.timeProblem(h, what: "a duration")
        case (.timeOfDay, .hours(let h)):
            return h.isFinite && h >= 0 && h < 24 ? nil : "expected \(self) from 00:00 to 23:59, found \(number(h)) hours"
        case (.rate, .ratePerHour(let r)):
            guard r.isFinite && r > 0 else { return "expected \(self) above 0, found \(number(r)) an hour" }
            return Bounds.rateProblem(r)
        case (.option, .option):
            return nil
        default:
            return "expected \(self), found \(value.kindName)"
        }
    }
}

/// A lever's value, typed.
public enum LeverValue: Hashable, Sendable {
    case wholeNumber(Int)
    /// A probability or share.
    case number(Double)
    case distribution(Distribution)
    /// A duration, or a time of day, in hours.
    case hours(Double)
    case ratePerHour(Double)
    case option(ArchitectureOption)

    var kindName: String {
        switch self {
        case .wholeNumber: "a whole number"
        case .number: "a number"
        case .distribution: "a distribution"
        case .hours: "a time"
        case .ratePerHour: "a rate"
        case .option: "an architecture option"
        }
    }
}

/// Something wrong with a lever: its place, its value, or the model once it is pulled. `lever`
/// is the position in the list applied (nil for one parsed alone); the file format layer turns
/// it into the line and column of the lever's key (place and model) or value.
public struct LeverProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Part: String, Hashable, Sendable {
        /// The place does not exist, or cannot be set in this pathway or scenario.
        case place
        /// The value is not what the place takes.
        case value
        /// The model, once the lever is pulled, breaks one of its own checks.
        case model
    }
    public var part: Part
    public var lever: Int?
    public var message: String

    public init(_ part: Part, lever: Int? = nil, _ message: String) {
        self.part = part; self.lever = lever; self.message = message
    }

    public var description: String { message }
}

/// The problems of a list of levers, thrown or returned together.
public struct LeverProblems: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [LeverProblem]
    public init(_ problems: [LeverProblem]) { self.problems = problems }
    public var description: String { problems.map(\.message).joined(separator: "\n") }
}
