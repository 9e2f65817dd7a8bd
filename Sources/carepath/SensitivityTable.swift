import CarePathExperiments
import Foundation

/// The analysis on the terminal: per outcome, the parameters by importance.
enum SensitivityTable {
    static func text(_ r: SensitivityResult) -> String {
        var lines: [String] = []
        func n(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "n/a" }
        for (o, outcome) in r.outcomes.enumerated() {
            let b = r.baseline[o]
            lines.append("\(outcome): baseline \(n(b.mean))" + (b.halfWidth.map { " +- \(n($0))" } ?? ""))
            for row in (r.oat ?? []).filter({ $0.outcome == outcome }).sorted(by: { $0.swing > $1.swing }) {
                lines.append("  \(row.parameter): at \(row.lowValue) \(n(row.lowDifference.mean)) (+- \(n(row.lowDifference.halfWidth ?? .nan))), "
                             + "at \(row.highValue) \(n(row.highDifference.mean)) (+- \(n(row.highDifference.halfWidth ?? .nan))); swing \(n(row.swing))")
            }
            for row in (r.morris ?? []).filter({ $0.outcome == outcome }).sorted(by: { $0.muStar > $1.muStar }) {
                lines.append("  \(row.parameter): mu* \(n(row.muStar)), mu \(n(row.mu)), sigma \(n(row.sigma))"
                             + (row.noiseFloor.map { "; noise floor \(n($0))" } ?? "") + (row.withinNoise ? " (within noise)" : ""))
            }
            for row in (r.sobol ?? []).filter({ $0.outcome == outcome }).sorted(by: { $0.total > $1.total }) {
                lines.append("  \(row.parameter): S1 \(n(row.first)) (\(n(row.firstLow)) to \(n(row.firstHigh))), ST \(n(row.total)) (\(n(row.totalLow)) to \(n(row.totalHigh)))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
