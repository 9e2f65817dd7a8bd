import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation

/// A scenario's `experiments.sensitivity` made concrete: the baseline variant, the parameters
/// resolved on it, the outcomes checked, and the design's points as variants of the scenario
/// (levers on the baseline), run on common random numbers by `ScenarioRunner`.
public struct SensitivityStudy: Sendable {
    public var scenario: Scenario
    public var pathway: Pathway
    public var settings: SensitivitySettings
    public var method: SensitivityMethod
    /// The variant whose model is the baseline, as the scenario gives it.
    public var base: Variant
    public var parameters: [ResolvedParameter]
    public var outcomes: [Outcome]

    public var replications: Int { settings.replications ?? scenario.replications }

    /// Design points a method implies, the baseline included: checked before any is made.
    public static func pointCount(_ method: SensitivityMethod, parameters k: Int, _ s: SensitivitySettings) -> Int {
        switch method {
        case .oat: return 2 * k + 1
        case .morris: return s.trajectories * (k + 1) + 1
        case .sobol: return s.samples.multipliedReportingOverflow(by: k + 2).partialValue + 1
        }
    }

    /// The most design points a study may have (each a variant in memory, and a run's worth of work).
    public static let maximumPoints = 100_000

    /// Checks the scenario's sensitivity section against its model; every problem is located.
    public static func prepare(_ scenario: Scenario, pathway: Pathway, method: SensitivityMethod? = nil) -> Result<SensitivityStudy, FormatErrors> {
        guard let settings = scenario.experiments.sensitivity else {
            return .failure(FormatErrors([FormatProblem(.error, file: scenario.id, line: 1, column: 1, path: .root,
                                                        message: "the scenario has no experiments.sensitivity section (parameters and outcomes) to run")]))
        }
        return resolve(scenario, pathway, settings, method)
    }

    static func resolve(_ scenario: Scenario, _ pathway: Pathway, _ settings: SensitivitySettings,
                        _ method: SensitivityMethod?) -> Result<SensitivityStudy, FormatErrors> {
        var problems: [FormatProblem] = []
        func problem(_ at: WrittenAt, _ message: String) {
            problems.append(FormatProblem(.error, file: at.file, line: at.line, column: at.column, path: at.path, message: message))
        }
        let variants = scenario.effectiveVariants
        var base = variants[0]
        if let name = settings.variant {
            if let v = variants.first(where: { $0.name == name }) { base = v }
            else { problem(settings.at, "variant '\(name)' is not one of the scenario's (\(variants.map(\.name).joined(separator: ", ")))") }
        }
        let basePathway = base.pathway(over: pathway), baseScenario = scenario.seen(by: base)
        var parameters: [ResolvedParameter] = []
        for p in settings.parameters {
            switch ResolvedParameter.resolve(p, pathway: basePathway, scenario: baseScenario) {
            case .success(let r):
                // Both ends pulled on the baseline, so that a lever the model refuses is found here, not mid-run.
                for x in [r.low, r.high] {
                    if case .failure(let refused) = base.pulling([r.lever(x)], pathway: pathway, scenario: scenario) {
                        problem(p.at, "at \(r.format(x)): \(refused.description)")
                    }
                }
                parameters.append(r)
            case .failure(let e): problems.append(e)
            }
        }
        var outcomes: [Outcome] = []
        for written in settings.outcomes {
            switch Outcome.read(written, pathway: pathway) {
            case .success(let o):
                if outcomes.contains(o) { problem(written.at, "\(o) is already an outcome; name each once") } else { outcomes.append(o) }
            case .failure(let e): problems.append(e)
            }
        }
        if settings.parameters.isEmpty { problem(settings.at, "expected at least one parameter") }
        if settings.outcomes.isEmpty { problem(settings.at, "expected at least one outcome") }
        let chosen = method ?? settings.method
        let points = pointCount(chosen, parameters: settings.parameters.count, settings)
        if points > maximumPoints {
            problem(settings.at, "the \(chosen.rawValue) design has \(Bounds.grouped(points)) points, above the limit of \(Bounds.grouped(maximumPoints)) "
                    + "(each is a variant held in memory and run): fewer trajectories, samples or parameters")
        }
        guard problems.isEmpty else { return .failure(FormatErrors(problems.sorted())) }
        return .success(SensitivityStudy(scenario: scenario, pathway: pathway, settings: settings, method: method ?? settings.method,
                                         base: base, parameters: parameters, outcomes: outcomes))
    }
}

/// One point of a design: a value of every parameter it sets, and where that sits in the range.
public struct DesignPoint: Hashable, Sendable {
    public var name: String
    /// The scalar each parameter takes (whole numbers rounded), baseline where it is not moved.
    public var values: [Double]
    /// Where each value sits, as a share of its range (for a distribution: its quantile).
    public var positions: [Double]
    /// The levers that make it from the baseline (none for the baseline itself).
    public var levers: [Lever]
}

/// The points a method runs: the baseline first, then the method's own.
public struct SensitivityDesign: Sendable {
    public var method: SensitivityMethod
    public var points: [DesignPoint]
    public var morris: MorrisDesign?
    public var sobol: SobolDesign?

    /// Design points apart from the baseline.
    public var count: Int { points.count - 1 }
}

extension SensitivityStudy {
    public func design() -> SensitivityDesign {
        let k = parameters.count
        let baseline = DesignPoint(name: "baseline", values: parameters.map(\.baselineScalar), positions: parameters.map(position(baseline:)), levers: [])
        var points = [baseline]
        switch method {
        case .oat:
            for (i, p) in parameters.enumerated() {
                let ends = p.oatValues
                for (end, x) in [("low", ends.low), ("high", ends.high)] {
                    var point = baseline
                    point.name = "p\(i + 1)-\(end)"
                    point.values[i] = p.applied(x)
                    point.positions[i] = position(i, x, design: end == "low" ? 0.05 : 0.95)
                    point.levers = [p.lever(x)]
                    points.append(point)
                }
            }
            return SensitivityDesign(method: .oat, points: points)
        case .morris:
            let d = MorrisDesign(parameters: k, trajectories: settings.trajectories, levels: settings.levels, seed: settings.seed)
            for (n, u) in d.points.enumerated() {
                points.append(point(u, name: "t\(n / (k + 1) + 1)-s\(n % (k + 1))"))
            }
            return SensitivityDesign(method: .morris, points: points, morris: d)
        case .sobol:
            let d = SobolDesign(parameters: k, samples: settings.samples, seed: settings.seed)
            for (n, u) in d.points.enumerated() {
                points.append(point(u, name: "n\(n / (k + 2) + 1)-\(["a", "b"].indices.contains(n % (k + 2)) ? ["a", "b"][n % (k + 2)] : "ab\(n % (k + 2) - 1)")"))
            }
            return SensitivityDesign(method: .sobol, points: points, sobol: d)
        }
    }

    func point(_ u: [Double], name: String) -> DesignPoint {
        let values = parameters.indices.map { parameters[$0].value(at: u[$0]) }
        return DesignPoint(name: name, values: parameters.indices.map { parameters[$0].applied(values[$0]) },
                           positions: parameters.indices.map { position($0, values[$0], design: u[$0]) },
                           levers: parameters.indices.map { parameters[$0].lever(values[$0]) })
    }

    /// Where a value sits: as a share of low...high for a range (the value actually set, so that
    /// rounding shows), the design's own position for a distribution.
    func position(_ i: Int, _ x: Double, design u: Double) -> Double {
        let p = parameters[i]
        guard p.distribution == nil, p.high > p.low else { return u }
        return (p.applied(x) - p.low) / (p.high - p.low)
    }

    func position(baseline p: ResolvedParameter) -> Double {
        p.high > p.low ? (p.baselineScalar - p.low) / (p.high - p.low) : 0
    }

    /// The scenario that runs the design: one variant per point (the baseline first, named
    /// `baseline`), each the baseline variant with the point's levers pulled.
    public func scenario(of design: SensitivityDesign) -> Result<Scenario, FormatErrors> {
        var s = scenario
        s.replications = replications
        var variants: [Variant] = []
        for point in design.points {
            switch base.pulling(point.levers, pathway: pathway, scenario: scenario) {
            case .success(var v):
                v.name = point.name
                v.title = point.levers.isEmpty ? "baseline (\(baselineName))" : nil
                variants.append(v)
            case .failure(let problems):
                let first = problems.problems.first
                let place = first?.lever.flatMap { point.levers.indices.contains($0) ? point.levers[$0].place : nil }
                let at = parameters.first { $0.place == place }?.at ?? settings.at
                return .failure(FormatErrors([FormatProblem(.error, file: at.file, line: at.line, column: at.column, path: at.path,
                                                            message: "design point \(point.name): \(problems.description)")]))
            }
        }
        s.variants = variants
        return .success(s)
    }
}
