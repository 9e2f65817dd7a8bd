import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathRender
import Foundation

/// Everything one report is made from: the scenario and pathway as run, the run's summary, the
/// input files (for their hashes), and how the run was started.
public struct ReportInput: Sendable {
    public var scenario: Scenario
    public var pathway: Pathway
    public var summary: RunSummary
    /// The pathway and scenario files as read (path, text, SHA-256).
    public var inputs: [InputFile]
    /// The command that produced the run, as the user would type it again.
    public var commandLine: String
    /// "CarePath 0.1.0".
    public var generatedBy: String
    /// Whether the report draws the pathway (`--no-diagram` leaves it out).
    public var diagram: DiagramChoice

    /// The pathway's drawing in a report: every state up to `OrganisationOverview.fullDiagramStateLimit`
    /// states, the overview by organisation past it (a full layout would take minutes), or none.
    public enum DiagramChoice: Sendable {
        case automatic, omitted
    }

    public init(scenario: Scenario, pathway: Pathway, summary: RunSummary, inputs: [InputFile],
                commandLine: String, generatedBy: String = "CarePath \(ScenarioRunner.version)", diagram: DiagramChoice = .automatic) {
        self.scenario = scenario; self.pathway = pathway; self.summary = summary; self.inputs = inputs
        self.commandLine = commandLine; self.generatedBy = generatedBy; self.diagram = diagram
    }
}

/// Why a report could not be made.
public struct ReportError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Self-contained HTML reports: one file with its styles, script and pictures inline, no network
/// access at all, well-formed XML as well as HTML5, and the same bytes for the same inputs.
public enum HTMLReport {
    /// Section ids of a scenario report, in page order (`comparison` only with several variants).
    public static let scenarioSectionIDs = ["answer", "question", "diagram", "headline", "comparison", "charts", "matrix", "equity",
                                            "register", "glossary", "reproduce"]
    /// Section ids of a comparison report, in page order.
    public static let comparisonSectionIDs = ["question", "diagram", "headline", "comparison", "glossary", "reproduce"]

    /// The report of one run: the question, the diagram, headline figures, the trade-offs of its
    /// variants (when it has several), charts, the who-needs-what matrix, equity, the assumptions
    /// register and how to reproduce it.
    public static func scenarioReport(_ input: ReportInput) throws -> String {
        let builder = ReportBuilder(inputs: [input], comparison: false)
        return try builder.scenarioPage()
    }

    /// Separate scenarios' variants side by side (`carepath compare A.yaml B.yaml`), meant for
    /// scenarios on the same pathway; each keeps its own paired differences from its first variant.
    public static func comparisonReport(_ inputs: [ReportInput]) throws -> String {
        guard !inputs.isEmpty else { throw ReportError("a comparison needs at least one scenario run") }
        let builder = ReportBuilder(inputs: inputs, comparison: true)
        return try builder.comparisonPage()
    }
}

/// One option on the page: a variant of one scenario with its settings and metrics.
struct Option {
    var inputIndex: Int
    var variant: VariantSummary
    var settings: ScenarioSettings
    /// The variant as the scenario declares it (its levers, pathway and cohort), when found.
    var declared: Variant?
    var index: MetricIndex
    /// Short label for column headers and chart legends.
    var label: String
    /// Longer description (the variant's title), if any.
    var title: String?
    /// The option its paired differences are taken from (the scenario's first variant); nil for that one.
    var baselineLabel: String?
}

/// Builds the pages. A class so that ids stay unique across sections.
final class ReportBuilder {
    let inputs: [ReportInput]
    let comparison: Bool
    let ids = IDMaker()
    let options: [Option]
    /// Glossary entries (patterns) the page links to, for the glossary section.
    var glossaryTerms: Set<String> = []
    /// The pathway the page describes (the first input's).
    var pathway: Pathway { inputs[0].pathway }

    init(inputs: [ReportInput], comparison: Bool) {
        self.inputs = inputs
        self.comparison = comparison
        var options: [Option] = []
        // Scenario names for labels; the same scenario run twice (another seed) gets a number.
        let names = inputs.enumerated().map { i, input in
            inputs.filter { $0.scenario.id == input.scenario.id }.count > 1 ? "\(input.scenario.id) (\(i + 1))" : input.scenario.id
        }
        for (i, input) in inputs.enumerated() {
            let variants = input.scenario.effectiveVariants
            let firstLabel = Self.label(names[i], input.summary.variants.first?.name ?? "", comparison: comparison)
            for (k, v) in input.summary.variants.enumerated() {
                let declared = variants.first(where: { $0.name == v.name }) ?? (k < variants.count ? variants[k] : nil)
                options.append(Option(
                    inputIndex: i, variant: v, settings: declared?.settings ?? input.scenario.settings, declared: declared, index: MetricIndex(v),
                    label: Self.label(names[i], v.name, comparison: comparison),
                    title: v.title ?? declared?.title,
                    baselineLabel: k == 0 ? nil : firstLabel))
            }
        }
        self.options = options
    }

    static func label(_ scenario: String, _ variant: String, comparison: Bool) -> String {
        comparison ? scenario + ": " + variant : variant
    }

    // MARK: Pages

    func scenarioPage() throws -> String {
        let input = inputs[0]
        var sections: [(id: String, title: String, body: HTML)] = []
        // The answer first, whole on the first screen (its caveats count the warnings and link to
        // them); the warnings in full open the detail below, each part collapsible.
        sections.append(("answer", "The answer", answerSection()))
        sections.append(("question", "The question and its assumptions", warningBox() + questionSection()))
        sections.append(("diagram", "The pathway", try diagramSection()))
        sections.append(("headline", "Headline figures", headlineSection()))
        if options.count > 1 {
            sections.append(("comparison", "Options compared: trade-offs", comparisonSection()))
        }
        sections.append(("charts", "Charts: waits, queues, gaps, handoffs, time", chartsSection()))
        sections.append(("matrix", "Who needs what, when", matrixSection()))
        sections.append(("equity", "Equity", equitySection()))
        sections.append(("register", "Assumptions register", registerSection()))
        sections.append(("glossary", "Glossary: what each figure means", glossarySection()))
        sections.append(("reproduce", "How to reproduce this report", reproduceSection()))
        let heading: HTML = """
        <p class="subtitle">CarePath scenario report · <code>\(input.scenario.id)</code></p>
        <h1>\(input.scenario.title)</h1>
        <p class="subtitle">Pathway: \(pathway.title) (<code>\(pathway.id)</code>) · \(optionCount) · \(input.summary.replications) replications · seed \(String(input.summary.seed))</p>
        """
        return page(title: "CarePath report: " + input.scenario.title, heading: heading, sections: sections)
    }

    func comparisonPage() throws -> String {
        var sections: [(id: String, title: String, body: HTML)] = []
        sections.append(("question", "The scenarios compared and their assumptions", questionSection()))
        sections.append(("diagram", "The pathway", try diagramSection()))
        sections.append(("headline", "Headline figures", headlineSection()))
        sections.append(("comparison", "Options compared: trade-offs", comparisonSection()))
        sections.append(("glossary", "Glossary: what each figure means", glossarySection()))
        sections.append(("reproduce", "How to reproduce this report", reproduceSection()))
        let names = inputs.map(\.scenario.title)
        let heading: HTML = """
        <p class="subtitle">CarePath comparison report · \(inputs.map(\.scenario.id).joined(separator: ", "))</p>
        <h1>\(names.joined(separator: " vs "))</h1>
        <p class="subtitle">Pathway: \(pathway.title) (<code>\(pathway.id)</code>) · \(optionCount) from \(String(inputs.count)) scenarios</p>
        """ + warningBox()
        return page(title: "CarePath comparison: " + names.joined(separator: " vs "), heading: heading, sections: sections)
    }

    var optionCount: String { options.count == 1 ? "1 option" : "\(options.count) options" }

    private func page(title: String, heading: HTML, sections: [(id: String, title: String, body: HTML)]) -> String {
        var generators: [String] = []
        for input in inputs where !generators.contains(input.generatedBy) { generators.append(input.generatedBy) }
        let parts = sections.map { ReportShell.Part(id: $0.id, title: $0.title, body: $0.body) }
        // The answer comes before the contents: it is what most readers need.
        let leading = parts.first?.id == "answer" ? 1 : 0
        var shell = ReportShell(title: title, generator: generators.joined(separator: ", "), heading: heading,
                                leading: Array(parts.prefix(leading)), parts: Array(parts.dropFirst(leading)))
        shell.footer += " Tables can be sorted by clicking a column header; every number is also in the page without script."
        return shell.markup
    }
}
