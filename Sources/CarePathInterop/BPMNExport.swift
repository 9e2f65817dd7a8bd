import CarePathFormat
import CarePathModel
import Foundation

/// A pathway as BPMN 2.0 XML, for workshop tools (bpmn.io, Camunda Modeler, Signavio): a pool per
/// organisation, a lane per role, a task per state (a timer wait for a state that holds no staff),
/// sequence flows inside an organisation, an exclusive gateway where a state branches, and a
/// message flow per item a cross-organisation handoff carries, from a message end event in the
/// sender's pool to the receiving task. A simple layout is included so the diagram opens ready
/// to read. CarePath's own names, durations and probabilities travel in `carepath:` attributes,
/// so `carepath import bpmn` gives the same organisations, roles, states, items and handoffs back.
public enum BPMNExport {
    /// The pathway as BPMN. With the pathway file's text (`source`), every element also carries
    /// its part of the file in `extensionElements`, so that `import bpmn` gives the same pathway back.
    public static func xml(_ pathway: Pathway, source: String? = nil) -> String {
        var writer = Writer(pathway: pathway, fragments: source.flatMap { PathwayFragments(source: $0) })
        return writer.document()
    }

    struct Shape {
        var id: String
        var element: String
        var x: Double, y: Double, width: Double, height: Double
        var isHorizontal = false
    }

    struct Writer {
        let pathway: Pathway
        var lines: [String] = []
        var flowCount = 0
        var messageFlows: [(id: String, source: String, target: String, item: InformationItem?)] = []
        /// Message flows into a pool that stand for a handoff to one of its states (a wait or an end).
        var messageTargets: [String: String] = [:]
        var shapes: [String: Shape] = [:]
        var edges: [(id: String, source: String, target: String)] = []
        /// Data associations, drawn as edges between a task and a data object.
        var associations: [(id: String, source: String, target: String)] = []
        let fragments: PathwayFragments?
        /// States whose fragment an element carries; the others go on the collaboration.
        var described: Set<String> = []

        init(pathway: Pathway, fragments: PathwayFragments?) { self.pathway = pathway; self.fragments = fragments }

        /// The `carepath:state` fragment of a state, once per state.
        mutating func stateExtension(_ id: String, indent: String) -> [String] {
            guard let fragments, described.insert(id).inserted else { return [] }
            return PathwayFragments.element("state", [("id", id)], fragments.states[id], indent: indent)
        }

        func carriedCount(_ state: State, _ branch: Transition) -> Int {
            pathway.itemsCarried(from: state, by: branch).compactMap { pathway.item($0) }.count
        }

        /// An end event for a terminal state.
        mutating func endEvent(_ id: String, _ target: State) -> [String] {
            let ext = stateExtension(target.id, indent: "      ")
            let open = "    <bpmn:endEvent id=\"\(id)\" name=\"\(e(target.title ?? target.id))\" carepath:id=\"\(e(target.id))\""
            return ext.isEmpty ? [open + " />"] : [open + ">"] + ext + ["    </bpmn:endEvent>"]
        }

        static func id(_ parts: String...) -> String {
            parts.map { part in String(part.unicodeScalars.map { CarePathName.isValid(String($0)) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "_" }) }
                .joined(separator: "_")
        }

        func e(_ text: String) -> String { XMLText.escape(text) }

        /// The element that stands for a state inside its organisation's process.
        func node(_ state: State) -> String { Self.isTask(state) ? Self.id("Task", state.id) : Self.id("Wait", state.id) }

        /// A state that holds no staff and records nothing is a timer wait; any other is a task.
        static func isTask(_ state: State) -> Bool {
            state.occupiesRole || !state.needs.isEmpty || !state.produces.isEmpty || !state.sends.isEmpty
        }

        // Per organisation: the flow elements, and which lane holds each.
        struct Pool {
            var organisation: Organisation
            var body: [String] = []
            var laneNodes: [String: [String]] = [:]
            var column: [String: Int] = [:]
            var lane: [String: String] = [:]
            var ends: Set<String> = []
        }

        mutating func document() -> String {
            let levels = self.levels()
            var pools: [Pool] = pathway.organisations.map { Pool(organisation: $0) }
            func poolIndex(_ org: String) -> Int? { pools.firstIndex { $0.organisation.id == org } }
            var handoffEnds = 0

            for state in pathway.states where !state.isTerminal {
                guard let owner = state.owner, let p = poolIndex(owner.organisation) else { continue }
                let lane = owner.role
                let level = levels[state.id] ?? 0
                let me = node(state)
                pools[p].laneNodes[lane, default: []].append(me)
                pools[p].column[me] = 2 * level + 1
                pools[p].lane[me] = lane
                var body: [String] = []
                let title = state.title ?? state.id
                let duration = DistributionText.format(state.duration)
                let attributes = "id=\"\(me)\" name=\"\(e(title))\" carepath:id=\"\(e(state.id))\" carepath:duration=\"\(e(duration))\""
                    + (state.occupiesRole ? "" : " carepath:occupies=\"false\"")
                if Self.isTask(state) {
                    body.append("    <bpmn:task \(attributes)>")
                    body.append("      <bpmn:documentation>\(e(documentation(state)))</bpmn:documentation>")
                    body += stateExtension(state.id, indent: "      ")
                    if !state.needs.isEmpty {
                        body.append("      <bpmn:property id=\"\(Self.id("Property", state.id))\" name=\"__targetRef_placeholder\" />")
                    }
                    for item in state.needs {
                        body.append("      <bpmn:dataInputAssociation id=\"\(Self.id("DataInput", state.id, item))\">")
                        body.append("        <bpmn:sourceRef>\(Self.id("DataObjectReference", owner.organisation, item))</bpmn:sourceRef>")
                        associations.append((Self.id("DataInput", state.id, item), Self.id("DataObjectReference", owner.organisation, item), me))
                        body.append("        <bpmn:targetRef>\(Self.id("Property", state.id))</bpmn:targetRef>")
                        body.append("      </bpmn:dataInputAssociation>")
                    }
                    for item in state.produces {
                        body.append("      <bpmn:dataOutputAssociation id=\"\(Self.id("DataOutput", state.id, item))\">")
                        body.append("        <bpmn:targetRef>\(Self.id("DataObjectReference", owner.organisation, item))</bpmn:targetRef>")
                        associations.append((Self.id("DataOutput", state.id, item), me, Self.id("DataObjectReference", owner.organisation, item)))
                        body.append("      </bpmn:dataOutputAssociation>")
                    }
                    body.append("    </bpmn:task>")
                } else {
                    body.append("    <bpmn:intermediateCatchEvent \(attributes)>")
                    body.append("      <bpmn:documentation>\(e(documentation(state)))</bpmn:documentation>")
                    body += stateExtension(state.id, indent: "      ")
                    body.append("      <bpmn:timerEventDefinition id=\"\(Self.id("Timer", state.id))\">")
                    body.append("        <bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">\(ISODuration.format(hours: state.duration.mean))</bpmn:timeDuration>")
                    body.append("      </bpmn:timerEventDefinition>")
                    body.append("    </bpmn:intermediateCatchEvent>")
                }

                // Where each branch goes, inside this pool.
                var source = me
                if state.next.count > 1 {
                    let gateway = Self.id("Gateway", state.id)
                    let defaultIndex = state.next.firstIndex { $0.isDefault }
                    let defaultFlow = defaultIndex.map { _ in "Flow_\(flowCount + 2 + (defaultIndex ?? 0))" }
                    body.append("    <bpmn:exclusiveGateway id=\"\(gateway)\" name=\"\(e("after " + title))\"\(defaultFlow.map { " default=\"\($0)\"" } ?? "") />")
                    body.append(sequenceFlow(from: me, to: gateway, name: nil, condition: nil, probability: nil))
                    pools[p].laneNodes[lane, default: []].append(gateway)
                    pools[p].column[gateway] = 2 * level + 2
                    pools[p].lane[gateway] = lane
                    source = gateway
                }
                var handoffByTarget: [String: String] = [:]
                for branch in state.next {
                    guard let target = pathway.state(branch.to) else { continue }
                    let label = branch.condition?.source ?? branch.probability.map { "p = \(format($0))" }
                    let targetOrg = target.owner?.organisation
                    let endColumn = 2 * level + (state.next.count > 1 ? 3 : 2)
                    if target.isTerminal && (targetOrg == nil || targetOrg == owner.organisation) {
                        let end = Self.id("End", owner.organisation, target.id)
                        if pools[p].ends.insert(end).inserted {
                            pools[p].laneNodes[lane, default: []].append(end)
                            pools[p].column[end] = endColumn
                            pools[p].lane[end] = lane
                            body += endEvent(end, target)
                        } else {
                            pools[p].column[end] = max(pools[p].column[end] ?? 0, endColumn)
                        }
                        body.append(sequenceFlow(from: source, to: end, name: label, condition: branch.condition?.source, probability: branch.probability))
                    } else if targetOrg == owner.organisation {
                        body.append(sequenceFlow(from: source, to: node(target), name: label, condition: branch.condition?.source, probability: branch.probability))
                    } else {
                        // A handoff: the patient leaves this pool by a message end event.
                        let targetNode = target.isTerminal ? Self.id("End", targetOrg ?? "", target.id) : node(target)
                        // A timer wait or an end event cannot receive a message (bpmn-js refuses): the pool does.
                        let receiver = target.isTerminal || !Self.isTask(target) ? Self.id("Participant", targetOrg ?? "") : targetNode
                        if receiver != targetNode {
                            for k in 1...max(carriedCount(state, branch), 1) { messageTargets[Self.id("MessageFlow", String(messageFlows.count + k))] = target.id }
                        }
                        if let existing = handoffByTarget[target.id] {
                            body.append(sequenceFlow(from: source, to: existing, name: label, condition: branch.condition?.source, probability: branch.probability))
                            continue
                        }
                        handoffEnds += 1
                        let end = Self.id("Handoff", state.id, String(handoffEnds))
                        handoffByTarget[target.id] = end
                        pools[p].laneNodes[lane, default: []].append(end)
                        pools[p].column[end] = endColumn
                        pools[p].lane[end] = lane
                        body.append("    <bpmn:endEvent id=\"\(end)\" name=\"\(e("to " + (target.title ?? target.id)))\">")
                        body.append("      <bpmn:messageEventDefinition id=\"\(Self.id("MessageDefinition", state.id, String(handoffEnds)))\" />")
                        body.append("    </bpmn:endEvent>")
                        body.append(sequenceFlow(from: source, to: end, name: label, condition: branch.condition?.source, probability: branch.probability))
                        let carried = pathway.itemsCarried(from: state, by: branch).compactMap { pathway.item($0) }
                        if carried.isEmpty {
                            messageFlows.append((Self.id("MessageFlow", String(messageFlows.count + 1)), end, receiver, nil))
                        }
                        for item in carried {
                            messageFlows.append((Self.id("MessageFlow", String(messageFlows.count + 1)), end, receiver, item))
                        }
                        if target.isTerminal, let q = targetOrg.flatMap(poolIndex), pools[q].ends.insert(targetNode).inserted {
                            pools[q].body += endEvent(targetNode, target)
                            pools[q].laneNodes[target.owner?.role ?? "", default: []].append(targetNode)
                            pools[q].column[targetNode] = endColumn + 2
                            pools[q].lane[targetNode] = target.owner?.role ?? ""
                        }
                    }
                }
                // Items sent without the patient moving: a message flow to the receiving pool.
                for send in state.sends {
                    guard poolIndex(send.organisation) != nil else { continue }
                    messageFlows.append((Self.id("MessageFlow", String(messageFlows.count + 1)), me, Self.id("Participant", send.organisation),
                                         pathway.item(send.item)))
                }
                pools[p].body += body
            }
            // Where patients enter.
            if let start = pathway.state(pathway.start), let owner = start.owner, let p = poolIndex(owner.organisation) {
                let id = Self.id("StartEvent", owner.organisation)
                pools[p].body.insert("    <bpmn:startEvent id=\"\(id)\" name=\"Start\" />", at: 0)
                pools[p].body.append(sequenceFlow(from: id, to: node(start), name: nil, condition: nil, probability: nil))
                pools[p].laneNodes[owner.role, default: []].insert(id, at: 0)
                pools[p].column[id] = 0
                pools[p].lane[id] = owner.role
            }

            var out: [String] = []
            out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            out.append("<bpmn:definitions xmlns:bpmn=\"\(BPMNImport.modelNamespace)\" xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" "
                       + "xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" "
                       + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:carepath=\"\(BPMNImport.carePathNamespace)\" "
                       + "id=\"\(Self.id("Definitions", pathway.id))\" name=\"\(e(pathway.title))\" targetNamespace=\"urn:carepath:pathway:\(e(pathway.id))\" "
                       + "exporter=\"CarePath\" exporterVersion=\"0.1.0\">")
            for item in pathway.information {
                let open = "  <bpmn:message id=\"\(Self.id("Message", item.id))\" name=\"\(e(item.title ?? item.id))\""
                let ext = PathwayFragments.element("item", [("id", item.id)], fragments?.items[item.id], indent: "    ")
                out += ext.isEmpty ? [open + " />"] : [open + ">"] + ext + ["  </bpmn:message>"]
            }
            out.append("  <bpmn:collaboration id=\"\(Self.id("Collaboration", pathway.id))\">")
            if let fragments {
                var attributes = [("organisations", fragments.organisationOrder.joined(separator: " ")),
                                  ("states", fragments.stateOrder.joined(separator: " "))]
                if let items = fragments.itemOrder { attributes.append(("information", items.joined(separator: " "))) }
                // States no element stands for (a terminal state no branch reaches) are described here.
                let rest = fragments.stateOrder.filter { !described.contains($0) }
                out.append("    <bpmn:extensionElements>")
                out.append("      <carepath:pathway" + attributes.map { " \($0.0)=\"\(e($0.1))\"" }.joined() + ">\(e(fragments.top))</carepath:pathway>")
                for id in rest { out.append("      <carepath:state id=\"\(e(id))\">\(e(fragments.states[id] ?? ""))</carepath:state>") }
                out.append("    </bpmn:extensionElements>")
            }
            for pool in pools {
                let o = pool.organisation
                let open = "    <bpmn:participant id=\"\(Self.id("Participant", o.id))\" name=\"\(e(o.name))\" processRef=\"\(Self.id("Process", o.id))\" carepath:id=\"\(e(o.id))\""
                let ext = PathwayFragments.element("organisation", [("id", o.id), ("roles", (fragments?.roleOrder[o.id] ?? []).joined(separator: " "))],
                                                   fragments?.organisations[o.id], indent: "      ")
                out += ext.isEmpty ? [open + " />"] : [open + ">"] + ext + ["    </bpmn:participant>"]
            }
            for m in messageFlows {
                let target = messageTargets[m.id].map { " carepath:target=\"\(e($0))\"" } ?? ""
                if let item = m.item {
                    out.append("    <bpmn:messageFlow id=\"\(m.id)\" name=\"\(e(item.title ?? item.id))\" sourceRef=\"\(m.source)\" targetRef=\"\(m.target)\" messageRef=\"\(Self.id("Message", item.id))\" carepath:id=\"\(e(item.id))\"\(target) />")
                } else {
                    out.append("    <bpmn:messageFlow id=\"\(m.id)\" sourceRef=\"\(m.source)\" targetRef=\"\(m.target)\"\(target) />")
                }
            }
            out.append("  </bpmn:collaboration>")
            for pool in pools {
                let o = pool.organisation
                out.append("  <bpmn:process id=\"\(Self.id("Process", o.id))\" name=\"\(e(o.name))\" isExecutable=\"false\">")
                out.append("    <bpmn:laneSet id=\"\(Self.id("LaneSet", o.id))\">")
                for role in o.roles {
                    out.append("      <bpmn:lane id=\"\(Self.id("Lane", o.id, role.id))\" name=\"\(e(role.title ?? role.id))\" carepath:id=\"\(e(role.id))\">")
                    out += PathwayFragments.element("role", [("organisation", o.id), ("id", role.id)], fragments?.roles[o.id + "/" + role.id], indent: "        ")
                    for node in pool.laneNodes[role.id] ?? [] { out.append("        <bpmn:flowNodeRef>\(node)</bpmn:flowNodeRef>") }
                    out.append("      </bpmn:lane>")
                }
                out.append("    </bpmn:laneSet>")
                // Data objects for the items this organisation's states read or write.
                let used = pathway.information.filter { item in
                    pathway.states.contains { $0.owner?.organisation == o.id && ($0.needs.contains(item.id) || $0.produces.contains(item.id)) }
                }
                for item in used {
                    out.append("    <bpmn:dataObject id=\"\(Self.id("DataObject", o.id, item.id))\" name=\"\(e(item.title ?? item.id))\" />")
                    out.append("    <bpmn:dataObjectReference id=\"\(Self.id("DataObjectReference", o.id, item.id))\" name=\"\(e(item.title ?? item.id))\" dataObjectRef=\"\(Self.id("DataObject", o.id, item.id))\" carepath:id=\"\(e(item.id))\" />")
                }
                out += pool.body
                out.append("  </bpmn:process>")
            }
            out += diagram(pools)
            out.append("</bpmn:definitions>")
            return out.joined(separator: "\n") + "\n"
        }

        func documentation(_ state: State) -> String {
            var parts = ["Duration: \(DistributionText.format(state.duration))."]
            if !state.occupiesRole { parts.append("Holds no staff (a wait).") }
            if !state.needs.isEmpty { parts.append("Needs: \(state.needs.joined(separator: ", ")).") }
            if !state.produces.isEmpty { parts.append("Produces: \(state.produces.joined(separator: ", ")).") }
            return parts.joined(separator: " ")
        }

        func format(_ p: Double) -> String {
            let s = String(format: "%.6f", p)
            var t = Substring(s)
            while t.hasSuffix("0") { t = t.dropLast() }
            if t.hasSuffix(".") { t = t.dropLast() }
            return String(t)
        }

        mutating func sequenceFlow(from source: String, to target: String, name: String?, condition: String?, probability: Double?) -> String {
            flowCount += 1
            let id = "Flow_\(flowCount)"
            edges.append((id, source, target))
            var attributes = "id=\"\(id)\"" + (name.map { " name=\"\(e($0))\"" } ?? "") + " sourceRef=\"\(source)\" targetRef=\"\(target)\""
            if let probability { attributes += " carepath:p=\"\(format(probability))\"" }
            guard let condition else { return "    <bpmn:sequenceFlow \(attributes) />" }
            return "    <bpmn:sequenceFlow \(attributes)>\n      <bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">\(e(condition))</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>"
        }

        /// Breadth-first distance of each state from the start, for columns in the layout.
        func levels() -> [String: Int] {
            var level: [String: Int] = [pathway.start: 0]
            var queue = [pathway.start]
            var i = 0
            while i < queue.count {
                let id = queue[i]
                i += 1
                for t in pathway.state(id)?.next ?? [] where level[t.to] == nil {
                    level[t.to] = (level[id] ?? 0) + 1
                    queue.append(t.to)
                }
            }
            return level
        }

        // MARK: Layout

        /// The items whose data objects a pool shows: those its states read or write.
        func dataObjects(of o: Organisation) -> [InformationItem] {
            pathway.information.filter { item in
                pathway.states.contains { $0.owner?.organisation == o.id && ($0.needs.contains(item.id) || $0.produces.contains(item.id)) }
            }
        }

        mutating func diagram(_ pools: [Pool]) -> [String] {
            var poolShapes: [String: Shape] = [:]
            let columnWidth = 90.0, rowHeight = 110.0, laneLabel = 30.0, poolLabel = 30.0
            let maxColumn = pools.flatMap { $0.column.values }.max() ?? 0
            let width = laneLabel + poolLabel + 80 + Double(maxColumn + 1) * columnWidth
            var y = 80.0
            var out: [String] = []
            out.append("  <bpmndi:BPMNDiagram id=\"\(Self.id("Diagram", pathway.id))\">")
            out.append("    <bpmndi:BPMNPlane id=\"\(Self.id("Plane", pathway.id))\" bpmnElement=\"\(Self.id("Collaboration", pathway.id))\">")
            for pool in pools {
                let o = pool.organisation
                let poolTop = y
                var laneShapes: [Shape] = []
                for role in o.roles {
                    let nodes = pool.laneNodes[role.id] ?? []
                    var rows: [Int: Int] = [:]
                    var rowOf: [String: Int] = [:]
                    for n in nodes {
                        let c = pool.column[n] ?? 0
                        rowOf[n] = rows[c, default: 0]
                        rows[c, default: 0] += 1
                    }
                    let height = Double(max(rows.values.max() ?? 1, 1)) * rowHeight + 20
                    laneShapes.append(Shape(id: Self.id("Lane", o.id, role.id) + "_di", element: Self.id("Lane", o.id, role.id),
                                            x: 100 + poolLabel, y: y, width: width - poolLabel, height: height, isHorizontal: true))
                    for n in nodes {
                        let cx = 100 + poolLabel + laneLabel + 60 + Double(pool.column[n] ?? 0) * columnWidth
                        let cy = y + 10 + rowHeight / 2 + Double(rowOf[n] ?? 0) * rowHeight
                        let (w, h): (Double, Double) = n.hasPrefix("Task_") ? (100, 80) : n.hasPrefix("Gateway_") ? (50, 50) : (36, 36)
                        shapes[n] = Shape(id: n + "_di", element: n, x: cx - w / 2, y: cy - h / 2, width: w, height: h)
                    }
                    y += height
                }
                if o.roles.isEmpty { y += rowHeight }
                // The pool's data objects in a row below its lanes, so that tools draw them and their associations.
                let data = dataObjects(of: o)
                if !data.isEmpty {
                    for (k, item) in data.enumerated() {
                        let ref = Self.id("DataObjectReference", o.id, item.id)
                        shapes[ref] = Shape(id: ref + "_di", element: ref, x: 100 + poolLabel + laneLabel + 42 + Double(k) * columnWidth,
                                            y: y + 10, width: 36, height: 50)
                    }
                    y += 80
                }
                let poolShape = Shape(id: Self.id("Participant", o.id) + "_di", element: Self.id("Participant", o.id),
                                      x: 100, y: poolTop, width: width, height: y - poolTop, isHorizontal: true)
                poolShapes[poolShape.element] = poolShape
                out.append(shape(poolShape))
                for lane in laneShapes { out.append(shape(lane)) }
                y += 40
            }
            for s in shapes.values.sorted(by: { $0.id < $1.id }) { out.append(shape(s)) }
            for edge in edges {
                guard let a = shapes[edge.source], let b = shapes[edge.target] else { continue }
                out.append("      <bpmndi:BPMNEdge id=\"\(edge.id)_di\" bpmnElement=\"\(edge.id)\">")
                out.append(waypoint(a.x + a.width, a.y + a.height / 2))
                if abs((a.y + a.height / 2) - (b.y + b.height / 2)) > 1 {
                    out.append(waypoint(a.x + a.width + 15, a.y + a.height / 2))
                    out.append(waypoint(a.x + a.width + 15, b.y + b.height / 2))
                }
                out.append(waypoint(b.x, b.y + b.height / 2))
                out.append("      </bpmndi:BPMNEdge>")
            }
            for a in associations {
                guard let from = shapes[a.source], let to = shapes[a.target] else { continue }
                out.append("      <bpmndi:BPMNEdge id=\"\(a.id)_di\" bpmnElement=\"\(a.id)\">")
                out.append(waypoint(from.x + from.width / 2, from.y + from.height / 2))
                out.append(waypoint(to.x + to.width / 2, to.y + to.height / 2))
                out.append("      </bpmndi:BPMNEdge>")
            }
            for m in messageFlows {
                guard let a = shapes[m.source] ?? poolShapes[m.source], var b = shapes[m.target] ?? poolShapes[m.target] else { continue }
                // Into a pool: straight down or up to its edge, below the sender.
                if poolShapes[m.target] != nil { b = Shape(id: b.id, element: b.element, x: a.x, y: b.y, width: a.width, height: b.height) }
                let down = b.y > a.y
                out.append("      <bpmndi:BPMNEdge id=\"\(m.id)_di\" bpmnElement=\"\(m.id)\">")
                out.append(waypoint(a.x + a.width / 2, down ? a.y + a.height : a.y))
                out.append(waypoint(b.x + b.width / 2, down ? b.y : b.y + b.height))
                out.append("      </bpmndi:BPMNEdge>")
            }
            out.append("    </bpmndi:BPMNPlane>")
            out.append("  </bpmndi:BPMNDiagram>")
            return out
        }

        func shape(_ s: Shape) -> String {
            "      <bpmndi:BPMNShape id=\"\(s.id)\" bpmnElement=\"\(s.element)\"\(s.isHorizontal ? " isHorizontal=\"true\"" : "")>\n"
                + "        <dc:Bounds x=\"\(n(s.x))\" y=\"\(n(s.y))\" width=\"\(n(s.width))\" height=\"\(n(s.height))\" />\n"
                + "      </bpmndi:BPMNShape>"
        }

        func waypoint(_ x: Double, _ y: Double) -> String { "        <di:waypoint x=\"\(n(x))\" y=\"\(n(y))\" />" }

        func n(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
    }
}
