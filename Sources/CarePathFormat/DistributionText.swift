import CarePathModel

/// Distributions as written in files: `lognormal(mean=6d, sd=4d)`, `triangular(1h, 2h, 4h)`,
/// `empirical(1d=3, 2d=5)`, or a bare value (`2h`) for a fixed one. Named arguments take `=`
/// so that the value needs no YAML quoting; `:` is accepted too inside a quoted value.
public enum DistributionText {
    public struct ParseError: Error, Hashable, Sendable {
        public var message: String
    }

    /// The parameters each form takes, in positional order; `time` marks those that carry a unit.
    private static let forms: [String: [(name: String, time: Bool)]] = [
        "fixed": [("value", true)],
        "exponential": [("mean", true)],
        "uniform": [("min", true), ("max", true)],
        "triangular": [("min", true), ("mode", true), ("max", true)],
        "normal": [("mean", true), ("sd", true)],
        "lognormal": [("mean", true), ("sd", true)],
        "gamma": [("shape", false), ("scale", true)],
        "weibull": [("shape", false), ("scale", true)],
    ]

    public static let names = ["fixed", "exponential", "uniform", "triangular", "normal", "lognormal", "gamma", "weibull", "empirical"]

    public static func parse(_ text: String, durations: Bool) throws(ParseError) -> Distribution {
        let trimmed = text.trimming(" \t")
        guard let open = trimmed.firstIndex(of: "(") else {
            return .fixed(try value(trimmed, time: durations, what: "a distribution such as exponential(mean=4h) or a fixed value"))
        }
        let name = String(trimmed[..<open]).trimming(" \t")
        guard trimmed.hasSuffix(")") else { throw ParseError(message: "'\(trimmed.prefix(60))' has no closing ')'") }
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        let arguments = inner.split(separator: ",", omittingEmptySubsequences: false).map { part -> (label: String?, value: String) in
            let piece = String(part).trimming(" \t")
            // `mean=6d` needs no quoting in YAML; `mean: 6d` is accepted inside a quoted value.
            if let colon = piece.firstIndex(where: { $0 == "=" || $0 == ":" }) {
                return (String(piece[..<colon]).trimming(" \t"),
                        String(piece[piece.index(after: colon)...]).trimming(" \t"))
            }
            return (nil, piece)
        }
        if arguments.contains(where: { $0.value.isEmpty && $0.label == nil }) && !(arguments.count == 1) {
            throw ParseError(message: "\(name)(...) has an empty argument")
        }

        if name == "empirical" {
            var values: [Double] = [], weights: [Double] = []
            for argument in arguments {
                guard let label = argument.label else {
                    throw ParseError(message: "empirical takes 'value=weight' pairs, such as empirical(1d=3, 2d=5); found '\(argument.value)'")
                }
                values.append(try value(label, time: durations, what: "a value"))
                weights.append(try value(argument.value, time: false, what: "a weight"))
            }
            return .empirical(values: values, weights: weights)
        }

        guard var parameters = forms[name] else {
            let suggestion = closest(name, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw ParseError(message: "unknown distribution '\(name)'\(suggestion) (expected one of: \(names.joined(separator: ", ")))")
        }
        // gamma may be given by its mean instead of its scale.
        if name == "gamma", arguments.contains(where: { $0.label == "mean" }) { parameters = [("shape", false), ("mean", true)] }

        var found: [String: Double] = [:]
        for (i, argument) in arguments.enumerated() {
            let key: String
            if let label = argument.label {
                guard parameters.contains(where: { $0.name == label }) else {
                    throw ParseError(message: "\(name) has no parameter '\(label)' (expected: \(parameters.map(\.name).joined(separator: ", ")))")
                }
                key = label
            } else {
                guard i < parameters.count else {
                    throw ParseError(message: "\(name) takes \(parameters.count) parameter(s): \(parameters.map(\.name).joined(separator: ", "))")
                }
                key = parameters[i].name
            }
            guard found[key] == nil else { throw ParseError(message: "\(name): '\(key)' is given twice") }
            let time = durations && (parameters.first { $0.name == key }?.time ?? false)
            found[key] = try value(argument.value, time: time, what: "\(key) of \(name)")
        }
        for p in parameters where found[p.name] == nil {
            throw ParseError(message: "\(name) needs '\(p.name)' (expected \(name)(\(parameters.map { "\($0.name)=..." }.joined(separator: ", "))))")
        }
        let v = { (k: String) in found[k] ?? 0 }
        switch name {
        case "fixed": return .fixed(v("value"))
        case "exponential": return .exponential(mean: v("mean"))
        case "uniform": return .uniform(min: v("min"), max: v("max"))
        case "triangular": return .triangular(min: v("min"), mode: v("mode"), max: v("max"))
        case "normal": return .normal(mean: v("mean"), sd: v("sd"))
        case "lognormal": return .lognormal(mean: v("mean"), sd: v("sd"))
        case "gamma":
            let shape = v("shape")
            if let mean = found["mean"] { return .gamma(shape: shape, scale: shape > 0 ? mean / shape : 0) }
            return .gamma(shape: shape, scale: v("scale"))
        default: return .weibull(shape: v("shape"), scale: v("scale"))
        }
    }

    private static func value(_ text: String, time: Bool, what: String) throws(ParseError) -> Double {
        if time {
            guard let hours = DurationText.hours(text) else {
                throw ParseError(message: "expected \(what) as a duration with a unit (45s, 30m, 4h, 6d, 2w), found '\(text.prefix(60))'")
            }
            return hours
        }
        guard let v = Double(text), v.isFinite else { throw ParseError(message: "expected \(what) as a number, found '\(text.prefix(60))'") }
        return v
    }

    /// The text form of a distribution, as a file would hold it (hours shown with units).
    public static func format(_ d: Distribution, durations: Bool = true) -> String {
        func t(_ x: Double) -> String {
            if durations { return DurationText.format(hours: x) }
            return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
        }
        func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        switch d {
        case .fixed(let x): return t(x)
        case .exponential(let m): return "exponential(mean=\(t(m)))"
        case .uniform(let a, let b): return "uniform(\(t(a)), \(t(b)))"
        case .triangular(let a, let c, let b): return "triangular(\(t(a)), \(t(c)), \(t(b)))"
        case .normal(let m, let s): return "normal(mean=\(t(m)), sd=\(t(s)))"
        case .lognormal(let m, let s): return "lognormal(mean=\(t(m)), sd=\(t(s)))"
        case .gamma(let k, let theta): return "gamma(shape=\(n(k)), scale=\(t(theta)))"
        case .weibull(let k, let lambda): return "weibull(shape=\(n(k)), scale=\(t(lambda)))"
        case .empirical(let values, let weights):
            return "empirical(" + zip(values, weights).map { "\(t($0))=\(n($1))" }.joined(separator: ", ") + ")"
        }
    }
}

extension String {
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
