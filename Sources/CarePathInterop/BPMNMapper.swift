import CarePathFormat
import CarePathModel
import Foundation

/// The mapping itself.
struct BPMNMapper {
    let bpmn: BPMNDocument
    let file: String
    private(set) var warnings: [FormatProblem] = []

    init(bpmn: BPMNDocument, file: String) {
        self.bpmn = bpmn
        self.file = file
    }

    // Built as the mapping goes (see the extensions by concern).
    var orgs: [OrgPlan] = []
    var orgOfProcess: [Int: Int] = [:]
    /// Node index -> lane id (the deepest lane listing it).
    var laneOfNode: [Int: String] = [:]
    /// Black-box pool (participant id) -> its organisation in `orgs`.
    var blackBoxOrg: [String: Int] = [:]
    var successors: [Int: [Edge]] = [:]
    var predecessors: [Int: [Int]] = [:]
    var alias: [Int: (target: Int, carries: [String], note: String?)] = [:]
    var reportedCycles = Set<Int>()
    var reportedDeadEnds = Set<Int>()
    var messageEdges: [Int: [MessageEdge]] = [:]
    /// Items a node sends without the patient moving (send and carry on; to a black-box pool), and
    /// to which organisation.
    var sendsOf: [Int: [(item: String, organisation: String)]] = [:]
    /// Items a node receives by message without the patient moving; from a black-box pool, the
    /// organisation where the item exists.
    var receivedFrom: [Int: [(item: String, blackBox: String?)]] = [:]
    var items: [PathwayDraft.Item] = []
    var itemNames = NameAllocator()
    var itemByTitle: [String: String] = [:]

    // MARK: Warnings

    mutating func warn(_ element: Int, _ message: String) {
        let e = bpmn.markup[element]
        let id = e.attribute("id") ?? ""
        let path = id.isEmpty ? DocumentPath.root.key(e.name) : DocumentPath.root.key(e.name).key(id)
        let problem = FormatProblem(.warning, file: file, line: e.line, column: e.column, path: path, message: message)
        if !warnings.contains(problem) { warnings.append(problem) }
    }

    mutating func warn(_ problem: FormatProblem) {
        if !warnings.contains(problem) { warnings.append(problem) }
    }

    mutating func warn(line: Int, column: Int, _ message: String) {
        let problem = FormatProblem(.warning, file: file, line: line, column: column, path: .root, message: message)
        if !warnings.contains(problem) { warnings.append(problem) }
    }

    mutating func warn(node: Int, _ message: String) { warn(bpmn.nodes[node].element, message) }

    func label(_ node: Int) -> String {
        let n = bpmn.nodes[node]
        return n.name.map { "\(n.tag) \"\($0)\" (\(n.id))" } ?? "\(n.tag) \(n.id)"
    }

    // MARK: The whole mapping

    mutating func map(pathwayID: String?) -> PathwayDraft {
        buildOrganisations()
        buildGraph()
        serialiseParallelBlocks()

        for note in bpmn.notes { warn(note.element, note.message) }
        for t in bpmn.markup.tolerated { warn(line: t.line, column: t.column, t.message) }
        if bpmn.annotations > 0 {
            warn(bpmn.processes[0].element, "\(bpmn.annotations) text annotation(s), association(s) or group(s) are diagram notes: not imported")
        }
        for (i, node) in bpmn.nodes.enumerated() {
            if node.container != nil { continue }
            switch node.kind {
            case .inclusiveGateway:
                warn(node: i, "inclusive gateway \(node.id): CarePath patients take exactly one branch, so it is an exclusive choice (equal probabilities until set)")
            case .complexGateway:
                warn(node: i, "complex gateway \(node.id): its rule cannot be mapped; an exclusive choice with equal probabilities until set")
            case .eventBasedGateway:
                warn(node: i, "event-based gateway \(node.id): whichever event comes first wins; CarePath chooses with equal probabilities until set")
            default: break
            }
            if let loop = node.loop {
                warn(node: i, "\(label(i)) is \(loop): CarePath runs it once per visit; fold the repetitions into its duration")
            }
            if node.kind == .activity && BPMNDocument.containerTags.contains(node.tag) {
                let inner = bpmn.nodes.filter { $0.container == i }.count
                if inner > 0 {
                    warn(node: i, "sub-process \(node.name.map { "\"\($0)\" " } ?? "")(\(node.id)) is one state; its \(inner) inner element(s) are not separate steps")
                }
            }
        }

        // Start events that only lead to one step are that step.
        for (i, node) in bpmn.nodes.enumerated() where node.kind == .startEvent && node.container == nil {
            guard !bpmn.messageFlows.contains(where: { $0.source == node.id }) else { continue }
            let leaves = branches(of: i, includeMessages: false)
            if leaves.count == 1, let leaf = leaves.first, leaf.carries.isEmpty, bpmn.nodes[leaf.target].kind != .endEvent,
               bpmn.nodes[leaf.target].kind != .startEvent {
                alias[i] = (leaf.target, [], nil)
            }
        }
        readMessageFlows()

        // States, in document order.
        var names = NameAllocator()
        var stateOfNode: [Int: Int] = [:]
        var terminalByID: [String: Int] = [:]
        var states: [PathwayDraft.State] = []
        var stateNodes: [Int] = []
        for (i, node) in bpmn.nodes.enumerated() where isState(i) && alias[i] == nil && node.kind != .endEvent {
            let base = CarePathName.given(node.carePathID)
                ?? node.name.flatMap { CarePathName.from($0) } ?? unnamed(i)
            var state = PathwayDraft.State(id: names.unique(base), title: node.name, owner: owner(of: i), duration: "0",
                                           durationComment: nil, occupies: false, terminal: false, sources: [node.id])
            describe(i, into: &state)
            stateOfNode[i] = states.count
            states.append(state)
            stateNodes.append(i)
        }
        for (i, node) in bpmn.nodes.enumerated() where isState(i) && alias[i] == nil && node.kind == .endEvent {
            let failed = node.eventDefinitions.contains("errorEventDefinition")
            let base = CarePathName.given(node.carePathID)
                ?? node.name.flatMap { CarePathName.from($0) } ?? (failed ? "failed" : "end")
            if let existing = terminalByID[base] {
                stateOfNode[i] = existing
                states[existing].sources.append(node.id)
                continue
            }
            terminalByID[base] = states.count
            stateOfNode[i] = states.count
            states.append(PathwayDraft.State(id: names.unique(base), title: node.name, owner: nil, duration: "0", durationComment: nil,
                                             occupies: false, terminal: true, sources: [node.id]))
        }

        func implicitEnd() -> Int {
            if let existing = terminalByID["end"] { return existing }
            terminalByID["end"] = states.count
            states.append(PathwayDraft.State(id: names.unique("end"), title: "End", owner: nil, duration: "0", durationComment: nil,
                                             occupies: false, terminal: true, sources: []))
            return states.count - 1
        }

        // Data objects written and read.
        for (s, node) in stateNodes.enumerated() {
            let inner = bpmn.nodes.indices.filter { bpmn.nodes[$0].container == node }
            for n in [node] + inner {
                for ref in bpmn.nodes[n].writes {
                    if let id = dataItem(ref, for: n), !states[s].produces.contains(id) { states[s].produces.append(id) }
                }
                for ref in bpmn.nodes[n].reads {
                    if let id = dataItem(ref, for: n), !states[s].needs.contains(id) { states[s].needs.append(id) }
                }
            }
        }

        // Items sent without the patient moving, and items received from black-box pools.
        func stateIndexOf(_ node: Int) -> Int? {
            var n = node, hops = 0
            while let a = alias[n], hops < bpmn.nodes.count { n = a.target; hops += 1 }
            return stateOfNode[n]
        }
        for (node, sends) in sendsOf.sorted(by: { $0.key < $1.key }) {
            guard let s = stateIndexOf(node), !states[s].terminal else { continue }
            for send in sends where !states[s].sends.contains(PathwayDraft.Send(item: send.item, organisation: send.organisation)) {
                states[s].sends.append(PathwayDraft.Send(item: send.item, organisation: send.organisation))
                if !states[s].produces.contains(send.item) { states[s].produces.append(send.item) }
            }
        }
        for (node, received) in receivedFrom.sorted(by: { $0.key < $1.key }) {
            guard let s = stateIndexOf(node), !states[s].terminal else { continue }
            for r in received {
                if !states[s].needs.contains(r.item) { states[s].needs.append(r.item) }
                if let box = r.blackBox, let i = items.firstIndex(where: { $0.id == r.item }), !items[i].existsAt.contains(box) {
                    items[i].existsAt.append(box)
                }
            }
        }

        // Branches.
        for (s, node) in stateNodes.enumerated() {
            let leaves = branches(of: node)
            var out: [PathwayDraft.Branch] = []
            for leaf in leaves {
                guard let target = stateOfNode[leaf.target] else { continue }
                out.append(PathwayDraft.Branch(to: states[target].id, share: leaf.share,
                                               carries: leaf.carries.isEmpty ? nil : leaf.carries, notes: leaf.notes))
                // The message is produced by the sender and needed by the receiver, unless their
                // organisations already record or need it elsewhere (a pathway exported by CarePath).
                for item in leaf.carries {
                    let sender = states[s].owner?.organisation, receiver = states[target].owner?.organisation
                    if !states.contains(where: { $0.owner?.organisation == sender && $0.produces.contains(item) }) {
                        states[s].produces.append(item)
                    }
                    if !states[target].terminal, !states.contains(where: { $0.owner?.organisation == receiver && $0.needs.contains(item) }) {
                        states[target].needs.append(item)
                    }
                }
            }
            if out.isEmpty {
                let end = implicitEnd()
                warn(node: node, "\(label(node)) has no outgoing sequence flow: it ends the pathway (BPMN's implicit end)")
                out.append(PathwayDraft.Branch(to: states[end].id, share: 1, carries: nil, notes: ["implicit end: no outgoing flow in BPMN"]))
            }
            states[s].branches = out
        }
        // The start: a start event no message triggers; a process without start events starts at
        // its steps that nothing leads to (BPMN's implicit start).
        let targeted = Set(bpmn.messageFlows.filter { blackBoxOrg[$0.source] == nil }.compactMap { bpmn.nodeIndex[$0.target].map(topLevel) })
            .union(bpmn.messageFlows.compactMap { flow in
                bpmn.participants.first { $0.id == flow.target }.flatMap { p in
                    bpmn.nodes.indices.first { bpmn.nodes[$0].kind == .startEvent && bpmn.processes[bpmn.nodes[$0].process].id == p.processRef && bpmn.nodes[$0].container == nil }
                }
            })
        let processOrder = orgs.map(\.process)
        var entries: [Int] = []
        for process in processOrder {
            let starts = bpmn.nodes.indices.filter { bpmn.nodes[$0].kind == .startEvent && bpmn.nodes[$0].container == nil && bpmn.nodes[$0].process == process }
            if !starts.isEmpty { entries += starts; continue }
            entries += bpmn.nodes.indices.filter {
                bpmn.nodes[$0].process == process && isState($0) && bpmn.nodes[$0].kind != .boundary
                    && bpmn.nodes[$0].kind != .endEvent && (predecessors[$0] ?? []).isEmpty
            }
        }
        var candidates = entries.filter { !targeted.contains($0) }
        if candidates.isEmpty, let first = entries.first {
            candidates = [first]
            warn(node: first, "every start of the model is triggered by a message from another pool: the pathway starts at \(label(first))")
        }
        if candidates.isEmpty, let first = stateNodes.first {
            candidates = [first]
            warn(bpmn.processes[0].element, "no start event and no step without incoming flows: the pathway starts at \(label(first))")
        }
        func stateIndex(_ node: Int) -> Int? {
            var n = node, hops = 0
            while let a = alias[n], hops < bpmn.nodes.count { n = a.target; hops += 1 }
            return stateOfNode[n]
        }
        let entryStates = candidates.compactMap(stateIndex).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        var startIndex: Int
        if entryStates.count == 1 {
            startIndex = entryStates[0]
        } else if entryStates.isEmpty {
            startIndex = implicitEnd()
        } else {
            startIndex = states.count
            let share = 1 / Double(entryStates.count)
            states.append(PathwayDraft.State(id: names.unique("start"), title: "Start", owner: states[entryStates[0]].owner, duration: "0",
                                             durationComment: nil, occupies: false, terminal: false,
                                             branches: entryStates.map { PathwayDraft.Branch(to: states[$0].id, share: share, carries: nil, notes: ["entry at BPMN \(states[$0].sources.first ?? "")"]) },
                                             comments: ["one entry for the \(entryStates.count) places where the BPMN model starts"], sources: []))
            if let first = candidates.first {
                warn(node: first, "the model starts in \(entryStates.count) places that no message triggers; patients enter at one of them (equal probabilities until set) through a 'start' state")
            }
        }

        // Only what the start reaches; every state must reach a terminal.
        let reached = reachable(from: startIndex, in: states)
        let left = states.indices.filter { !reached.contains($0) }
        if !left.isEmpty {
            let list = left.map { "\(states[$0].id) (\(states[$0].sources.joined(separator: ", ")))" }.joined(separator: ", ")
            warn(bpmn.processes[0].element, "\(left.count) step(s) cannot be reached from the start and are left out: \(list)")
        }
        let startID = states[startIndex].id
        states = left.isEmpty ? states : states.enumerated().filter { reached.contains($0.offset) }.map(\.element)
        startIndex = states.firstIndex { $0.id == startID } ?? 0
        let stuck = notFinishing(states)
        if !stuck.isEmpty {
            var endIndex = states.firstIndex { $0.terminal && $0.id == "end" }
            if endIndex == nil {
                states.append(PathwayDraft.State(id: names.unique("end"), title: "End", owner: nil, duration: "0", durationComment: nil,
                                                 occupies: false, terminal: true, sources: []))
                endIndex = states.count - 1
            }
            for s in stuck where !states[s].terminal {
                let k = Double(states[s].branches.count)
                for b in states[s].branches.indices { states[s].branches[b].share *= k / (k + 1) }
                states[s].branches.append(PathwayDraft.Branch(to: states[endIndex ?? 0].id, share: 1 / (k + 1), carries: nil,
                                                              notes: ["added: the BPMN loop has no way out"]))
                warn(bpmn.processes[0].element, "state '\(states[s].id)' (\(states[s].sources.joined(separator: ", "))) is in a loop with no way to an end event: a branch to 'end' was added")
            }
        }
        for s in states.indices { assignProbabilities(&states[s]) }

        // Only the items still used.
        // A message needed that nothing in the kept pathway sends (the reply of a pool whose steps
        // were left out): dropped, so that the gap it would show is not an artefact of the import.
        let available = Set(states.flatMap(\.produces) + items.filter { !$0.existsAt.isEmpty }.map(\.id))
        for s in states.indices {
            let unmet = states[s].needs.filter { need in !available.contains(need) && items.contains { $0.id == need && $0.comment.hasPrefix("BPMN message flow") } }
            guard !unmet.isEmpty else { continue }
            states[s].needs.removeAll { unmet.contains($0) }
            warn(bpmn.processes[0].element, "state '\(states[s].id)' would need \(unmet.joined(separator: ", ")), which no step left in the pathway records: not a need")
        }
        let used = Set(states.flatMap { $0.needs + $0.produces + $0.sends.map(\.item) + $0.branches.flatMap { $0.carries ?? [] } })
        let keptItems = items.filter { used.contains($0.id) }

        // The start state first, terminal states last.
        var ordered = [states[startIndex]]
        ordered += states.enumerated().filter { $0.offset != startIndex && !$0.element.terminal }.map(\.element)
        ordered += states.enumerated().filter { $0.offset != startIndex && $0.element.terminal }.map(\.element)

        let usedOrgs = orgs
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let title = bpmn.definitionsName ?? (stem.isEmpty ? "Imported pathway" : stem)
        let id = pathwayID.flatMap { CarePathName.isValid($0) ? $0 : nil } ?? CarePathName.from(title) ?? "imported-pathway"
        let pools = bpmn.participants.count
        return PathwayDraft(
            id: id, title: title,
            description: "Imported from the BPMN model \((file as NSString).lastPathComponent): \(max(pools, bpmn.processes.count)) pool(s), \(bpmn.processes.reduce(0) { $0 + $1.lanes.count }) lane(s), \(bpmn.nodes.filter { $0.container == nil }.count) flow element(s), \(bpmn.messageFlows.count) message flow(s).",
            header: [
                "Imported from \(file) by `carepath import bpmn`.",
                "BPMN gives the steps, who does them and how they connect; it has no durations, capacities,",
                "sectors, digital maturity or branch probabilities. Every default put in their place is marked",
                "TODO(planner): search for it, set the real figure and say where it comes from.",
            ] + (warnings.isEmpty ? [] : ["", "Not mapped, or mapped with a loss (also printed by the import):"]
                    + warnings.map { "- " + PathwayYAML.oneLine("\($0.path): \($0.message)") }),
            start: ordered[0].id,
            organisations: usedOrgs.filter { org in org.process >= 0 || keptItems.contains { $0.existsAt.contains(org.id) }
                    || ordered.contains { s in s.sends.contains { $0.organisation == org.id } } }.map { PathwayDraft.Organisation(id: $0.id, name: $0.name, roles: $0.roles, comment: $0.comment) },
            items: keptItems, states: ordered)
    }

    /// A name for a node that has none: what it is, and where.
    func unnamed(_ node: Int) -> String {
        let n = bpmn.nodes[node]
        let definition = n.eventDefinitions.first?.replacingOccurrences(of: "EventDefinition", with: "")
        switch n.kind {
        case .boundary:
            let attached = n.attachedTo.flatMap { bpmn.nodeIndex[$0] }.map { bpmn.nodes[topLevel($0)] }
            return CarePathName.from("\(definition ?? "event") after \(attached?.name ?? attached?.id ?? "step")") ?? "boundary-event"
        case .startEvent: return "start"
        case .intermediateCatch:
            if definition == "timer" { return "wait" }
            return CarePathName.from("wait for \(definition ?? "event")") ?? "wait"
        case .intermediateThrow: return CarePathName.from("send \(definition ?? "event")") ?? "event"
        default: return CarePathName.from(n.tag) ?? "step"
        }
    }

    /// Title, duration, waiting and comments of a state from its BPMN node.
    mutating func describe(_ node: Int, into state: inout PathwayDraft.State) {
        let n = bpmn.nodes[node]
        if let doc = n.documentation { state.comments.append(PathwayYAML.oneLine(doc, limit: 200)) }
        switch n.kind {
        case .activity:
            state.occupies = !n.holdsNoStaff
            if let text = n.carePathDuration, (try? DistributionText.parse(text, durations: true)) != nil {
                state.duration = text
            } else {
                state.duration = BPMNImport.defaultActivityDuration
                state.durationComment = "TODO(planner): duration of this step; BPMN \(n.tag) \(n.id) has none"
            }
            if n.tag == "callActivity" { state.comments.append("BPMN call activity \(n.id): the called process is one step here") }
        case .startEvent:
            state.comments.append("BPMN start event \(n.id): where patients enter")
        case .boundary:
            state.comments.append("BPMN boundary event \(n.id) on \(n.attachedTo ?? "?"): an alternative outcome of that step")
        case .intermediateCatch, .intermediateThrow:
            if n.eventDefinitions.contains("timerEventDefinition") {
                state.comments.append("BPMN timer event \(n.id): a wait that holds no staff")
                timer(node, into: &state)
            } else if n.kind == .intermediateCatch {
                state.durationComment = "TODO(planner): how long the wait at this \(n.eventDefinitions.first?.replacingOccurrences(of: "EventDefinition", with: "") ?? "") event lasts; BPMN \(n.id) gives none"
            } else {
                state.comments.append("BPMN \(n.tag) \(n.id): instantaneous")
            }
        default: break
        }
    }

    mutating func timer(_ node: Int, into state: inout PathwayDraft.State) {
        let n = bpmn.nodes[node]
        let timer = n.timer ?? BPMNDocument.Timer(kind: nil, text: "")
        if let text = n.carePathDuration, (try? DistributionText.parse(text, durations: true)) != nil {
            state.duration = text
            state.durationComment = "BPMN timer \(timer.text); the distribution as CarePath exported it"
            return
        }
        if timer.kind == "timeDuration", let parsed = ISODuration.parse(timer.text) {
            state.duration = DurationText.format(hours: parsed.hours)
            if DurationText.hours(state.duration).map({ abs($0 - parsed.hours) > 1e-9 * max(1, parsed.hours) }) ?? true {
                state.duration = formatExactly(hours: parsed.hours)
            }
            state.durationComment = "BPMN timer \(timer.text)" + (parsed.approximate ? " (years or months taken as 365 or 30 days)" : "")
            if parsed.approximate { warn(node: node, "timer \(n.id) duration \(timer.text) uses years or months: taken as 365 or 30 days") }
            return
        }
        state.duration = "0"
        let what: String
        switch timer.kind {
        case nil: what = "no duration (an empty timer)"
        case "timeDuration": what = "the duration '\(PathwayYAML.oneLine(timer.text, limit: 60))', which is not an ISO 8601 duration"
        default: what = "a \(timer.kind ?? "") '\(PathwayYAML.oneLine(timer.text, limit: 60))', not a duration"
        }
        state.durationComment = "TODO(planner): the wait's duration; BPMN timer \(n.id)\(n.name.map { " \"\($0)\"" } ?? "") has \(what)"
        warn(node: node, "timer \(n.id)\(n.name.map { " \"\($0)\"" } ?? "") has \(what): a wait of 0 until set")
    }

    /// Hours written exactly in the largest unit that divides them (seconds at worst).
    func formatExactly(hours: Double) -> String {
        let seconds = (hours * 3600).rounded()
        for (unit, size) in [("w", 604800.0), ("d", 86400), ("h", 3600), ("m", 60)] where seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(clampingFloor: seconds / size))\(unit)"
        }
        // Clamped, not trapped: a time this long is then refused by the pathway's bounds.
        return "\(Int(clampingFloor: seconds))s"
    }

    func reachable(from start: Int, in states: [PathwayDraft.State]) -> Set<Int> {
        let index = Dictionary(states.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<Int>(), stack = [start]
        while let s = stack.popLast() {
            guard seen.insert(s).inserted else { continue }
            stack += states[s].branches.compactMap { index[$0.to] }
        }
        return seen
    }

    func notFinishing(_ states: [PathwayDraft.State]) -> [Int] {
        let index = Dictionary(states.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var predecessors = Array(repeating: [Int](), count: states.count)
        for (i, s) in states.enumerated() { for b in s.branches { if let j = index[b.to] { predecessors[j].append(i) } } }
        var finishing = Set<Int>(), stack = states.indices.filter { states[$0].terminal }
        while let s = stack.popLast() {
            guard finishing.insert(s).inserted else { continue }
            stack += predecessors[s]
        }
        return states.indices.filter { !finishing.contains($0) }
    }

    /// Equal-ish shares written as decimals with four places that add up to exactly 1.
    func assignProbabilities(_ state: inout PathwayDraft.State) {
        guard state.branches.count > 1 else {
            if !state.branches.isEmpty { state.branches[0].p = nil }
            return
        }
        let total = state.branches.reduce(0) { $0 + $1.share }
        let unit = state.branches.count > 1000 ? 1_000_000 : 10_000
        let exact = state.branches.map { $0.share / max(total, 1e-300) * Double(unit) }
        var units = exact.map { max(Int($0.rounded(.down)), 1) }
        var remaining = unit - units.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - exact[$0].rounded(.down), -$0) > (exact[$1] - exact[$1].rounded(.down), -$1) }
        var k = 0
        while remaining > 0 { units[order[k % order.count]] += 1; remaining -= 1; k += 1 }
        while remaining < 0 {
            if let i = units.indices.max(by: { units[$0] < units[$1] }), units[i] > 1 { units[i] -= 1; remaining += 1 } else { break }
        }
        let digits = unit == 10_000 ? 4 : 6
        for b in state.branches.indices { state.branches[b].p = Self.decimal(units[b], digits: digits) }
    }

    /// 2500 with 4 digits -> "0.25"; 10000 -> "1".
    static func decimal(_ units: Int, digits: Int) -> String {
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        if units >= scale { return "1" }
        var fraction = String(units)
        fraction = String(repeating: "0", count: max(digits - fraction.count, 0)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "0" : "0." + fraction
    }
}
