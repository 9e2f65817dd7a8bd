import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation

/// The figures of a sensitivity analysis, as written to JSON and CSV and shown in the report.
public struct SensitivityResult: Codable, Sendable {
    public var carepathVersion: String
    public var scenario: String
    public var title: String
    public var pathway: String
    public var method: String
    /// The baseline variant of the scenario.
    public var baselineVariant: String
    public var seed: UInt64
    public var designSeed: UInt64
    public var replications: Int
    public var designPoints: Int
    public var parameters: [Parameter]
    public var outcomes: [String]
    /// Each outcome at the baseline: mean over replications and its 95% interval.
    public var baseline: [Estimate]
    public var oat: [OATRow]?
    public var morris: [MorrisRow]?
    public var sobol: [SobolRow]?
    /// Each point's levers and outcome means, in design order (the baseline first).
    public var points: [Point]

    public struct Parameter: Codable, Sendable {
        public var place: String
        public var label: String
        /// Values as the place writes them (`4d`, `0.02`, `20/d`).
        public var baseline: String
        public var low: String
        public var high: String
        /// A distribution the parameter follows (quantiles of it), or nil for an even range.
        public var distribution: String?
    }
    public struct Estimate: Codable, Sendable {
        public var outcome: String
        public var mean: Double
        /// Half-width of the 95% interval (Student t over replications); nil with one replication.
        public var halfWidth: Double?
    }
    public struct OATRow: Codable, Sendable {
        public var outcome: String
        public var parameter: String
        public var lowValue: String
        public var highValue: String
        /// Paired differences from the baseline (this value minus baseline, replication by replication).
        public var lowDifference: Estimate
        public var highDifference: Estimate
        /// |high difference - low difference|: the tornado's sort key.
        public var swing: Double
    }
    public struct MorrisRow: Codable, Sendable {
        public var outcome: String
        public var parameter: String
        public var mu: Double
        public var muStar: Double
        public var sigma: Double
        public var effects: Int
        /// The mean half-width of the effects' own 95% intervals (paired over replications):
        /// effects of this size cannot be told from replication noise.
        public var noiseFloor: Double?
        public var withinNoise: Bool
    }
    public struct SobolRow: Codable, Sendable {
        public var outcome: String
        public var parameter: String
        public var first: Double
        public var firstLow: Double
        public var firstHigh: Double
        public var total: Double
        public var totalLow: Double
        public var totalHigh: Double
    }
    public struct Point: Codable, Sendable {
        public var name: String
        public var levers: [String: String]
        public var outcomes: [Double]
    }

    /// Deterministic JSON: sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

/// Each outcome of each replication of each design point: `values[point][replication][outcome]`
/// (NaN where the run did not measure it).
public struct DesignOutcomes: Sendable {
    public var values: [[[Double]]]
    public init(values: [[[Double]]]) { self.values = values }

    /// Mean over replications of one point's outcome.
    func mean(_ point: Int, _ outcome: Int) -> Double {
        let xs = values[point].map { $0[outcome] }
        return xs.reduce(0, +) / Double(max(xs.count, 1))
    }

    /// Mean and 95% half-width of `f` over replications.
    static func estimate(_ xs: [Double]) -> (Double, Double?) {
        let n = Double(xs.count), m = xs.reduce(0, +) / max(n, 1)
        guard xs.count > 1 else { return (m, nil) }
        let variance = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        return (m, StudentT.critical(degreesOfFreedom: xs.count - 1) * (variance / n).squareRoot())
    }

    /// Point `a` minus point `b`, replication by replication (common random numbers).
    func paired(_ a: Int, _ b: Int, _ outcome: Int) -> (Double, Double?) {
        Self.estimate(zip(values[a], values[b]).map { $0[outcome] - $1[outcome] })
    }
}

extension SensitivityStudy {
    /// The baseline variant's name; a design file's baseline (`baseline`, titled `baseline (NAME)`)
    /// gives the name it was made from, so that both runs report alike.
    var baselineName: String {
        if base.name == "baseline", let title = base.title, title.hasPrefix("baseline ("), title.hasSuffix(")") {
            return String(title.dropFirst("baseline (".count).dropLast())
        }
        return base.name
    }

    /// The analysis of a design's outcomes.
    public func analyse(_ design: SensitivityDesign, _ outcomes: DesignOutcomes, version: String = ScenarioRunner.version) -> SensitivityResult {
        let names = self.outcomes.map(\.description)
        let baseline = names.indices.map { o -> SensitivityResult.Estimate in
            let (m, h) = DesignOutcomes.estimate(outcomes.values[0].map { $0[o] })
            return .init(outcome: names[o], mean: m, halfWidth: h)
        }
        var result = SensitivityResult(
            carepathVersion: version, scenario: scenario.id, title: scenario.title, pathway: pathway.id, method: design.method.rawValue,
            baselineVariant: baselineName, seed: scenario.seed, designSeed: settings.seed, replications: replications, designPoints: design.count,
            parameters: parameters.map { p in
                .init(place: p.place.description, label: p.label, baseline: p.format(p.baselineScalar), low: p.format(p.low), high: p.format(p.high),
                      distribution: p.distribution.map { p.unit == .hours ? DistributionText.format($0, durations: true) : DistributionText.format($0, durations: false) })
            },
            outcomes: names, baseline: baseline,
            points: design.points.enumerated().map { n, point in
                .init(name: point.name, levers: Dictionary(point.levers.map { ($0.place.description, $0.text) }, uniquingKeysWith: { a, _ in a }),
                      outcomes: names.indices.map { outcomes.mean(n, $0) })
            })
        switch design.method {
        case .oat:
            var rows: [SensitivityResult.OATRow] = []
            for o in names.indices {
                for (i, p) in parameters.enumerated() {
                    let lo = 1 + 2 * i, hi = 2 + 2 * i
                    let (dl, hl) = outcomes.paired(lo, 0, o), (dh, hh) = outcomes.paired(hi, 0, o)
                    rows.append(.init(outcome: names[o], parameter: p.label, lowValue: p.format(design.points[lo].values[i]),
                                      highValue: p.format(design.points[hi].values[i]),
                                      lowDifference: .init(outcome: names[o], mean: dl, halfWidth: hl),
                                      highDifference: .init(outcome: names[o], mean: dh, halfWidth: hh), swing: abs(dh - dl)))
                }
            }
            result.oat = rows
        case .morris:
            guard let d = design.morris else { break }
            var rows: [SensitivityResult.MorrisRow] = []
            for o in names.indices {
                // The model's output at a point: the mean over its replications (point 0 is the baseline).
                let y = (1..<design.points.count).map { outcomes.mean($0, o) }
                let positions = design.points.dropFirst().map(\.positions)
                let indices = d.indices(outputs: y, positions: Array(positions))
                for (i, p) in parameters.enumerated() {
                    let halfWidths = d.steps(of: i).compactMap { a, b -> Double? in
                        let dx = abs(positions[positions.startIndex + b][i] - positions[positions.startIndex + a][i])
                        guard dx > 0, let h = outcomes.paired(b + 1, a + 1, o).1 else { return nil }
                        return h / dx
                    }
                    let floor = halfWidths.isEmpty ? nil : halfWidths.reduce(0, +) / Double(halfWidths.count)
                    let m = indices[i]
                    rows.append(.init(outcome: names[o], parameter: p.label, mu: m.mu, muStar: m.muStar, sigma: m.sigma, effects: m.effects.count,
                                      noiseFloor: floor, withinNoise: floor.map { m.muStar <= $0 } ?? false))
                }
            }
            result.morris = rows
        case .sobol:
            guard let d = design.sobol else { break }
            var rows: [SensitivityResult.SobolRow] = []
            for o in names.indices {
                let y = (1..<design.points.count).map { outcomes.mean($0, o) }
                for (i, s) in d.indices(outputs: y, seed: settings.seed).enumerated() {
                    rows.append(.init(outcome: names[o], parameter: parameters[i].label, first: s.first, firstLow: s.firstLow, firstHigh: s.firstHigh,
                                      total: s.total, totalLow: s.totalLow, totalHigh: s.totalHigh))
                }
            }
            result.sobol = rows
        }
        return result
    }
}
