import Foundation

/// Student's t distribution, for confidence intervals over a few replications.
public enum StudentT {
    /// The two-sided critical value: P(|T| <= t) = level with `degreesOfFreedom`. Worked out
    /// once per level and degrees of freedom in a process (`CriticalValues`): a summary of a
    /// design's hundreds of points asks for the same few values about a million times.
    public static func critical(level: Double = 0.95, degreesOfFreedom df: Int) -> Double {
        guard df > 0 else { return .nan }
        return CriticalValues.shared.value(level: level, df: df)
    }

    /// The critical value by bisection, every time.
    static func bisected(level: Double, degreesOfFreedom df: Int) -> Double {
        guard df > 0 else { return .nan }
        let p = 1 - (1 - level) / 2
        // Bisection on the CDF: monotone, and 100 halvings are exact to machine precision.
        var lo = 0.0, hi = 1000.0
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if cdf(mid, df: Double(df)) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// P(T <= t) through the regularized incomplete beta function.
    public static func cdf(_ t: Double, df: Double) -> Double {
        let x = df / (df + t * t)
        let tail = 0.5 * incompleteBeta(x, a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// I_x(a, b) by its continued fraction (Numerical Recipes, 6.4, modified Lentz).
    static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logBeta + logPowers)
        if x > (a + 1) / (a + b + 2) { return 1 - incompleteBeta(1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; f *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return front * f / a
    }
}

/// Critical values already worked out, by level (its bits) and degrees of freedom: the same
/// function of the same inputs, so the same bits as a new bisection.
final class CriticalValues: @unchecked Sendable {
    struct Key: Hashable { var level: UInt64; var df: Int }
    static let shared = CriticalValues()
    /// Values kept at most (a few levels x the replication counts in use); past it, worked out each time.
    static let capacity = 4096

    private let lock = NSLock()
    private var known: [Key: Double] = [:]

    func value(level: Double, df: Int) -> Double {
        let key = Key(level: level.bitPattern, df: df)
        lock.lock()
        let hit = known[key]
        lock.unlock()
        if let hit { return hit }
        let value = StudentT.bisected(level: level, degreesOfFreedom: df)
        lock.lock()
        if known.count < Self.capacity { known[key] = value }
        lock.unlock()
        return value
    }
}

/// A mean over replications with its 95% confidence interval (Student t).
public struct Estimate: Codable, Hashable, Sendable {
    public var mean: Double
    /// Half the width of the 95% interval; nil with fewer than two replications.
    public var halfWidth: Double?
    public var n: Int

    public init(_ values: [Double]) {
        n = values.count
        guard n > 0 else { mean = .nan; halfWidth = nil; return }
        mean = values.reduce(0, +) / Double(n)
        guard n > 1 else { halfWidth = nil; return }
        let m = mean
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
        halfWidth = StudentT.critical(degreesOfFreedom: n - 1) * (variance / Double(n)).squareRoot()
    }

    public var low: Double? { halfWidth.map { mean - $0 } }
    public var high: Double? { halfWidth.map { mean + $0 } }

    /// Whether the interval covers `value`.
    public func covers(_ value: Double) -> Bool {
        guard let low, let high else { return false }
        return low <= value && value <= high
    }
}
