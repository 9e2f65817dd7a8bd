import CarePathMetrics
import Foundation

/// One constrained figure against cost, for every configuration run: the mean with its 95%
/// interval, a marker by status (feasible, infeasible, undecided), a ring on the chosen one and
/// a dashed line at the limit. Inline SVG with fixed decimals, like the scenario report's charts.
struct SearchChart {
    let result: CapacitySearchResult
    let constraint: Int

    static let statusColour: [EvaluatedConfiguration.Status: String] = [.feasible: "#009E73", .infeasible: "#D55E00", .undecided: "#E69F00"]

    func svg(ids: IDMaker) -> HTML {
        let c = result.constraints[constraint]
        let points = result.configurations.enumerated().filter { constraint < $0.element.figures.count }
        let width = 760.0, height = 380.0, left = 80.0, right = 24.0, top = 64.0, bottom = 56.0
        let costs = points.map(\.element.cost)
        var ys = points.flatMap { p -> [Double] in
            let f = p.element.figures[constraint]
            return [f.mean] + (f.halfWidth.map { [f.mean - $0, f.mean + $0] } ?? [])
        }.filter(\.isFinite)
        ys.append(c.limit)
        let (xTicks, xStep) = Chart.ticks(costs.min() ?? 0, costs.max() ?? 1)
        let (yTicks, yStep) = Chart.ticks(min(0, ys.min() ?? 0), ys.max() ?? 1)
        let x0 = xTicks.first ?? 0, x1 = xTicks.last ?? 1, y0 = yTicks.first ?? 0, y1 = yTicks.last ?? 1
        func x(_ v: Double) -> Double { left + (v - x0) / max(x1 - x0, 1e-12) * (width - left - right) }
        func y(_ v: Double) -> Double { height - bottom - (v - y0) / max(y1 - y0, 1e-12) * (height - top - bottom) }
        let n = Chart.n
        let description = "\(c.figure) (mean and 95% interval over replications) for each configuration run, against its cost; the limit \(c.relation) \(Format.compact(c.limit)) is the dashed line; green feasible, orange undecided, red infeasible; the chosen configuration is ringed."
        var out = Chart.open(width: width, height: height, title: "\(c.figure) against cost", description: description, ids: ids)
        for t in yTicks {
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(t)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(t)))\" stroke=\"\(Chart.grid)\" stroke-width=\"1\"/>"
            out += "<text x=\"\(n(left - 6))\" y=\"\(n(y(t) + 4))\" text-anchor=\"end\" fill=\"\(Chart.ink)\">\(Chart.tickLabel(t, step: yStep))</text>"
        }
        for t in xTicks {
            out += "<text x=\"\(n(x(t)))\" y=\"\(n(height - bottom + 18))\" text-anchor=\"middle\" fill=\"\(Chart.ink)\">\(Chart.tickLabel(t, step: xStep))</text>"
        }
        out += "<line x1=\"\(n(left))\" y1=\"\(n(height - bottom))\" x2=\"\(n(width - right))\" y2=\"\(n(height - bottom))\" stroke=\"\(Chart.ink)\" stroke-width=\"1\"/>"
        out += "<text x=\"\(n((left + width - right) / 2))\" y=\"\(n(height - 12))\" text-anchor=\"middle\" fill=\"\(Chart.ink)\">cost (sum of capacity × cost per unit)</text>"
        out += "<text x=\"16\" y=\"\(n(top - 12))\" fill=\"\(Chart.ink)\">\(Chart.truncate(c.figure, 70))</text>"
        out += "<line x1=\"\(n(left))\" y1=\"\(n(y(c.limit)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(c.limit)))\" stroke=\"\(Chart.ink)\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>"
        out += "<text x=\"\(n(width - right - 4))\" y=\"\(n(y(c.limit) - 6))\" text-anchor=\"end\" fill=\"\(Chart.ink)\">limit \(c.relation) \(Format.compact(c.limit))</text>"
        for (i, p) in points {
            let f = p.figures[constraint]
            guard f.mean.isFinite else { continue }
            let px = x(p.cost), py = y(f.mean)
            let colour = Self.statusColour[p.status] ?? Chart.ink
            if let h = f.halfWidth, h.isFinite {
                out += "<line x1=\"\(n(px))\" y1=\"\(n(y(f.mean - h)))\" x2=\"\(n(px))\" y2=\"\(n(y(f.mean + h)))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            }
            out += "<circle cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"5\" fill=\"\(colour)\" stroke=\"#333333\" stroke-width=\"0.5\"><title>\(label(p)): \(Format.compact(f.mean)) (\(p.status.rawValue))</title></circle>"
            if result.chosen == i {
                out += "<circle cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"10\" fill=\"none\" stroke=\"\(Chart.ink)\" stroke-width=\"2\"/>"
            }
        }
        out += "</svg>"
        return "<figure class=\"chart\">\(out)</figure>"
    }

    func label(_ c: EvaluatedConfiguration) -> String {
        zip(result.decisions, c.capacities).map { "\($0.role) \($1)" }.joined(separator: ", ")
    }
}
