import CarePathEngine
import CarePathModel
import HeapModule

/// Capacity beyond a plain queue: units held after the work until the next setting accepts the
/// patient (blocking after service), queues that overflow or are given up on, and the diagnosis of
/// a run that ends with patients who can never move on.
extension PathwaySimulation where Observer: ~Copyable {
    // MARK: Holding

    /// The work at `state` is done but the patient keeps the unit until accepted onward.
    /// A patient holds one unit at most: one held from an earlier state is let go now.
    mutating func startHold(_ slot: Int, role r: Int, state: Int, at t: Double) {
        if patients[slot].heldRole >= 0 { endHold(slot, acceptedBy: state, at: t) }
        roles[r].blocked += 1
        roles[r].lastHeldAt = t
        patients[slot].heldRole = Int32(r)
        waiting[slot].holdState = Int32(state)
        waiting[slot].heldSince = t
        observer.roleBlocked(role: r, blocked: roles[r].blocked, at: t)
    }

    /// Whether starting `state` ends the patient's hold: one of the holding state's `until` states.
    func accepts(_ slot: Int, _ state: Int) -> Bool {
        let span = cores[Int(waiting[slot].holdState)].holdUntil
        for i in span where plan.holdList[Int(i)] == Int32(state) { return true }
        return false
    }

    /// The patient has been accepted (or left the pathway): the held unit is free. It is passed
    /// on by an event at the same time rather than at once, so that a chain of holds clearing one
    /// another does not recurse.
    mutating func endHold(_ slot: Int, acceptedBy state: Int, at t: Double) {
        let r = Int(patients[slot].heldRole)
        finishHold(slot, acceptedBy: state, at: t)
        events.schedule(at: t, Event(kind: .free, index: Int32(r)))
    }

    /// The next state needs the role the patient is holding: the held unit goes straight to it.
    mutating func takeOverHeldUnit(_ slot: Int, at t: Double) {
        finishHold(slot, acceptedBy: patients[slot].state, at: t)
        begin(slot, at: t)
    }

    mutating func finishHold(_ slot: Int, acceptedBy state: Int, at t: Double) {
        let r = Int(patients[slot].heldRole)
        roles[r].blocked -= 1
        observer.roleBlocked(role: r, blocked: roles[r].blocked, at: t)
        observer.holdEnded(context(slot), role: r, from: Int(waiting[slot].holdState), to: state,
                           held: t - waiting[slot].heldSince, at: t)
        patients[slot].heldRole = -1
        waiting[slot].holdState = -1
    }

    // MARK: Queues that overflow or are given up on

    /// The queue is full: the patient goes to the role's overflow state instead of waiting.
    mutating func balk(_ slot: Int, role r: Int, at t: Double) {
        let state = patients[slot].state, destination = Int(roles[r].overflowState)
        observer.queueLeft(context(slot), role: r, state: state, to: destination, gaveUp: false, waited: 0, at: t)
        patients[slot].state = destination
        // Validation refuses overflow destinations that lead back to a full queue in a loop.
        enter(slot, at: t)
    }

    mutating func startPatience(_ slot: Int, role r: Int, at t: Double) {
        let patience = samplers[Int(roles[r].patienceSampler)].sample(&waiting[slot].queueing)
        waiting[slot].queueTag &+= 1
        waiting[slot].waitingRole = Int32(r)
        // A patience too long to be a number of hours is no patience: the patient never gives up.
        let deadline = t + (patience > 0 ? patience : 0)
        guard deadline.isFinite, deadline < 1e15 else { return }
        events.schedule(at: deadline, Event(kind: .giveUp, index: Int32(slot), tag: waiting[slot].queueTag))
    }

    /// A patient's patience ran out: if still waiting in that queue, they leave it.
    mutating func giveUp(_ slot: Int, tag: UInt16, at t: Double) {
        let r = Int(waiting[slot].waitingRole)
        guard r >= 0, waiting[slot].queueTag == tag else { return }
        waiting[slot].waitingRole = -1
        if roles[r].usesPriority {
            priority[r] = Heap(priority[r].unordered.filter { Int($0.slot) != slot })
        } else {
            fifo.remove(Int32(slot), from: r)
        }
        roles[r].queueLength -= 1
        observer.roleChanged(role: r, queueLength: roles[r].queueLength, busy: roles[r].busy, at: t)
        let state = patients[slot].state, destination = Int(roles[r].giveUpState)
        observer.queueLeft(context(slot), role: r, state: state, to: destination, gaveUp: true,
                           waited: t - patients[slot].readyAt, at: t)
        patients[slot].state = destination
        enter(slot, at: t)
    }

    // MARK: A run that cannot finish

    /// Nothing is left to happen but patients remain: every one of them waits in a queue. Finds the
    /// roles whose held units wait on one another in a cycle, or names the roles nobody can leave.
    func diagnoseStuck(at t: Double) -> StuckRun {
        var waitingFor: [Int: Set<Int>] = [:]  // held role -> roles its holders queue for
        var waitingAt = Set<Int>()
        let free = Set((0..<freeSlots.count).map { Int(freeSlots[$0]) })
        for slot in 0..<patients.count where !free.contains(slot) {
            let p = patients[slot]
            guard cores[p.state].role >= 0, !cores[p.state].isTerminal else { continue }
            let queued = Int(cores[p.state].role)
            guard roles[queued].queueLength > 0 else { continue }
            waitingAt.insert(queued)
            if p.heldRole >= 0 { waitingFor[Int(p.heldRole), default: []].insert(queued) }
        }
        let names = plan.roles.map(\.reference.description)
        if let cycle = Self.cycle(in: waitingFor) {
            let since = cycle.map { roles[$0].lastHeldAt }.max() ?? t
            return StuckRun(roles: cycle.map { names[$0] }, since: since, patients: inSystem, circular: true)
        }
        return StuckRun(roles: waitingAt.sorted().map { names[$0] }, since: t, patients: inSystem, circular: false)
    }

    /// A cycle in a graph of roles, smallest role first, if there is one.
    static func cycle(in edges: [Int: Set<Int>]) -> [Int]? {
        for start in edges.keys.sorted() {
            var path = [start], seen: Set<Int> = [start]
            func walk(_ node: Int) -> [Int]? {
                for next in (edges[node] ?? []).sorted() {
                    if next == start { return path }
                    if seen.insert(next).inserted {
                        path.append(next)
                        if let found = walk(next) { return found }
                        path.removeLast()
                    }
                }
                return nil
            }
            if let found = walk(start) { return found }
        }
        return nil
    }
}

/// A run that ended with patients who could never move on: every unit of each role in `roles`
/// held by patients waiting for the next role in the list (circular holding), or patients waiting
/// for roles that will never start them. Its figures are not a steady state and must not be used.
public struct StuckRun: Hashable, Sendable, Codable {
    public var roles: [String]
    /// Simulated hours: when the circle closed (the last of its units was held), or the run's end.
    public var since: Double
    public var patients: Int
    public var circular: Bool
    /// Set when the run was stopped rather than running out of things to do (a run-away patient, a
    /// draw out of bounds): what happened, in words; `roles` then names the states or distribution.
    public var stopped: String?

    public init(roles: [String], since: Double, patients: Int, circular: Bool, stopped: String? = nil) {
        self.roles = roles; self.since = since; self.patients = patients; self.circular = circular; self.stopped = stopped
    }

    public var message: String {
        if let stopped { return stopped }
        let days = (since / 24 * 10).rounded() / 10
        if circular {
            let chain = (roles + [roles[0]]).joined(separator: " -> ")
            return "circular holding: the units of \(chain) are held by patients each waiting for the next role in this "
                + "cycle, so none can ever move on (from \(Self.hours(since)) h, day \(days) of the run; \(patients) patients stuck)"
        }
        return "\(patients) patients were still waiting at \(roles.joined(separator: ", ")) when nothing else could happen "
            + "(at \(Self.hours(since)) h, day \(days)): the role is never open again or has no capacity"
    }

    static func hours(_ h: Double) -> String { String((h * 10).rounded() / 10) }
}
