import CarePathFormat
import CarePathModel
import Foundation

/// Message flows and data objects as information items: handoffs, sends, needs and products.
extension BPMNMapper {
    // MARK: Message flows

    struct MessageItem { var id: String; var title: String }
    struct MessageEdge { var target: Int; var item: MessageItem?; var flowID: String }

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
        if !isSource, let state = flow.carePathTarget, let process = bpmn.processes.firstIndex(where: { $0.id == participant.processRef }),
           let n = bpmn.nodes.indices.first(where: { bpmn.nodes[$0].process == process && bpmn.nodes[$0].carePathID == state && bpmn.nodes[$0].container == nil }) {
            return n
        }
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

    /// Whether a node's sequence flows lead on to more work in its pool, rather than only to plain
    /// end events (through gateways): a task that sends and carries on, not a referral that ends there.
    func carriesOn(_ node: Int) -> Bool {
        var seen = Set<Int>(), stack = (successors[node] ?? []).map(\.target)
        while let n = stack.popLast() {
            guard seen.insert(n).inserted else { continue }
            let m = bpmn.nodes[n]
            if isState(n) {
                if m.kind != .endEvent || !m.eventDefinitions.isEmpty { return true }
            } else {
                stack += (successors[n] ?? []).map(\.target)
            }
        }
        return false
    }

    mutating func readMessageFlows() {
        var endTargets: [Int: (target: Int, items: [String], flows: [String])] = [:]
        for flow in bpmn.messageFlows {
            let title = flow.name ?? flow.messageRef.flatMap { bpmn.messageNames[$0] }
            // A black-box pool at either end: the item is sent to it, or exists there.
            let sourceBox = blackBoxOrg[flow.source], targetBox = blackBoxOrg[flow.target]
            if sourceBox != nil || targetBox != nil {
                guard sourceBox == nil || targetBox == nil else {
                    warn(flow.element, "message flow \(flow.id) joins two black-box pools: nothing of the pathway happens there: ignored")
                    continue
                }
                guard let title else {
                    warn(flow.element, "message flow \(flow.id) to or from a black-box pool has no name and no named message: no item, ignored")
                    continue
                }
                if let box = targetBox {
                    guard let source = messageEnd(flow.source, of: flow, isSource: true) else { continue }
                    let message = item(named: title, id: flow.carePathID, comment: "BPMN message flow \(flow.id)")
                    sendsOf[source, default: []].append((message.id, orgs[box].id))
                } else if let box = sourceBox {
                    guard let target = messageEnd(flow.target, of: flow, isSource: false) else { continue }
                    let message = item(named: title, id: flow.carePathID, comment: "BPMN message flow \(flow.id)")
                    receivedFrom[target, default: []].append((message.id, orgs[box].id))
                }
                continue
            }
            // To a whole pool from a step that carries on: an item sent to that organisation.
            if flow.carePathTarget == nil, let pool = bpmn.participants.first(where: { $0.id == flow.target }),
               let process = bpmn.processes.firstIndex(where: { $0.id == pool.processRef }), let o = orgOfProcess[process],
               let source = bpmn.nodeIndex[flow.source].map(topLevel), isState(source), carriesOn(source) {
                let sent = item(named: title ?? "Message from " + (bpmn.nodes[source].name ?? bpmn.nodes[source].id), id: flow.carePathID,
                                comment: "BPMN message flow \(flow.id)")
                sendsOf[source, default: []].append((sent.id, orgs[o].id))
                continue
            }
            guard let source = messageEnd(flow.source, of: flow, isSource: true),
                  let target = messageEnd(flow.target, of: flow, isSource: false) else { continue }
            guard source != target else { continue }
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
            // Send and carry on: the patient follows the sequence flow; the message is an item sent.
            if carriesOn(source) {
                let sent = message ?? item(named: "Message from " + (bpmn.nodes[source].name ?? bpmn.nodes[source].id),
                                           comment: "BPMN message flow \(flow.id), which has no name: name the item")
                if message == nil {
                    warn(flow.element, "message flow \(flow.id) from \(label(source)), which carries on by its sequence flow, has no name and no named message: sent as the item '\(sent.id)'")
                }
                sendsOf[source, default: []].append((sent.id, orgs[orgOfProcess[bpmn.nodes[target].process] ?? 0].id))
                receivedFrom[target, default: []].append((sent.id, nil))
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

}
