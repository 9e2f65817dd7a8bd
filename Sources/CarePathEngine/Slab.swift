/// A growable run of values in memory of its own, for the event loop's tables (patients, roles,
/// states, samplers, the future event list).
///
/// An `Array` checks on every write that its buffer is not shared (copy-on-write) and checks every
/// index; in the event loop those checks were a fifth of the time (perf), and reading an element
/// that holds references copied it (retain, release). A slab has one owner (it is non-copyable),
/// so no write can need a copy, and elements are read and written in place. Indices are checked
/// in debug builds, which is what the tests run. Plain-value elements (the patients, the events)
/// cost nothing to free.
///
///     var table = Slab<Double>(repeating: 0, count: 4)
///     table[2] += 1.5
///     table.append(7)          // count 5; the memory doubles when full
///
/// Access is O(1), `append` amortised O(1).
public struct Slab<Element>: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var _count: Int

    @inlinable public var count: Int { _count }
    @inlinable public var isEmpty: Bool { _count == 0 }

    @inlinable
    public init(capacity: Int = 16) {
        self.capacity = Swift.max(capacity, 1)
        base = .allocate(capacity: self.capacity)
        _count = 0
    }

    @inlinable
    public init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        _count = count
    }

    /// The elements of an array, in order.
    @inlinable
    public init(_ elements: [Element]) {
        self.init(capacity: elements.count)
        for e in elements { append(e) }
    }

    deinit {
        base.deinitialize(count: _count)
        base.deallocate()
    }

    @inlinable
    public subscript(i: Int) -> Element {
        unsafeAddress {
            assert(i >= 0 && i < _count, "slab index out of range")
            return UnsafePointer(base + i)
        }
        unsafeMutableAddress {
            assert(i >= 0 && i < _count, "slab index out of range")
            return base + i
        }
    }

    @inlinable
    public mutating func append(_ element: Element) {
        if _count == capacity { grow(to: capacity * 2) }
        (base + _count).initialize(to: element)
        _count += 1
    }

    /// Appends `n` copies of a value.
    @inlinable
    public mutating func append(repeating value: Element, count n: Int) {
        guard n > 0 else { return }
        if _count + n > capacity { grow(to: Swift.max(capacity * 2, _count + n)) }
        (base + _count).initialize(repeating: value, count: n)
        _count += n
    }

    @inlinable
    public mutating func popLast() -> Element? {
        guard _count > 0 else { return nil }
        _count -= 1
        return (base + _count).move()
    }

    /// Sets every element in `range` to `value`.
    @inlinable
    public mutating func fill(_ range: Range<Int>, with value: Element) {
        assert(range.lowerBound >= 0 && range.upperBound <= _count, "slab range out of bounds")
        (base + range.lowerBound).update(repeating: value, count: range.count)
    }

    /// A copy of the elements, as an array.
    @inlinable
    public var elements: [Element] { withBuffer { Array($0) } }

    /// The elements as a buffer, for the length of `body`.
    @inlinable
    public func withBuffer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: _count))
    }

    @usableFromInline
    mutating func grow(to newCapacity: Int) {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        bigger.moveInitialize(from: base, count: _count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }
}
