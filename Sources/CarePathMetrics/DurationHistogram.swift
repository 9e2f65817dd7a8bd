import Histogram

/// Durations in whole seconds, counted in the buckets of an HdrHistogram at two significant digits
/// and one-second resolution, but recorded into a flat array of its own: the library's `record`
/// made two calls per value, each copying the histogram, 7-9% of a queueing run (measured).
///
/// Percentiles (`percentile(_:)`) are read here, not from the library, for two reasons:
/// - The library reports a percentile at the top of its bucket, about 0.3% high on a smooth
///   distribution (buckets are 1/256 to 1/128 of their value wide). Here the value is interpolated
///   linearly within the bucket, between the bucket's real-valued bounds (a value is recorded as
///   its whole seconds, so bucket [lo, hi] holds the durations in [lo, hi + 1) s), and clamped to
///   the exact smallest and largest durations seen; durations of exactly zero (a wait with a free
///   unit) are a point mass of their own, so a median wait of none reads 0. The bias left on an
///   exponential sample is below 0.01% (a test checks below 0.05% against the sorted sample;
///   `carepath-bench percentiles` measures it on an M/M/infinity model).
/// - The library drops values past its highest trackable value; here they are counted
///   (`beyondRange`), and a percentile that falls among them says so (`Percentile.beyondRange`),
///   with the range's limit as its value: a lower bound, never a figure below the truth.
///
/// `histogram` hands the in-range counts to the library's `Histogram` with the same buckets and
/// the same exact minimum and maximum (a test checks that they agree), for the charts' counts in
/// a range and for the benchmark's figures of the library's own percentiles.
public struct DurationHistogram: Sendable {
    /// HdrHistogram's layout at two significant digits: the first bucket holds 0-255 exactly,
    /// every later one the upper 128 sub-buckets of 256, each twice as wide as the last bucket's.
    @usableFromInline static let halfMagnitude = 7
    @usableFromInline static let leadingZeroCountBase = 56

    @usableFromInline let highestTrackableValue: UInt64
    @usableFromInline var counts: [UInt64]
    /// Durations of exactly zero (also counted in the first bucket).
    @usableFromInline var zeros: UInt64 = 0
    /// Durations past the highest trackable value (in no bucket).
    @usableFromInline var beyondRange: UInt64 = 0
    /// The exact extremes of the positive durations in range, in seconds.
    @usableFromInline var smallestPositive = Double.infinity
    @usableFromInline var largest = 0.0

    public init(highestTrackableValue: UInt64) {
        self.highestTrackableValue = highestTrackableValue
        counts = Array(repeating: 0, count: Self.index(highestTrackableValue) + 1)
    }

    /// The range's limit in hours: durations above it are counted, not placed.
    var limitHours: Double { Double(highestTrackableValue) / 3600 }

    /// Every duration recorded, those beyond the range included.
    var totalCount: UInt64 { beyondRange + counts.reduce(0, &+) }

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

    /// How many whole seconds a bucket holds.
    static func width(_ index: Int) -> UInt64 { 1 << UInt64(max((index >> halfMagnitude) - 1, 0)) }

    /// Records a duration given in hours, as whole seconds; negative ones count as none, and
    /// those past the highest trackable value are counted beyond the range.
    @inlinable @inline(__always)
    public mutating func record(hours: Double) {
        let seconds = max(hours, 0) * 3600
        guard seconds <= Double(highestTrackableValue) else { beyondRange &+= 1; return }
        let i = Self.index(UInt64(seconds))
        counts.withUnsafeMutableBufferPointer { $0[i] &+= 1 }
        if seconds == 0 {
            zeros &+= 1
        } else {
            if seconds > largest { largest = seconds }
            if seconds < smallestPositive { smallestPositive = seconds }
        }
    }

    /// A percentile read from the histogram.
    public struct Percentile: Equatable, Sendable {
        /// Hours; the range's limit when `beyondRange` (the true value is at least that).
        public var hours: Double
        /// The percentile falls among the durations past the range.
        public var beyondRange: Bool
    }

    /// The p-th percentile (0-100): the duration of rank p/100 x n (n: every duration recorded),
    /// with the durations of a bucket spread evenly over it: the bucket found by cumulative counts,
    /// and the k-th of its c durations placed at (k - 1/2) / c of its width, where the k-th of c
    /// evenly spread values sits on average (so that the reading matches the sorted sample's value
    /// at that rank, rounded up, with no bias of half a gap between neighbours). Zero when nothing
    /// was recorded; 100 gives the largest duration.
    public func percentile(_ p: Double) -> Percentile {
        let inRange = counts.reduce(0, &+)
        let total = inRange + beyondRange
        guard total > 0 else { return Percentile(hours: 0, beyondRange: false) }
        let rank = min(max(p, 0), 100) / 100 * Double(total)
        if beyondRange > 0 && (rank > Double(inRange) || inRange == 0) {
            return Percentile(hours: limitHours, beyondRange: true)
        }
        if zeros > 0 && rank <= Double(zeros) { return Percentile(hours: 0, beyondRange: false) }
        if p >= 100 { return Percentile(hours: largest / 3600, beyondRange: false) }
        var below = 0.0
        var seconds = largest
        for (i, count) in counts.enumerated() where count > 0 {
            // The zeros are a point mass at the start of the first bucket, not spread over it.
            let spread = i == 0 ? count - zeros : count
            let c = Double(spread)
            if i == 0 { below += Double(zeros) }
            guard spread > 0, rank <= below + c else { below += c; continue }
            let low = Double(Self.lowestValue(i)), width = Double(Self.width(i))
            // The k-th of a bucket's c durations sits, on average, at (k - 1/2) / c of its width.
            seconds = low + min(max(rank - below - 0.5, 0), c) / c * width
            break
        }
        return Percentile(hours: min(max(seconds, smallestPositive), largest) / 3600, beyondRange: false)
    }

    /// The p-th percentile as the library reads it, and CarePath did before interpolating: the top
    /// of the bucket, in hours, of the in-range values only. For the benchmark's before-and-after.
    public func bucketTopPercentile(_ p: Double) -> Double { Double(histogram.valueAtPercentile(p)) / 3600 }

    /// The largest duration in range, in whole seconds as recorded (0 when none is positive).
    var maximum: UInt64 { largest > 0 ? UInt64(largest) : 0 }

    /// The smallest whole-second value of at least 1 recorded, as the library keeps it (`.max`
    /// when none): exact, since the buckets below 256 s hold one second each.
    var minNonZero: UInt64 {
        if smallestPositive >= 1 { return smallestPositive.isFinite ? UInt64(smallestPositive) : .max }
        guard let i = counts.indices.dropFirst().first(where: { counts[$0] > 0 }) else { return .max }
        return Self.lowestValue(i)
    }

    /// Durations of `seconds` or less, counted by whole buckets as the library's `count(within:)`
    /// does (the bucket holding `seconds` counts whole); those beyond the range never.
    func count(atOrBelow seconds: UInt64) -> UInt64 {
        guard !counts.isEmpty else { return 0 }
        let last = min(Self.index(min(seconds, highestTrackableValue)), counts.count - 1)
        return counts[0...last].reduce(0, &+)
    }

    /// The in-range counts as the library's histogram. Any value of a bucket gives the same counts;
    /// the buckets of the extremes are given the exact extremes, so that minimum and maximum are exact.
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
