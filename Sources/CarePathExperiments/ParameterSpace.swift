import CarePathFormat
import CarePathModel
import Foundation

/// A parameter made concrete on a model: its baseline, its range in the place's scalar, and the
/// lever that sets a value. A design works in the unit interval; `value(at:)` maps a position to
/// the range (evenly) or to the distribution's quantile.
public struct ResolvedParameter: Hashable, Sendable {
    public var place: LeverPlace
    public var unit: ParameterUnit
    /// The value at the place in the baseline model, and its scalar (a distribution's mean).
    public var baseline: LeverValue
    public var baselineScalar: Double
    /// The range's ends (for a distribution: where it is truncated).
    public var low: Double
    public var high: Double
    public var distribution: Distribution?
    public var at: WrittenAt

    /// The scalar at position `u` (0 to 1) of the range or distribution.
    public func value(at u: Double) -> Double {
        let u = min(max(u, 0), 1)
        guard let distribution else { return low + u * (high - low) }
        return min(max(Quantile.of(distribution, u, within: low...high), low), high)
    }

    /// OAT's two values: the range's ends, or a distribution's 5th and 95th percentiles.
    public var oatValues: (low: Double, high: Double) {
        distribution == nil ? (low, high) : (value(at: 0.05), value(at: 0.95))
    }

    /// The scalar a lever actually sets for `x` (whole numbers rounded).
    public func applied(_ x: Double) -> Double {
        if case .wholeNumber(let m) = unit { return max(Double(m), x.rounded()) }
        return x
    }

    /// The lever setting the place to the scalar `x`: a distribution is scaled so that its mean is `x`.
    public func lever(_ x: Double) -> Lever {
        let x = applied(x)
        let value: LeverValue
        switch (unit, baseline) {
        case (.wholeNumber, _): value = .wholeNumber(Int(x))
        case (_, .distribution(let d)): value = .distribution(d.scaled(by: x / baselineScalar))
        case (.rate, _): value = .ratePerHour(x)
        case (.hours, _): value = .hours(x)
        default: value = .number(x)
        }
        // The value as its text reads back, so that a design written to a file (--design-only)
        // and run from there sets exactly the same numbers as the design run here.
        let text = value.text(as: place.kind)
        guard case .success(let read) = LeverValue.parse(text, as: place.kind) else { return Lever(place: place, value: value, text: text) }
        return Lever(place: place, value: read, text: text)
    }

    /// `states.assessment.duration (mean)`: what the scalar is of.
    public var label: String {
        if case .distribution = baseline { return "\(place) (mean)" }
        return place.description
    }

    public func format(_ x: Double) -> String { unit.format(applied(x)) }
}

extension ResolvedParameter {
    /// Resolves a parameter on the baseline model; the problem is located at the parameter.
    public static func resolve(_ p: SensitivityParameter, pathway: Pathway, scenario: Scenario) -> Result<ResolvedParameter, FormatProblem> {
        func fail(_ message: String) -> Result<ResolvedParameter, FormatProblem> {
            .failure(FormatProblem(.error, file: p.at.file, line: p.at.line, column: p.at.column, path: p.at.path, message: message))
        }
        guard let unit = ParameterUnit(p.place.kind) else { return fail("\(p.place) takes \(p.place.kind), not a number that can vary") }
        guard let baseline = p.place.value(in: pathway, scenario) else {
            return fail("\(p.place) holds no value in this model (nothing to vary around): give it one in the pathway or scenario first")
        }
        let scalar: Double
        switch baseline {
        case .wholeNumber(let n): scalar = Double(n)
        case .number(let x), .hours(let x), .ratePerHour(let x): scalar = x
        case .distribution(let d): scalar = d.mean
        case .option: return fail("\(p.place) is an option, not a number that can vary")
        }
        if case .distribution = baseline, !(scalar.isFinite && scalar != 0) {
            return fail("\(p.place) is a distribution with mean \(unit.format(scalar)): it is varied by scaling it to a new mean, which a mean of 0 cannot be")
        }
        var low: Double, high: Double, distribution: Distribution?
        switch p.range {
        case .interval(let lo, let hi): low = lo; high = hi
        case .distribution(let d):
            distribution = d
            let bounds = unit.bounds
            low = max(d.lowest, bounds.lowest); high = min(d.highest, bounds.highest)
        case .aroundBaseline(let share):
            if case .wholeNumber(let m) = unit {
                // At least one either side, so that a small capacity still moves.
                low = max(Double(m), min((scalar * (1 - share)).rounded(), scalar - 1))
                high = max((scalar * (1 + share)).rounded(), scalar + 1)
            } else {
                let a = scalar * (1 - share), b = scalar * (1 + share)
                let bounds = unit.bounds
                low = max(min(a, b), bounds.lowest); high = min(max(a, b), bounds.highest)
            }
            guard low < high else {
                return fail("\(p.place) is \(unit.format(scalar)) in this model: +-\(Int(share * 100))% of it is no range; give low and high (\(unit.example))")
            }
        }
        let resolved = ResolvedParameter(place: p.place, unit: unit, baseline: baseline, baselineScalar: scalar, low: low, high: high,
                                         distribution: distribution, at: p.at)
        // Both ends must be values the place takes (a distribution scaled past a bound).
        for x in [low, high] {
            let lever = resolved.lever(x)
            if let problem = p.place.kind.problem(with: lever.value) {
                return fail("\(p.place) at \(resolved.format(x)): \(problem)")
            }
        }
        return .success(resolved)
    }
}

extension Distribution {
    /// The distribution scaled by `f` (every value times f): its mean times f, its shape kept.
    public func scaled(by f: Double) -> Distribution {
        switch self {
        case .fixed(let v): return .fixed(v * f)
        case .exponential(let m): return .exponential(mean: m * f)
        case .uniform(let a, let b): return f >= 0 ? .uniform(min: a * f, max: b * f) : .uniform(min: b * f, max: a * f)
        case .triangular(let a, let c, let b):
            return f >= 0 ? .triangular(min: a * f, mode: c * f, max: b * f) : .triangular(min: b * f, mode: c * f, max: a * f)
        case .normal(let m, let s): return .normal(mean: m * f, sd: s * abs(f))
        case .lognormal(let m, let s): return .lognormal(mean: m * f, sd: s * abs(f))
        case .gamma(let k, let theta): return .gamma(shape: k, scale: theta * f)
        case .weibull(let k, let lambda): return .weibull(shape: k, scale: lambda * f)
        case .empirical(let values, let weights): return .empirical(values: values.map { $0 * f }, weights: weights)
        }
    }
}

/// Quantiles of the distributions a parameter may follow.
public enum Quantile {
    /// The value below which a share `u` of `d` lies; a normal truncated to `within` (and its
    /// mean +- 3 sd), so that the design's ends are finite values the place takes.
    public static func of(_ d: Distribution, _ u: Double, within bounds: ClosedRange<Double>) -> Double {
        switch d {
        case .uniform(let a, let b): return a + u * (b - a)
        case .triangular(let a, let c, let b):
            guard b > a else { return a }
            let fc = (c - a) / (b - a)
            return u < fc ? a + (u * (b - a) * (c - a)).squareRoot() : b - ((1 - u) * (b - a) * (b - c)).squareRoot()
        case .normal(let m, let s):
            guard s > 0 else { return m }
            let lo = (max(bounds.lowerBound, m - 3 * s) - m) / s, hi = (min(bounds.upperBound, m + 3 * s) - m) / s
            let pa = normalCDF(lo), pb = normalCDF(hi)
            return m + s * normalQuantile(pa + u * (pb - pa))
        default: return d.mean
        }
    }

    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0 else { return -.infinity }
        guard p < 1 else { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = (-2 * log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
