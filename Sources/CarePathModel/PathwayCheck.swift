extension Pathway {
    /// Tolerance on branch probabilities summing to one.
    public static let probabilityTolerance = 1e-9

    /// Every problem of the pathway as a whole, in document order of the places they concern.
    public func problems() -> [ModelProblem] {
        var problems: [ModelProblem] = []
        func error(_ path: DocumentPath, _ message: String, columnOffset: Int? = nil) {
            problems.append(ModelProblem(.error, path, message, columnOffset: columnOffset))
        }
        let statePaths = DocumentPath.root.key("states")
        let stateIDs = Set(states.map(\.id))
        let itemIDs = Set(information.map(\.id))
        let attributeNames = Set(attributes.map(\.name))

        for organisation in organisations {
            let orgPath = DocumentPath.root.key("organisations").key(organisation.id)
            if organisation.roles.isEmpty { error(orgPath.key("roles"), "an organisation needs at least one role") }
            for role in organisation.roles {
                let rolePath = orgPath.key("roles").key(role.id)
                // With a capacity for every window (a rota) the role's own is a nominal figure only.
                let usesNominal = role.calendar.windows.contains { $0.capacity == nil }
                if usesNominal && role.capacity <= 0 {
                    error(rolePath.key("capacity"), "capacity must be a whole number of at least 1, found \(role.capacity)")
                } else if role.capacity < 0 {
                    error(rolePath.key("capacity"), "capacity must not be negative, found \(role.capacity)")
                }
                if case .priority(let attribute, _) = role.queue {
                    if !attributeNames.contains(attribute) {
                        error(rolePath.key("queue"), "priority by unknown attribute '\(attribute)'" + known(attributes.map(\.name)))
                    }
                }
            }
        }

        if state(start) == nil {
            error(DocumentPath.root.key("start"), "start state '\(start)' is not a state of this pathway" + known(states.map(\.id)))
        }

        for s in states {
            let path = statePaths.key(s.id)
            if let owner = s.owner {
                if organisation(owner.organisation) == nil {
                    error(path.key("owner"), "unknown organisation '\(owner.organisation)'" + known(organisations.map(\.id)))
                } else if role(owner) == nil {
                    error(path.key("owner"), "organisation '\(owner.organisation)' has no role '\(owner.role)'"
                          + known(organisation(owner.organisation)?.roles.map(\.id) ?? []))
                }
            } else if !s.isTerminal {
                error(path, "state '\(s.id)' needs an 'owner' (organisation/role); only terminal states may have none")
            }
            let durationPath = Self.defaultPath(path.key("duration"), alternatives: s.durationCases.count)
            for p in s.duration.parameterProblems { error(durationPath, p) }
            problems += durationCaseProblems(of: s, at: path)
            switch s.onGap {
            case .proceed: break
            case .chase(let d, let effort):
                for p in d.parameterProblems { error(path.key("on-gap").key("chase"), p) }
                for p in effort?.parameterProblems ?? [] { error(path.key("on-gap").key("effort"), p) }
            case .repeat(let d): for p in d.parameterProblems { error(path.key("on-gap").key("repeat"), p) }
            }
            for (i, item) in s.needs.enumerated() where !itemIDs.contains(item) {
                error(path.key("needs").index(i), "unknown information item '\(item)'" + known(information.map(\.id)))
            }
            for (i, item) in s.produces.enumerated() where !itemIDs.contains(item) {
                error(path.key("produces").index(i), "unknown information item '\(item)'" + known(information.map(\.id)))
            }
            for (i, send) in s.sends.enumerated() {
                if !itemIDs.contains(send.item) {
                    error(path.key("sends").index(i).key("item"), "unknown information item '\(send.item)'" + known(information.map(\.id)))
                }
                if organisation(send.organisation) == nil {
                    error(path.key("sends").index(i).key("to"), "unknown organisation '\(send.organisation)'" + known(organisations.map(\.id)))
                }
                if s.owner == nil { error(path.key("sends").index(i), "a state without an owner has no organisation to send from") }
            }
            if s.isTerminal && !s.next.isEmpty {
                error(path.key("next"), "a terminal state has no next states")
            }
            if !s.isTerminal && s.next.isEmpty {
                error(path, "state '\(s.id)' has no 'next' and is not marked 'terminal: true'")
            }
            problems += branchProblems(of: s, at: path, stateIDs: stateIDs, itemIDs: itemIDs)
        }

        problems += reachabilityProblems()
        problems += queueProblems()
        problems += holdProblems()

        // The times of information effects, wherever concerns are annotated.
        func effectTimes(_ annotations: [Annotation], at path: DocumentPath) {
            for (i, a) in annotations.enumerated() {
                let p = path.key("concerns").index(i)
                for (key, d) in [("rekeying", a.effects.rekeying), ("reading-time", a.effects.readingTime), ("recording-time", a.effects.recordingTime)] {
                    for problem in d?.parameterProblems ?? [] { error(p.key(key), problem) }
                }
            }
        }
        for o in organisations { effectTimes(o.annotations, at: DocumentPath.root.key("organisations").key(o.id)) }
        for st in states { effectTimes(st.annotations, at: statePaths.key(st.id)) }

        for item in information {
            let itemPath = DocumentPath.root.key("information").key(item.id).key("exists")
            for (i, e) in item.existing.enumerated() {
                let p = item.existing.count > 1 ? itemPath.index(i) : itemPath
                if organisation(e.organisation) == nil {
                    error(p.key("at"), "unknown organisation '\(e.organisation)'" + known(organisations.map(\.id)))
                }
                if !(0...1).contains(e.probability) { error(p.key("p"), "expected a probability between 0 and 1, found \(e.probability)") }
                if let c = e.condition {
                    do throws(ConditionError) { _ = try c.compile(attributes: attributes) } catch let failure {
                        error(p.key("when"), "in condition: \(failure.message)")
                    }
                }
            }
        }

        // A needed item nobody produces may come from outside the pathway: a warning, not an error.
        let produced = Set(states.flatMap(\.produces) + information.filter { !$0.existing.isEmpty }.map(\.id))
        for s in states {
            for (i, item) in s.needs.enumerated() where itemIDs.contains(item) && !produced.contains(item) {
                problems.append(ModelProblem(.warning, statePaths.key(s.id).key("needs").index(i),
                                             "no state produces '\(item)': it must come from outside the pathway, or it will always be missing"))
            }
        }
        return problems
    }

    private func branchProblems(of s: State, at path: DocumentPath, stateIDs: Set<String>, itemIDs: Set<String>) -> [ModelProblem] {
        var problems: [ModelProblem] = []
        var sum = 0.0
        var hasDefault = false
        var hasCondition = false
        var allHaveProbability = true
        for (i, t) in s.next.enumerated() {
            let tPath = path.key("next").index(i)
            if !stateIDs.contains(t.to) {
                problems.append(ModelProblem(.error, tPath.key("to"), "unknown state '\(t.to)'" + known(states.map(\.id))))
            }
            if hasDefault {
                problems.append(ModelProblem(.error, tPath, "this branch follows the default branch (one with neither 'p' nor 'when') and can never be taken"))
            }
            problems += shareCaseProblems(of: t, at: tPath)
            if let p = t.probability {
                if !(p >= 0 && p <= 1) {
                    let pPath = Self.defaultPath(tPath.key("p"), alternatives: t.probabilityCases.count)
                    problems.append(ModelProblem(.error, pPath, "a probability must be between 0 and 1, found \(p)"))
                }
                if t.condition == nil { sum += p }
            } else {
                allHaveProbability = false
            }
            if let c = t.condition {
                hasCondition = true
                do throws(ConditionError) {
                    _ = try c.compile(attributes: attributes)
                } catch {
                    problems.append(ModelProblem(.error, tPath.key("when"), error.message, columnOffset: error.column))
                }
            }
            if t.isDefault { hasDefault = true }
            for (j, item) in (t.carries ?? []).enumerated() where !itemIDs.contains(item) {
                problems.append(ModelProblem(.error, tPath.key("carries").index(j), "unknown information item '\(item)'" + known(information.map(\.id))))
            }
        }
        // One problem at a time: a probability out of range is reported on its own.
        let inRange = s.next.allSatisfy { t in t.probability.map { $0 >= 0 && $0 <= 1 } ?? true }
        if hasDefault && inRange && sum > 1 + Self.probabilityTolerance {
            problems.append(ModelProblem(.error, path.key("next"),
                "branch probabilities sum to \(sum), more than 1 (the default branch takes what the others leave, so they may add up to 1 at most)"))
        }
        guard !s.next.isEmpty, !hasDefault else { return problems }
        if hasCondition {
            problems.append(ModelProblem(.error, path.key("next"),
                "branches with 'when' need a default branch (one with neither 'p' nor 'when') for patients no condition matches"))
        } else if allHaveProbability && s.next.contains(where: \.hasShareCases) {
            problems += shareSumProblems(of: s, at: path)
        } else if allHaveProbability && abs(sum - 1) > Self.probabilityTolerance {
            problems.append(ModelProblem(.error, path.key("next"),
                "branch probabilities sum to \(sum), expected 1 (within 1e-9) since there is no default branch"))
        }
        return problems
    }

    private func reachabilityProblems() -> [ModelProblem] {
        guard state(start) != nil else { return [] }
        var index: [String: Int] = [:]
        for (i, s) in states.enumerated() where index[s.id] == nil { index[s.id] = i }
        // A patient may also leave a full queue, or give up waiting, for another state.
        let graph = StateGraph(self)
        let following = graph.successors

        var reached = Set<Int>()
        guard let first = index[start] else { return [] }
        var stack = [first] + graph.detours[first]
        while let i = stack.popLast() {
            guard reached.insert(i).inserted else { continue }
            stack += following[i]
        }

        // Backwards from terminal states: which states can still finish?
        var predecessors = Array(repeating: [Int](), count: states.count)
        for (i, next) in following.enumerated() { for j in next { predecessors[j].append(i) } }
        var finishing = Set<Int>()
        stack = states.indices.filter { states[$0].isTerminal }
        while let i = stack.popLast() {
            guard finishing.insert(i).inserted else { continue }
            stack += predecessors[i]
        }

        var problems: [ModelProblem] = []
        for (i, s) in states.enumerated() {
            let path = DocumentPath.root.key("states").key(s.id)
            if !reached.contains(i) {
                problems.append(ModelProblem(.error, path, "state '\(s.id)' cannot be reached from the start state '\(start)'"))
            } else if !finishing.contains(i) {
                problems.append(ModelProblem(.error, path, "no terminal state can be reached from state '\(s.id)': patients would never leave"))
            }
        }
        return problems
    }

    func known(_ names: [String]) -> String {
        names.isEmpty ? "" : " (known: " + names.joined(separator: ", ") + ")"
    }
}
