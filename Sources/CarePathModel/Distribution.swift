import Foundation

/// A probability distribution of a non-negative quantity: a duration in hours, or a numeric
/// patient attribute. Sampling lives in the engine; the model only describes and checks.
public enum Distribution: Hashable, Sendable {
    case fixed(Double)
    case exponential(mean: Double)
    case uniform(min: Double, max: Double)
    case triangular(min: Double, mode: Double, max: Double)
    /// Truncated at zero: a negative draw is redrawn.
    case normal(mean: Double, sd: Double)
    /// Given by the mean and standard deviation of the variable itself, not of its logarithm.
    case lognormal(mean: Double, sd: Double)
    case gamma(shape: Double, scale: Double)
    case weibull(shape: Double, scale: Double)
    case empirical(values: [Double], weights: [Double])

    /// The name used in files and messages.
    public var name: String {
        switch self {
        case .fixed: "fixed"
        case .exponential: "exponential"
        case .uniform: "uniform"
        case .triangular: "triangular"
        case .normal: "normal"
        case .lognormal: "lognormal"
        case .gamma: "gamma"
        case .weibull: "weibull"
        case .empirical: "empirical"
        }
    }

    /// The distribution with its parameters, times in hours, for messages: `weibull(shape 0.5, scale 24 h)`.
    public var summary: String {
        func h(_ x: Double) -> String { Bounds.format(x) + " h" }
        switch self {
        case .fixed(let v): return "fixed(\(h(v)))"
        case .exponential(let m): return "exponential(mean \(h(m)))"
        case .uniform(let a, let b): return "uniform(\(h(a)), \(h(b)))"
        case .triangular(let a, let c, let b): return "triangular(\(h(a)), \(h(c)), \(h(b)))"
        case .normal(let m, let s): return "normal(mean \(h(m)), sd \(h(s)))"
        case .lognormal(let m, let s): return "lognormal(mean \(h(m)), sd \(h(s)))"
        case .gamma(let k, let theta): return "gamma(shape \(Bounds.format(k)), scale \(h(theta)))"
        case .weibull(let k, let lambda): return "weibull(shape \(Bounds.format(k)), scale \(h(lambda)))"
        case .empirical(let values, _): return "empirical(\(values.count) values up to \(h(values.max() ?? 0)))"
        }
    }

    /// The expected value (for normal, of the untruncated distribution).
    public var mean: Double {
        switch self {
        case .fixed(let v): return v
        case .exponential(let m): return m
        case .uniform(let a, let b): return (a + b) / 2
        case .triangular(let a, let c, let b): return (a + b + c) / 3
        case .normal(let m, _): return m
        case .lognormal(let m, _): return m
        case .gamma(let k, let theta): return k * theta
        case .weibull(let k, let lambda): return lambda * tgamma(1 + 1 / k)
        case .empirical(let values, let weights):
            let total = weights.reduce(0, +)
            guard total > 0 else { return 0 }
            return zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
        }
    }

    /// What is wrong with the parameters of a duration distribution, in words; empty when it is usable.
    public var parameterProblems: [String] { problems(durations: true) }

    /// What is wrong with the parameters, in words; empty when the distribution is usable: the
    /// form's own rules, then the bounds (`Bounds`): values and mean within `Bounds.maximumHours`
    /// for durations, within `Bounds.maximumAttributeValue` for attributes; shapes in
    /// `Bounds.shapeRange`.
    public func problems(durations: Bool) -> [String] {
        let own = formProblems
        guard own.isEmpty else { return own }
        var problems: [String] = []
        if case .gamma(let k, _) = self, let p = Bounds.shapeProblem(k, of: "gamma") { problems.append(p) }
        if case .weibull(let k, _) = self, let p = Bounds.shapeProblem(k, of: "weibull") { problems.append(p) }
        guard problems.isEmpty else { return problems }
        let limit = durations ? Bounds.maximumHours : Bounds.maximumAttributeValue
        let unit = durations ? " h" : ""
        func show(_ x: Double) -> String { Bounds.format(x) + unit }
        let named = durations ? "8,766,000 h (1,000 years)" : "10^12"
        for v in values where abs(v) > limit {
            problems.append("\(name): each value must be at most \(named), found \(show(v))")
            return problems
        }
        let m = mean
        if !m.isFinite || abs(m) > limit {
            problems.append("\(name): the mean must be at most \(named), found \(m.isFinite ? show(m) : "a mean too large to compute")")
        }
        return problems
    }

    /// The parameters that are values of the variable (not shapes or weights).
    var values: [Double] {
        switch self {
        case .fixed(let v): [v]
        case .exponential(let m): [m]
        case .uniform(let a, let b): [a, b]
        case .triangular(let a, let c, let b): [a, c, b]
        case .normal(let m, let s), .lognormal(let m, let s): [m, s]
        case .gamma(_, let theta): [theta]
        case .weibull(_, let lambda): [lambda]
        case .empirical(let values, _): values
        }
    }

    /// The form's own rules (positive means, ordered bounds...).
    var formProblems: [String] {
        func finite(_ values: Double...) -> Bool { values.allSatisfy { $0.isFinite } }
        switch self {
        case .fixed(let v):
            return finite(v) && v >= 0 ? [] : ["a fixed value must be a finite number >= 0, found \(v)"]
        case .exponential(let m):
            return finite(m) && m > 0 ? [] : ["exponential needs a mean > 0, found \(m)"]
        case .uniform(let a, let b):
            return finite(a, b) && a >= 0 && a <= b ? [] : ["uniform needs 0 <= min <= max, found min \(a), max \(b)"]
        case .triangular(let a, let c, let b):
            return finite(a, b, c) && a >= 0 && a <= c && c <= b && a < b
                ? [] : ["triangular needs 0 <= min <= mode <= max with min < max, found (\(a), \(c), \(b))"]
        case .normal(let m, let s):
            return finite(m, s) && s >= 0 && m > 0 ? [] : ["normal needs mean > 0 and sd >= 0, found mean \(m), sd \(s)"]
        case .lognormal(let m, let s):
            return finite(m, s) && m > 0 && s >= 0 ? [] : ["lognormal needs mean > 0 and sd >= 0, found mean \(m), sd \(s)"]
        case .gamma(let k, let theta):
            return finite(k, theta) && k > 0 && theta > 0 ? [] : ["gamma needs shape > 0 and scale > 0, found shape \(k), scale \(theta)"]
        case .weibull(let k, let lambda):
            return finite(k, lambda) && k > 0 && lambda > 0 ? [] : ["weibull needs shape > 0 and scale > 0, found shape \(k), scale \(lambda)"]
        case .empirical(let values, let weights):
            var problems: [String] = []
            if values.isEmpty { problems.append("empirical needs at least one value") }
            if values.count != weights.count { problems.append("empirical needs one weight per value") }
            if values.contains(where: { !$0.isFinite || $0 < 0 }) { problems.append("empirical values must be finite and >= 0") }
            if weights.contains(where: { !$0.isFinite || $0 < 0 }) { problems.append("empirical weights must be finite and >= 0") }
            if !weights.isEmpty && weights.reduce(0, +) <= 0 { problems.append("empirical weights must not all be zero") }
            return problems
        }
    }
}
