import CarePathEngine

/// The first-come-first-served queues of every role, patients named by their slot: one ring buffer
/// per role, each doubling when full. Non-copyable, like the slabs it sits beside, so that joining
/// and leaving a queue costs a few loads and stores, with no copy-on-write check.
struct RoleQueues: ~Copyable {
    struct Ring: BitwiseCopyable {
        var slots: UnsafeMutablePointer<Int32>
        /// A power of two, so that positions wrap with a mask.
        var capacity: Int
        var head = 0
        var count = 0
    }

    var rings: Slab<Ring>

    init(roles: Int) {
        rings = Slab(capacity: roles)
        for _ in 0..<roles { rings.append(Ring(slots: .allocate(capacity: 16), capacity: 16)) }
    }

    deinit {
        for r in 0..<rings.count { rings[r].slots.deallocate() }
    }

    @inline(__always)
    func count(_ role: Int) -> Int { rings[role].count }

    @inline(__always)
    mutating func append(_ slot: Int32, to role: Int) {
        if rings[role].count == rings[role].capacity { grow(role) }
        let ring = rings[role]
        ring.slots[(ring.head + ring.count) & (ring.capacity - 1)] = slot
        rings[role].count += 1
    }

    @inline(__always)
    mutating func popFirst(of role: Int) -> Int32? {
        let ring = rings[role]
        guard ring.count > 0 else { return nil }
        rings[role].head = (ring.head + 1) & (ring.capacity - 1)
        rings[role].count -= 1
        return ring.slots[ring.head]
    }

    mutating func grow(_ role: Int) {
        let ring = rings[role]
        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: ring.capacity * 2)
        for i in 0..<ring.count { bigger[i] = ring.slots[(ring.head + i) & (ring.capacity - 1)] }
        ring.slots.deallocate()
        rings[role] = Ring(slots: bigger, capacity: ring.capacity * 2, head: 0, count: ring.count)
    }
}

extension RoleQueues {
    /// Takes a patient out of the middle of a role's queue (they gave up), keeping the others' order.
    mutating func remove(_ slot: Int32, from role: Int) {
        let ring = rings[role]
        var kept = 0
        for i in 0..<ring.count {
            let s = ring.slots[(ring.head + i) & (ring.capacity - 1)]
            if s == slot { continue }
            ring.slots[(ring.head + kept) & (ring.capacity - 1)] = s
            kept += 1
        }
        rings[role].count = kept
    }
}
