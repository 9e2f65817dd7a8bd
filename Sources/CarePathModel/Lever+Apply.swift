/// Pulling levers: each lever replaces one number of a pathway or scenario, then the changed
/// pathway is checked as a whole again, with the model's own checks.
extension Lever {
    /// Pulls `levers` in order on `pathway` and `scenario` (whose `settings` and `cohort` are the
    /// ones changed: for a variant, a scenario holding the variant's settings). Returns the changed
    /// pair, or every problem, each with its lever's position in `levers`.
    public static func apply(_ levers: [Lever], to pathway: Pathway, _ scenario: Scenario)
        -> Result<(pathway: Pathway, scenario: Scenario), LeverProblems> {
        var p = pathway, s = scenario
        var problems: [LeverProblem] = []
        for (i, lever) in levers.enumerated() {
            if let message = lever.place.kind.problem(with: lever.value) {
                problems.append(LeverProblem(.value, lever: i, message))
            } else if let message = pull(lever.place, lever.value, &p, &s.cohort, &s.settings, checking: p) {
                problems.append(LeverProblem(.place, lever: i, message))
            }
        }
        guard problems.isEmpty else { return .failure(LeverProblems(problems)) }
        problems = modelProblems(levers, before: pathway, after: p, scenario: s)
        return problems.isEmpty ? .success((p, s)) : .failure(LeverProblems(problems))
    }

    /// The pathway's errors that the levers brought in (a branch's probabilities no longer sum to
    /// one), each at the last lever on or under its place, or at the last lever when none is; and
    /// a warm-up the cohort's new horizon no longer outlasts.
    static func modelProblems(_ levers: [Lever], before: Pathway, after: Pathway, scenario: Scenario) -> [LeverProblem] {
        guard !levers.isEmpty else { return [] }
        var problems: [LeverProblem] = []
        let existing = Set(before.problems().filter { $0.severity == .error })
        for problem in after.problems() where problem.severity == .error && !existing.contains(problem) {
            let related = levers.indices.last { i in
                let a = levers[i].place.path.components, b = problem.path.components
                return a.starts(with: b) || b.starts(with: a)
            }
            problems.append(LeverProblem(.model, lever: related ?? levers.count - 1, "with this change, \(problem.path): \(problem.message)"))
        }
        if case .hours(let h) = scenario.warmUp, case .horizon(let horizon) = scenario.cohort.size, h >= horizon,
           let i = levers.indices.last(where: { levers[$0].place == .horizon }) {
            problems.append(LeverProblem(.model, lever: i, "the warm-up (\(DurationText.format(hours: h))) is not shorter than the cohort's horizon (\(DurationText.format(hours: horizon))): nothing would be measured"))
        }
        return problems
    }

    /// Sets one place; a message when the place is not in this pathway or scenario, or cannot
    /// take a value there (a branch without a probability). `value` has the place's kind.
    /// `checking`, the pathway whose roles and attributes the settings and cohort are read against;
    /// nil to skip those checks (levers checked when read, pulled again on a copy).
    static func pull(_ place: LeverPlace, _ value: LeverValue, _ p: inout Pathway, _ cohort: inout Cohort,
                     _ settings: inout ScenarioSettings, checking: Pathway?) -> String? {
        let at = place.description
        switch (place, value) {
        case (.roleCapacity(let ref), .wholeNumber(let n)):
            guard let role = (checking ?? p).role(ref) else { return missingRole(ref, at) }
            if role.calendar.hasShiftCapacities {
                let example = role.calendar.windows.map { String($0.capacity ?? role.capacity) }.joined(separator: ", ")
                return "\(at): \(ref) has a rota with a capacity per shift: set one shift's, capacities.\(ref)[0] to [\(role.calendar.windows.count - 1)], or give the variant one capacity per window, capacities: { \(ref): [\(example)] }"
            }
            // As the scenario's `capacities` does: the variant's capacity of the role.
            settings.capacities[ref] = n
            settings.shiftCapacities[ref] = nil
        case (.shiftCapacity(let ref, let i), .wholeNumber(let n)):
            guard let role = (checking ?? p).role(ref) else { return missingRole(ref, at) }
            let windows = role.calendar.windows
            guard role.calendar.hasShiftCapacities else {
                return "\(at): \(ref) has no rota with a capacity per shift; set its capacity, roles.\(ref).capacity"
            }
            guard windows.indices.contains(i) else {
                return "\(at): \(ref) has \(windows.count) shift\(windows.count == 1 ? "" : "s") (capacities.\(ref)[0] to [\(windows.count - 1)])"
            }
            var list = settings.shiftCapacities[ref] ?? windows.map { $0.capacity ?? role.capacity }
            list[i] = n
            guard list.contains(where: { $0 > 0 }) else { return "\(at): with this change every shift of \(ref) has capacity 0: no patient would be seen" }
            settings.shiftCapacities[ref] = list
            settings.capacities[ref] = nil
        case (.existingShare(let item, let i), .number(let x)):
            guard let k = p.information.firstIndex(where: { $0.id == item }) else { return "\(at): the pathway has no information item '\(item)'" }
            let count = p.information[k].existing.count
            guard p.information[k].existing.indices.contains(i) else {
                return count == 0 ? "\(at): item '\(item)' does not exist before the pathway (no 'exists'); a lever changes a share the pathway gives, it does not add one"
                                  : "\(at): item '\(item)' has \(count) 'exists' alternative\(count == 1 ? "" : "s") (exists[0] to exists[\(count - 1)])"
            }
            p.information[k].existing[i].probability = x
        case (.queueLimit(let ref), .wholeNumber(let n)):
            return withRole(ref, &p, at) { role in
                guard role.limit != nil else { return "\(at): \(ref) has no queue limit; a limit needs a 'when-full' state in the pathway, which a lever does not add" }
                role.limit?.waiting = n
                return nil
            }
        case (.patience(let ref), .distribution(let d)):
            return withRole(ref, &p, at) { role in
                guard role.patience != nil else { return "\(at): \(ref) has no patience; it needs a 'gives-up-to' state in the pathway, which a lever does not add" }
                role.patience?.distribution = d
                return nil
            }
        case (.stateDuration(let id), .distribution(let d)):
            return withState(id, &p, at) { state in
                guard state.durationCases.isEmpty else {
                    return "\(at): the duration of '\(id)' depends on patient attributes; set each alternative instead: "
                        + (0...state.durationCases.count).map { "states.\(id).duration[\($0)].is" }.joined(separator: ", ") + " (the last is the default)"
                }
                state.duration = d
                return nil
            }
        case (.durationCase(let id, let i), .distribution(let d)):
            return withState(id, &p, at) { state in
                if state.durationCases.indices.contains(i) { state.durationCases[i].value = d; return nil }
                if i == state.durationCases.count && i > 0 { state.duration = d; return nil }
                return state.durationCases.isEmpty
                    ? "\(at): the duration of '\(id)' does not depend on patient attributes: set states.\(id).duration"
                    : "\(at): state '\(id)' has durations duration[0].is to duration[\(state.durationCases.count)].is"
            }
        case (.chaseDelay(let id), .distribution(let d)):
            return withState(id, &p, at) { state in
                guard case .chase(_, let effort) = state.onGap else { return "\(at): state '\(id)' does not chase a missing item (its on-gap is \(state.onGap.name))" }
                state.onGap = .chase(d, effort: effort)
                return nil
            }
        case (.chaseEffort(let id), .distribution(let d)):
            return withState(id, &p, at) { state in
                guard case .chase(let delay, let effort) = state.onGap, effort != nil else {
                    return "\(at): state '\(id)' has no chasing effort (its on-gap is \(state.onGap.name) without 'effort'); without it the role is taken for the whole chase, and a lever does not change that"
                }
                state.onGap = .chase(delay, effort: d)
                return nil
            }
        case (.repeatDuration(let id), .distribution(let d)):
            return withState(id, &p, at) { state in
                guard case .repeat = state.onGap else { return "\(at): state '\(id)' does not collect a missing item again (its on-gap is \(state.onGap.name))" }
                state.onGap = .repeat(d)
                return nil
            }
        case (.branchProbability(let id, let i), .number(let x)):
            return withState(id, &p, at) { state in
                guard state.next.indices.contains(i) else { return branchRange(state, i) }
                let branch = state.next[i]
                guard branch.probability != nil else {
                    let why = branch.condition == nil ? "it is the default branch" : "it has a condition only"
                    return "\(at): the branch to '\(branch.to)' has no 'p' (\(why)); a lever changes a probability the pathway gives, it does not add one"
                }
                state.next[i].probability = x
                return nil
            }
        case (.concern(let site, let i, let parameter), .number(let x)):
            return withAnnotations(site, &p, &settings, at) { annotations, owner in
                guard annotations.indices.contains(i) else {
                    let range = annotations.isEmpty ? "none" : annotations.count == 1 ? "concerns[0] only" : "concerns[0] to concerns[\(annotations.count - 1)]"
                    return "\(site.path.key("concerns").index(i)): \(owner) has \(annotations.count) concern\(annotations.count == 1 ? "" : "s") (\(range))"
                }
                annotations[i][keyPath: parameter.keyPath] = x
                return nil
            }
        case (.concernTime(let site, let i, let parameter), .distribution(let d)):
            return withAnnotations(site, &p, &settings, at) { annotations, owner in
                guard annotations.indices.contains(i) else {
                    return "\(site.path.key("concerns").index(i)): \(owner) has \(annotations.count) concern\(annotations.count == 1 ? "" : "s")"
                }
                guard annotations[i][keyPath: parameter.keyPath] != nil else {
                    return "\(at): this concern gives no \(parameter.rawValue); a lever changes a time the pathway gives, it does not add an effect"
                }
                annotations[i][keyPath: parameter.keyPath] = d
                return nil
            }
        case (.arrivals, .ratePerHour(let rate)):
            switch cohort.arrivals {
            case .poisson: cohort.arrivals = .poisson(ratePerHour: rate)
            case .weekly(let rates):
                // The weekly profile keeps its shape, scaled to the new mean rate.
                let mean = rates.reduce(0, +) / Double(max(rates.count, 1))
                guard mean > 0, mean.isFinite else { return "\(at): the weekly arrival profile has no arrivals to scale" }
                cohort.arrivals = .weekly(ratesPerHour: rates.map { $0 * (rate / mean) })
            }
        case (.patients, .wholeNumber(let n)):
            guard case .patients = cohort.size else { return "\(at): the cohort is given by its horizon, not a number of patients: set cohort.horizon" }
            if let problem = Bounds.wholeNumberProblem(n, in: 1...Bounds.maximumPatients, what: "a number of patients") { return "\(at): \(problem)" }
            cohort.size = .patients(n)
        case (.horizon, .hours(let h)):
            guard case .horizon = cohort.size else { return "\(at): the cohort is given by a number of patients, not a horizon: set cohort.patients" }
            if h * cohort.arrivals.meanRatePerHour > Double(Bounds.maximumPatients) {
                return "\(at): the horizon would bring more than \(Bounds.grouped(Bounds.maximumPatients)) patients a replication (Bounds)"
            }
            cohort.size = .horizon(h)
        case (.attributeShare(let name, let alternative), .number(let x)):
            if let checking, let problem = attribute(name, is: .boolean, checking, at) { return problem }
            return setAttribute(name, alternative, .bernoulli(x), &cohort, at)
        case (.attributeDistribution(let name, let alternative), .distribution(let d)):
            if let checking, let problem = attribute(name, is: .number, checking, at) { return problem }
            return setAttribute(name, alternative, .numeric(d), &cohort, at)
        case (.attributeWeight(let name, let level), .number(let w)):
            guard case .categorical(let levels, var weights)? = cohort.attributes[name] else {
                if case .conditional? = cohort.attributes[name] {
                    return "\(at): '\(name)' depends on other attributes; a lever sets the weights of a categorical attribute given once for all patients"
                }
                return "\(at): '\(name)' is not a categorical attribute with weights in this cohort"
            }
            guard let k = levels.firstIndex(of: level) else { return "\(at): '\(level)' is not a level of '\(name)' (its levels: \(levels.joined(separator: ", ")))" }
            weights[k] = w
            guard weights.contains(where: { $0 > 0 }) else { return "\(at): with this change every level of '\(name)' has weight 0" }
            cohort.attributes[name] = .categorical(levels: levels, weights: weights)
        case (.architecture(let parameter), _):
            return set(parameter, value, &settings.architecture, at)
        case (.handoff(.latency), .distribution(let d)): settings.handoffs.latency = d
        case (.handoff(.resendAfter), .distribution(let d)): settings.handoffs.resendAfter = d
        case (.handoff(.loss), .number(let x)): settings.handoffs.loss = x
        case (.consentOptOut, .number(let x)):
            // As `consent: { opt-out: 0.02 }` in the file: a rate replaces an opt-out attribute.
            settings.consent = ConsentSettings(optOutRate: x)
        case (.underRecording, .number(let x)): settings.underRecording = x
        default:
            return "\(at): expected \(place.kind)"
        }
        return nil
    }

    static func set(_ parameter: ArchitectureParameter, _ value: LeverValue, _ a: inout Architecture, _ at: String) -> String? {
        switch (parameter, value) {
        case (.option, .option(let o)): a.option = o
        case (.fallback, .option(let o)): a.fallback = o
        case (.messageLatency, .distribution(let d)): a.messageLatency = d
        case (.publishLatency, .distribution(let d)): a.publishLatency = d
        case (.paperLatency, .distribution(let d)): a.paperLatency = d
        case (.messageLoss, .number(let x)): a.messageLoss = x
        case (.paperLoss, .number(let x)): a.paperLoss = x
        case (.sourceAvailability, .number(let x)): a.sourceAvailability = x
        case (.sourceOutage, .hours(let h)): a.sourceOutageMean = h
        case (.batchEvery, .hours(let h)): a.batchEvery = h
        case (.batchAt, .hours(let h)):
            guard a.batchEvery != nil else { return "\(at): this option publishes in real time, so a batch time changes nothing: set architecture.batch.every first" }
            a.batchAt = h
        case (.outagesEvery, .hours(let h)), (.outagesLasting, .hours(let h)):
            guard var outages = a.outages else {
                return "\(at): this option has no outages (always up); give the variant architecture: { outages: { every: 30d, lasting: 4h } } to add them"
            }
            if parameter == .outagesEvery { outages.meanTimeBetween = h } else { outages.meanDuration = h }
            a.outages = outages
        default: return "\(at): expected \(parameter.kind)"
        }
        return nil
    }

    // MARK: Finding the place

    static func missingRole(_ ref: RoleReference, _ at: String) -> String {
        "\(at): the pathway has no role \(ref)"
    }

    static func withRole(_ ref: RoleReference, _ p: inout Pathway, _ at: String, _ body: (inout Role) -> String?) -> String? {
        guard let o = p.organisations.firstIndex(where: { $0.id == ref.organisation }),
              let r = p.organisations[o].roles.firstIndex(where: { $0.id == ref.role }) else { return missingRole(ref, at) }
        return body(&p.organisations[o].roles[r])
    }

    static func withState(_ id: String, _ p: inout Pathway, _ at: String, _ body: (inout State) -> String?) -> String? {
        guard let i = p.states.firstIndex(where: { $0.id == id }) else { return "\(at): the pathway has no state '\(id)'" }
        return body(&p.states[i])
    }

    static func branchRange(_ state: State, _ i: Int) -> String {
        let count = state.next.count
        let range = count == 0 ? "none" : count == 1 ? "next[0] only" : "next[0] to next[\(count - 1)]"
        return "states.\(state.id).next[\(i)]: state '\(state.id)' has \(count) branch\(count == 1 ? "" : "es") (\(range))"
    }

    /// The annotations of a site, and how to name the site in a message.
    static func withAnnotations(_ site: ConcernSite, _ p: inout Pathway, _ settings: inout ScenarioSettings, _ at: String,
                                _ body: (inout [Annotation], String) -> String?) -> String? {
        switch site {
        case .item(let id):
            guard let i = p.information.firstIndex(where: { $0.id == id }) else { return "\(at): the pathway has no information item '\(id)'" }
            return body(&p.information[i].annotations, "item '\(id)'")
        case .channel(let option):
            var annotations = settings.channels[option] ?? []
            defer { settings.channels[option] = annotations.isEmpty ? nil : annotations }
            return body(&annotations, "channel '\(option.rawValue)'")
        case .organisation(let id):
            guard let o = p.organisations.firstIndex(where: { $0.id == id }) else { return "\(at): the pathway has no organisation '\(id)'" }
            return body(&p.organisations[o].annotations, "organisation '\(id)'")
        case .role(let ref):
            return withRole(ref, &p, at) { body(&$0.annotations, "\(ref)") }
        case .state(let id):
            return withState(id, &p, at) { body(&$0.annotations, "state '\(id)'") }
        case .branch(let id, let i):
            return withState(id, &p, at) { state in
                guard state.next.indices.contains(i) else { return branchRange(state, i) }
                return body(&state.next[i].annotations, "the branch from '\(id)' to '\(state.next[i].to)'")
            }
        }
    }

    /// Sets a boolean or number attribute, or one of its alternatives when it depends on others:
    /// only the value, never the conditions.
    static func setAttribute(_ name: String, _ alternative: Int?, _ value: AttributeDistribution, _ cohort: inout Cohort, _ at: String) -> String? {
        guard case .conditional(var cases, var otherwise)? = cohort.attributes[name] else {
            guard let alternative else {
                cohort.attributes[name] = value
                return nil
            }
            return "\(at): '\(name)' does not depend on other attributes: set cohort.attributes.\(name), not its alternative [\(alternative)]"
        }
        guard let i = alternative else {
            return "\(at): '\(name)' depends on other attributes: set one alternative, cohort.attributes.\(name)[0].is to [\(cases.count)].is (the last is the default)"
        }
        guard i <= cases.count else {
            return "\(at): '\(name)' has \(cases.count + 1) alternatives ([0] to [\(cases.count)], the last the default)"
        }
        if i < cases.count { cases[i].value = value } else { otherwise = value }
        cohort.attributes[name] = .conditional(cases, otherwise: otherwise)
        return nil
    }

    static func attribute(_ name: String, is type: AttributeType, _ p: Pathway, _ at: String) -> String? {
        guard let declared = p.attributeTypes[name] else { return "\(at): the pathway declares no attribute '\(name)'" }
        guard declared == type else {
            return "\(at): '\(name)' is \(declared); a lever sets a boolean attribute's probability or a number attribute's distribution"
        }
        return nil
    }
}

extension Scenario {
    /// The scenario as a variant sees it: the variant's settings, and its cohort after its levers.
    public func seen(by variant: Variant) -> Scenario {
        var s = self
        s.settings = variant.settings
        s.cohort = cohort(of: variant)
        return s
    }

    /// The cohort a variant runs: the scenario's, with the variant's levers on it pulled.
    public func cohort(of variant: Variant) -> Cohort {
        let own = variant.levers.filter { $0.place.target == .cohort }
        guard !own.isEmpty else { return cohort }
        var p = Pathway(id: "", title: "", organisations: [], information: [], states: [], start: "")
        var c = cohort, settings = variant.settings
        // Checked when read; one that no longer fits a cohort changed in code since is left out.
        for lever in own { _ = Lever.pull(lever.place, lever.value, &p, &c, &settings, checking: nil) }
        return c
    }
}

extension Variant {
    /// The pathway this variant runs: `base` (the scenario's) with the variant's levers on it
    /// pulled. Pulled on each call, so that a pathway changed in code after loading is seen; a
    /// lever that no longer fits it (checked when read) is left out.
    public func pathway(over base: Pathway) -> Pathway {
        let own = levers.filter { $0.place.target == .pathway }
        guard !own.isEmpty else { return base }
        var p = base, c = Cohort(size: .patients(1), arrivals: .poisson(ratePerHour: 1)), settings = self.settings
        for lever in own { _ = Lever.pull(lever.place, lever.value, &p, &c, &settings, checking: nil) }
        return p
    }

    /// Whether the variant's levers change its pathway or cohort (not only its settings).
    public var changesPathwayOrCohort: Bool { levers.contains { $0.place.target != .settings } }

    /// This variant with `levers` pulled too, after its own, on the scenario's `pathway`: its
    /// settings changed, and its pathway and cohort as `pathway(over:)` and `Scenario.cohort(of:)`
    /// give them. The workshop page and experiments make their options this way; scenario files
    /// do it for `set:`.
    public func pulling(_ levers: [Lever], pathway: Pathway, scenario: Scenario) -> Result<Variant, LeverProblems> {
        let all = self.levers + levers
        var base = scenario
        base.settings = settings
        switch Lever.apply(all, to: pathway, base) {
        case .failure(let problems):
            // Positions in `levers`, as the caller gave them; this variant's own came first.
            return .failure(LeverProblems(problems.problems.map { problem in
                var p = problem
                p.lever = problem.lever.flatMap { $0 >= self.levers.count ? $0 - self.levers.count : nil }
                return p
            }))
        case .success(let (_, changed)):
            var v = self
            v.levers = all
            v.settings = changed.settings
            return .success(v)
        }
    }
}

extension LeverPlace {
    /// The value at this place in `pathway` and `scenario` (a variant's: see `Scenario.seen(by:)`),
    /// before any lever: a control's starting value, a sensitivity analysis's baseline. Nil when
    /// the place is not there or holds nothing (a branch without a probability, no outages).
    public func value(in pathway: Pathway, _ scenario: Scenario) -> LeverValue? {
        let settings = scenario.settings, cohort = scenario.cohort
        func role(_ ref: RoleReference) -> Role? { pathway.role(ref) }
        switch self {
        case .roleCapacity(let ref):
            return (settings.capacities[ref] ?? role(ref)?.capacity).map { .wholeNumber($0) }
        case .queueLimit(let ref): return role(ref)?.limit.map { .wholeNumber($0.waiting) }
        case .patience(let ref): return role(ref)?.patience.map { .distribution($0.distribution) }
        case .stateDuration(let id): return pathway.state(id).map { .distribution($0.duration) }
        case .durationCase(let id, let i):
            guard let state = pathway.state(id), i <= state.durationCases.count else { return nil }
            return .distribution(i < state.durationCases.count ? state.durationCases[i].value : state.duration)
        case .chaseDelay(let id):
            guard case .chase(let d, _)? = pathway.state(id)?.onGap else { return nil }
            return .distribution(d)
        case .chaseEffort(let id):
            guard case .chase(_, let effort?)? = pathway.state(id)?.onGap else { return nil }
            return .distribution(effort)
        case .repeatDuration(let id):
            guard case .repeat(let d)? = pathway.state(id)?.onGap else { return nil }
            return .distribution(d)
        case .branchProbability(let id, let i):
            guard let next = pathway.state(id)?.next, next.indices.contains(i) else { return nil }
            return next[i].probability.map { .number($0) }
        case .concern(let site, let i, let parameter):
            guard let annotations = Self.annotations(at: site, in: pathway, settings), annotations.indices.contains(i) else { return nil }
            return annotations[i][keyPath: parameter.keyPath].map { .number($0) }
        case .concernTime(let site, let i, let parameter):
            guard let annotations = Self.annotations(at: site, in: pathway, settings), annotations.indices.contains(i) else { return nil }
            return annotations[i][keyPath: parameter.keyPath].map { .distribution($0) }
        case .arrivals: return .ratePerHour(cohort.arrivals.meanRatePerHour)
        case .patients:
            guard case .patients(let n) = cohort.size else { return nil }
            return .wholeNumber(n)
        case .horizon:
            guard case .horizon(let h) = cohort.size else { return nil }
            return .hours(h)
        case .attributeShare(let name, let alternative):
            guard case .bernoulli(let p)? = Self.attribute(cohort.attributes[name], alternative) else { return nil }
            return .number(p)
        case .attributeDistribution(let name, let alternative):
            guard case .numeric(let d)? = Self.attribute(cohort.attributes[name], alternative) else { return nil }
            return .distribution(d)
        case .attributeWeight(let name, let level):
            guard case .categorical(let levels, let weights)? = cohort.attributes[name], let k = levels.firstIndex(of: level) else { return nil }
            return .number(weights[k])
        case .shiftCapacity(let ref, let i):
            guard let role = role(ref), role.calendar.windows.indices.contains(i) else { return nil }
            return .wholeNumber(settings.shiftCapacities[ref]?[i] ?? role.calendar.windows[i].capacity ?? role.capacity)
        case .existingShare(let item, let i):
            guard let existing = pathway.information.first(where: { $0.id == item })?.existing, existing.indices.contains(i) else { return nil }
            return .number(existing[i].probability)
        case .architecture(let p):
            let a = settings.architecture
            switch p {
            case .option: return .option(a.option)
            case .fallback: return .option(a.fallback)
            case .messageLatency: return .distribution(a.messageLatency)
            case .publishLatency: return .distribution(a.publishLatency)
            case .paperLatency: return .distribution(a.paperLatency)
            case .messageLoss: return .number(a.messageLoss)
            case .paperLoss: return .number(a.paperLoss)
            case .sourceAvailability: return .number(a.sourceAvailability)
            case .sourceOutage: return .hours(a.sourceOutageMean)
            case .batchEvery: return a.batchEvery.map { .hours($0) }
            case .batchAt: return a.batchEvery == nil ? nil : .hours(a.batchAt)
            case .outagesEvery: return a.outages.map { .hours($0.meanTimeBetween) }
            case .outagesLasting: return a.outages.map { .hours($0.meanDuration) }
            }
        case .handoff(.latency): return .distribution(settings.handoffs.latency)
        case .handoff(.loss): return .number(settings.handoffs.loss)
        case .handoff(.resendAfter): return .distribution(settings.handoffs.resendAfter)
        case .consentOptOut: return settings.consent.optOutAttribute == nil ? .number(settings.consent.optOutRate) : nil
        case .underRecording: return .number(settings.underRecording)
        }
    }
}

extension LeverPlace {
    /// An attribute's distribution, or one of its alternatives' (the last the default).
    static func attribute(_ d: AttributeDistribution?, _ alternative: Int?) -> AttributeDistribution? {
        guard let alternative else { return d }
        guard case .conditional(let cases, let otherwise)? = d, alternative <= cases.count else { return nil }
        return alternative < cases.count ? cases[alternative].value : otherwise
    }

    /// The annotations at a site of the pathway or, for a channel, of the scenario's settings.
    static func annotations(at site: ConcernSite, in pathway: Pathway, _ settings: ScenarioSettings) -> [Annotation]? {
        switch site {
        case .item(let i): return pathway.information.first { $0.id == i }?.annotations
        case .channel(let c): return settings.channels[c]
        case .organisation(let o): return pathway.organisation(o)?.annotations
        case .role(let ref): return pathway.role(ref)?.annotations
        case .state(let s): return pathway.state(s)?.annotations
        case .branch(let s, let b):
            let next = pathway.state(s)?.next ?? []
            return next.indices.contains(b) ? next[b].annotations : nil
        }
    }
}
