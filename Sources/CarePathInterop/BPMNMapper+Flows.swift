import CarePathFormat
import CarePathModel
import Foundation

/// The sequence-flow graph between top-level nodes, and branches through gateways.
extension BPMNMapper {
    // MARK: The flow graph

    struct Edge {
        var target: Int
        /// The sequence flow, or nil for a boundary or link edge.
        var flow: Int?
        var note: String?
    }


    /// The top-level node that stands for `node`: itself, or the expanded sub-process it is inside.
    func topLevel(_ node: Int) -> Int { bpmn.nodes[node].container ?? node }

    func isState(_ node: Int) -> Bool {
        let n = bpmn.nodes[node]
        guard n.container == nil else { return false }
        switch n.kind {
        case .activity, .startEvent, .endEvent, .boundary: return true
        case .intermediateCatch, .intermediateThrow: return !n.eventDefinitions.contains("linkEventDefinition")
        default: return false
        }
    }

    mutating func buildGraph() {
        for (f, flow) in bpmn.flows.enumerated() where !flow.inner {
            guard let s = bpmn.nodeIndex[flow.source], let t = bpmn.nodeIndex[flow.target] else {
                let missing = bpmn.nodeIndex[flow.source] == nil ? flow.source : flow.target
                warn(flow.element, "sequence flow \(flow.id) refers to '\(missing)', which is not a task, event or gateway of the process: ignored")
                continue
            }
            let source = topLevel(s), target = topLevel(t)
            guard source != target else { continue }
            successors[source, default: []].append(Edge(target: target, flow: f, note: nil))
            predecessors[target, default: []].append(source)
        }
        for (i, node) in bpmn.nodes.enumerated() where node.container == nil {
            if node.kind == .boundary {
                let kind = node.eventDefinitions.first.map { $0.replacingOccurrences(of: "EventDefinition", with: "") } ?? "none"
                guard let attached = node.attachedTo.flatMap({ bpmn.nodeIndex[$0] }) else {
                    warn(node: i, "boundary event \(node.id) is attached to no known activity: ignored")
                    continue
                }
                let activity = topLevel(attached)
                successors[activity, default: []].append(Edge(target: i, flow: nil, note: "\(kind) boundary event \(node.name.map { "\"\($0)\" " } ?? "")(\(node.id))"))
                predecessors[i, default: []].append(activity)
                warn(node: i, "\(kind) boundary event on \(label(activity)): CarePath has no interrupting events, so it is an alternative outcome of that step (equal probability until set)")
            }
            if node.kind == .intermediateThrow, node.eventDefinitions.contains("linkEventDefinition") {
                let catches = bpmn.nodes.indices.filter {
                    bpmn.nodes[$0].kind == .intermediateCatch && bpmn.nodes[$0].process == node.process
                        && bpmn.nodes[$0].eventDefinitions.contains("linkEventDefinition") && bpmn.nodes[$0].linkName == node.linkName
                        && bpmn.nodes[$0].container == nil
                }
                if catches.isEmpty {
                    warn(node: i, "link event \(node.id) has no catching link named '\(node.linkName ?? "")': the path ends here")
                }
                for c in catches {
                    successors[i, default: []].append(Edge(target: c, flow: nil, note: nil))
                    predecessors[c, default: []].append(i)
                }
            }
        }
    }

    /// A parallel split whose branches are plain chains of steps meeting at one parallel join runs
    /// its branches one after another; any other parallel split becomes a choice, with a warning.
    mutating func serialiseParallelBlocks() {
        for (g, node) in bpmn.nodes.enumerated() where node.kind == .parallelGateway && node.container == nil {
            let outs = successors[g] ?? []
            guard outs.count >= 2 else { continue }
            var chains: [[Int]] = []
            var join: Int?
            var simple = true
            for edge in outs {
                var chain: [Int] = []
                var n = edge.target
                var steps = 0
                while bpmn.nodes[n].kind != .parallelGateway {
                    let next = successors[n] ?? []
                    let hasBoundary = bpmn.nodes.contains { $0.kind == .boundary && $0.attachedTo.flatMap { bpmn.nodeIndex[$0] }.map(topLevel) == n }
                    guard isState(n), bpmn.nodes[n].kind != .endEvent, (predecessors[n] ?? []).count == 1, next.count == 1,
                          !hasBoundary, steps < bpmn.nodes.count else { simple = false; break }
                    chain.append(n)
                    n = next[0].target
                    steps += 1
                }
                guard simple else { break }
                if join == nil { join = n }
                if join != n { simple = false; break }
                chains.append(chain)
            }
            if simple, let join, join != g, (predecessors[join] ?? []).count == outs.count {
                let nonEmpty = chains.filter { !$0.isEmpty }
                if let first = nonEmpty.first {
                    successors[g] = [Edge(target: first[0], flow: outs[0].flow, note: nil)]
                    for (a, b) in zip(nonEmpty, nonEmpty.dropFirst()) {
                        successors[a[a.count - 1]] = [Edge(target: b[0], flow: nil, note: nil)]
                    }
                    let last = nonEmpty[nonEmpty.count - 1]
                    successors[last[last.count - 1]] = [Edge(target: join, flow: nil, note: nil)]
                } else {
                    successors[g] = [Edge(target: join, flow: nil, note: nil)]
                }
                let names = nonEmpty.map { chain in chain.map { bpmn.nodes[$0].name ?? bpmn.nodes[$0].id }.joined(separator: " > ") }
                warn(node: g, "parallel gateway \(node.id): a patient is in one state at a time, so its \(outs.count) branches run one after another (\(names.joined(separator: "; then "))); time in pathway is their sum, not the longest")
            } else {
                warn(node: g, "parallel gateway \(node.id): its branches do not meet again at one parallel gateway as simple chains of steps, so each patient takes one of its \(outs.count) branches (equal probabilities until set); a joining parallel gateway lets every patient through")
            }
        }
    }

    // MARK: Branches

    struct Leaf {
        var target: Int
        var share: Double
        var carries: [String]
        var notes: [String]
    }

    /// Aliases: a start event collapsed into its only step, or a message end event that hands the
    /// patient over to another pool.

    func flowNote(_ flow: Int?, from gateway: Int?) -> [String] {
        guard let flow else { return [] }
        let f = bpmn.flows[flow]
        var parts: [String] = []
        if let g = gateway, (successors[g] ?? []).count > 1 {
            let n = bpmn.nodes[g]
            let kinds = ["exclusiveGateway": "exclusive gateway", "parallelGateway": "parallel gateway",
                         "inclusiveGateway": "inclusive gateway", "eventBasedGateway": "event-based gateway",
                         "complexGateway": "complex gateway"]
            parts.append("\(kinds[n.tag] ?? n.tag) \(n.name.map { "\"\($0)\" " } ?? "")(\(n.id))")
        }
        if let name = f.name { parts.append("branch \"\(name)\"") }
        if let c = f.condition, c != f.name { parts.append("condition \(c)") }
        if let g = gateway, bpmn.nodes[g].defaultFlow == f.id { parts.append("default flow") }
        return parts.isEmpty ? [] : [parts.joined(separator: ", ")]
    }

    /// The states reached from `edge`, through gateways and links, each with its share.
    mutating func expand(_ edge: Edge, from source: Int?, share: Double, notes: [String], visiting: Set<Int>) -> [Leaf] {
        let t = edge.target
        var notes = notes + flowNote(edge.flow, from: source.flatMap { bpmn.nodes[$0].kind.isGateway ? $0 : nil })
        if let note = edge.note { notes.append(note) }
        if let a = alias[t] {
            if let note = a.note { notes.append(note) }
            return [Leaf(target: a.target, share: share, carries: a.carries, notes: notes)]
        }
        if isState(t) { return [Leaf(target: t, share: share, carries: [], notes: notes)] }
        if visiting.contains(t) {
            if reportedCycles.insert(t).inserted {
                warn(node: t, "a loop through gateways with no task in it, at \(label(t)): that path is left out")
            }
            return []
        }
        let outs = successors[t] ?? []
        if outs.isEmpty {
            if reportedDeadEnds.insert(t).inserted {
                warn(node: t, "\(label(t)) has no outgoing sequence flow: paths through it end the pathway")
            }
            return []
        }
        // Probabilities written by CarePath's own export; the rest split what is left equally.
        let given = outs.map { $0.flow.flatMap { bpmn.flows[$0].carePathP } }
        let givenTotal = given.compactMap { $0 }.reduce(0, +)
        let missing = given.filter { $0 == nil }.count
        let useGiven = missing < outs.count && givenTotal <= 1 + 1e-9
        var leaves: [Leaf] = []
        for (j, out) in outs.enumerated() {
            let fraction = useGiven ? (given[j] ?? max(1 - givenTotal, 0) / Double(max(missing, 1))) : 1 / Double(outs.count)
            leaves += expand(out, from: t, share: share * fraction, notes: notes, visiting: visiting.union([t]))
        }
        return leaves
    }

    /// The branches of a state: its sequence flows, boundary events and message flows, each an
    /// alternative; gateways behind them are flattened into one list with shares.
    mutating func branches(of node: Int, includeMessages: Bool = true) -> [Leaf] {
        var edges = successors[node] ?? []
        let messages = includeMessages ? (messageEdges[node] ?? []) : []
        // A step whose sequence flows only end its pool hands the patient over by its message
        // flow (a referral): the end is not an alternative to the handoff.
        if !messages.isEmpty && edges.contains(where: { $0.flow != nil }) {
            edges.removeAll { $0.flow != nil }
            warn(node: node, "\(label(node)) sends a message and its sequence flow only ends its pool: the patient follows the message flow (a handoff)")
        }
        let total = edges.count + messages.count
        guard total > 0 else { return [] }
        var leaves: [Leaf] = []
        for edge in edges { leaves += expand(edge, from: node, share: 1 / Double(total), notes: [], visiting: []) }
        for m in messages {
            var notes = ["message flow \(m.flowID)" + (m.item.map { " \"\($0.title)\"" } ?? " (no message name: no item)")]
            var target = m.target, carries = m.item.map { [$0.id] } ?? []
            if let a = alias[target] {
                target = a.target
                carries += a.carries
                if let note = a.note { notes.append(note) }
            }
            leaves.append(Leaf(target: target, share: 1 / Double(total), carries: carries, notes: notes))
        }
        // One branch per target and set of items.
        var merged: [Leaf] = []
        for leaf in leaves {
            if let i = merged.firstIndex(where: { $0.target == leaf.target && $0.carries == leaf.carries }) {
                merged[i].share += leaf.share
                merged[i].notes += leaf.notes.filter { !merged[i].notes.contains($0) }
            } else {
                merged.append(leaf)
            }
        }
        if total > 1 && bpmn.nodes[node].kind != .boundary {
            let kinds = edges.map { $0.flow == nil ? ($0.note == nil ? "link" : "boundary") : "sequence" } + messages.map { _ in "message" }
            if kinds.filter({ $0 == "sequence" }).count > 1 || kinds.contains("message") {
                warn(node: node, "\(label(node)) has \(total) outgoing flows (\(kinds.joined(separator: ", "))) and no gateway; BPMN takes them all, a CarePath patient takes one: they are alternatives with equal probabilities until set (a message flow out of a step that carries on is a send, not an alternative)")
            }
        }
        return merged
    }

}
