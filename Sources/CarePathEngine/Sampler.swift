import CarePathModel
import Foundation

/// A distribution with its derived parameters computed once (lognormal's mu and sigma, alias
/// tables for empirical), sampled without allocation.
public struct Sampler: Sendable {
    @usableFromInline enum Form: Sendable {
        case fixed(Double)
        case exponential(mean: Double, source: ExponentialSource)
        case uniform(Double, Double)
        case triangular(Double, Double, Double)
        case normal(Double, Double)
        case lognormal(mu: Double, sigma: Double)
        case gamma(shape: Double, scale: Double)
        case weibull(shape: Double, scale: Double)
        case empirical(values: [Double], cumulative: [Double])
    }
    @usableFromInline let form: Form

    public init(_ distribution: Distribution) {
        switch distribution {
        case .fixed(let v): form = .fixed(v)
        case .exponential(let m): form = .exponential(mean: m, source: ExponentialSource())
        case .uniform(let a, let b): form = .uniform(a, b)
        case .triangular(let a, let c, let b): form = .triangular(a, c, b)
        case .normal(let m, let s): form = .normal(m, s)
        case .lognormal(let m, let s):
            // Moments of the variable give those of its logarithm.
            let sigma2 = log(1 + (s * s) / (m * m))
            form = .lognormal(mu: log(m) - sigma2 / 2, sigma: sigma2.squareRoot())
        case .gamma(let k, let theta): form = .gamma(shape: k, scale: theta)
        case .weibull(let k, let lambda): form = .weibull(shape: k, scale: lambda)
        case .empirical(let values, let weights):
            let total = weights.reduce(0, +)
            var running = 0.0
            form = .empirical(values: values, cumulative: weights.map { running += $0; return running / total })
        }
    }

    /// True when every draw is the same value (no random number is consumed).
    public var isFixed: Bool { if case .fixed = form { return true } else { return false } }

    /// One draw. The two forms queueing models use most are inlined into the caller, so that
    /// the event loop neither calls nor copies the sampler for them.
    @inlinable @inline(__always)
    public func sample(_ rng: inout RandomStream) -> Double {
        switch form {
        case .fixed(let v): return v
        case .exponential(let mean, let source): return mean * source.draw(&rng)
        default: return sampleOther(&rng)
        }
    }

    @inlinable @inline(never)
    func sampleOther(_ rng: inout RandomStream) -> Double {
        switch form {
        case .fixed, .exponential:
            return sample(&rng)
        case .uniform(let a, let b):
            return a + (b - a) * rng.uniform()
        case .triangular(let a, let c, let b):
            let u = rng.uniform()
            let f = (c - a) / (b - a)
            return u < f ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case .normal(let m, let s):
            // Truncated at zero: redraw negatives (bounded so a mean far below zero cannot spin).
            for _ in 0..<1000 {
                let x = m + s * Self.standardNormal(&rng)
                if x >= 0 { return x }
            }
            return 0
        case .lognormal(let mu, let sigma):
            return exp(mu + sigma * Self.standardNormal(&rng))
        case .gamma(let k, let theta):
            return Self.gamma(k, &rng) * theta
        case .weibull(let k, let lambda):
            return lambda * pow(-log(rng.uniformPositive()), 1 / k)
        case .empirical(let values, let cumulative):
            let u = rng.uniform()
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
            }
            return values[lo]
        }
    }

    /// Marsaglia's polar method (one of the pair is discarded: simpler state, same distribution).
    @inlinable
    static func standardNormal(_ rng: inout RandomStream) -> Double {
        while true {
            let x = 2 * rng.uniform() - 1, y = 2 * rng.uniform() - 1
            let s = x * x + y * y
            if s > 0 && s < 1 { return x * (-2 * log(s) / s).squareRoot() }
        }
    }

    /// Marsaglia and Tsang (2000), with the boost for shape < 1.
    @inlinable
    static func gamma(_ k: Double, _ rng: inout RandomStream) -> Double {
        if k < 1 { return gamma(k + 1, &rng) * pow(rng.uniformPositive(), 1 / k) }
        let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = standardNormal(&rng); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = rng.uniformPositive()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }
}
