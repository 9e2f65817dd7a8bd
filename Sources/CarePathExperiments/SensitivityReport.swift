import CarePathMetrics
import CarePathReport
import CarePathStore
import Foundation

/// The self-contained HTML report of a sensitivity analysis, in the scenario report's style:
/// what was varied, then per outcome a tornado (OAT), a mu*-sigma chart (Morris) or a table of
/// indices (Sobol), each with how to read it, and every figure in a table.
public enum SensitivityReport {
    static func e(_ s: String) -> String { ExperimentPage.escape(s) }

    /// Decimals for figures of this size.
    static func digits(_ scale: Double) -> Int { scale >= 100 ? 1 : scale >= 1 ? 2 : 3 }

    public static func html(_ r: SensitivityResult, commandLine: String) -> String {
        var heading = "<h1>Sensitivity: \(e(r.title))</h1>\n"
        heading += "<p class=\"subtitle\">Scenario \(e(r.scenario)), pathway \(e(r.pathway)); method \(e(methodName(r.method))); "
        heading += "\(r.designPoints) design points besides the baseline (variant \(e(r.baselineVariant))), \(r.replications) replications each "
        heading += "on common random numbers (seed \(r.seed)); design seed \(r.designSeed).</p>"
        var parts: [(id: String, title: String, body: String)] = [
            ("answer", "The answer", answer(r)),
            ("parameters", "Parameters", parameters(r)),
            ("baseline", "Outcomes at the baseline", baseline(r)),
        ]
        for (o, outcome) in r.outcomes.enumerated() {
            var body = ""
            if let definition = Outcome.parse(outcome).definition {
                body += "<p class=\"note\">\(e(outcome)): \(e(definition.definition)) (\(e(definition.unit))).</p>\n"
            }
            if let rows = r.oat?.filter({ $0.outcome == outcome }) { body += tornado(rows, baseline: r.baseline[o]) }
            if let rows = r.morris?.filter({ $0.outcome == outcome }) { body += morris(rows, parameters: r.parameters) }
            if let rows = r.sobol?.filter({ $0.outcome == outcome }) { body += sobol(rows) }
            parts.append(("outcome-\(o + 1)", outcome, body))
        }
        var reproduce = "<pre>\(e(commandLine))</pre>\n"
        reproduce += "<p class=\"note\">The JSON and CSV beside this report hold every figure shown; docs/simulation.md, Sensitivity analysis, defines them.</p>\n"
        parts.append(("reproduce", "How to reproduce", reproduce))
        return ExperimentPage.page(title: "Sensitivity: \(r.title)", generator: "CarePath \(r.carepathVersion)", heading: heading, parts: parts)
    }

    /// Per outcome, the parameters it moves with most, by the method's own measure of importance
    /// (swing for OAT, mu* for Morris, the total index for Sobol), leaving out those the
    /// replication noise cannot tell from no effect.
    static func answer(_ r: SensitivityResult) -> String {
        var out = "<p>Which parameters each outcome depends on most, over the ranges studied; the sections after the contents "
        out += "show every parameter with its interval.</p>\n<ul>\n"
        for (o, outcome) in r.outcomes.enumerated() {
            var ranked: [(String, String)] = [], quiet = 0, measure = ""
            if let rows = r.oat?.filter({ $0.outcome == outcome }) {
                measure = "swing"
                // A parameter whose low and high intervals both include 0 is not told from no change.
                func spansZero(_ x: SensitivityResult.Estimate) -> Bool { x.halfWidth.map { abs(x.mean) <= $0 } ?? false }
                let clear = rows.filter { !(spansZero($0.lowDifference) && spansZero($0.highDifference)) }
                quiet = rows.count - clear.count
                let d = digits(clear.map(\.swing).max() ?? 0)
                ranked = clear.sorted { ($0.swing, $1.parameter) > ($1.swing, $0.parameter) }.map { ($0.parameter, ExperimentPage.number($0.swing, d)) }
            } else if let rows = r.morris?.filter({ $0.outcome == outcome }) {
                measure = "\u{03BC}*"
                let clear = rows.filter { $0.muStar.isFinite && !$0.withinNoise }
                quiet = rows.count - clear.count
                let d = digits(clear.map(\.muStar).max() ?? 0)
                ranked = clear.sorted { ($0.muStar, $1.parameter) > ($1.muStar, $0.parameter) }.map { ($0.parameter, ExperimentPage.number($0.muStar, d)) }
            } else if let rows = r.sobol?.filter({ $0.outcome == outcome }) {
                measure = "total index ST"
                // An interval reaching 0 leaves the parameter possibly without influence.
                let clear = rows.filter { $0.total.isFinite && $0.totalLow > 0 }
                quiet = rows.count - clear.count
                ranked = clear.sorted { ($0.total, $1.parameter) > ($1.total, $0.parameter) }.map { ($0.parameter, ExperimentPage.number($0.total, 3)) }
            }
            let top = ranked.prefix(3).map { "<code>\(e($0.0))</code> (\(e(measure)) \($0.1))" }
            out += "<li><a href=\"#outcome-\(o + 1)\"><code>\(e(outcome))</code></a>: "
            out += top.isEmpty ? "no parameter clearly moves it within the replication noise" : "moves most with " + top.joined(separator: ", ")
            if ranked.count > 3 { out += ", then \(ranked.count - 3) more" }
            out += quiet > 0 ? "; \(quiet) of \(r.parameters.count) parameters cannot be told from no effect.</li>\n" : ".</li>\n"
        }
        return out + "</ul>\n"
    }

    static func methodName(_ m: String) -> String {
        switch m {
        case "oat": "one at a time (OAT)"
        case "morris": "Morris elementary effects"
        default: "Sobol indices (Saltelli 2010, Jansen)"
        }
    }

    static func parameters(_ r: SensitivityResult) -> String {
        var out = "<p>Each parameter is a lever place of the pathway or scenario. A duration is varied by its mean: "
        out += "the baseline distribution scaled so that its mean is the value, its shape kept. Without low and high the range is the baseline "
        out += "\u{00B1}20% (whole numbers rounded, at least one either side).</p>\n"
        out += "<table><thead><tr><th>#</th><th>place</th><th>baseline</th><th>low</th><th>high</th><th>distribution</th></tr></thead><tbody>\n"
        for (i, p) in r.parameters.enumerated() {
            out += "<tr><td>\(i + 1)</td><td><code>\(e(p.label))</code></td><td>\(e(p.baseline))</td><td>\(e(p.low))</td><td>\(e(p.high))</td>"
            out += "<td>\(e(p.distribution ?? "even over the range"))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static func baseline(_ r: SensitivityResult) -> String {
        var out = "<table><thead><tr><th>outcome</th><th>mean</th><th>95% interval</th></tr></thead><tbody>\n"
        for b in r.baseline {
            let d = digits(abs(b.mean))
            let interval = b.halfWidth.map { "\(ExperimentPage.number(b.mean - $0, d)) to \(ExperimentPage.number(b.mean + $0, d))" } ?? "one replication: none"
            out += "<tr><td><code>\(e(b.outcome))</code></td><td>\(ExperimentPage.number(b.mean, d))</td><td>\(e(interval))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    // MARK: OAT

    static func tornado(_ rows: [SensitivityResult.OATRow], baseline: SensitivityResult.Estimate) -> String {
        let sorted = rows.sorted { ($0.swing, $1.parameter) > ($1.swing, $0.parameter) }
        func ends(_ x: SensitivityResult.Estimate) -> [Double] { [x.mean - (x.halfWidth ?? 0), x.mean + (x.halfWidth ?? 0)] }
        let all = sorted.flatMap { ends($0.lowDifference) + ends($0.highDifference) }.filter(\.isFinite) + [0]
        let lo = all.min() ?? 0, hi = all.max() ?? 0, span = max(hi - lo, 1e-12)
        let d = digits(max(abs(lo), abs(hi)))
        let labelWidth = 360.0, plot = 520.0, rowHeight = 30.0, top = 24.0
        func x(_ v: Double) -> Double { labelWidth + 10 + (v - lo) / span * plot }
        let height = top + Double(sorted.count) * rowHeight + 30
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(labelWidth + plot + 40))\" height=\"\(Int(height))\" "
        svg += "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\"><title>Tornado: \(e(baseline.outcome))</title>\n"
        svg += "<line x1=\"\(ExperimentPage.plain(x(0)))\" y1=\"\(Int(top - 6))\" x2=\"\(ExperimentPage.plain(x(0)))\" y2=\"\(Int(height - 24))\" stroke=\"#111111\"/>\n"
        svg += "<text x=\"\(ExperimentPage.plain(x(0)))\" y=\"14\" text-anchor=\"middle\">baseline \(ExperimentPage.number(baseline.mean, digits(abs(baseline.mean))))</text>\n"
        svg += "<rect x=\"\(Int(labelWidth + plot - 150))\" y=\"4\" width=\"12\" height=\"12\" fill=\"#0072B2\"/><text x=\"\(Int(labelWidth + plot - 134))\" y=\"14\">at low</text>"
        svg += "<rect x=\"\(Int(labelWidth + plot - 70))\" y=\"4\" width=\"12\" height=\"12\" fill=\"#D55E00\"/><text x=\"\(Int(labelWidth + plot - 54))\" y=\"14\">at high</text>\n"
        for (i, row) in sorted.enumerated() {
            let y = top + Double(i) * rowHeight
            svg += "<text x=\"\(Int(labelWidth))\" y=\"\(ExperimentPage.plain(y + 18))\" text-anchor=\"end\">\(e(row.parameter))</text>\n"
            for (estimate, colour, value) in [(row.lowDifference, "#0072B2", row.lowValue), (row.highDifference, "#D55E00", row.highValue)] {
                let a = x(0), b = x(estimate.mean)
                svg += "<rect x=\"\(ExperimentPage.plain(min(a, b)))\" y=\"\(ExperimentPage.plain(y + 6))\" width=\"\(ExperimentPage.plain(abs(b - a)))\" height=\"16\" fill=\"\(colour)\" fill-opacity=\"0.75\">"
                svg += "<title>\(e(row.parameter)) at \(e(value)): \(ExperimentPage.signed(estimate.mean, d))</title></rect>\n"
                if let h = estimate.halfWidth {
                    let y0 = ExperimentPage.plain(y + 14)
                    svg += "<line x1=\"\(ExperimentPage.plain(x(estimate.mean - h)))\" y1=\"\(y0)\" x2=\"\(ExperimentPage.plain(x(estimate.mean + h)))\" y2=\"\(y0)\" stroke=\"#111111\" stroke-width=\"2\"/>\n"
                }
            }
        }
        svg += "<text x=\"\(ExperimentPage.plain(x(lo)))\" y=\"\(Int(height - 6))\">\(ExperimentPage.signed(lo, d))</text>"
        svg += "<text x=\"\(ExperimentPage.plain(x(hi)))\" y=\"\(Int(height - 6))\" text-anchor=\"end\">\(ExperimentPage.signed(hi, d))</text>\n</svg>"
        var out = "<h3>Tornado (one at a time)</h3>\n<figure>\(svg)<figcaption class=\"note\">How to read: each bar is the paired difference "
        out += "from the baseline (the outcome at that value minus the baseline, replication by replication on the same patients) with the "
        out += "parameter at its low (blue) or high (orange) value and every other parameter at the baseline; the black line across a bar is its "
        out += "95% interval. Parameters are sorted by swing, |high difference \u{2212} low difference|: the widest first. A bar whose interval "
        out += "crosses the baseline line is not told apart from no change.</figcaption></figure>\n"
        out += "<table><thead><tr><th>parameter</th><th>low</th><th>difference at low (95% CI)</th><th>high</th><th>difference at high (95% CI)</th><th>swing</th></tr></thead><tbody>\n"
        func cell(_ x: SensitivityResult.Estimate) -> String {
            ExperimentPage.signed(x.mean, d) + (x.halfWidth.map { " (\(ExperimentPage.signed(x.mean - $0, d)) to \(ExperimentPage.signed(x.mean + $0, d)))" } ?? "")
        }
        for row in sorted {
            out += "<tr><td><code>\(e(row.parameter))</code></td><td>\(e(row.lowValue))</td><td>\(e(cell(row.lowDifference)))</td>"
            out += "<td>\(e(row.highValue))</td><td>\(e(cell(row.highDifference)))</td><td>\(ExperimentPage.number(row.swing, d))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    // MARK: Morris

    static func morris(_ rows: [SensitivityResult.MorrisRow], parameters: [SensitivityResult.Parameter]) -> String {
        let finite = rows.filter { $0.muStar.isFinite }
        let maxX = max(finite.map(\.muStar).max() ?? 0, 1e-12), maxY = max(finite.map { $0.sigma.isFinite ? $0.sigma : 0 }.max() ?? 0, 1e-12)
        let top = max(maxX, maxY) * 1.1
        let size = 420.0, left = 60.0
        func px(_ v: Double) -> Double { left + v / top * size }
        func py(_ v: Double) -> Double { 20 + size - v / top * size }
        let d = digits(top)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(left + size + 40))\" height=\"\(Int(size + 70))\" "
        svg += "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\"><title>mu* and sigma</title>\n"
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(20 + size))\" x2=\"\(Int(left + size))\" y2=\"\(Int(20 + size))\" stroke=\"#111111\"/>"
        svg += "<line x1=\"\(Int(left))\" y1=\"20\" x2=\"\(Int(left))\" y2=\"\(Int(20 + size))\" stroke=\"#111111\"/>\n"
        // sigma = mu*: above it, effects vary more than their mean size (interactions, non-linearity).
        svg += "<line x1=\"\(ExperimentPage.plain(px(0)))\" y1=\"\(ExperimentPage.plain(py(0)))\" x2=\"\(ExperimentPage.plain(px(top)))\" y2=\"\(ExperimentPage.plain(py(top)))\" stroke=\"#999999\" stroke-dasharray=\"4 4\"/>\n"
        svg += "<text x=\"\(Int(left + size / 2))\" y=\"\(Int(size + 62))\" text-anchor=\"middle\">\u{03BC}* (mean absolute effect)</text>"
        svg += "<text x=\"14\" y=\"\(Int(20 + size / 2))\" transform=\"rotate(-90 14 \(Int(20 + size / 2)))\" text-anchor=\"middle\">\u{03C3} (spread of effects)</text>\n"
        svg += "<text x=\"\(Int(left))\" y=\"\(Int(size + 40))\" text-anchor=\"middle\">0</text><text x=\"\(Int(left + size))\" y=\"\(Int(size + 40))\" text-anchor=\"middle\">\(ExperimentPage.number(top, d))</text>\n"
        for row in finite {
            let n = (parameters.firstIndex { $0.label == row.parameter } ?? 0) + 1
            let cx = ExperimentPage.plain(px(row.muStar)), cy = ExperimentPage.plain(py(row.sigma.isFinite ? row.sigma : 0))
            svg += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"6\" fill=\"\(row.withinNoise ? "#ffffff" : "#0072B2")\" stroke=\"#0072B2\" stroke-width=\"2\">"
            svg += "<title>\(e(row.parameter)): mu* \(ExperimentPage.number(row.muStar, d)), sigma \(ExperimentPage.number(row.sigma, d))</title></circle>"
            svg += "<text x=\"\(ExperimentPage.plain(px(row.muStar) + 8))\" y=\"\(ExperimentPage.plain(py(row.sigma.isFinite ? row.sigma : 0) - 6))\">\(n)</text>\n"
        }
        svg += "</svg>"
        var out = "<h3>Morris screening: \u{03BC}* and \u{03C3}</h3>\n<figure>\(svg)<figcaption class=\"note\">How to read: an elementary effect is "
        out += "the change in the outcome (its mean over the replications) when one parameter moves by \u{0394} of its range with the others held, "
        out += "divided by the share of the range moved: in outcome units per whole range. \u{03BC}* (right) is the mean absolute effect, the "
        out += "parameter's importance; \u{03C3} (up) is their standard deviation: high against \u{03BC}* (above the dashed line \u{03C3} = \u{03BC}*) "
        out += "means the effect depends on where the others are (interactions) or is not linear. Numbers are the parameters' rows in the table "
        out += "above; a hollow circle is within the replication noise (\u{03BC}* at most the noise floor: the mean half-width of the effects' own "
        out += "95% intervals, paired over replications).</figcaption></figure>\n"
        out += "<table><thead><tr><th>parameter</th><th>\u{03BC}*</th><th>\u{03BC}</th><th>\u{03C3}</th><th>effects</th><th>noise floor</th><th></th></tr></thead><tbody>\n"
        for row in rows.sorted(by: { ($0.muStar.isFinite ? $0.muStar : -1, $1.parameter) > ($1.muStar.isFinite ? $1.muStar : -1, $0.parameter) }) {
            out += "<tr><td><code>\(e(row.parameter))</code></td><td>\(ExperimentPage.number(row.muStar, d))</td><td>\(ExperimentPage.signed(row.mu, d))</td>"
            out += "<td>\(ExperimentPage.number(row.sigma, d))</td><td>\(row.effects)</td><td>\(row.noiseFloor.map { ExperimentPage.number($0, d) } ?? "n/a")</td>"
            out += "<td>\(row.withinNoise ? "within noise" : "")</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    // MARK: Sobol

    static func sobol(_ rows: [SensitivityResult.SobolRow]) -> String {
        var out = "<h3>Sobol indices</h3>\n<p class=\"note\">How to read: the first-order index S1 is the share of the outcome's variance over the "
        out += "parameters' ranges due to the parameter alone; the total index ST adds its interactions with the others. ST near 0: the parameter "
        out += "can be fixed anywhere in its range. Intervals are 95% bootstrap percentiles over the base samples; the outcome at each point is "
        out += "its mean over the replications, so replication noise adds to the variance and S1 sums to less than 1.</p>\n"
        out += "<table><thead><tr><th>parameter</th><th>S1</th><th>S1 95% interval</th><th>ST</th><th>ST 95% interval</th></tr></thead><tbody>\n"
        for row in rows.sorted(by: { ($0.total.isFinite ? $0.total : -1, $1.parameter) > ($1.total.isFinite ? $1.total : -1, $0.parameter) }) {
            out += "<tr><td><code>\(e(row.parameter))</code></td><td>\(ExperimentPage.number(row.first, 3))</td>"
            out += "<td>\(ExperimentPage.number(row.firstLow, 3)) to \(ExperimentPage.number(row.firstHigh, 3))</td>"
            out += "<td>\(ExperimentPage.number(row.total, 3))</td><td>\(ExperimentPage.number(row.totalLow, 3)) to \(ExperimentPage.number(row.totalHigh, 3))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    // MARK: CSV

    /// Every figure in long form: method, outcome, parameter, figure, value, low, high.
    public static func csv(_ r: SensitivityResult) -> String {
        // RFC 4180 with CRLF, text cells neutralised against formulas: as every CSV of CarePath.
        var lines = [CSVExport.line(["method", "outcome", "parameter", "figure", "value", "low", "high"])]
        func add(_ outcome: String, _ parameter: String, _ figure: String, _ value: Double, _ low: Double? = nil, _ high: Double? = nil) {
            lines.append(CSVExport.line([r.method, outcome, parameter, figure], numbers: [value, low, high].map(CSVExport.number)))
        }
        for b in r.baseline { add(b.outcome, "", "baseline_mean", b.mean, b.halfWidth.map { b.mean - $0 }, b.halfWidth.map { b.mean + $0 }) }
        for row in r.oat ?? [] {
            for (name, x) in [("difference_at_low", row.lowDifference), ("difference_at_high", row.highDifference)] {
                add(row.outcome, row.parameter, name, x.mean, x.halfWidth.map { x.mean - $0 }, x.halfWidth.map { x.mean + $0 })
            }
            add(row.outcome, row.parameter, "swing", row.swing)
        }
        for row in r.morris ?? [] {
            add(row.outcome, row.parameter, "mu_star", row.muStar); add(row.outcome, row.parameter, "mu", row.mu)
            add(row.outcome, row.parameter, "sigma", row.sigma)
            if let f = row.noiseFloor { add(row.outcome, row.parameter, "noise_floor", f) }
        }
        for row in r.sobol ?? [] {
            add(row.outcome, row.parameter, "first_order", row.first, row.firstLow, row.firstHigh)
            add(row.outcome, row.parameter, "total", row.total, row.totalLow, row.totalHigh)
        }
        return lines.joined()
    }
}

extension Outcome {
    /// An outcome from its own description (`wait_p90_h at council/social-worker`), unchecked.
    static func parse(_ text: String) -> Outcome {
        let parts = text.components(separatedBy: " at ")
        return Outcome(metric: parts[0], subject: parts.count > 1 ? parts[1] : "")
    }
}
