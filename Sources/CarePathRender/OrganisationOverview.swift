import CarePathModel
import Foundation

/// The pathway at the level of organisations, for pathways too large to lay out state by state
/// (Graphviz's `dot` layout grows faster than the square of the states: 25 s for a 2,048-state
/// chain, minutes for branching ones). One node per organisation, with its states and the
/// transitions that stay inside it; one edge per ordered pair of organisations, labelled with the
/// transitions (handoffs) from one to the other; a "leaves care" node for the transitions into
/// states without an owner. Its size is the organisations', whatever the states.
public struct OrganisationOverview: Sendable {
    public var pathway: Pathway
    public var direction: PathwayDiagram.Direction

    public init(pathway: Pathway, direction: PathwayDiagram.Direction = .leftToRight) {
        self.pathway = pathway; self.direction = direction
    }

    /// A pathway with more states than this is drawn as its overview in reports, and `render`
    /// asks for `--overview` or `--force` (a full layout of 300 states takes about a second; of
    /// 2,048, from 25 s for a chain to minutes for branching pathways).
    public static let fullDiagramStateLimit = 300

    public static func nodeID(organisation: String) -> String { "organisation:" + organisation }
    static let leavesCareID = "leaves-care"

    /// Transitions between organisations (and within one, from an organisation to itself), and
    /// into states with no owner (`to` nil), counted over the pathway's transitions.
    public struct Handoff: Hashable, Sendable {
        public var from: String
        public var to: String?
    }

    public func handoffCounts() -> [Handoff: Int] {
        var owner: [String: String] = [:]
        for s in pathway.states { if let o = s.owner?.organisation { owner[s.id] = o } }
        var counts: [Handoff: Int] = [:]
        for s in pathway.states {
            guard let from = s.owner?.organisation else { continue }
            for t in s.next { counts[Handoff(from: from, to: owner[t.to]), default: 0] += 1 }
        }
        return counts
    }

    public var dotText: String { graph().dotText }

    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    public func render(_ format: RenderFormat, renderer: GraphvizRenderer = GraphvizRenderer()) throws(GraphvizError) -> Data {
        try renderer.render(graph(), format: format)
    }

    public func graph() -> DOTGraph {
        var g = DOTGraph(name: "carepath_overview")
        g.attributes = [
            "rankdir": .string(direction.rawValue),
            "label": .html(HTMLLabel.lines([
                HTMLLabel(pathway.title).bold(),
                HTMLLabel("\(pathway.id): overview by organisation, \(Self.count(pathway.states.count, "state")); "
                          + "an arrow counts the pathway's transitions from one organisation to another").font(size: 10, color: Style.muted),
            ])),
            "labelloc": "t", "fontname": .string(Style.font), "fontsize": "16",
            "nodesep": "0.5", "ranksep": "0.8", "pad": "0.3", "bgcolor": "white",
        ]
        g.nodeDefaults = ["fontname": .string(Style.font), "fontsize": "11", "color": .string(Style.ink), "fontcolor": .string(Style.ink)]
        g.edgeDefaults = ["fontname": .string(Style.font), "fontsize": "9", "arrowsize": "0.8"]

        let counts = handoffCounts()
        var states: [String: Int] = [:]
        for s in pathway.states { if let o = s.owner?.organisation { states[o, default: 0] += 1 } }
        for o in pathway.organisations {
            let within = counts[Handoff(from: o.id, to: o.id)] ?? 0
            g.add(DOTNode(Self.nodeID(organisation: o.id), [
                "id": .string(PathwayDiagram.svgID(organisation: o.id)),
                "shape": "box", "style": "rounded,filled", "fillcolor": .string(Style.maturityFill(o.maturity)),
                "color": .string(Style.clusterBorder), "penwidth": "1.2",
                "label": .html(HTMLLabel.lines([
                    HTMLLabel(o.name).bold().font(size: 13),
                    HTMLLabel("\(o.sector.rawValue) · \(o.maturity.rawValue)").font(size: 10, color: Style.muted),
                    HTMLLabel("\(Self.count(states[o.id] ?? 0, "state")), \(Self.count(o.roles.count, "role")), \(Self.count(within, "transition")) within").font(size: 10),
                ])),
            ]))
        }
        if counts.keys.contains(where: { $0.to == nil }) {
            g.add(DOTNode(Self.leavesCareID, ["shape": "box", "style": "rounded,filled", "fillcolor": .string(Style.terminalFill),
                                              "label": .html(HTMLLabel("leaves care").italic())]))
        }
        if let start = pathway.state(pathway.start), let o = start.owner?.organisation {
            g.add(DOTNode(PathwayDiagram.startNodeID, [
                "shape": "circle", "style": "filled", "fillcolor": .string(Style.ink), "color": .string(Style.ink),
                "width": "0.22", "fixedsize": "true", "label": "", "tooltip": "start of the pathway",
            ]))
            g.add(DOTEdge(from: PathwayDiagram.startNodeID, to: Self.nodeID(organisation: o), ["color": .string(Style.ink), "penwidth": "1.4"]))
        }
        // Organisations in pathway order, then leaving care: the same pathway gives the same text.
        let order = pathway.organisations.map(\.id)
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let edges = counts.keys.filter { $0.from != $0.to }.sorted { a, b in
            (rank[a.from] ?? .max, a.to.flatMap { rank[$0] } ?? .max) < (rank[b.from] ?? .max, b.to.flatMap { rank[$0] } ?? .max)
        }
        for e in edges {
            let n = counts[e] ?? 0
            var attributes = PathwayDiagram.edgeStyle(e.to == nil ? .exit : .crossOrganisation)
            attributes["label"] = .string(Self.count(n, "handoff"))
            g.add(DOTEdge(from: Self.nodeID(organisation: e.from), to: e.to.map { Self.nodeID(organisation: $0) } ?? Self.leavesCareID, attributes))
        }
        return g
    }
}
