/// Checks of capacity over time: roles that never open, queues that overflow or are given up on,
/// and units held after the work is done.
extension Pathway {
    func rolePath(_ role: Role) -> DocumentPath {
        DocumentPath.root.key("organisations").key(role.organisation).key("roles").key(role.id)
    }

    /// Never-open roles that states use; queue limits and patience whose destinations are not
    /// states, are served by the same role, or pass patients round a loop of full queues.
    func queueProblems() -> [ModelProblem] {
        var problems: [ModelProblem] = []
        let used = Set(states.compactMap(\.owner))
        var index: [String: Int] = [:]
        for (i, s) in states.enumerated() where index[s.id] == nil { index[s.id] = i }
        for role in roles {
            let path = rolePath(role)
            let usesNominal = role.calendar.windows.contains { $0.capacity == nil }
            let capacityValid = usesNominal ? role.capacity >= 1 : role.capacity >= 0
            if used.contains(role.reference), capacityValid, role.calendar.isNeverOpen(nominal: role.capacity) {
                let why = role.calendar.hasShiftCapacities ? "every shift of its rota has capacity 0" : "its calendar has no open time"
                problems.append(ModelProblem(.error, path, "\(role.reference) is never open: no patient could be served (\(why))"))
            }
            if let limit = role.limit {
                if limit.waiting < 0 {
                    problems.append(ModelProblem(.error, path.key("queue").key("limit"), "a queue limit must be 0 or more, found \(limit.waiting)"))
                }
                problems += destinationProblems(limit.overflow, of: role, at: path.key("queue").key("when-full"), when: "when the queue is full", index)
            }
            if let patience = role.patience {
                for p in patience.distribution.parameterProblems {
                    problems.append(ModelProblem(.error, path.key("queue").key("patience"), p))
                }
                problems += destinationProblems(patience.destination, of: role, at: path.key("queue").key("gives-up-to"), when: "after giving up", index)
            }
        }
        return problems + overflowLoops(index)
    }

    private func destinationProblems(_ destination: String, of role: Role, at path: DocumentPath, when: String,
                                     _ index: [String: Int]) -> [ModelProblem] {
        guard let target = index[destination].map({ states[$0] }) else {
            return [ModelProblem(.error, path, "unknown state '\(destination)'" + known(states.map(\.id)))]
        }
        if target.owner == role.reference {
            return [ModelProblem(.error, path, "state '\(destination)' is served by \(role.reference) itself: a patient sent there \(when) would join the same queue at once")]
        }
        return []
    }

    /// Roles with a limit whose overflow states are served by other roles with a limit, round a
    /// loop: a patient could be passed from full queue to full queue without end. Each loop is
    /// reported once, at the first of its roles in the file.
    private func overflowLoops(_ stateIndex: [String: Int]) -> [ModelProblem] {
        let all = roles
        var index: [RoleReference: Int] = [:]
        for (i, role) in all.enumerated() where index[role.reference] == nil { index[role.reference] = i }
        let overflowTo: [Int?] = all.map { role in
            guard let limit = role.limit, let owner = stateIndex[limit.overflow].flatMap({ states[$0].owner }), owner != role.reference,
                  let j = index[owner], all[j].limit != nil else { return nil }
            return j
        }
        var problems: [ModelProblem] = []
        var reported = Set<Int>()
        for start in all.indices {
            var walk: [Int] = [], seen = Set<Int>(), current: Int? = start
            while let i = current, !seen.contains(i) { walk.append(i); seen.insert(i); current = overflowTo[i] }
            guard let repeated = current, let at = walk.firstIndex(of: repeated) else { continue }
            let loop = Array(walk[at...])
            guard loop.count >= 2, let first = loop.min(), reported.isDisjoint(with: loop) else { continue }
            reported.formUnion(loop)
            let from = loop.firstIndex(of: first) ?? 0
            let ordered = Array(loop[from...] + loop[..<from])
            let names = (ordered + [first]).map { all[$0].reference.description }.joined(separator: " -> ")
            problems.append(ModelProblem(.error, rolePath(all[first]).key("queue").key("when-full"),
                "full queues overflow into each other round a loop (\(names)): a patient could be passed round without end; give one of them another 'when-full' state"))
        }
        return problems
    }

    /// Holds on states that cannot hold a unit, and `until` lists naming unknown or unreachable states.
    func holdProblems() -> [ModelProblem] {
        var problems: [ModelProblem] = []
        let graph = StateGraph(self)
        // Each `until` costs a walk of the graph; past this many the (warning-only) check is skipped.
        var walks = 1000
        for (position, s) in states.enumerated() {
            guard let hold = s.hold else { continue }
            let path = DocumentPath.root.key("states").key(s.id).key("holds")
            if s.isTerminal {
                problems.append(ModelProblem(.error, path, "a terminal state cannot hold a unit: the patient has left the pathway"))
                continue
            }
            guard let owner = s.owner else {
                problems.append(ModelProblem(.error, path, "state '\(s.id)' has no owner: there is no role whose unit it could hold"))
                continue
            }
            if !s.occupiesRole {
                problems.append(ModelProblem(.error, path, "state '\(s.id)' does not occupy a unit of \(owner) ('occupies: false'), so it has none to hold"))
            }
            guard case .until(let targets) = hold else { continue }
            if targets.isEmpty {
                problems.append(ModelProblem(.error, path.key("until"), "expected at least one state in 'until'; to hold until the next state starts, write 'holds: until-next'"))
            }
            walks -= 1
            let reachable = walks >= 0 ? graph.reachable(from: position) : nil
            for (i, target) in targets.enumerated() {
                guard let t = graph.index[target] else {
                    problems.append(ModelProblem(.error, path.key("until").index(i), "unknown state '\(target)'" + known(states.map(\.id))))
                    continue
                }
                if let reachable, !reachable.contains(t) {
                    problems.append(ModelProblem(.warning, path.key("until").index(i),
                        "state '\(target)' cannot be reached from '\(s.id)': the unit would be held until the patient leaves the pathway (a warning: the model still runs)"))
                }
            }
        }
        return problems
    }

}

/// Where a patient can go from each state: its branches, and the overflow and give-up states of the
/// roles queued for on the way. Built once, with dictionaries, since files may hold many states.
struct StateGraph {
    let index: [String: Int]
    /// Successors by state position.
    let successors: [[Int]]
    /// Where a patient queueing for each state may go instead (its role's overflow and give-up states).
    let detours: [[Int]]

    init(_ pathway: Pathway) {
        var index: [String: Int] = [:]
        for (i, s) in pathway.states.enumerated() where index[s.id] == nil { index[s.id] = i }
        var roleDetours: [RoleReference: [String]] = [:]
        for role in pathway.roles where roleDetours[role.reference] == nil {
            roleDetours[role.reference] = [role.limit?.overflow, role.patience?.destination].compactMap { $0 }
        }
        let detours = pathway.states.map { s in (s.owner.flatMap { roleDetours[$0] } ?? []).compactMap { index[$0] } }
        self.index = index
        self.detours = detours
        successors = pathway.states.map { s in
            let next = s.next.compactMap { index[$0.to] }
            return next + next.flatMap { detours[$0] }
        }
    }

    /// States reachable in one step or more from state `origin`.
    func reachable(from origin: Int) -> Set<Int> {
        var reached = Set<Int>()
        var stack = successors[origin]
        while let i = stack.popLast() {
            guard reached.insert(i).inserted else { continue }
            stack += successors[i]
        }
        return reached
    }
}
