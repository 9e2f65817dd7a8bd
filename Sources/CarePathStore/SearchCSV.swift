import CarePathMetrics

/// A capacity search as CSV: one row per configuration reached, in the walk's (cost) order.
extension CSVExport {
    public static func search(_ result: CapacitySearchResult) -> String {
        var header = ["position"] + result.decisions.map(\.role) + ["cost", "status", "replications", "frontier", "chosen"]
        for c in result.constraints {
            header += ["\(c.figure) mean", "\(c.figure) low95", "\(c.figure) high95", "\(c.figure) bound", "\(c.figure) verdict"]
        }
        header.append("reason")
        var lines = [line(header)]
        for (i, c) in result.configurations.enumerated() {
            var cells = [String(i)] + c.capacities.map(String.init) + [number(c.cost)]
            cells += [field(c.status.rawValue), String(c.replications), c.frontier == true ? "yes" : "no", result.chosen == i ? "yes" : "no"]
            for k in result.constraints.indices {
                guard k < c.figures.count else { cells += ["", "", "", "", ""]; continue }
                let f = c.figures[k]
                cells += [number(f.mean), number(f.halfWidth.map { f.mean - $0 }), number(f.halfWidth.map { f.mean + $0 }),
                          number(f.bound), field(f.verdict.rawValue)]
            }
            cells.append(field(c.reason))
            lines.append(cells.joined(separator: ",") + "\r\n")
        }
        return lines.joined()
    }
}
