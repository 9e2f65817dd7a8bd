import Histogram

/// Durations in whole seconds, counted in the buckets of an HdrHistogram at two significant digits
/// and one-second resolution, but recorded into a flat array of its own: the library's `record`
/// made two calls per value, each copying the histogram, 7-9% of a queueing run (measured).
/// `histogram` hands the counts to the library's `Histogram` with the same buckets and the same
/// exact minimum and maximum, so every figure read from it (percentiles, counts in a range, the
/// mean) is what recording each value there gives; a test checks that they agree.
@usableFromInline
struct DurationHistogram {
    /// HdrHistogram's layout at two significant digits: the first bucket holds 0-255 exactly,
    /// every later one the upper 128 sub-buckets of 256, each twice as wide as the last bucket's.
    @usableFromInline static let halfMagnitude = 7
    @usableFromInline static let leadingZeroCountBase = 56

    @usableFromInline let highestTrackableValue: UInt64
    @usableFromInline var counts: [UInt64]
    @usableFromInline var minNonZero = UInt64.max
    @usableFromInline var maximum: UInt64 = 0

    init(highestTrackableValue: UInt64) {
        self.highestTrackableValue = highestTrackableValue
        counts = Array(repeating: 0, count: Self.index(highestTrackableValue) + 1)
    }

    /// The bucket of a value, as HdrHistogram numbers them.
    @inlinable @inline(__always)
    static func index(_ value: UInt64) -> Int {
        let bucket = leadingZeroCountBase - (value | 255).leadingZeroBitCount
        let sub = Int(truncatingIfNeeded: value &>> UInt64(bucket))
        return (bucket + 1) << halfMagnitude + sub - (1 << halfMagnitude)
    }

    /// The lowest value of a bucket.
    static func lowestValue(_ index: Int) -> UInt64 {
        let bucket = max((index >> halfMagnitude) - 1, 0)
        let sub = index - ((bucket + 1) << halfMagnitude) + (1 << halfMagnitude)
        return UInt64(sub) << UInt64(bucket)
    }

    /// Records a duration given in hours, as whole seconds; negative ones count as none, and
    /// those past the highest trackable value are dropped, as the library drops them.
    @inlinable @inline(__always)
    mutating func record(hours: Double) {
        let seconds = max(hours, 0) * 3600
        guard seconds <= Double(highestTrackableValue) else { return }
        let value = UInt64(seconds)
        let i = Self.index(value)
        counts.withUnsafeMutableBufferPointer { $0[i] &+= 1 }
        if value > maximum { maximum = value }
        if value != 0 && value < minNonZero { minNonZero = value }
    }

    /// The counts as the library's histogram. Any value of a bucket gives the same counts; the
    /// buckets of the extremes are given the exact extremes, so that minimum and maximum are exact.
    var histogram: Histogram<UInt64> {
        var h = Histogram<UInt64>(highestTrackableValue: highestTrackableValue, numberOfSignificantValueDigits: .two)
        let minIndex = minNonZero == .max ? -1 : Self.index(minNonZero)
        let maxIndex = maximum == 0 ? -1 : Self.index(maximum)
        for (i, count) in counts.enumerated() where count > 0 {
            guard i == minIndex || i == maxIndex else {
                h.record(Self.lowestValue(i), count: count)
                continue
            }
            var rest = count
            if i == minIndex { h.record(minNonZero, count: 1); rest -= 1 }
            if i == maxIndex && rest > 0 { h.record(maximum, count: 1); rest -= 1 }
            if rest > 0 { h.record(i == minIndex ? minNonZero : maximum, count: rest) }
        }
        return h
    }
}
