import CarePathModel
import Foundation

/// Simulated figures painted onto a diagram (heat colouring), for reports.
///
/// Node fill shows the load of the state's role; node border colour and width show the state's
/// data-gap rate. Values are fractions in 0...1 (clamped); a missing or non-finite value means
/// "no data" and leaves the node uncoloured.
public struct DiagramOverlay: Hashable, Sendable {
    /// Utilisation of each role, 0...1.
    public var roleLoad: [RoleReference: Double]
    /// Share of state starts with at least one data gap, 0...1, keyed by state id.
    public var stateGapRate: [String: Double]
    /// Share of each role's open unit-hours held by patients ready to move on (blocked), 0...1.
    public var roleBlocked: [RoleReference: Double]
    /// Where the figures come from (`run 3, option shared-record`), shown under the title.
    public var source: String?

    public init(roleLoad: [RoleReference: Double] = [:], stateGapRate: [String: Double] = [:],
                roleBlocked: [RoleReference: Double] = [:], source: String? = nil) {
        self.roleLoad = roleLoad; self.stateGapRate = stateGapRate; self.roleBlocked = roleBlocked; self.source = source
    }
}

/// The Graphviz diagram of a pathway: one cluster per organisation, states as nodes, handoffs as
/// edges (cross-organisation ones bold and coloured), a start marker and a legend.
///
/// Element names are stable so reports can refer to them: organisation `i` (in pathway order) is
/// the subgraph `cluster_<i>`, whose SVG group id is `org-<organisation id>`; a state's node is
/// `state:<id>` with SVG id `state-<id>`; the legend is `cluster_legend`. The output depends only on
/// the pathway, the overlay and the options, so the same input gives byte-identical DOT.
public struct PathwayDiagram: Sendable {
    public enum Direction: String, Hashable, Sendable {
        case leftToRight = "LR", topToBottom = "TB"
    }

    /// How a transition is drawn.
    public enum EdgeKind: String, Hashable, Sendable {
        /// Between states of different organisations.
        case crossOrganisation
        /// Between states of one organisation (same or different roles).
        case internalHandoff
        /// Into a state with no owner (the patient leaves care), or from/to a state whose owner is unknown.
        case exit
    }

    public var pathway: Pathway
    public var overlay: DiagramOverlay?
    public var direction: Direction
    public var showLegend: Bool

    public init(pathway: Pathway, overlay: DiagramOverlay? = nil, direction: Direction = .leftToRight,
                showLegend: Bool = true) {
        self.pathway = pathway; self.overlay = overlay; self.direction = direction; self.showLegend = showLegend
    }

    // MARK: Names

    public static func clusterID(organisationIndex: Int) -> String { "cluster_\(organisationIndex)" }
    public static let legendClusterID = "cluster_legend"
    public static func nodeID(state: String) -> String { "state:" + state }
    public static func svgID(state: String) -> String { "state-" + state }
    public static func svgID(organisation: String) -> String { "org-" + organisation }
    static let startNodeID = "start"

    // MARK: Output

    /// The DOT text of the diagram.
    public var dotText: String { graph().dotText }

    /// The direction whose laid-out diagram is nearest a 16:9 screen's shape (by the ratio of the
    /// two aspect ratios, either way round), so that it fills a projector; left to right on a tie.
    public static func screenDirection(_ diagram: PathwayDiagram, renderer: GraphvizRenderer = GraphvizRenderer()) throws(GraphvizError) -> Direction {
        var best = Direction.leftToRight, bestDistance = Double.infinity
        for direction in [Direction.leftToRight, .topToBottom] {
            var d = diagram
            d.direction = direction
            guard let size = Self.size(ofSVG: try renderer.svg(dot: d.dotText)), size.height > 0, size.width > 0 else { continue }
            let distance = abs(log((size.width / size.height) / (16.0 / 9.0)))
            if distance < bestDistance - 1e-9 { best = direction; bestDistance = distance }
        }
        return best
    }

    /// Width and height in points from Graphviz's SVG root (`width="612pt" height="792pt"`).
    public static func size(ofSVG svg: String) -> (width: Double, height: Double)? {
        guard let root = svg.range(of: "<svg") else { return nil }
        let head = svg[root.lowerBound...].prefix(600)
        func attribute(_ name: String) -> Double? {
            guard let start = head.range(of: " \(name)=\"") else { return nil }
            let value = head[start.upperBound...].prefix { $0 != "\"" }
            return Double(value.replacingOccurrences(of: "pt", with: ""))
        }
        guard let w = attribute("width"), let h = attribute("height") else { return nil }
        return (w, h)
    }

    /// The diagram rendered in `format` (`.dot` gives `dotText` without calling Graphviz).
    public func render(_ format: RenderFormat, renderer: GraphvizRenderer = GraphvizRenderer()) throws(GraphvizError) -> Data {
        try renderer.render(graph(), format: format)
    }

    /// Whether the transition from `source` to `to` crosses organisations, stays inside one, or leaves.
    public func edgeKind(from source: State, to target: State?) -> EdgeKind {
        guard let a = source.owner, let target, let b = target.owner,
              pathway.organisation(a.organisation) != nil, pathway.organisation(b.organisation) != nil else { return .exit }
        return a.organisation == b.organisation ? .internalHandoff : .crossOrganisation
    }

    // MARK: Building the graph

    /// The diagram as a DOT graph value (what `dotText` and `render` serialise).
    public func graph() -> DOTGraph {
        var g = DOTGraph(name: "carepath")
        g.attributes = [
            "rankdir": .string(direction.rawValue),
            "label": .html(titleLabel()),
            "labelloc": "t",
            "fontname": .string(Style.font),
            "fontsize": "16",
            "newrank": "true",       // rank globally, not cluster by cluster: straighter flows across organisations
            "nodesep": "0.35",
            "ranksep": "0.6",
            "pad": "0.3",
            "bgcolor": "white",
        ]
        g.nodeDefaults = ["fontname": .string(Style.font), "fontsize": "11", "color": .string(Style.ink), "fontcolor": .string(Style.ink)]
        g.edgeDefaults = ["fontname": .string(Style.font), "fontsize": "9", "arrowsize": "0.8"]

        let organisationIndex = Dictionary(pathway.organisations.enumerated().map { ($1.id, $0) },
                                           uniquingKeysWith: { first, _ in first })
        var statesByOrganisation = Array(repeating: [State](), count: pathway.organisations.count)
        var outside: [State] = []
        for state in pathway.states {
            if let owner = state.owner, let i = organisationIndex[owner.organisation] {
                statesByOrganisation[i].append(state)
            } else {
                outside.append(state)
            }
        }

        for (i, organisation) in pathway.organisations.enumerated() {
            var cluster = DOTSubgraph(name: Self.clusterID(organisationIndex: i))
            cluster.attributes = [
                "id": .string(Self.svgID(organisation: organisation.id)),
                "label": .html(organisationLabel(organisation)),
                "labeljust": "l",
                "style": "rounded,filled",
                "fillcolor": .string(Style.maturityFill(organisation.maturity)),
                "color": .string(Style.clusterBorder),
                "penwidth": "1.2",
                "margin": "12",
            ]
            for state in statesByOrganisation[i] { cluster.add(node(for: state)) }
            if statesByOrganisation[i].isEmpty {
                // Graphviz drops empty clusters; the organisation still takes part, so keep it visible.
                cluster.add(DOTNode("organisation-placeholder:" + organisation.id, [
                    "shape": "plaintext",
                    "label": .html(HTMLLabel("no states in this pathway").italic().font(size: 9, color: Style.muted)),
                ]))
            }
            g.add(cluster)
        }
        for state in outside { g.add(node(for: state)) }

        // Targets that name no state still get a node, so an unchecked pathway draws instead of failing.
        let known = Set(pathway.states.map(\.id))
        var missing: [String] = []
        for state in pathway.states {
            for t in state.next where !known.contains(t.to) && !missing.contains(t.to) { missing.append(t.to) }
        }
        for id in missing {
            g.add(DOTNode(Self.nodeID(state: id), [
                "shape": "box", "style": "dashed", "color": .string(Style.warning), "fontcolor": .string(Style.warning),
                "label": .html(HTMLLabel.lines([HTMLLabel(id).bold(), HTMLLabel("no such state").italic()])),
            ]))
        }

        if let start = pathway.state(pathway.start) {
            g.add(DOTNode(Self.startNodeID, [
                "shape": "circle", "style": "filled", "fillcolor": .string(Style.ink), "color": .string(Style.ink),
                "width": "0.22", "fixedsize": "true", "label": "", "tooltip": "start of the pathway",
            ]))
            g.add(DOTEdge(from: Self.startNodeID, to: Self.nodeID(state: start.id), [
                "color": .string(Style.ink), "penwidth": "1.4",
            ]))
        }

        // Targets looked up once: `pathway.state` searches, which made large pathways quadratic.
        let byID = Dictionary(pathway.states.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for state in pathway.states {
            let defaultMatters = state.next.count > 1
            for (j, transition) in state.next.enumerated() {
                g.add(edge(from: state, transition, target: byID[transition.to], index: j, labelDefault: defaultMatters))
            }
        }

        if showLegend { g.add(legend()) }
        return g
    }

    private func titleLabel() -> HTMLLabel {
        var lines = [HTMLLabel(pathway.title).bold()]
        lines.append(HTMLLabel(pathway.id).font(size: 10, color: Style.muted))
        if let source = overlay?.source { lines.append(HTMLLabel("figures: " + source).font(size: 10, color: Style.muted)) }
        return HTMLLabel.lines(lines)
    }

    private func organisationLabel(_ o: Organisation) -> HTMLLabel {
        var lines = [HTMLLabel(o.name).bold().font(size: 13)]
        lines.append(HTMLLabel("\(o.sector.rawValue) · \(o.maturity.rawValue)").font(size: 10, color: Style.muted))
        if !o.annotations.isEmpty {
            lines.append(HTMLLabel("concerns: " + concernList(o.annotations)).italic().font(size: 9, color: Style.concern))
        }
        return HTMLLabel.lines(lines)
    }

    private func concernList(_ annotations: [Annotation]) -> String {
        var seen: [String] = []
        for a in annotations where !seen.contains(a.concern.rawValue) { seen.append(a.concern.rawValue) }
        return seen.joined(separator: ", ")
    }

    private func node(for state: State) -> DOTNode {
        let isStart = state.id == pathway.start
        var lines = [HTMLLabel(state.title ?? state.id).bold()]
        if let owner = state.owner {
            let roleName = pathway.role(owner)?.title ?? owner.role
            lines.append(HTMLLabel(roleName).font(size: 9))
        }
        if !state.isTerminal || state.duration != .fixed(0) {
            var duration = DiagramText.distribution(state.duration)
            if !state.occupiesRole { duration += " (wait)" }
            lines.append(HTMLLabel(duration).font(size: 9))
            // Durations by attribute, one line each under the default.
            for alternative in state.durationCases {
                lines.append(HTMLLabel(alternative.condition.source + ": " + DiagramText.distribution(alternative.value)).font(size: 9))
            }
        }

        var attributes: DOTAttributes = ["id": .string(Self.svgID(state: state.id))]
        var fill = state.isTerminal ? Style.terminalFill : Style.nodeFill
        var fontColor: String?

        if let overlay {
            var figures: [String] = []
            if let owner = state.owner, let load = DiagramText.fraction(overlay.roleLoad[owner]) {
                let band = Style.band(load)
                fill = Style.loadPalette[band]
                if band >= Style.darkBandsFrom { fontColor = "#ffffff" }
                figures.append("load " + DiagramText.percent(load))
            }
            if let owner = state.owner, state.hold != nil, let blocked = DiagramText.fraction(overlay.roleBlocked[owner]), blocked > 0 {
                figures.append("blocked " + DiagramText.percent(blocked))
            }
            if let gap = DiagramText.fraction(overlay.stateGapRate[state.id]) {
                let band = Style.band(gap)
                attributes["color"] = .string(Style.gapPalette[band])
                attributes["penwidth"] = .number(1.5 + Double(band))
                figures.append("gaps " + DiagramText.percent(gap))
            }
            if !figures.isEmpty { lines.append(HTMLLabel(figures.joined(separator: " · ")).font(size: 9)) }
        }
        if !state.annotations.isEmpty {
            // Dark red text is unreadable on the darkest heat colours, so it follows the font colour there.
            lines.append(HTMLLabel("concerns: " + concernList(state.annotations)).italic()
                .font(size: 9, color: fontColor == nil ? Style.concern : nil))
        }

        var label = HTMLLabel.lines(lines)
        if let fontColor { label = label.font(color: fontColor) }
        attributes["label"] = .html(label)
        if state.isTerminal {
            attributes["shape"] = "doubleoctagon"
            attributes["style"] = "filled"
        } else {
            attributes["shape"] = "box"
            attributes["style"] = .string(state.occupiesRole ? "rounded,filled" : "rounded,filled,dashed")
        }
        attributes["fillcolor"] = .string(fill)
        if isStart && attributes["penwidth"] == nil { attributes["penwidth"] = "2" }
        attributes["tooltip"] = .tooltip(tooltip(for: state))
        return DOTNode(Self.nodeID(state: state.id), attributes)
    }

    private func tooltip(for state: State) -> String {
        var parts = [state.title ?? state.id]
        if let owner = state.owner { parts.append("owner: \(owner)") }
        if !state.needs.isEmpty { parts.append("needs: " + state.needs.map(itemName).joined(separator: ", ")) }
        if !state.produces.isEmpty { parts.append("produces: " + state.produces.map(itemName).joined(separator: ", ")) }
        if !state.needs.isEmpty { parts.append("on gap: " + state.onGap.name) }
        for a in state.annotations { parts.append("\(a.concern.rawValue): \(a.note)") }
        return parts.joined(separator: "\n")
    }

    private func itemName(_ id: String) -> String { pathway.item(id)?.title ?? id }

    private func edge(from source: State, _ transition: Transition, target: State?, index: Int, labelDefault: Bool) -> DOTEdge {
        let kind = edgeKind(from: source, to: target)
        var lines: [HTMLLabel] = []

        var rule: [String] = []
        if let condition = transition.condition { rule.append("if " + condition.source) }
        if let p = transition.probability {
            let byAttributes = transition.probabilityCases.map { DiagramText.percent($0.value) + " if " + $0.condition.source }
            rule.append((byAttributes + [DiagramText.percent(p)]).joined(separator: ", else "))
        }
        if rule.isEmpty && labelDefault { rule.append("otherwise") }
        if !rule.isEmpty { lines.append(HTMLLabel(rule.joined(separator: ": "))) }

        if kind == .crossOrganisation {
            let items = pathway.itemsCarried(from: source, by: transition)
            let text = items.isEmpty ? "no items sent" : "sends " + items.map(itemName).joined(separator: ", ")
            lines.append(HTMLLabel(text).italic().font(size: 9))
        }
        if !transition.annotations.isEmpty {
            lines.append(HTMLLabel("concerns: " + concernList(transition.annotations)).italic().font(size: 9, color: Style.concern))
        }

        var attributes: DOTAttributes = ["id": .string("handoff-\(source.id)-\(index)")]
        attributes = attributes.merging(Self.edgeStyle(kind))
        if !lines.isEmpty { attributes["label"] = .html(HTMLLabel.lines(lines)) }
        attributes["tooltip"] = .tooltip("\(source.title ?? source.id) → \(target?.title ?? transition.to)")
        return DOTEdge(from: Self.nodeID(state: source.id), to: Self.nodeID(state: transition.to), attributes)
    }

    // MARK: Legend

    /// The edge attributes of each kind, shared by the diagram and its legend.
    static func edgeStyle(_ kind: EdgeKind) -> DOTAttributes {
        switch kind {
        case .crossOrganisation:
            return ["style": "bold", "color": .string(Style.crossOrganisation),
                    "fontcolor": .string(Style.crossOrganisationText), "penwidth": "2.4"]
        case .internalHandoff:
            return ["style": "solid", "color": .string(Style.internal), "fontcolor": .string(Style.ink), "penwidth": "1"]
        case .exit:
            return ["style": "dashed", "color": .string(Style.exit), "fontcolor": .string(Style.muted), "penwidth": "1"]
        }
    }

    /// A miniature pathway using every shape and edge style, then the colour keys. A chain keeps the
    /// legend one row deep: Graphviz ranks are global, so stacked samples would make it tall.
    private func legend() -> DOTSubgraph {
        var legend = DOTSubgraph(name: Self.legendClusterID)
        legend.attributes = [
            "id": "legend",
            "label": .html(HTMLLabel("Legend").bold()),
            "labeljust": "l",
            "style": "rounded",
            "color": .string(Style.clusterBorder),
            "fontsize": "11",
            "margin": "10",
        ]
        legend.nodeDefaults = ["fontsize": "9"]
        legend.edgeDefaults = ["fontsize": "9"]  // 12 px at the diagram's natural size, as the rest
        func id(_ name: String) -> String { "legend:" + name }
        func sample(_ name: String, _ lines: [HTMLLabel], wait: Bool = false) -> DOTNode {
            DOTNode(id(name), [
                "shape": "box", "style": .string(wait ? "rounded,filled,dashed" : "rounded,filled"),
                "fillcolor": .string(Style.nodeFill), "label": .html(HTMLLabel.lines(lines)),
            ])
        }

        legend.add(DOTNode(id("start"), [
            "shape": "circle", "style": "filled", "fillcolor": .string(Style.ink), "width": "0.22", "fixedsize": "true", "label": "",
        ]))
        legend.add(sample("activity", [HTMLLabel("activity").bold(), HTMLLabel("role"), HTMLLabel("duration")]))
        legend.add(sample("other-organisation", [HTMLLabel("in another").bold(), HTMLLabel("organisation")]))
        legend.add(sample("wait", [HTMLLabel("wait").bold(), HTMLLabel("holds no capacity")], wait: true))
        legend.add(DOTNode(id("terminal"), [
            "shape": "doubleoctagon", "style": "filled", "fillcolor": .string(Style.terminalFill),
            "label": .html(HTMLLabel.lines([HTMLLabel("end of").bold(), HTMLLabel("pathway").bold()])),
        ]))
        legend.add(DOTEdge(from: id("start"), to: id("activity"), ["label": .html(HTMLLabel("start"))]))
        legend.add(DOTEdge(from: id("activity"), to: id("other-organisation"), Self.edgeStyle(.crossOrganisation).merging([
            "label": .html(HTMLLabel.lines([HTMLLabel("cross-organisation"), HTMLLabel("if condition: p"),
                                            HTMLLabel("items sent").italic()])),
        ])))
        legend.add(DOTEdge(from: id("other-organisation"), to: id("wait"), Self.edgeStyle(.internalHandoff).merging([
            "label": .html(HTMLLabel.lines([HTMLLabel("internal handoff"), HTMLLabel("if condition: p")])),
        ])))
        legend.add(DOTEdge(from: id("wait"), to: id("terminal"), Self.edgeStyle(.exit).merging([
            "label": .html(HTMLLabel("leaves care")),
        ])))

        // Colour keys: organisation background by digital maturity, and the heat scales.
        var rows: [[HTMLLabel.Cell]] = []
        func key(_ text: String) -> HTMLLabel.Cell { HTMLLabel.Cell(HTMLLabel(text).bold(), align: "LEFT") }
        rows.append([key("organisation records")] + DigitalMaturity.allCases.map {
            HTMLLabel.Cell(HTMLLabel($0.rawValue), background: Style.maturityFill($0), width: 52, border: 1)
        })
        if overlay != nil {
            let n = Style.loadPalette.count
            let lower = (0..<n).map { DiagramText.percent(Double($0) / Double(n)) }
            rows.append([key("role load (fill)")] + Style.loadPalette.enumerated().map { i, colour in
                HTMLLabel.Cell(HTMLLabel("≥ " + lower[i]).font(color: i >= Style.darkBandsFrom ? "#ffffff" : nil),
                               background: colour, width: 52, border: 1)
            })
            rows.append([key("data gaps (border)")] + Style.gapPalette.enumerated().map { i, colour in
                HTMLLabel.Cell(HTMLLabel("≥ " + lower[i]).font(color: "#ffffff"), background: colour, width: 52, border: 1)
            })
            rows.append([HTMLLabel.Cell(HTMLLabel("no figure: not coloured").italic().font(color: Style.muted), align: "LEFT")])
        }
        legend.add(DOTNode(id("colours"), ["shape": "plaintext", "label": .html(HTMLLabel.table(rows, cellSpacing: 3, cellPadding: 3))]))
        return legend
    }
}

/// Colours and fonts, chosen to stay legible on a projector and in greyscale print.
enum Style {
    static let font = "Helvetica"
    static let ink = "#222222"
    static let muted = "#666666"
    static let concern = "#8b1a1a"
    static let warning = "#b00020"
    static let nodeFill = "#ffffff"
    static let terminalFill = "#e8e8e8"
    static let clusterBorder = "#8c8c8c"
    /// Orange (ColorBrewer Dark2), distinct from the greys for colour-blind readers too; also bold.
    static let crossOrganisation = "#d95f02"
    static let crossOrganisationText = "#a04000"
    static let `internal` = "#555555"
    static let exit = "#999999"

    static func maturityFill(_ m: DigitalMaturity) -> String {
        switch m {
        case .paper: "#f3f0e8"
        case .basic: "#eef3fa"
        case .integrated: "#edf7ee"
        }
    }

    /// ColorBrewer YlOrRd, 5 classes.
    static let loadPalette = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
    /// ColorBrewer Purples (darker five of nine), visible as a border on any fill.
    static let gapPalette = ["#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"]
    /// From this band on, fills are dark enough to need white text.
    static let darkBandsFrom = 3

    /// The class of a fraction in 0...1: five equal bands, 1.0 in the top one.
    static func band(_ value: Double) -> Int {
        // Not a number (a figure with nothing behind it) is the lowest band, not a trap.
        min(loadPalette.count - 1, max(0, Int(clampingFloor: value * Double(loadPalette.count))))
    }
}

/// Short texts for labels.
enum DiagramText {
    /// "lognormal mean 6d, sd 4d", "fixed 2h", "triangular 1h, 2h, 4h".
    static func distribution(_ d: Distribution) -> String {
        let h = duration
        switch d {
        case .fixed(let v): return "fixed " + h(v)
        case .exponential(let m): return "exponential mean " + h(m)
        case .uniform(let a, let b): return "uniform " + h(a) + " to " + h(b)
        case .triangular(let a, let c, let b): return "triangular " + h(a) + ", " + h(c) + ", " + h(b)
        case .normal(let m, let s): return "normal mean " + h(m) + ", sd " + h(s)
        case .lognormal(let m, let s): return "lognormal mean " + h(m) + ", sd " + h(s)
        case .gamma, .weibull, .empirical: return d.name + " mean " + h(d.mean)
        }
    }

    /// `DurationText.format`, guarded: it converts to Int, which traps on non-finite or huge values.
    static func duration(_ hours: Double) -> String {
        guard hours.isFinite else { return "?" }
        guard abs(hours) < 1e9 else { return "\(hours)h" }
        return DurationText.format(hours: hours)
    }

    /// 0.7 → "70%", 0.125 → "12.5%"; one decimal at most.
    static func percent(_ p: Double) -> String {
        guard p.isFinite else { return "?%" }
        let tenths = (p * 1000).rounded() / 10
        return DOTEscape.number(tenths) + "%"
    }

    /// A usable overlay figure: finite, clamped to 0...1; nil for no data.
    static func fraction(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return min(1, max(0, value))
    }
}
