import CarePathModel
import Foundation

/// Charts drawn as inline SVG by CarePath itself: bars (single or grouped, vertical or horizontal,
/// with error bars) and lines. Every chart carries an accessible `<title>` and `<desc>`, axis
/// labels, ticks and a legend; colours come from the Okabe–Ito palette (safe for colour-blind
/// readers) and lines also differ by dash pattern, so print in greyscale stays readable. Output
/// depends only on the data: coordinates are written with fixed decimals.
enum Chart {
    /// Okabe–Ito, ordered so that neighbours contrast; yellow last (weak on white).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
    static let dashes = ["", "7 4", "2 3", "9 3 2 3", "4 4", "1 2", "12 4", "6 2 2 2"]
    static let font = "Helvetica, Arial, sans-serif"
    static let ink = "#111111"
    static let grid = "#d4d4d4"

    static func colour(_ i: Int) -> String { palette[i % palette.count] }
    static func dash(_ i: Int) -> String { dashes[i % dashes.count] }

    /// Approximate width of text in pixels (the SVG is laid out without a font engine).
    static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * size * 0.56 }

    static func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 1))) + "\u{2026}"
    }

    static func n(_ x: Double) -> String { Format.plain(x, 1) }

    /// An axis title, linked to the glossary's definition of the figure it measures when there is one.
    static func axisTitle(_ text: HTML, definition: String?) -> HTML {
        guard let definition else { return text }
        return "<a href=\"#\(definition)\" class=\"defined\"><tspan fill=\"#0b5cad\" text-decoration=\"underline\">\(text)</tspan></a>"
    }

    /// Text broken at spaces into at most `lines` lines of about `width` characters; the last is
    /// shortened with an ellipsis when the text does not fit.
    static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        var out: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty { current = String(word) }
            else if current.count + 1 + word.count <= width { current += " " + word }
            else { out.append(current); current = String(word) }
        }
        if !current.isEmpty || out.isEmpty { out.append(current) }
        if out.count > lines {
            let rest = out[(lines - 1)...].joined(separator: " ")
            out = Array(out.prefix(lines - 1)) + [truncate(rest, width)]
        }
        return out.map { truncate($0, width + 6) }
    }

    /// Round tick values covering lo...hi.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> (values: [Double], step: Double) {
        var lo = lo.isFinite ? lo : 0, hi = hi.isFinite ? hi : 1
        if hi <= lo { hi = lo + (lo == 0 ? 1 : abs(lo) * 0.1) }
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let raw = (hi - lo) / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalised = raw / magnitude
        let step = (normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10) * magnitude
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        var values: [Double] = []
        var k = first
        while k <= last + 1e-9 && values.count < 40 { values.append(k * step); k += 1 }
        return (values, step)
    }

    static func tickLabel(_ v: Double, step: Double) -> String {
        let digits = step >= 1 ? 0 : min(6, max(0, Int(clampingFloor: (-log10(step)).rounded(.up))))
        return Format.number(v, digits)
    }

    /// The opening of a chart's `<svg>` with its accessible name and description.
    static func open(width: Double, height: Double, title: String, description: String, ids: IDMaker) -> HTML {
        let id = ids.make("chart")
        return """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 \(n(width)) \(n(height))" width="\(n(width))" height="\(n(height))" role="img" aria-labelledby="\(id)-title \(id)-desc" font-family="\(font)" font-size="13"><title id="\(id)-title">\(title)</title><desc id="\(id)-desc">\(description)</desc><rect x="0" y="0" width="\(n(width))" height="\(n(height))" fill="#ffffff"/><text x="12" y="24" font-size="17" font-weight="bold" fill="\(ink)">\(truncate(title, 72))</text>
        """
    }

    /// A legend laid out in rows under the title; returns its markup and height.
    static func legend(_ names: [String], top: Double, width: Double, line: Bool) -> (HTML, Double) {
        guard names.count > 1 || line else { return (.empty, 0) }
        var out = HTML.empty
        var x = 12.0, y = top
        let rowHeight = 20.0
        for (i, name) in names.enumerated() {
            let label = truncate(name, 48)
            let itemWidth = 26 + textWidth(label, size: 13) + 18
            if x > 12 && x + itemWidth > width - 8 { x = 12; y += rowHeight }
            if line {
                out += "<line x1=\"\(n(x))\" y1=\"\(n(y + 7))\" x2=\"\(n(x + 22))\" y2=\"\(n(y + 7))\" stroke=\"\(colour(i))\" stroke-width=\"3\" stroke-dasharray=\"\(dash(i))\"/>"
            } else {
                out += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"14\" height=\"14\" fill=\"\(colour(i))\" stroke=\"#333333\" stroke-width=\"0.5\"/>"
            }
            out += "<text x=\"\(n(x + 26))\" y=\"\(n(y + 12))\" fill=\"\(ink)\">\(label)</text>"
            x += itemWidth
        }
        return (out, y + rowHeight - top + 4)
    }
}

/// One named series of a bar chart; `errors` are 95% half-widths, nil where unknown.
struct BarSeries {
    var name: String
    var values: [Double?]
    var errors: [Double?] = []
}

/// Bars per category, one per series (grouped when there are several), with error bars.
struct BarChart {
    var title: String
    var description: String
    var categories: [String]
    var series: [BarSeries]
    var valueAxis: String
    var categoryAxis: String
    /// The glossary anchor of the figure the value axis measures (the axis title links to it).
    var definition: String? = nil
    /// Categories down the side (long names: roles, states); otherwise along the bottom.
    var horizontal = false
    var digits = 2
    /// Where the quantity cannot go (0 for counts and shares, 100 for percentages): error bars
    /// are cut there, so a wide interval from few replications does not stretch the axis.
    var lowerBound: Double? = 0
    var upperBound: Double? = nil

    func value(_ s: Int, _ c: Int) -> Double? {
        guard c < series[s].values.count, let v = series[s].values[c], v.isFinite else { return nil }
        return v
    }
    func error(_ s: Int, _ c: Int) -> Double? {
        guard c < series[s].errors.count, let e = series[s].errors[c], e.isFinite, e > 0 else { return nil }
        return e
    }

    /// The drawn interval of a bar: mean ± half-width, cut at the bounds.
    func interval(_ s: Int, _ c: Int) -> (Double, Double)? {
        guard let v = value(s, c), let e = error(s, c) else { return nil }
        var lo = v - e, hi = v + e
        if let b = lowerBound { lo = max(lo, min(b, v)) }
        if let b = upperBound { hi = min(hi, max(b, v)) }
        return (lo, hi)
    }

    /// The range the value axis must show: zero, every bar and every error bar.
    private func range() -> (Double, Double) {
        var lo = 0.0, hi = 0.0
        for s in series.indices {
            for c in categories.indices {
                guard let v = value(s, c) else { continue }
                let (a, b) = interval(s, c) ?? (v, v)
                lo = min(lo, v, a); hi = max(hi, v, b)
            }
        }
        if hi == lo { hi = lo + 1 }
        return (lo, hi)
    }

    private func tooltip(_ s: Int, _ c: Int, _ v: Double) -> String {
        var text = (series.count > 1 ? series[s].name + ", " : "") + categories[c] + ": " + Format.number(v, digits)
        if let e = error(s, c) {
            text += " (95% interval " + Format.number(v - e, digits) + " to " + Format.number(v + e, digits) + ")"
        }
        return text
    }

    func svg(ids: IDMaker) -> HTML {
        horizontal ? horizontalSVG(ids: ids) : verticalSVG(ids: ids)
    }

    private func verticalSVG(ids: IDMaker) -> HTML {
        let width = 760.0
        let (legend, legendHeight) = Chart.legend(series.map(\.name), top: 36, width: width, line: false)
        let labels = categories.map { Chart.truncate($0, 28) }
        let left = 74.0, right = 16.0
        let plotWidth = width - left - right
        let band = plotWidth / Double(max(categories.count, 1))
        let widest = labels.map { Chart.textWidth($0, size: 13) }.max() ?? 0
        let rotate = widest > band - 6
        let labelDepth = rotate ? min(widest * 0.6 + 14, 150) : 22
        let top = 40 + legendHeight + 6
        let plotHeight = 260.0
        let height = top + plotHeight + labelDepth + 44

        let (lo, hi) = range()
        let (tickValues, step) = Chart.ticks(lo, hi)
        let minV = tickValues.first ?? lo, maxV = tickValues.last ?? hi
        func y(_ v: Double) -> Double { top + plotHeight - (v - minV) / (maxV - minV) * plotHeight }

        var out = Chart.open(width: width, height: height, title: title, description: description, ids: ids)
        out += legend
        for t in tickValues {
            out += "<line x1=\"\(Chart.n(left))\" y1=\"\(Chart.n(y(t)))\" x2=\"\(Chart.n(left + plotWidth))\" y2=\"\(Chart.n(y(t)))\" stroke=\"\(Chart.grid)\" stroke-width=\"1\"/>"
            out += "<text x=\"\(Chart.n(left - 8))\" y=\"\(Chart.n(y(t) + 4))\" text-anchor=\"end\" fill=\"\(Chart.ink)\">\(Chart.tickLabel(t, step: step))</text>"
        }
        let inner = band * 0.8
        let barWidth = inner / Double(max(series.count, 1))
        for c in categories.indices {
            let x0 = left + Double(c) * band + band * 0.1
            for s in series.indices {
                guard let v = value(s, c) else { continue }
                let x = x0 + Double(s) * barWidth
                let a = y(max(v, 0)), b = y(min(v, 0))
                out += "<rect x=\"\(Chart.n(x))\" y=\"\(Chart.n(a))\" width=\"\(Chart.n(max(barWidth - 1, 1)))\" height=\"\(Chart.n(max(b - a, 0.5)))\" fill=\"\(Chart.colour(s))\" stroke=\"#333333\" stroke-width=\"0.5\"><title>\(tooltip(s, c, v))</title></rect>"
                if let (lo, hi) = interval(s, c) {
                    let cx = x + (barWidth - 1) / 2, cap = min(barWidth * 0.3, 6)
                    let y1 = y(lo), y2 = y(hi)
                    out += "<path d=\"M\(Chart.n(cx)) \(Chart.n(y1))V\(Chart.n(y2))M\(Chart.n(cx - cap)) \(Chart.n(y1))H\(Chart.n(cx + cap))M\(Chart.n(cx - cap)) \(Chart.n(y2))H\(Chart.n(cx + cap))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\" fill=\"none\"/>"
                }
            }
            let lx = left + (Double(c) + 0.5) * band, ly = top + plotHeight + 18
            if rotate {
                out += "<text x=\"\(Chart.n(lx))\" y=\"\(Chart.n(ly))\" text-anchor=\"end\" transform=\"rotate(-35 \(Chart.n(lx)) \(Chart.n(ly)))\" fill=\"\(Chart.ink)\"><title>\(categories[c])</title>\(labels[c])</text>"
            } else {
                out += "<text x=\"\(Chart.n(lx))\" y=\"\(Chart.n(ly))\" text-anchor=\"middle\" fill=\"\(Chart.ink)\">\(labels[c])</text>"
            }
        }
        // Axes: the zero line and the value axis.
        out += "<line x1=\"\(Chart.n(left))\" y1=\"\(Chart.n(y(0)))\" x2=\"\(Chart.n(left + plotWidth))\" y2=\"\(Chart.n(y(0)))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\"/>"
        out += "<line x1=\"\(Chart.n(left))\" y1=\"\(Chart.n(top))\" x2=\"\(Chart.n(left))\" y2=\"\(Chart.n(top + plotHeight))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\"/>"
        let axisY = top + plotHeight / 2
        out += "<text x=\"18\" y=\"\(Chart.n(axisY))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(Chart.n(axisY)))\" font-weight=\"bold\" fill=\"\(Chart.ink)\">\(Chart.axisTitle("\(Chart.truncate(valueAxis, 40))", definition: definition))</text>"
        out += "<text x=\"\(Chart.n(left + plotWidth / 2))\" y=\"\(Chart.n(height - 10))\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"\(Chart.ink)\">\(categoryAxis)</text>"
        out += "</svg>"
        return out
    }

    private func horizontalSVG(ids: IDMaker) -> HTML {
        let width = 760.0
        let (legend, legendHeight) = Chart.legend(series.map(\.name), top: 36, width: width, line: false)
        let labels = categories.map { Chart.wrap($0, width: 30, lines: 2) }
        let widest = labels.flatMap { $0 }.map { Chart.textWidth($0, size: 13) }.max() ?? 0
        let left = min(max(widest + 18, 90), 260), right = 24.0
        let plotWidth = width - left - right
        let band = max(labels.contains { $0.count > 1 } ? 38 : 26, Double(series.count) * 15 + 10)
        let top = 40 + legendHeight + 6 + (categoryAxis.isEmpty ? 0 : 20)
        let plotHeight = band * Double(max(categories.count, 1))
        let height = top + plotHeight + 62

        let (lo, hi) = range()
        let (tickValues, step) = Chart.ticks(lo, hi)
        let minV = tickValues.first ?? lo, maxV = tickValues.last ?? hi
        func x(_ v: Double) -> Double { left + (v - minV) / (maxV - minV) * plotWidth }

        var out = Chart.open(width: width, height: height, title: title, description: description, ids: ids)
        out += legend
        for t in tickValues {
            out += "<line x1=\"\(Chart.n(x(t)))\" y1=\"\(Chart.n(top))\" x2=\"\(Chart.n(x(t)))\" y2=\"\(Chart.n(top + plotHeight))\" stroke=\"\(Chart.grid)\" stroke-width=\"1\"/>"
            out += "<text x=\"\(Chart.n(x(t)))\" y=\"\(Chart.n(top + plotHeight + 18))\" text-anchor=\"middle\" fill=\"\(Chart.ink)\">\(Chart.tickLabel(t, step: step))</text>"
        }
        let inner = band - 8
        let barHeight = inner / Double(max(series.count, 1))
        for c in categories.indices {
            let y0 = top + Double(c) * band + 4
            for s in series.indices {
                guard let v = value(s, c) else { continue }
                let y = y0 + Double(s) * barHeight
                let a = x(min(v, 0)), b = x(max(v, 0))
                out += "<rect x=\"\(Chart.n(a))\" y=\"\(Chart.n(y))\" width=\"\(Chart.n(max(b - a, 0.5)))\" height=\"\(Chart.n(max(barHeight - 1, 1)))\" fill=\"\(Chart.colour(s))\" stroke=\"#333333\" stroke-width=\"0.5\"><title>\(tooltip(s, c, v))</title></rect>"
                if let (lo, hi) = interval(s, c) {
                    let cy = y + (barHeight - 1) / 2, cap = min(barHeight * 0.35, 5)
                    let x1 = x(lo), x2 = x(hi)
                    out += "<path d=\"M\(Chart.n(x1)) \(Chart.n(cy))H\(Chart.n(x2))M\(Chart.n(x1)) \(Chart.n(cy - cap))V\(Chart.n(cy + cap))M\(Chart.n(x2)) \(Chart.n(cy - cap))V\(Chart.n(cy + cap))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\" fill=\"none\"/>"
                }
            }
            let lines = labels[c]
            let ly = top + (Double(c) + 0.5) * band + 4 - Double(lines.count - 1) * 7.5
            let spans = lines.enumerated().map { k, line -> HTML in
                "<tspan x=\"\(Chart.n(left - 8))\" y=\"\(Chart.n(ly + Double(k) * 15))\">\(line)</tspan>"
            }
            out += "<text text-anchor=\"end\" fill=\"\(Chart.ink)\"><title>\(categories[c])</title>\(spans)</text>"
        }
        out += "<line x1=\"\(Chart.n(x(0)))\" y1=\"\(Chart.n(top))\" x2=\"\(Chart.n(x(0)))\" y2=\"\(Chart.n(top + plotHeight))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\"/>"
        out += "<line x1=\"\(Chart.n(left))\" y1=\"\(Chart.n(top + plotHeight))\" x2=\"\(Chart.n(left + plotWidth))\" y2=\"\(Chart.n(top + plotHeight))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\"/>"
        out += "<text x=\"\(Chart.n(left + plotWidth / 2))\" y=\"\(Chart.n(top + plotHeight + 44))\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"\(Chart.ink)\">\(Chart.axisTitle("\(valueAxis)", definition: definition))</text>"
        if !categoryAxis.isEmpty {
            out += "<text x=\"\(Chart.n(left - 8))\" y=\"\(Chart.n(top - 8))\" text-anchor=\"end\" font-weight=\"bold\" fill=\"\(Chart.ink)\">\(Chart.truncate(categoryAxis, 40))</text>"
        }
        out += "</svg>"
        return out
    }
}

struct LineSeries {
    var name: String
    var points: [(x: Double, y: Double)]
}

/// Lines over a numeric x axis (queue length over time).
struct LineChart {
    var title: String
    var description: String
    var series: [LineSeries]
    var xAxis: String
    var yAxis: String
    /// The glossary anchor of the figure the y axis measures (the axis title links to it).
    var definition: String? = nil

    func svg(ids: IDMaker) -> HTML {
        let width = 760.0
        let (legend, legendHeight) = Chart.legend(series.map(\.name), top: 36, width: width, line: true)
        let left = 74.0, right = 20.0
        let top = 40 + legendHeight + 6
        let plotWidth = width - left - right, plotHeight = 280.0
        let height = top + plotHeight + 62
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let (xTicks, xStep) = Chart.ticks(all.map(\.x).min() ?? 0, all.map(\.x).max() ?? 1, count: 8)
        let (yTicks, yStep) = Chart.ticks(min(0, all.map(\.y).min() ?? 0), max(all.map(\.y).max() ?? 1, 1e-9))
        let x0 = xTicks.first ?? 0, x1 = xTicks.last ?? 1, y0 = yTicks.first ?? 0, y1 = yTicks.last ?? 1
        func x(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * plotWidth }
        func y(_ v: Double) -> Double { top + plotHeight - (v - y0) / (y1 - y0) * plotHeight }

        var out = Chart.open(width: width, height: height, title: title, description: description, ids: ids)
        out += legend
        for t in yTicks {
            out += "<line x1=\"\(Chart.n(left))\" y1=\"\(Chart.n(y(t)))\" x2=\"\(Chart.n(left + plotWidth))\" y2=\"\(Chart.n(y(t)))\" stroke=\"\(Chart.grid)\" stroke-width=\"1\"/>"
            out += "<text x=\"\(Chart.n(left - 8))\" y=\"\(Chart.n(y(t) + 4))\" text-anchor=\"end\" fill=\"\(Chart.ink)\">\(Chart.tickLabel(t, step: yStep))</text>"
        }
        for t in xTicks {
            out += "<line x1=\"\(Chart.n(x(t)))\" y1=\"\(Chart.n(top + plotHeight))\" x2=\"\(Chart.n(x(t)))\" y2=\"\(Chart.n(top + plotHeight + 5))\" stroke=\"\(Chart.ink)\" stroke-width=\"1\"/>"
            out += "<text x=\"\(Chart.n(x(t)))\" y=\"\(Chart.n(top + plotHeight + 20))\" text-anchor=\"middle\" fill=\"\(Chart.ink)\">\(Chart.tickLabel(t, step: xStep))</text>"
        }
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            guard !points.isEmpty else { continue }
            var d = ""
            for (k, p) in points.enumerated() { d += (k == 0 ? "M" : "L") + Chart.n(x(p.x)) + " " + Chart.n(y(p.y)) }
            let dash = Chart.dash(i)
            let dashAttribute: HTML = dash.isEmpty ? .empty : " stroke-dasharray=\"\(dash)\""
            out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(Chart.colour(i))\" stroke-width=\"2.5\"\(dashAttribute) stroke-linejoin=\"round\"><title>\(s.name)</title></path>"
        }
        out += "<line x1=\"\(Chart.n(left))\" y1=\"\(Chart.n(top + plotHeight))\" x2=\"\(Chart.n(left + plotWidth))\" y2=\"\(Chart.n(top + plotHeight))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\"/>"
        out += "<line x1=\"\(Chart.n(left))\" y1=\"\(Chart.n(top))\" x2=\"\(Chart.n(left))\" y2=\"\(Chart.n(top + plotHeight))\" stroke=\"\(Chart.ink)\" stroke-width=\"1.5\"/>"
        let axisY = top + plotHeight / 2
        out += "<text x=\"18\" y=\"\(Chart.n(axisY))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(Chart.n(axisY)))\" font-weight=\"bold\" fill=\"\(Chart.ink)\">\(Chart.axisTitle("\(Chart.truncate(yAxis, 40))", definition: definition))</text>"
        out += "<text x=\"\(Chart.n(left + plotWidth / 2))\" y=\"\(Chart.n(height - 10))\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"\(Chart.ink)\">\(xAxis)</text>"
        out += "</svg>"
        return out
    }
}
