import CarePathModel

/// Levers as text: a place (`states.triage.next[1].p`, `roles.council/social-worker.capacity`)
/// and a value (`0.3`, `lognormal(mean=2d, sd=1d)`, `25/d`). The one parser for scenario files'
/// `set:`, the workshop page's controls and experiments; it needs no YAML.
extension Lever {
    /// Reads a lever and checks it against `pathway` and `scenario` by pulling it on them: a place
    /// that does not exist, a value of the wrong type, or a model that breaks its own checks once
    /// the lever is pulled (branch probabilities summing to more than 1) is a problem.
    public static func parse(place: String, value: String, pathway: Pathway, scenario: Scenario) -> Result<Lever, LeverProblem> {
        let lever: Lever
        switch read(place: place, value: value, pathway: pathway) {
        case .failure(let problem): return .failure(problem)
        case .success(let read): lever = read
        }
        switch apply([lever], to: pathway, scenario) {
        case .success: return .success(lever)
        case .failure(let problems):
            var first = problems.problems.first ?? LeverProblem(.place, "\(lever.place): cannot be set")
            first.lever = nil
            return .failure(first)
        }
    }

    /// Reads a lever's place and value, checking the place's names against `pathway` and the value
    /// against what the place takes, without pulling it.
    public static func read(place: String, value: String, pathway: Pathway) -> Result<Lever, LeverProblem> {
        let at: LeverPlace
        switch LeverPlace.parse(place, pathway: pathway) {
        case .failure(let problem): return .failure(problem)
        case .success(let p): at = p
        }
        switch LeverValue.parse(value, as: at.kind) {
        case .failure(let problem): return .failure(problem)
        case .success(let v): return .success(Lever(place: at, value: v, text: value.trimming(" \t")))
        }
    }
}

extension LeverPlace {
    /// The first steps of every place.
    public static let topSteps = ["organisations", "roles", "states", "information", "cohort", "architecture", "handoffs", "capacities",
                                  "channels", "consent", "under-recording"]
    /// Those that name places in the pathway (`capacities` is the scenario's name for role capacities).
    static let pathwaySteps: Set<String> = ["organisations", "roles", "states", "information", "capacities"]

    /// Reads a place as the validator prints it, or in a short form: `roles.ORG/ROLE.…` and
    /// `capacities.ORG/ROLE` for `organisations.ORG.roles.ROLE.…`. A wrong step is named with the
    /// closest valid one, or the valid ones listed.
    public static func parse(_ text: String, pathway: Pathway) -> Result<LeverPlace, LeverProblem> {
        do throws(LeverProblem) {
            var reader = try PlaceReader(text, pathway: pathway)
            return .success(try reader.read())
        } catch {
            return .failure(error)
        }
    }

    /// Whether `text` names a place in the pathway (or a cohort attribute, which the pathway
    /// declares), from its first steps.
    static func needsPathway(_ text: String) -> Bool {
        let first = text.trimming(" \t").split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        return pathwaySteps.contains(first) || text.trimming(" \t").hasPrefix("cohort.attributes")
    }
}

/// Walks a place step by step through the pathway and scenario's names.
struct PlaceReader {
    struct Step {
        var name: String
        var index: Int?
        var written: String
    }

    let text: String
    let pathway: Pathway
    let steps: [Step]
    /// Steps read so far.
    var position = 0

    init(_ text: String, pathway: Pathway) throws(LeverProblem) {
        let trimmed = text.trimming(" \t")
        self.text = trimmed
        self.pathway = pathway
        guard !trimmed.isEmpty else {
            throw LeverProblem(.place, "expected a place such as states.assessment.duration, found an empty name")
        }
        var steps: [Step] = []
        for part in trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            let before = steps.map(\.written).joined(separator: ".")
            let at = before.isEmpty ? part : before + "." + part
            guard !part.isEmpty else { throw LeverProblem(.place, "\(at): an empty step (two dots, or a dot at an end)") }
            guard let open = part.firstIndex(of: "[") else {
                steps.append(Step(name: part, index: nil, written: part))
                continue
            }
            let name = String(part[..<open])
            let inner = part[part.index(after: open)...]
            guard inner.hasSuffix("]"), let i = Int(inner.dropLast()), i >= 0, !name.isEmpty else {
                throw LeverProblem(.place, "\(at): expected a step with a position from 0, such as next[1] or concerns[0]")
            }
            steps.append(Step(name: name, index: i, written: part))
        }
        self.steps = steps
    }

    /// The place as written up to and including step `i`.
    func written(through i: Int) -> String {
        steps.prefix(i + 1).map(\.written).joined(separator: ".")
    }

    /// The next step, which must be one of `children` (names, with whether each takes a position
    /// `[N]`); `what` names the thing read so far and `levers` lists the places under it.
    mutating func next(_ children: [(name: String, indexed: Bool)], of what: String, levers: [String]) throws(LeverProblem) -> Step {
        guard position < steps.count else {
            let at = written(through: position - 1)
            throw LeverProblem(.place, "\(at): \(what) is not a value; name one of its levers: \(levers.joined(separator: ", "))")
        }
        let step = steps[position]
        let at = written(through: position)
        guard let child = children.first(where: { $0.name == step.name }) else {
            var message = "\(at): no lever '\(step.name)' on \(what)"
            if let close = closest(step.name, in: children.map(\.name)) { message += "; did you mean '\(close)'?" }
            throw LeverProblem(.place, message + " (its levers: \(levers.joined(separator: ", ")))")
        }
        if child.indexed && step.index == nil {
            throw LeverProblem(.place, "\(at): '\(step.name)' is a list: give a position from 0, such as \(step.name)[0]")
        }
        if !child.indexed, let i = step.index {
            throw LeverProblem(.place, "\(at): '\(step.name)' is not a list; write \(step.name) without [\(i)]")
        }
        position += 1
        return step
    }

    /// The next step as a name, which must be one of `names` (states, organisations...).
    mutating func name(among names: [String], what: String, listing: String, allowingIndex: Bool = false) throws(LeverProblem) -> String {
        guard position < steps.count else {
            let at = written(through: position - 1)
            throw LeverProblem(.place, "\(at): expected \(what) next (\(listing): \(shortList(names)))")
        }
        let step = steps[position]
        let at = written(through: position)
        guard step.index == nil || allowingIndex else { throw LeverProblem(.place, "\(at): \(what) takes no position [\(step.index ?? 0)]") }
        guard names.contains(step.name) else { throw unknown(what, step.name, among: names, listing: listing, at: at) }
        position += 1
        return step.name
    }

    func unknown(_ what: String, _ name: String, among names: [String], listing: String, at: String) -> LeverProblem {
        var message = "\(at): no \(what) '\(name.prefix(60))'"
        if let close = closest(name, in: names) { return LeverProblem(.place, message + "; did you mean '\(close)'?") }
        message += names.isEmpty ? " (\(listing): none)" : " (\(listing): \(shortList(names)))"
        return LeverProblem(.place, message)
    }

    func shortList(_ names: [String]) -> String {
        names.count <= 15 ? names.joined(separator: ", ") : names.prefix(15).joined(separator: ", ") + ", … (\(names.count) in all)"
    }

    /// The place ends here: anything after is an error.
    func end(_ place: LeverPlace) throws(LeverProblem) -> LeverPlace {
        guard position < steps.count else { return place }
        let at = written(through: position)
        throw LeverProblem(.place, "\(at): nothing is under \(written(through: position - 1)), which takes \(place.kind)")
    }

    // MARK: The tree of places

    mutating func read() throws(LeverProblem) -> LeverPlace {
        let first = steps[0]
        guard LeverPlace.topSteps.contains(first.name) else {
            var message = "\(first.written): no place '\(first.name.prefix(60))'"
            if let close = closest(first.name, in: LeverPlace.topSteps) {
                message += "; did you mean '\(close)'?"
            } else if let close = closest(text, in: LeverPlace.all(in: pathway).map(\.description)) {
                message += "; did you mean '\(close)'?"
            }
            throw LeverProblem(.place, message + " (a place starts with one of: \(LeverPlace.topSteps.joined(separator: ", ")))")
        }
        guard first.index == nil else { throw LeverProblem(.place, "\(first.written): '\(first.name)' takes no position") }
        position = 1
        switch first.name {
        case "organisations":
            let org = try name(among: pathway.organisations.map(\.id), what: "organisation", listing: "the pathway's organisations")
            let step = try next([("roles", false), ("concerns", true)], of: "organisation '\(org)'", levers: ["roles.ROLE.…", "concerns[N].…"])
            if step.name == "concerns" { return try concern(.organisation(org), step.index ?? 0) }
            let roles = pathway.organisation(org)?.roles.map(\.id) ?? []
            let role = try name(among: roles, what: "role of '\(org)'", listing: "its roles")
            return try roleLevers(RoleReference(organisation: org, role: role))
        case "roles":
            let role = try roleReference()
            return try roleLevers(role)
        case "capacities":
            // `capacities.ROLE[i]`: one shift of a rota, as the scenario's capacities list gives them.
            let shift = position < steps.count ? steps[position].index : nil
            let role = try roleReference(allowingIndex: true)
            return try end(shift.map { .shiftCapacity(role, shift: $0) } ?? .roleCapacity(role))
        case "states":
            let state = try name(among: pathway.states.map(\.id), what: "state", listing: "the pathway's states")
            return try stateLevers(state)
        case "information":
            let item = try name(among: pathway.information.map(\.id), what: "information item", listing: "the pathway's items")
            let step = try next([("concerns", true), ("exists", true)], of: "item '\(item)'", levers: ["exists[N].p", "concerns[N].…"])
            if step.name == "exists" {
                _ = try next([("p", false)], of: "where item '\(item)' exists", levers: ["p"])
                return try end(.existingShare(item: item, index: step.index ?? 0))
            }
            return try concern(.item(item), step.index ?? 0)
        case "channels":
            let option = try name(among: ArchitectureOption.allCases.map(\.rawValue), what: "channel", listing: "the architecture options")
            let step = try next([("concerns", true)], of: "channel '\(option)'", levers: ["concerns[N].…"])
            return try concern(.channel(ArchitectureOption(rawValue: option) ?? .paper), step.index ?? 0)
        case "cohort":
            return try cohortLevers()
        case "architecture":
            let step = try next(Self.architectureSteps, of: "the architecture", levers: ArchitectureParameter.allCases.map(\.rawValue))
            switch step.name {
            case "batch":
                let s = try next([("every", false), ("at", false)], of: "batch publishing", levers: ["every", "at"])
                return try end(.architecture(s.name == "every" ? .batchEvery : .batchAt))
            case "outages":
                let s = try next([("every", false), ("lasting", false)], of: "outages", levers: ["every", "lasting"])
                return try end(.architecture(s.name == "every" ? .outagesEvery : .outagesLasting))
            default:
                return try end(.architecture(ArchitectureParameter(rawValue: step.name) ?? .option))
            }
        case "handoffs":
            let names = HandoffParameter.allCases.map(\.rawValue)
            let step = try next(names.map { ($0, false) }, of: "handoffs", levers: names)
            return try end(.handoff(HandoffParameter(rawValue: step.name) ?? .latency))
        case "consent":
            _ = try next([("opt-out", false)], of: "consent", levers: ["opt-out"])
            return try end(.consentOptOut)
        default: // under-recording
            return try end(.underRecording)
        }
    }

    static let architectureSteps: [(name: String, indexed: Bool)] = {
        var names: [String] = []
        for p in ArchitectureParameter.allCases {
            let first = String(p.rawValue.split(separator: ".")[0])
            if !names.contains(first) { names.append(first) }
        }
        return names.map { ($0, false) }
    }()

    static let roleLeverNames = ["capacity", "queue.limit", "queue.patience", "concerns[N].…"]

    /// `ORG/ROLE` as one step.
    mutating func roleReference(allowingIndex: Bool = false) throws(LeverProblem) -> RoleReference {
        guard position < steps.count else {
            throw LeverProblem(.place, "\(written(through: position - 1)): expected a role as ORGANISATION/ROLE next, such as council/social-worker")
        }
        let step = steps[position]
        let at = written(through: position)
        let parts = step.name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, step.index == nil || allowingIndex else {
            throw LeverProblem(.place, "\(at): expected a role as ORGANISATION/ROLE, such as council/social-worker")
        }
        guard let org = pathway.organisation(parts[0]) else {
            throw unknown("organisation", parts[0], among: pathway.organisations.map(\.id), listing: "the pathway's organisations", at: at)
        }
        guard org.role(parts[1]) != nil else {
            throw unknown("role of '\(org.id)' named", parts[1], among: org.roles.map(\.id), listing: "its roles", at: at)
        }
        position += 1
        return RoleReference(organisation: org.id, role: parts[1])
    }

    mutating func roleLevers(_ ref: RoleReference) throws(LeverProblem) -> LeverPlace {
        let step = try next([("capacity", false), ("queue", false), ("concerns", true)], of: "role \(ref)", levers: Self.roleLeverNames)
        switch step.name {
        case "capacity": return try end(.roleCapacity(ref))
        case "queue":
            let s = try next([("limit", false), ("patience", false)], of: "the queue of \(ref)", levers: ["limit", "patience"])
            return try end(s.name == "limit" ? .queueLimit(ref) : .patience(ref))
        default: return try concern(.role(ref), step.index ?? 0)
        }
    }

    static let stateLeverNames = ["duration", "on-gap.chase", "on-gap.effort", "on-gap.repeat", "next[N].p", "next[N].concerns[N].…", "concerns[N].…"]

    mutating func stateLevers(_ state: String) throws(LeverProblem) -> LeverPlace {
        // A duration by patient attributes is a list: `duration[i].is`.
        if position < steps.count, steps[position].name == "duration", let i = steps[position].index,
           !(pathway.state(state)?.durationCases.isEmpty ?? true) {
            position += 1
            _ = try next([("is", false)], of: "alternative \(i) of the duration of '\(state)'", levers: ["is"])
            return try end(.durationCase(state, i))
        }
        let step = try next([("duration", false), ("on-gap", false), ("next", true), ("concerns", true)],
                            of: "state '\(state)'", levers: Self.stateLeverNames)
        switch step.name {
        case "duration": return try end(.stateDuration(state))
        case "on-gap":
            let s = try next([("chase", false), ("effort", false), ("repeat", false)], of: "the on-gap policy of '\(state)'",
                             levers: ["chase", "effort", "repeat"])
            return try end(s.name == "chase" ? .chaseDelay(state) : s.name == "effort" ? .chaseEffort(state) : .repeatDuration(state))
        case "next":
            let branch = step.index ?? 0
            let s = try next([("p", false), ("concerns", true)], of: "a branch", levers: ["p", "concerns[N].…"])
            if s.name == "p" { return try end(.branchProbability(state: state, branch: branch)) }
            return try concern(.branch(state: state, branch: branch), s.index ?? 0)
        default:
            return try concern(.state(state), step.index ?? 0)
        }
    }

    mutating func concern(_ site: ConcernSite, _ index: Int) throws(LeverProblem) -> LeverPlace {
        let names = ConcernParameter.allCases.map(\.rawValue) + ConcernTime.allCases.map(\.rawValue)
        let step = try next(names.map { ($0, false) }, of: "a concern", levers: names)
        if let time = ConcernTime(rawValue: step.name) { return try end(.concernTime(site, index: index, parameter: time)) }
        return try end(.concern(site, index: index, parameter: ConcernParameter(rawValue: step.name) ?? .underRecording))
    }

    mutating func cohortLevers() throws(LeverProblem) -> LeverPlace {
        let step = try next([("patients", false), ("horizon", false), ("arrivals", false), ("attributes", false)],
                            of: "the cohort", levers: ["patients", "horizon", "arrivals", "attributes.NAME"])
        switch step.name {
        case "patients": return try end(.patients)
        case "horizon": return try end(.horizon)
        case "arrivals":
            // `cohort.arrivals.rate` is where the validator puts a weekly profile's rate.
            if position < steps.count { _ = try next([("rate", false)], of: "the arrivals", levers: ["rate"]) }
            return try end(.arrivals)
        default:
            // `attributes.NAME[i].is`: one alternative of an attribute that depends on others.
            let alternative = position < steps.count ? steps[position].index : nil
            let name = try self.name(among: pathway.attributes.map(\.name), what: "attribute", listing: "the pathway declares", allowingIndex: true)
            if let alternative { _ = try next([("is", false)], of: "alternative \(alternative) of '\(name)'", levers: ["is"]) }
            switch pathway.attributeTypes[name] {
            case .boolean?: return try end(.attributeShare(name, alternative: alternative))
            case .number?: return try end(.attributeDistribution(name, alternative: alternative))
            case .categorical(let levels)?:
                guard alternative == nil else {
                    throw LeverProblem(.place, "\(written(through: position - 1)): '\(name)' is categorical; a lever sets the weight of one level, cohort.attributes.\(name).LEVEL, of an attribute given once for all patients")
                }
                let level = try self.name(among: levels, what: "level of '\(name)'", listing: "its levels")
                return try end(.attributeWeight(name, level: level))
            case nil:
                throw LeverProblem(.place, "\(written(through: position - 1)): the pathway declares no attribute '\(name)'")
            }
        }
    }
}

extension LeverPlace {
    /// Every place a lever can set in `pathway` and a scenario's settings, in file order: the
    /// controls of a workshop page, the factors of a sensitivity analysis. Places that exist only
    /// in some scenarios (a weekly profile, outages, a horizon) are listed whether set or not.
    public static func all(in pathway: Pathway) -> [LeverPlace] {
        var places: [LeverPlace] = []
        func concerns(_ site: ConcernSite, _ annotations: [Annotation]) {
            for i in annotations.indices {
                for p in ConcernParameter.allCases { places.append(.concern(site, index: i, parameter: p)) }
                for t in ConcernTime.allCases where annotations[i][keyPath: t.keyPath] != nil {
                    places.append(.concernTime(site, index: i, parameter: t))
                }
            }
        }
        for org in pathway.organisations {
            for role in org.roles {
                if role.calendar.hasShiftCapacities {
                    places += role.calendar.windows.indices.map { .shiftCapacity(role.reference, shift: $0) }
                } else {
                    places.append(.roleCapacity(role.reference))
                }
                if role.limit != nil { places.append(.queueLimit(role.reference)) }
                if role.patience != nil { places.append(.patience(role.reference)) }
                concerns(.role(role.reference), role.annotations)
            }
            concerns(.organisation(org.id), org.annotations)
        }
        for state in pathway.states {
            if state.durationCases.isEmpty { places.append(.stateDuration(state.id)) }
            else { places += (0...state.durationCases.count).map { .durationCase(state.id, $0) } }
            switch state.onGap {
            case .proceed: break
            case .chase(_, let effort):
                places.append(.chaseDelay(state.id))
                if effort != nil { places.append(.chaseEffort(state.id)) }
            case .repeat: places.append(.repeatDuration(state.id))
            }
            for (i, t) in state.next.enumerated() {
                if t.probability != nil { places.append(.branchProbability(state: state.id, branch: i)) }
                concerns(.branch(state: state.id, branch: i), t.annotations)
            }
            concerns(.state(state.id), state.annotations)
        }
        for item in pathway.information {
            places += item.existing.indices.map { .existingShare(item: item.id, index: $0) }
            concerns(.item(item.id), item.annotations)
        }
        places += [.arrivals, .patients, .horizon]
        for a in pathway.attributes {
            switch a.type {
            case .boolean: places.append(.attributeShare(a.name))
            case .number: places.append(.attributeDistribution(a.name))
            case .categorical(let levels): places += levels.map { .attributeWeight(a.name, level: $0) }
            }
        }
        places += ArchitectureParameter.allCases.map { .architecture($0) }
        places += HandoffParameter.allCases.map { .handoff($0) }
        places += [.consentOptOut, .underRecording]
        return places
    }
}

extension LeverValue {
    /// Reads a value of `kind` from its text, checking its range.
    public static func parse(_ text: String, as kind: LeverKind) -> Result<LeverValue, LeverProblem> {
        let t = text.trimming(" \t")
        func fail(_ message: String) -> Result<LeverValue, LeverProblem> { .failure(LeverProblem(.value, message)) }
        func found() -> String { t.isEmpty ? "an empty value" : "'\(t.prefix(60))'" }
        let value: LeverValue
        switch kind {
        case .wholeNumber:
            guard let n = Int(t.replacingOccurrences(of: "_", with: "")) else { return fail("expected \(kind), found \(found())") }
            value = .wholeNumber(n)
        case .probability, .probabilityBelowOne, .availability:
            guard let x = Double(t), x.isFinite else { return fail("expected \(kind), found \(found())") }
            value = .number(x)
        case .distribution(let durations):
            do throws(DistributionText.ParseError) {
                value = .distribution(try DistributionText.parse(t, durations: durations))
            } catch {
                return fail(error.message)
            }
        case .duration:
            guard let h = DurationText.hours(t) else { return fail("expected \(kind), found \(found())") }
            value = .hours(h)
        case .timeOfDay:
            guard let h = ClockText.hours(t) else { return fail("expected \(kind) from 00:00 to 23:59, found \(found())") }
            value = .hours(h)
        case .weight:
            guard let x = Double(t), x.isFinite else { return fail("expected \(kind), found \(found())") }
            value = .number(x)
        case .rate:
            switch RateText.perHour(t) {
            case .failure(let problem): return .failure(problem)
            case .success(let r): value = .ratePerHour(r)
            }
        case .option:
            guard let o = ArchitectureOption(rawValue: t) else {
                let options = ArchitectureOption.allCases.map(\.rawValue)
                let suggestion = closest(t, in: options).map { "; did you mean '\($0)'?" } ?? ""
                return fail("unknown architecture option \(found())\(suggestion) (expected one of: \(options.joined(separator: ", ")))")
            }
            value = .option(o)
        }
        if let problem = kind.problem(with: value) { return fail(problem) }
        return .success(value)
    }
}

/// Rates of patients as written: `20/d`, `1.5/h`, `100/w`.
enum RateText {
    static func perHour(_ text: String) -> Result<Double, LeverProblem> {
        let t = text.trimming(" \t")
        let parts = t.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimming(" \t") }
        let units: [String: Double] = ["h": 1, "d": 24, "w": 168]
        guard parts.count == 2, let unit = units[parts[1]],
              let value = Double(parts[0].replacingOccurrences(of: "_", with: "")), value.isFinite else {
            return .failure(LeverProblem(.value, "expected a rate such as 20/d, 1.5/h or 100/w (patients per day, hour or week), found '\(t.prefix(60))'"))
        }
        let perHour = value / unit
        guard value > 0, perHour > 0, perHour.isFinite else { return .failure(LeverProblem(.value, "expected a rate > 0, found '\(t.prefix(60))'")) }
        if let problem = Bounds.rateProblem(perHour) { return .failure(LeverProblem(.value, "\(problem) ('\(t.prefix(60))')")) }
        return .success(perHour)
    }
}

/// Times of day as written: `02:00` is 2 hours after midnight.
enum ClockText {
    static func hours(_ text: String) -> Double? {
        let parts = text.trimming(" \t").split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII),
              let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return Double(h) + Double(m) / 60
    }
}

extension LeverValue {
    /// The value as a file would hold it for a place of `kind`: `lognormal(mean=4d, sd=3.5d)`,
    /// `20/d`, `02:00`, `0.3`. `LeverValue.parse` reads it back.
    public func text(as kind: LeverKind) -> String {
        func number(_ x: Double) -> String {
            // Rounded at the ninth decimal, so that 20/d read and shown again is not 20.000000000000004/d.
            let r = abs(x) < 1e6 ? (x * 1e9).rounded() / 1e9 : x
            return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
        }
        switch self {
        case .wholeNumber(let n): return String(n)
        case .number(let x): return number(x)
        case .distribution(let d):
            if case .distribution(let durations) = kind { return DistributionText.format(d, durations: durations) }
            return DistributionText.format(d)
        case .hours(let h):
            guard kind == .timeOfDay else { return DurationText.format(hours: h) }
            let minutes = Int((h * 60).rounded())
            let hh = minutes / 60, mm = minutes % 60
            return (hh < 10 ? "0" : "") + String(hh) + ":" + (mm < 10 ? "0" : "") + String(mm)
        case .ratePerHour(let r):
            // Per day unless that hides a fraction a week shows whole.
            let perDay = r * 24, perWeek = r * 168
            func whole(_ x: Double) -> Bool { abs(x - x.rounded()) < 1e-9 * max(1, abs(x)) }
            if whole(perDay) || !whole(perWeek) { return number(perDay) + "/d" }
            return number(perWeek) + "/w"
        case .option(let o): return o.rawValue
        }
    }
}
