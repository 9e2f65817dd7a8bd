/// The future event list: events ordered by (time, sequence number), so that events at the same
/// time come out in the order they were scheduled and every run is deterministic.
///
/// A 4-ary min-heap over one contiguous array of small value-type entries (d-ary heaps: Johnson
/// 1975; four children per node halve the depth of a binary heap and keep siblings in one cache
/// line). The engine knows nothing of what the payload means.
///
///     var events = EventList<Int32>()
///     events.schedule(at: 2.5, 7)
///     let next = events.next()   // (time: 2.5, payload: 7)
///
/// `schedule` and `next` are O(log n); nothing is allocated once the list has grown. The entries
/// live in a `Slab`: no copy-on-write or index checks per event (so the list is non-copyable).
public struct EventList<Payload: BitwiseCopyable>: ~Copyable {
    /// An event keyed by its time as an integer that sorts as the time does, so that two events
    /// compare without a branch (the branches of comparing times and then sequence numbers were
    /// the heap's mispredictions).
    @usableFromInline
    struct Entry: BitwiseCopyable {
        @usableFromInline var key: UInt64
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload
        @inlinable init(time: Double, sequence: UInt64, payload: Payload) {
            self.key = Self.key(time); self.sequence = sequence; self.payload = payload
        }
        @inlinable var time: Double { Self.time(key) }
        /// (key, sequence) < (other.key, other.sequence), as the borrow of a 128-bit subtraction:
        /// no branch on the comparison.
        @inlinable @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            let (_, low) = sequence.subtractingReportingOverflow(other.sequence)
            let (high, highBorrow) = key.subtractingReportingOverflow(other.key)
            let (_, lowBorrow) = high.subtractingReportingOverflow(low ? 1 : 0)
            return highBorrow != lowBorrow
        }
        /// The bits of a double, the sign bit flipped for positive numbers and all bits for
        /// negative ones: unsigned order is then numeric order (for everything but NaN; -0 comes
        /// just before +0, which a simulation clock starting at +0 never meets).
        @inlinable @inline(__always)
        static func key(_ time: Double) -> UInt64 {
            let bits = time.bitPattern
            return bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | 0x8000_0000_0000_0000)
        }
        @inlinable @inline(__always)
        static func time(_ key: UInt64) -> Double {
            let positive = key >> 63
            return Double(bitPattern: key ^ (positive &* 0x8000_0000_0000_0000 | (1 &- positive) &* ~0))
        }
    }

    @usableFromInline var entries = Slab<Entry>(capacity: 64)
    @usableFromInline var sequence: UInt64 = 0

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { entries.isEmpty }
    @inlinable public var count: Int { entries.count }

    /// Time of the earliest event, if any.
    @inlinable public var nextTime: Double? { entries.isEmpty ? nil : entries[0].time }

    @inlinable
    public mutating func schedule(at time: Double, _ payload: Payload) {
        let entry = Entry(time: time, sequence: sequence, payload: payload)
        sequence &+= 1
        entries.append(entry)
        siftUp(entries.count - 1)
    }

    /// The sequence number `schedule` would give next, taken for an event the caller holds
    /// outside the list (see `isBefore`), so that the list's order is the same as if it were in it.
    @inlinable
    public mutating func takeSequence() -> UInt64 {
        defer { sequence &+= 1 }
        return sequence
    }

    /// Whether an event at `time` with sequence number `number` (from `takeSequence`) comes
    /// out before every event in the list.
    @inlinable
    public func isBefore(time: Double, number: UInt64) -> Bool {
        guard !entries.isEmpty else { return true }
        return Entry(time: time, sequence: number, payload: entries[0].payload).precedes(entries[0])
    }

    /// Removes and returns the earliest event.
    @inlinable
    public mutating func next() -> (time: Double, payload: Payload)? {
        guard let last = entries.popLast() else { return nil }
        guard !entries.isEmpty else { return (last.time, last.payload) }
        let first = entries[0]
        entries[0] = last
        siftDown(0)
        return (first.time, first.payload)
    }

    @inlinable
    mutating func siftUp(_ start: Int) {
        do {
            let heap = entries.base
            var i = start
            let item = heap[i]
            while i > 0 {
                let parent = (i - 1) >> 2
                guard item.precedes(heap[parent]) else { break }
                heap[i] = heap[parent]
                i = parent
            }
            heap[i] = item
        }
    }

    @inlinable
    mutating func siftDown(_ start: Int) {
        do {
            let heap = entries.base
            let n = entries.count
            var i = start
            let item = heap[i]
            while true {
                let first = 4 * i + 1
                guard first < n else { break }
                var best = first
                if first + 3 < n {
                    // All four children: a tournament of three independent comparisons, which
                    // the processor overlaps better than a chain of dependent ones.
                    let left = heap[first + 1].precedes(heap[first]) ? first + 1 : first
                    let right = heap[first + 3].precedes(heap[first + 2]) ? first + 3 : first + 2
                    best = heap[right].precedes(heap[left]) ? right : left
                } else {
                    var c = first + 1
                    while c < n {
                        if heap[c].precedes(heap[best]) { best = c }
                        c += 1
                    }
                }
                guard heap[best].precedes(item) else { break }
                heap[i] = heap[best]
                i = best
            }
            heap[i] = item
        }
    }
}
