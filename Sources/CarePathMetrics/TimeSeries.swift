/// The time-average of a step function (a queue length) in bins that double in width as the run
/// grows, so that a run of any length keeps at most `maximumBins` bins without knowing its end.
struct TimeSeries {
    private(set) var start: Double
    private(set) var width: Double
    private(set) var areas: [Double] = []
    let maximumBins: Int

    init(start: Double, width: Double = 1, maximumBins: Int = 256) {
        self.start = start; self.width = width; self.maximumBins = maximumBins
    }

    /// Adds `value` held from `from` to `to`.
    mutating func add(value: Double, from: Double, to: Double) {
        var a = max(from, start)
        guard to > a else { return }
        // Most changes fall inside the last bin: no division, no growth.
        let lastIndex = areas.count - 1
        if lastIndex >= 0 {
            let lastStart = start + Double(lastIndex) * width
            if a >= lastStart && to <= lastStart + width {
                areas[lastIndex] += value * (to - a)
                return
            }
        }
        while Int((to - start) / width) >= maximumBins { coarsen() }
        let last = Int((to - start) / width)
        if last >= areas.count { areas.append(contentsOf: repeatElement(0, count: last - areas.count + 1)) }
        guard value != 0 else { return }
        var bin = Int((a - start) / width)
        while a < to && bin < areas.count {
            let b = min(to, start + Double(bin + 1) * width)
            if b > a { areas[bin] += value * (b - a); a = b }
            bin += 1
        }
    }

    /// Halves the resolution: pairs of bins become one.
    private mutating func coarsen() {
        var merged: [Double] = []
        merged.reserveCapacity(areas.count / 2 + 1)
        var i = 0
        while i < areas.count {
            merged.append(areas[i] + (i + 1 < areas.count ? areas[i + 1] : 0))
            i += 2
        }
        areas = merged
        width *= 2
    }

    /// Time-average per bin, up to `end`.
    func averages(until end: Double) -> [Double] {
        areas.enumerated().map { i, area in
            let binStart = start + Double(i) * width
            let length = min(width, max(end - binStart, 0))
            return length > 0 ? area / length : 0
        }
    }
}
