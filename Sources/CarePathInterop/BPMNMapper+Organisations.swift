import CarePathFormat
import CarePathModel
import Foundation

/// Pools as organisations, lanes as roles, and which role owns each node.
extension BPMNMapper {
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

    mutating func buildOrganisations() {
        var orgNames = NameAllocator()
        var participantOfProcess: [String: Int] = [:]
        // A process with no flow element has no steps: skipped, and its pool is a black box.
        let empty = Set(bpmn.processes.indices.filter { p in !bpmn.nodes.contains { $0.process == p && $0.container == nil } })
        for p in empty.sorted() {
            let process = bpmn.processes[p]
            let shown = bpmn.participants.contains { $0.processRef == process.id }
            warn(process.element, "process \(process.id)\(process.name.map { " \"\($0)\"" } ?? "") has no tasks, events or gateways: skipped"
                 + (shown ? " (its pool is a black box)" : " (no pool shows it either)"))
        }
        var blackBoxes: [Int] = []
        for (i, p) in bpmn.participants.enumerated() {
            guard let ref = p.processRef, let process = bpmn.processes.firstIndex(where: { $0.id == ref }), !empty.contains(process) else {
                let what = p.name.map { "pool \"\($0)\"" } ?? "pool \(p.id)"
                if bpmn.messageFlows.contains(where: { $0.source == p.id || $0.target == p.id }) {
                    blackBoxes.append(i)
                    warn(p.element, "\(what) has no steps (a black-box pool): an organisation with no states; messages to it are items sent to it, messages from it items that exist there")
                } else {
                    warn(p.element, "\(what) has no steps (a black-box pool) and no message flow: not an organisation of the pathway")
                }
                continue
            }
            if participantOfProcess[ref] == nil { participantOfProcess[ref] = i }
        }
        // Pools in the collaboration's order, then processes no pool shows.
        var order: [Int] = bpmn.participants.compactMap { p in bpmn.processes.firstIndex { $0.id == p.processRef } }
        var seen = Set<Int>()
        order = order.filter { !empty.contains($0) && seen.insert($0).inserted }
        order += bpmn.processes.indices.filter { !seen.contains($0) && !empty.contains($0) }
        defer {
            for i in blackBoxes {
                let p = bpmn.participants[i]
                let name = p.name ?? p.id
                let id = orgNames.unique(CarePathName.given(p.carePathID) ?? CarePathName.from(name) ?? "organisation")
                var plan = OrgPlan(id: id, name: name, process: -1, roles: [], comment: "BPMN black-box pool \(p.id): no steps here",
                                   laneRoles: [:], defaultRole: 0, roleNames: NameAllocator())
                plan.roles.append(PathwayDraft.Role(id: plan.roleNames.unique("staff"), title: name,
                                                    comment: "the black-box pool shows no work: one role, not used by any state"))
                blackBoxOrg[p.id] = orgs.count
                orgs.append(plan)
            }
        }

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
                // An unnamed lane is named from its pool and its place among the pool's lanes.
                let position = (process.lanes.firstIndex { $0.id == lane.id } ?? 0) + 1
                let title = lane.name ?? "\(name) lane \(position)"
                let roleBase = CarePathName.given(lane.carePathID)
                    ?? lane.name.flatMap { CarePathName.from($0) } ?? CarePathName.from("lane \(position)") ?? "role"
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

}
