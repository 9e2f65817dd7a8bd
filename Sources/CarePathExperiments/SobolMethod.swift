import CarePathEngine
import Foundation

/// Variance-based sensitivity indices from Saltelli's design (Saltelli et al. 2010, "Variance
/// based sensitivity analysis of model output", Computer Physics Communications 181): two
/// independent N x k samples A and B of the unit hypercube, and for each parameter i the matrix
/// A_B^i (A with column i from B): N(k + 2) points, row by row (A_j, B_j, A_B^1_j ... A_B^k_j).
/// First-order indices by Saltelli 2010's estimator (table 2, b), total indices by Jansen's
/// (table 2, f), both divided by the variance of f(A) and f(B) together.
public struct SobolDesign: Hashable, Sendable {
    public var parameters: Int
    public var samples: Int
    public var points: [[Double]]

    public var pointsPerSample: Int { parameters + 2 }

    public init(parameters k: Int, samples n: Int, seed: UInt64) {
        parameters = k; samples = n
        var random = RandomStream(seed: seed, key1: 0x50B0, key2: 0x1)
        points = []
        points.reserveCapacity(n * (k + 2))
        for _ in 0..<n {
            let a = (0..<k).map { _ in random.uniform() }, b = (0..<k).map { _ in random.uniform() }
            points.append(a); points.append(b)
            for i in 0..<k { var ab = a; ab[i] = b[i]; points.append(ab) }
        }
    }

    /// S1 and ST of each parameter, with 95% bootstrap intervals (percentile, `resamples` draws
    /// of the N rows with replacement, seeded).
    public func indices(outputs y: [Double], resamples: Int = 200, seed: UInt64 = 1) -> [SobolIndices] {
        let k = parameters, n = samples
        func estimate(_ rows: [Int]) -> [(Double, Double)] {
            var fa: [Double] = [], fb: [Double] = []
            for j in rows { fa.append(y[j * (k + 2)]); fb.append(y[j * (k + 2) + 1]) }
            let all = fa + fb, m = all.reduce(0, +) / Double(all.count)
            let variance = all.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(all.count)
            return (0..<k).map { i in
                var first = 0.0, total = 0.0
                for (r, j) in rows.enumerated() {
                    let fab = y[j * (k + 2) + 2 + i]
                    first += fb[r] * (fab - fa[r])
                    total += (fa[r] - fab) * (fa[r] - fab)
                }
                let count = Double(rows.count)
                return variance > 0 ? (first / count / variance, total / (2 * count) / variance) : (.nan, .nan)
            }
        }
        let point = estimate(Array(0..<n))
        var random = RandomStream(seed: seed, key1: 0xB007, key2: 0x5)
        var draws = Array(repeating: (first: [Double](), total: [Double]()), count: k)
        for _ in 0..<resamples {
            let rows = (0..<n).map { _ in Int(random.next() % UInt64(n)) }
            for (i, e) in estimate(rows).enumerated() where e.0.isFinite { draws[i].first.append(e.0); draws[i].total.append(e.1) }
        }
        func interval(_ xs: [Double]) -> (Double, Double) {
            guard !xs.isEmpty else { return (.nan, .nan) }
            let s = xs.sorted()
            return (s[Int(0.025 * Double(s.count - 1))], s[Int((0.975 * Double(s.count - 1)).rounded(.up))])
        }
        return (0..<k).map { i in
            SobolIndices(first: point[i].0, total: point[i].1, firstInterval: interval(draws[i].first), totalInterval: interval(draws[i].total))
        }
    }
}

/// One parameter's variance-based indices on one outcome.
public struct SobolIndices: Hashable, Sendable {
    /// The share of the output's variance due to the parameter alone.
    public var first: Double
    /// The share due to the parameter with all its interactions.
    public var total: Double
    public var firstLow: Double, firstHigh: Double, totalLow: Double, totalHigh: Double

    public init(first: Double, total: Double, firstInterval: (Double, Double), totalInterval: (Double, Double)) {
        self.first = first; self.total = total
        firstLow = firstInterval.0; firstHigh = firstInterval.1; totalLow = totalInterval.0; totalHigh = totalInterval.1
    }
}
