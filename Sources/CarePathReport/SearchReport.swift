import CarePathMetrics
import CarePathFormat
import Foundation

/// The report of a capacity search (`carepath optimise`): the answer first (the chosen staffing,
/// its cost and how sure it is, or "infeasible within the ranges"), the cost-versus-outcome
/// frontier as a table and a chart per constraint, every configuration reached with why it was
/// kept or dropped, the procedure, and how to reproduce it. Self-contained, in the scenario
/// report's style; every model string is escaped (`HTML`).
extension HTMLReport {
    public static let searchSectionIDs = ["answer", "frontier", "configurations", "procedure", "reproduce"]

    public static func searchReport(_ result: CapacitySearchResult, inputs: [InputFile], commandLine: String) -> String {
        let generatedBy = "CarePath \(result.carepathVersion)"
        let page = SearchPage(result: result)
        let sections: [(String, String, HTML)] = [
            ("answer", "The answer", page.answer()),
            ("frontier", "Cost against each constrained figure", page.frontier()),
            ("configurations", "Every configuration reached", page.configurationsTable()),
            ("procedure", "How the search decides", page.procedure()),
            ("reproduce", "How to reproduce this report", page.reproduce(inputs: inputs, commandLine: commandLine, generatedBy: generatedBy)),
        ]
        let heading: HTML = """
        <p class="subtitle">CarePath capacity search · <code>\(result.scenario)</code></p>
        <h1>\(result.title)</h1>
        <p class="subtitle">Pathway <code>\(result.pathway)</code> · \(String(result.configurations.count)) of \(String(result.latticeSize)) configurations reached · \(String(result.replicationsRun)) replications · seed \(String(result.seed))</p>
        """
        let parts = sections.map { ReportShell.Part(id: $0.0, title: $0.1, body: $0.2) }
        return ReportShell(title: "CarePath capacity search: " + result.title, generator: generatedBy, heading: heading,
                           leading: Array(parts.prefix(1)), parts: Array(parts.dropFirst())).markup
    }
}

/// The sections of a search report.
struct SearchPage {
    let result: CapacitySearchResult

    func capacities(_ c: EvaluatedConfiguration) -> String {
        zip(result.decisions, c.capacities).map { "\($0.role) \($1)" }.joined(separator: ", ")
    }

    func figure(_ x: Double) -> String { Format.compact(x) }

    func interval(_ f: FigureEstimate) -> String {
        guard let h = f.halfWidth, h.isFinite else { return figure(f.mean) }
        return "\(figure(f.mean)) (95% CI \(figure(f.mean - h)) to \(figure(f.mean + h)))"
    }

    var perTest: String { Format.number((1 - result.alphaPerTest) * 100, 3) + "%" }

    func answer() -> HTML {
        var out = HTML.empty
        let constraints = result.constraints.map { c -> HTML in "<li><code>\(c.text)</code></li>" }
        out += "<p>The least-cost staffing (cost = the sum of capacity × cost per unit) that meets every constraint:</p><ul>\(constraints)</ul>"
        switch result.outcome {
        case .chosen:
            guard let c = result.chosenConfiguration else { break }
            out += "<p class=\"question\">\(capacities(c)): cost \(figure(c.cost)), meeting every constraint with joint confidence at least \(Format.percent(result.confidence, 0)).</p>"
            var rows: [HTML] = []
            for (k, k2) in zip(result.constraints, c.figures) {
                let side = k.relation == "<=" ? "upper" : "lower"
                // Figures named `_h` are in hours; the others in their glossary unit, as written.
                let unit = k.metric.hasSuffix("_h") ? " h" : ""
                rows.append("<tr><td><code>\(k.figure)</code></td><td>\(k.relation) \(figure(k.limit) + unit)</td><td class=\"num\">\(interval(k2) + unit)</td><td class=\"num\">\(figure(k2.bound) + unit)</td><td>one-sided \(side) bound at \(perTest)</td></tr>")
            }
            out += "<table class=\"data\"><thead><tr><th>Figure</th><th>Limit</th><th>Mean over \(String(c.replications)) replications</th><th>Bound</th><th>Bound's level</th></tr></thead><tbody>\(rows)</tbody></table>"
            // Those the walk took before the chosen one: cheaper, or as cheap and earlier in order.
            let cheaper = result.configurations.filter { $0.cost < c.cost || ($0.cost == c.cost && $0.capacities.lexicographicallyPrecedes(c.capacities)) }
            let undecided = cheaper.filter { $0.status == .undecided }
            out += "<p>Every cheaper configuration in the ranges was shown infeasible (\(String(cheaper.filter { $0.status == .infeasible }.count)) run, \(String(cheaper.filter { $0.status == .pruned }.count)) by monotonicity)"
            if undecided.isEmpty {
                out += ".</p>"
            } else {
                out += ", or stayed undecided at the budget of \(String(result.maximumReplications)) replications (\(String(undecided.count)): listed below; a larger budget may show one feasible).</p>"
            }
        case .infeasibleWithinRanges:
            out += "<p class=\"question\">Infeasible within the ranges: every configuration was shown to break a constraint (with confidence \(perTest) per test). Widen the ranges or relax a limit.</p>"
        case .noneShownFeasible:
            let undecided = result.configurations.filter { $0.status == .undecided }.count
            out += "<p class=\"question\">No configuration in the ranges was shown feasible: \(String(undecided)) stayed undecided at the budget of \(String(result.maximumReplications)) replications, the others were shown infeasible. A larger budget (<code>replications: { max: ... }</code>) may decide them.</p>"
        }
        return out
    }

    func frontier() -> HTML {
        let run = result.configurations.enumerated().filter { !$0.element.figures.isEmpty }
        guard !run.isEmpty else { return "<p>No configuration was run.</p>" }
        var out: HTML = "<p>Each configuration run, by cost: the mean of each constrained figure with its 95% interval; the dashed line is the limit. The frontier (marked) holds the configurations no other run beats on cost and every figure at once.</p>"
        let ids = IDMaker()
        for k in result.constraints.indices { out += SearchChart(result: result, constraint: k).svg(ids: ids) }
        var rows: [HTML] = []
        for (i, c) in run where c.frontier == true {
            let cells = c.figures.map { f -> HTML in "<td class=\"num\">\(interval(f))</td>" }
            rows.append("<tr><td>\(capacities(c))\(result.chosen == i ? " (chosen)" : "")</td><td class=\"num\">\(figure(c.cost))</td>\(cells)<td>\(c.status.rawValue)</td></tr>")
        }
        let heads = result.constraints.map { c -> HTML in "<th><code>\(c.figure)</code></th>" }
        out += "<h3>The frontier</h3><table class=\"data\"><thead><tr><th>Capacities</th><th>Cost</th>\(heads)<th>Status</th></tr></thead><tbody>\(rows)</tbody></table>"
        return out
    }

    func configurationsTable() -> HTML {
        var rows: [HTML] = []
        for (i, c) in result.configurations.enumerated() {
            rows.append("<tr><td class=\"num\">\(String(i + 1))</td><td>\(capacities(c))\(result.chosen == i ? " (chosen)" : "")</td><td class=\"num\">\(figure(c.cost))</td><td>\(c.status.rawValue)</td><td class=\"num\">\(String(c.replications))</td><td>\(c.reason)</td></tr>")
        }
        return "<p>In the order of the walk (increasing cost). <em>Infeasible</em>: a constraint shown broken; <em>pruned</em>: no more of any role than a configuration shown infeasible, so not run; <em>undecided</em>: too close to a limit to tell within the budget.</p><table class=\"data\"><thead><tr><th>#</th><th>Capacities</th><th>Cost</th><th>Status</th><th>Replications</th><th>Why</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    func procedure() -> HTML {
        let looks = result.looks.map(String.init).joined(separator: ", ")
        return """
        <p>\(CapacitySearchResult.procedureName).</p>
        <ul>
        <li>The configurations of the ranges (\(String(result.latticeSize))) are taken in increasing cost; ties in the order of their capacities.</li>
        <li>Every configuration is run on common random numbers: replication r uses the same seed in each, so the same patients and draws.</li>
        <li>Replications are looked at after \(looks) (doubling up to the budget). At each look every constraint gets a one-sided Student t bound at level 1 − α/(K·L) = \(perTest), with α = \(Format.number(1 - result.confidence, 3)), K = \(String(result.constraints.count)) constraints and L = \(String(result.looks.count)) looks (Bonferroni): the constraint holds when the bound on the limit's side is within it, fails when the opposite bound is past it.</li>
        <li>A configuration is feasible when every constraint holds: by Bonferroni's inequality, it meets them all with probability at least \(Format.percent(result.confidence, 0)). The statement is about the chosen configuration; each configuration's own verdicts carry the same level.</li>
        <li>\(result.monotone ? "Monotone: more capacity is taken never to make a constrained figure worse, so a configuration with no more of any role than one shown infeasible is not run." : "Not monotone: every configuration reached is run.")</li>
        <li>A percentile past its histogram's range is only a lower bound: it can show a ≤ limit broken, never met.</li>
        </ul>
        <p>In the spirit of Batur, D. and Kim, S.-H. (2010), “Finding feasible systems in the presence of constraints on multiple performance measures”, <em>ACM Transactions on Modeling and Computer Simulation</em> 20(3): 13, with Bonferroni-adjusted t bounds in place of their fully sequential boundaries; see docs/simulation.md, “Capacity search”.</p>
        """
    }

    func reproduce(inputs: [InputFile], commandLine: String, generatedBy: String) -> HTML {
        let files = inputs.map { f -> HTML in "<tr><td><code>\(f.path)</code></td><td><code>\(f.sha256)</code></td></tr>" }
        return """
        <p>Run this command from the same folder, with the same version of CarePath, to get the same figures and this same file, whatever the number of threads.</p>
        <pre><code>\(commandLine)</code></pre>
        <dl class="facts"><dt>Seed</dt><dd>\(String(result.seed))</dd><dt>Made by</dt><dd>\(generatedBy)</dd></dl>
        <table class="data"><thead><tr><th>Input</th><th>SHA-256</th></tr></thead><tbody>\(files)</tbody></table>
        """
    }
}
