import CarePathModel

/// The time-average of a step function (a queue length) in bins that double in width as the run
/// grows, so that a run of any length keeps at most `maximumBins` bins without knowing its end.
///
/// Nearly every change falls inside the last bin, so that bin is kept apart from the array as
/// plain numbers: adding to it is one comparison and one multiply-add, inlined into the caller,
/// with no array access (measured: the series was 8% of a queueing run's instructions).
@usableFromInline
struct TimeSeries {
    @usableFromInline var start: Double
    @usableFromInline var width: Double
    /// Every bin but the last.
    @usableFromInline var earlier: [Double] = []
    /// The last bin: its area, and where it starts and ends (none yet while `lastEnd` is -infinity).
    @usableFromInline var lastArea = 0.0
    @usableFromInline var lastStart = 0.0
    @usableFromInline var lastEnd = -Double.infinity
    var hasLast: Bool { lastEnd > -.infinity }
    @usableFromInline let maximumBins: Int

    init(start: Double, width: Double = 1, maximumBins: Int = 256) {
        self.start = start; self.width = width; self.maximumBins = maximumBins
    }

    /// Adds `value` held from `from` to `to`.
    @inlinable @inline(__always)
    mutating func add(value: Double, from: Double, to: Double) {
        let a = max(from, start)
        if a >= lastStart && to <= lastEnd && to > a {
            lastArea += value * (to - a)
            return
        }
        addAcrossBins(value: value, from: a, to: to)
    }

    /// The general case: the span reaches past the last bin (or starts before it), so bins are
    /// added, and halved in resolution when there would be too many.
    @inline(never)
    @usableFromInline mutating func addAcrossBins(value: Double, from: Double, to: Double) {
        var a = from
        // Times are finite and within the bounds (the engine stops a run otherwise); a span that
        // is not is ignored rather than turned into a bin number that traps or never ends.
        guard to > a, to.isFinite, a.isFinite else { return }
        var areas = earlier
        if hasLast { areas.append(lastArea) }
        while Int(clampingFloor: (to - start) / width) >= maximumBins { areas = Self.coarsened(areas); width *= 2 }
        let last = Int(clampingFloor: (to - start) / width)
        if last >= areas.count { areas.append(contentsOf: repeatElement(0, count: last - areas.count + 1)) }
        if value != 0 {
            var bin = max(Int(clampingFloor: (a - start) / width), 0)
            while a < to && bin < areas.count {
                let b = min(to, start + Double(bin + 1) * width)
                if b > a { areas[bin] += value * (b - a); a = b }
                bin += 1
            }
        }
        lastArea = areas.removeLast()
        earlier = areas
        lastStart = start + Double(earlier.count) * width
        lastEnd = lastStart + width
    }

    /// Pairs of bins become one.
    static func coarsened(_ areas: [Double]) -> [Double] {
        var merged: [Double] = []
        merged.reserveCapacity(areas.count / 2 + 1)
        var i = 0
        while i < areas.count {
            merged.append(areas[i] + (i + 1 < areas.count ? areas[i + 1] : 0))
            i += 2
        }
        return merged
    }

    /// The area in each bin.
    var areas: [Double] { hasLast ? earlier + [lastArea] : earlier }

    /// Time-average per bin, up to `end`.
    func averages(until end: Double) -> [Double] {
        areas.enumerated().map { i, area in
            let binStart = start + Double(i) * width
            let length = min(width, max(end - binStart, 0))
            return length > 0 ? area / length : 0
        }
    }

    /// The time-average over [a, b], reading each bin as spread evenly over its width.
    func average(from a: Double, to b: Double) -> Double {
        guard b > a else { return 0 }
        var total = 0.0
        for (i, area) in areas.enumerated() {
            let binStart = start + Double(i) * width
            let overlap = min(binStart + width, b) - max(binStart, a)
            if overlap > 0 { total += area * overlap / width }
        }
        return total / (b - a)
    }
}
