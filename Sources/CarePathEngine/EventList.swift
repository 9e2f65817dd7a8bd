/// The future event list: events ordered by (time, sequence number), so that events at the same
/// time come out in the order they were scheduled and every run is deterministic.
///
/// A 4-ary min-heap over one contiguous array of small value-type entries (d-ary heaps: Johnson
/// 1975; four children per node halve the depth of a binary heap and keep siblings in one cache
/// line). While it holds few events (a clinic's stations, not a region's cohort) the same array is
/// kept unsorted with the earliest event's position known: `schedule` is then an append and one
/// comparison, and `next` one pass of branch-free comparisons, cheaper than a heap's mispredicted
/// branches at that size. The engine knows nothing of what the payload means.
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
    /// Up to this many events the entries are unsorted and `earliest` is the first to come out;
    /// past it they are a heap (which is also a valid unsorted array, so going back is free).
    @usableFromInline static var smallSize: Int { 16 }
    @usableFromInline var isHeap = false
    @usableFromInline var earliest = 0

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { entries.isEmpty }
    @inlinable public var count: Int { entries.count }

    /// Time of the earliest event, if any.
    @inlinable public var nextTime: Double? { entries.isEmpty ? nil : entries[isHeap ? 0 : earliest].time }

    @inlinable
    public mutating func schedule(at time: Double, _ payload: Payload) {
        let entry = Entry(time: time, sequence: sequence, payload: payload)
        sequence &+= 1
        entries.append(entry)
        if isHeap {
            siftUp(entries.count - 1)
        } else if entries.count > Self.smallSize {
            heapify()
        } else if entry.precedes(entries[earliest]) {
            earliest = entries.count - 1
        }
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
        let first = entries[isHeap ? 0 : earliest]
        return Entry(time: time, sequence: number, payload: first.payload).precedes(first)
    }

    /// Removes and returns the earliest event.
    @inlinable
    public mutating func next() -> (time: Double, payload: Payload)? {
        guard isHeap else { return nextOfFew() }
        guard let last = entries.popLast() else { return nil }
        guard !entries.isEmpty else { return (last.time, last.payload) }
        let first = entries[0]
        entries[0] = last
        siftDown(0)
        if entries.count <= Self.smallSize {
            isHeap = false
            earliest = 0
        }
        return (first.time, first.payload)
    }

    /// `next` while the entries are unsorted: the earliest leaves, the last takes its place, and
    /// one pass finds the new earliest.
    @inlinable @inline(__always)
    mutating func nextOfFew() -> (time: Double, payload: Payload)? {
        guard let last = entries.popLast() else { return nil }
        let n = entries.count
        guard earliest < n else {
            // The earliest was the last entry.
            earliest = Self.earliestIndex(entries.base, n)
            return (last.time, last.payload)
        }
        let first = entries[earliest]
        entries[earliest] = last
        earliest = Self.earliestIndex(entries.base, n)
        return (first.time, first.payload)
    }

    @inlinable @inline(__always)
    static func earliestIndex(_ entries: UnsafeMutablePointer<Entry>, _ n: Int) -> Int {
        var best = 0
        var i = 1
        while i < n {
            best = entries[i].precedes(entries[best]) ? i : best
            i += 1
        }
        return best
    }

    /// Makes the unsorted entries a heap (Floyd's construction, O(n)).
    @usableFromInline
    mutating func heapify() {
        var i = (entries.count - 2) >> 2
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
        isHeap = true
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
