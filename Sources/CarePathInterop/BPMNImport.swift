import CarePathFormat
import CarePathModel
import Foundation

/// Turns a BPMN 2.0 collaboration into a CarePath pathway file: pools become organisations, lanes
/// roles, tasks states, gateways branches, message flows cross-organisation handoffs. What BPMN
/// does not say (durations, capacities, sectors, probabilities) gets a default marked
/// `# TODO(planner): ...`; what cannot be mapped is listed as a warning with the element's id.
public enum BPMNImport {
    public static let modelNamespace = BPMNDocument.model
    /// Attributes in this namespace (`carepath:id`) keep CarePath's own names through an export and import.
    public static let carePathNamespace = "urn:carepath:bpmn"
    public static let maximumBytes = 32 * 1024 * 1024
    /// What a task takes until the planner says otherwise.
    public static let defaultActivityDuration = "1h"

    public struct Result: Sendable {
        /// The pathway file's text.
        public var yaml: String
        public var pathwayID: String
        /// What could not be mapped, or was mapped with a loss, each with the BPMN element's place and id.
        public var warnings: [FormatProblem]
        /// Problems `PathwayFile.check` finds in `yaml`: no errors are expected; warnings may be.
        public var check: [FormatProblem]
        public var organisations: Int
        public var roles: Int
        public var states: Int
        public var crossOrganisationHandoffs: Int
        public var items: Int
    }

    /// Reads and converts a BPMN file; `name` is how the file is named in messages.
    public static func convert(_ url: URL, as name: String? = nil, pathwayID: String? = nil) throws(FormatErrors) -> Result {
        let file = name ?? url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FormatErrors([FormatProblem(.error, file: file, line: 1, column: 1, path: .root,
                                              message: "cannot read the file: \(error.localizedDescription)")])
        }
        let stem = url.deletingPathExtension().lastPathComponent
        return try convert(data: data, file: file, pathwayID: pathwayID ?? CarePathName.from(stem))
    }

    /// The file's first line, shortened and with only printable ASCII, quoted for a message.
    static func opening(of data: Data) -> String {
        let line = String(decoding: data.prefix(200), as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            .prefix { $0 != "\n" && $0 != "\r" }
        let shown = line.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "?" }.joined()
        return "\"" + (shown.count > 40 ? shown.prefix(40) + "..." : shown) + "\""
    }

    /// Converts BPMN XML; throws located errors for a file that is not well-formed XML, not BPMN,
    /// or has no process.
    public static func convert(data: Data, file: String, pathwayID: String? = nil) throws(FormatErrors) -> Result {
        func fail(_ line: Int, _ column: Int, _ path: DocumentPath, _ message: String) -> FormatErrors {
            FormatErrors([FormatProblem(.error, file: file, line: line, column: column, path: path, message: message)])
        }
        func fail(_ line: Int, _ column: Int, _ message: String) -> FormatErrors { fail(line, column, .root, message) }
        if data.count > maximumBytes {
            throw fail(1, 1, "the file is larger than \(maximumBytes / 1024 / 1024) MB; expected a BPMN model")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw fail(1, 1, "the file is empty; expected BPMN 2.0 XML")
        }
        if let start = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }),
           start != UInt8(ascii: "<") {
            let text = String(decoding: data.prefix(65536), as: UTF8.self)
            let yaml = ["pathway:", "scenario:", "states:"].contains { text.hasPrefix($0) || text.contains("\n" + $0) }
            throw fail(1, 1, "not BPMN 2.0 XML: the file starts with \(opening(of: data)), not with an XML tag ('<')"
                       + (yaml ? "; it reads as a CarePath YAML file, which needs no import (`carepath validate` checks it)" : ""))
        }
        if let (line, column) = find("<!DOCTYPE", in: data) {
            throw fail(line, column, "a document type declaration (<!DOCTYPE ...>) is not allowed in a BPMN file; remove it")
        }
        let markup: MarkupDocument
        do throws(MarkupDocument.SyntaxError) {
            markup = try MarkupDocument.parse(data)
        } catch {
            throw fail(error.line, error.column, error.message)
        }
        guard let root = markup.root else { throw fail(1, 1, "the file has no XML element; expected BPMN 2.0 XML") }
        let r = markup[root]
        guard r.namespace == modelNamespace, r.name == "definitions" else {
            let namespace = r.namespace.map { "namespace \($0)" } ?? "no namespace"
            throw fail(r.line, r.column, DocumentPath.root.key(r.name),
                       "not a BPMN 2.0 model: the root element is <\(r.name)> in \(namespace); expected <definitions> in namespace \(modelNamespace)")
        }
        let bpmn = BPMNDocument(markup: markup, root: root)
        guard !bpmn.processes.isEmpty else {
            throw fail(r.line, r.column, DocumentPath.root.key("definitions"),
                       "the BPMN file has no <process>: there are no steps to import (only black-box pools, a choreography or a diagram?)")
        }
        guard bpmn.nodes.contains(where: { $0.container == nil }) else {
            let p = markup[bpmn.processes[0].element]
            throw fail(p.line, p.column, DocumentPath.root.key("process").key(bpmn.processes[0].id),
                       "the BPMN processes have no tasks, events or gateways: there are no steps to import")
        }
        var mapper = BPMNMapper(bpmn: bpmn, file: file)
        let draft = mapper.map(pathwayID: pathwayID)
        let yaml = PathwayYAML.render(draft)
        let check = PathwayFile.check(text: yaml, file: file.hasSuffix(".bpmn") ? String(file.dropLast(5)) + ".yaml" : file + ".yaml").problems
        return Result(yaml: yaml, pathwayID: draft.id, warnings: mapper.warnings, check: check,
                      organisations: draft.organisations.count, roles: draft.organisations.reduce(0) { $0 + $1.roles.count },
                      states: draft.states.count,
                      crossOrganisationHandoffs: draft.states.reduce(0) { total, s in
                          total + s.branches.filter { b in draft.organisationOf(b.to) != nil && draft.organisationOf(b.to) != s.owner?.organisation && s.owner != nil }.count
                      },
                      items: draft.items.count)
    }

    /// Line and column of the first occurrence of `needle` in `data`.
    static func find(_ needle: String, in data: Data) -> (Int, Int)? {
        let pattern = Array(needle.utf8)
        let bytes = [UInt8](data)
        guard bytes.count >= pattern.count else { return nil }
        var line = 1, column = 1
        var i = 0
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0] && Array(bytes[i..<i + pattern.count]) == pattern { return (line, column) }
            if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return nil
    }
}

/// A pathway being built from BPMN, with the comments that go beside each value.
struct PathwayDraft {
    struct Role { var id: String; var title: String; var comment: String }
    struct Organisation { var id: String; var name: String; var roles: [Role]; var comment: String? }
    struct Item { var id: String; var title: String; var comment: String }
    struct Owner: Equatable { var organisation: String; var role: String }
    struct Branch {
        var to: String
        var share: Double
        var p: String?
        var carries: [String]?
        var notes: [String]
    }
    struct State {
        var id: String
        var title: String?
        var owner: Owner?
        var duration: String
        var durationComment: String?
        var occupies: Bool
        var needs: [String] = []
        var produces: [String] = []
        var terminal: Bool
        var branches: [Branch] = []
        var comments: [String] = []
        /// BPMN element ids this state came from, for warnings.
        var sources: [String] = []
    }

    var id: String
    var title: String
    var description: String
    var header: [String]
    var start: String
    var organisations: [Organisation]
    var items: [Item]
    var states: [State]

    func organisationOf(_ state: String) -> String? { states.first { $0.id == state }?.owner?.organisation }
}

/// The mapping itself.
struct BPMNMapper {
    let bpmn: BPMNDocument
    let file: String
    private(set) var warnings: [FormatProblem] = []

    init(bpmn: BPMNDocument, file: String) {
        self.bpmn = bpmn
        self.file = file
    }

    // MARK: Warnings

    mutating func warn(_ element: Int, _ message: String) {
        let e = bpmn.markup[element]
        let id = e.attribute("id") ?? ""
        let path = id.isEmpty ? DocumentPath.root.key(e.name) : DocumentPath.root.key(e.name).key(id)
        let problem = FormatProblem(.warning, file: file, line: e.line, column: e.column, path: path, message: message)
        if !warnings.contains(problem) { warnings.append(problem) }
    }

    mutating func warn(node: Int, _ message: String) { warn(bpmn.nodes[node].element, message) }

    func label(_ node: Int) -> String {
        let n = bpmn.nodes[node]
        return n.name.map { "\(n.tag) \"\($0)\" (\(n.id))" } ?? "\(n.tag) \(n.id)"
    }

    // MARK: Organisations and roles

    struct OrgPlan {
        var id: String
        var name: String
        var process: Int
        var roles: [PathwayDraft.Role]
        var comment: String?
        /// Lane id -> role index.
        var laneRoles: [String: Int]
        var defaultRole: Int?
        var roleNames: NameAllocator
    }

    var orgs: [OrgPlan] = []
    var orgOfProcess: [Int: Int] = [:]
    /// Node index -> lane id (the deepest lane listing it).
    var laneOfNode: [Int: String] = [:]

    mutating func buildOrganisations() {
        var orgNames = NameAllocator()
        var participantOfProcess: [String: Int] = [:]
        for (i, p) in bpmn.participants.enumerated() {
            guard let ref = p.processRef, bpmn.processes.contains(where: { $0.id == ref }) else {
                let what = p.name.map { "pool \"\($0)\"" } ?? "a pool"
                warn(p.element, "\(what) has no process (a black-box pool): it has no steps, so it is not an organisation of the pathway; message flows to or from it are not handoffs")
                continue
            }
            if participantOfProcess[ref] == nil { participantOfProcess[ref] = i }
        }
        // Pools in the collaboration's order, then processes no pool shows.
        var order: [Int] = bpmn.participants.compactMap { p in bpmn.processes.firstIndex { $0.id == p.processRef } }
        var seen = Set<Int>()
        order = order.filter { seen.insert($0).inserted }
        order += bpmn.processes.indices.filter { !seen.contains($0) }

        for processIndex in order {
            let process = bpmn.processes[processIndex]
            let participant = participantOfProcess[process.id].map { bpmn.participants[$0] }
            let name = participant?.name ?? process.name ?? process.id
            let base = CarePathName.given(participant?.carePathID)
                ?? CarePathName.from(participant?.name ?? process.name ?? "")
                ?? CarePathName.from(process.id) ?? "organisation"
            let id = orgNames.unique(base)
            var plan = OrgPlan(id: id, name: name, process: processIndex, roles: [], comment: nil, laneRoles: [:], defaultRole: nil,
                               roleNames: NameAllocator())
            if participant == nil && bpmn.participants.count > 0 {
                warn(process.element, "process \(process.id) is not shown as a pool in the collaboration; imported as organisation '\(id)'")
            }
            // The deepest lane that lists a node owns it.
            var depth: [String: Int] = [:]
            for lane in process.lanes {
                for ref in lane.nodeRefs {
                    guard let node = bpmn.nodeIndex[ref] else { continue }
                    if let d = depth[ref], d >= lane.depth { continue }
                    depth[ref] = lane.depth
                    laneOfNode[node] = lane.id
                }
            }
            let owning = Set(laneOfNode.filter { bpmn.nodes[$0.key].process == processIndex }.values)
            for lane in process.lanes where !lane.hasChildren || owning.contains(lane.id) {
                let title = lane.name ?? "Lane \(lane.id)"
                let roleBase = CarePathName.given(lane.carePathID)
                    ?? lane.name.flatMap { CarePathName.from($0) } ?? CarePathName.from(lane.id) ?? "role"
                plan.laneRoles[lane.id] = plan.roles.count
                plan.roles.append(PathwayDraft.Role(id: plan.roleNames.unique(roleBase), title: title,
                                                    comment: "BPMN lane \(lane.id)"))
            }
            if process.lanes.isEmpty {
                plan.defaultRole = 0
                plan.roles.append(PathwayDraft.Role(id: plan.roleNames.unique("staff"), title: name,
                                                    comment: "the pool has no lanes: one role for all its work; name it"))
            }
            orgOfProcess[processIndex] = orgs.count
            orgs.append(plan)
        }
    }

    /// The role of the lane a node is in; nodes outside any lane borrow a neighbour's, else an
    /// `unassigned` role is made.
    mutating func owner(of node: Int) -> PathwayDraft.Owner? {
        let n = bpmn.nodes[node]
        guard let o = orgOfProcess[n.process] else { return nil }
        if let lane = laneOfNode[node], let r = orgs[o].laneRoles[lane] {
            return PathwayDraft.Owner(organisation: orgs[o].id, role: orgs[o].roles[r].id)
        }
        if let r = orgs[o].defaultRole { return PathwayDraft.Owner(organisation: orgs[o].id, role: orgs[o].roles[r].id) }
        // A boundary event belongs with its activity; an event outside the lanes with its neighbour.
        var neighbours: [Int] = []
        if let attached = n.attachedTo.flatMap({ bpmn.nodeIndex[$0] }) { neighbours.append(attached) }
        neighbours += (successors[node] ?? []).map(\.target) + (predecessors[node] ?? [])
        for m in neighbours where bpmn.nodes[m].process == n.process {
            if let lane = laneOfNode[m], let r = orgs[o].laneRoles[lane] {
                return PathwayDraft.Owner(organisation: orgs[o].id, role: orgs[o].roles[r].id)
            }
        }
        if orgs[o].defaultRole == nil || laneOfNode[node] == nil {
            let fallback: Int
            if let existing = orgs[o].roles.firstIndex(where: { $0.comment.hasPrefix("elements outside every lane") }) {
                fallback = existing
            } else {
                fallback = orgs[o].roles.count
                orgs[o].roles.append(PathwayDraft.Role(id: orgs[o].roleNames.unique("unassigned"), title: "Not in any lane",
                                                       comment: "elements outside every lane of the pool: give them a role"))
            }
            warn(node: node, "\(label(node)) is in no lane of its pool: given the role '\(orgs[o].roles[fallback].id)'")
            return PathwayDraft.Owner(organisation: orgs[o].id, role: orgs[o].roles[fallback].id)
        }
        return nil
    }

    // MARK: The flow graph

    struct Edge {
        var target: Int
        /// The sequence flow, or nil for a boundary or link edge.
        var flow: Int?
        var note: String?
    }

    var successors: [Int: [Edge]] = [:]
    var predecessors: [Int: [Int]] = [:]

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
    var alias: [Int: (target: Int, carries: [String], note: String?)] = [:]
    var reportedCycles = Set<Int>()
    var reportedDeadEnds = Set<Int>()

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
        edges = []
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
            let kinds = (successors[node] ?? []).map { $0.flow == nil ? ($0.note == nil ? "link" : "boundary") : "sequence" } + messages.map { _ in "message" }
            if kinds.filter({ $0 == "sequence" }).count > 1 || kinds.contains("message") {
                warn(node: node, "\(label(node)) has \(total) outgoing flows (\(kinds.joined(separator: ", "))) and no gateway; BPMN takes them all, a CarePath patient takes one: they are alternatives with equal probabilities until set")
            }
        }
        return merged
    }

    // MARK: Message flows

    struct MessageItem { var id: String; var title: String }
    struct MessageEdge { var target: Int; var item: MessageItem?; var flowID: String }
    var messageEdges: [Int: [MessageEdge]] = [:]
    var items: [PathwayDraft.Item] = []
    var itemNames = NameAllocator()
    var itemByTitle: [String: String] = [:]

    mutating func item(named title: String, id given: String? = nil, comment: String) -> MessageItem {
        let key = CarePathName.given(given) ?? CarePathName.from(title) ?? title
        if let id = itemByTitle[key] { return MessageItem(id: id, title: title) }
        let id = itemNames.unique(CarePathName.given(given) ?? CarePathName.from(title) ?? "item")
        itemByTitle[key] = id
        items.append(PathwayDraft.Item(id: id, title: title, comment: comment))
        return MessageItem(id: id, title: title)
    }

    /// The node a message flow's end stands for; a pool stands for its process's start event.
    mutating func messageEnd(_ ref: String, of flow: BPMNDocument.MessageFlow, isSource: Bool) -> Int? {
        if let n = bpmn.nodeIndex[ref] {
            let top = topLevel(n)
            if bpmn.nodes[top].kind.isGateway || (!isState(top) && alias[top] == nil) {
                warn(flow.element, "message flow \(flow.id) \(isSource ? "starts" : "ends") at \(label(top)), which is not a step: not a handoff")
                return nil
            }
            return top
        }
        guard let participant = bpmn.participants.first(where: { $0.id == ref }) else {
            warn(flow.element, "message flow \(flow.id) refers to '\(ref)', which is neither an element nor a pool: ignored")
            return nil
        }
        let pool = participant.name.map { "pool \"\($0)\"" } ?? "pool \(participant.id)"
        if isSource {
            warn(flow.element, "message flow \(flow.id) comes from the whole \(pool), not from one of its steps: not a handoff")
            return nil
        }
        guard let process = bpmn.processes.firstIndex(where: { $0.id == participant.processRef }) else {
            warn(flow.element, "message flow \(flow.id) goes to the black-box \(pool): not a handoff")
            return nil
        }
        let starts = bpmn.nodes.indices.filter { bpmn.nodes[$0].process == process && bpmn.nodes[$0].kind == .startEvent && bpmn.nodes[$0].container == nil }
        guard let first = starts.first else {
            warn(flow.element, "message flow \(flow.id) goes to the whole \(pool), which has no start event: not a handoff")
            return nil
        }
        if starts.count > 1 {
            warn(flow.element, "message flow \(flow.id) goes to the whole \(pool), which has \(starts.count) start events: taken to start at \(label(first))")
        }
        return first
    }

    mutating func readMessageFlows() {
        var endTargets: [Int: (target: Int, items: [String], flows: [String])] = [:]
        for flow in bpmn.messageFlows {
            guard let source = messageEnd(flow.source, of: flow, isSource: true),
                  let target = messageEnd(flow.target, of: flow, isSource: false) else { continue }
            guard source != target else { continue }
            let title = flow.name ?? flow.messageRef.flatMap { bpmn.messageNames[$0] }
            let message = title.map { item(named: $0, id: flow.carePathID, comment: "BPMN message flow \(flow.id)") }
            if bpmn.nodes[source].kind == .endEvent {
                if let existing = endTargets[source] {
                    if existing.target == target {
                        endTargets[source]?.items += message.map { [$0.id] } ?? []
                        endTargets[source]?.flows.append(flow.id)
                    } else {
                        warn(flow.element, "end event \(bpmn.nodes[source].id) sends more than one message to different steps; the patient follows the first (\(existing.flows[0])), message flow \(flow.id) is not a handoff")
                    }
                } else {
                    endTargets[source] = (target, message.map { [$0.id] } ?? [], [flow.id])
                }
                continue
            }
            messageEdges[source, default: []].append(MessageEdge(target: target, item: message, flowID: flow.id))
            if message == nil {
                warn(flow.element, "message flow \(flow.id) has no name and no named message: a handoff that carries no item")
            }
        }
        // A message end event hands the patient to the message's target instead of ending.
        for (end, t) in endTargets.sorted(by: { $0.key < $1.key }) {
            var target = t.target, carries = t.items
            var hops = 0
            while let a = alias[target], hops < bpmn.nodes.count { target = a.target; carries += a.carries; hops += 1 }
            alias[end] = (target, carries, "message flow \(t.flows.joined(separator: ", ")) from \(label(end))")
            if t.items.isEmpty {
                warn(node: end, "the message from \(label(end)) has no name: a handoff that carries no item")
            }
        }
    }

    // MARK: Data objects

    mutating func dataItem(_ ref: String, for node: Int) -> String? {
        guard let data = bpmn.dataReferences[ref] else {
            warn(node: node, "\(label(node)) reads or writes '\(ref)', which is not a data object of the process: ignored")
            return nil
        }
        if data.isStore {
            warn(data.element, "data store \(data.name.map { "\"\($0)\" " } ?? "")(\(data.id)) is a system, not an information item: not imported")
            return nil
        }
        let title = data.name ?? data.objectRef.flatMap { bpmn.dataReferences[$0]?.name } ?? data.id
        return item(named: title, id: data.carePathID, comment: "BPMN data object \(data.id)").id
    }

    // MARK: The whole mapping

    mutating func map(pathwayID: String?) -> PathwayDraft {
        buildOrganisations()
        buildGraph()
        serialiseParallelBlocks()

        for note in bpmn.notes { warn(note.element, note.message) }
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
        let targeted = Set(bpmn.messageFlows.compactMap { bpmn.nodeIndex[$0.target].map(topLevel) })
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
        let used = Set(states.flatMap { $0.needs + $0.produces + $0.branches.flatMap { $0.carries ?? [] } })
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
            organisations: usedOrgs.map { PathwayDraft.Organisation(id: $0.id, name: $0.name, roles: $0.roles, comment: $0.comment) },
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
            return "\(Int(seconds / size))\(unit)"
        }
        return "\(Int(seconds))s"
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
