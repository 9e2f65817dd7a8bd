import CarePathMetrics
import CarePathModel
import Foundation

/// Names, orders and table cells shared by the sections.
extension ReportBuilder {
    // MARK: Model names

    func stateName(_ id: String, in p: Pathway? = nil) -> String {
        (p ?? pathway).state(id).map { $0.title ?? $0.id } ?? id
    }

    func roleName(_ role: Role) -> String { role.title ?? role.id }

    func roleName(_ ref: RoleReference, in p: Pathway? = nil) -> String {
        (p ?? pathway).role(ref).map(roleName) ?? ref.description
    }

    func organisationName(_ id: String, in p: Pathway? = nil) -> String {
        (p ?? pathway).organisation(id)?.name ?? id
    }

    func itemName(_ id: String, in p: Pathway? = nil) -> String {
        (p ?? pathway).item(id).map { $0.title ?? $0.id } ?? id
    }

    /// States in the order a patient meets them: breadth-first from the start, then any others in file order.
    func statesInPathwayOrder(_ p: Pathway? = nil) -> [State] {
        let p = p ?? pathway
        var seen = Set<String>(), order: [State] = []
        var queue = [p.start]
        var head = 0
        while head < queue.count {
            let id = queue[head]; head += 1
            guard !seen.contains(id), let state = p.state(id) else { continue }
            seen.insert(id)
            order.append(state)
            for t in state.next where !seen.contains(t.to) { queue.append(t.to) }
        }
        for s in p.states where !seen.contains(s.id) { order.append(s) }
        return order
    }

    /// Roles in the order their first state comes in the pathway, then roles owning no state.
    func rolesInPathwayOrder(_ p: Pathway? = nil) -> [Role] {
        let p = p ?? pathway
        var order: [Role] = []
        var seen = Set<RoleReference>()
        for s in statesInPathwayOrder(p) {
            guard let owner = s.owner, let role = p.role(owner), seen.insert(owner).inserted else { continue }
            order.append(role)
        }
        for r in p.roles where seen.insert(r.reference).inserted { order.append(r) }
        return order
    }

    /// Non-terminal states that check at least one item in some option, in pathway order.
    func checkedStates() -> [State] {
        statesInPathwayOrder().filter { s in
            !s.isTerminal && options.contains { $0.index.metric("state_gap_rate", s.id) != nil }
        }
    }

    // MARK: Cells

    /// A table cell with a mean and its 95% interval; `data-sort` carries the mean.
    func estimateCell(_ m: SummaryMetric?, scale: Double = 1, digits: Int = 2, suffix: String = "",
                      extraClass: String = "", marker: HTML = .empty) -> HTML {
        let cls = "num" + (extraClass.isEmpty ? "" : " " + extraClass)
        if let m, m.beyondRange == true {
            // A percentile past its histogram's range: a lower bound, or (a difference) no figure.
            guard m.mean.isFinite else { return "<td class=\"\(cls)\" title=\"\(Self.beyondRangeNote)\">n/a (past range)</td>" }
            let v = m.mean * scale
            return "<td class=\"\(cls)\" data-sort=\"\(Format.plain(v))\" title=\"\(Self.beyondRangeNote)\">&ge;&nbsp;\(Format.number(v, digits))\(suffix)\(marker)<span class=\"ci\">(lower bound)</span></td>"
        }
        guard let m, m.mean.isFinite else { return "<td class=\"\(cls)\">n/a</td>" }
        let v = m.mean * scale
        var inner: HTML = "\(Format.number(v, digits))\(suffix)\(marker)"
        if let h = m.halfWidth, h.isFinite {
            inner += "<span class=\"ci\">(\(Format.number((m.mean - h) * scale, digits)) to \(Format.number((m.mean + h) * scale, digits)))</span>"
        }
        return "<td class=\"\(cls)\" data-sort=\"\(Format.plain(v))\">\(inner)</td>"
    }

    static let beyondRangeNote = "In some replication this percentile fell among durations past the histogram's range (waits over 20 years, times in the pathway over 50 years): the figure is the range's limit, a lower bound."

    /// A plain number cell.
    func numberCell(_ v: Double?, digits: Int = 2, suffix: String = "", extraClass: String = "", marker: HTML = .empty) -> HTML {
        let cls = "num" + (extraClass.isEmpty ? "" : " " + extraClass)
        guard let v, v.isFinite else { return "<td class=\"\(cls)\">n/a</td>" }
        return "<td class=\"\(cls)\" data-sort=\"\(Format.plain(v))\">\(Format.number(v, digits))\(suffix)\(marker)</td>"
    }

    /// A share cell coloured by a gap share (0...1), with the percentage written.
    func heatCell(_ share: Double?, gapShare: Double?) -> HTML {
        guard let share, share.isFinite else { return "<td class=\"num\">n/a</td>" }
        let heat = PageStyle.heatClass(gapShare ?? share)
        return "<td class=\"num heat-\(heat)\" data-sort=\"\(Format.plain(share))\">\(Format.percent(share))</td>"
    }

    /// A table inside a scrolling wrapper.
    func table(caption: HTML? = nil, sortable: Bool = false, head: [HTML], rows: [HTML], extraClass: String = "") -> HTML {
        var classes: [String] = []
        if sortable { classes.append("sortable") }
        if !extraClass.isEmpty { classes.append(extraClass) }
        let classAttribute: HTML = classes.isEmpty ? .empty : " class=\"\(classes.joined(separator: " "))\""
        let cap: HTML = caption.map { "<caption>\($0)</caption>" } ?? .empty
        return """
        <div class="table-wrap"><table\(classAttribute)>\(cap)
        <thead><tr>\(head)</tr></thead>
        <tbody>
        \(rows.joined(separator: "\n"))
        </tbody></table></div>
        """
    }

    /// A header cell for an option: its label, and its title in small type.
    func optionHeader(_ o: Option, suffix: String = "") -> HTML {
        let title: HTML = o.title.map { "<span class=\"ci\">\($0)</span>" } ?? .empty
        return "<th scope=\"col\" class=\"num\">\(o.label)\(suffix)\(title)</th>"
    }

    /// Detail a reader opens when wanted: closed at first, its heading the handle (print opens it).
    func folded(_ heading: String, level: Int = 3, _ body: HTML) -> HTML {
        "<details class=\"more\"><summary><h\(level)>\(heading)</h\(level)> <span class=\"more-hint\">(click to open)</span></summary>\(body)</details>"
    }

    func figure(_ svg: HTML, caption: String) -> HTML {
        "<figure>\(svg)<figcaption>\(caption)</figcaption></figure>"
    }

    // MARK: Derived figures

    /// Mean of the roles' mean utilisations, and the most loaded role.
    func load(_ o: Option) -> (mean: Double?, max: Double?, role: Role?) {
        let p = inputs[o.inputIndex].pathway
        var values: [(Role, Double)] = []
        for role in rolesInPathwayOrder(p) {
            if let u = o.index.mean("utilisation", role.reference.description), u.isFinite { values.append((role, u)) }
        }
        guard !values.isEmpty else { return (nil, nil, nil) }
        let mean = values.reduce(0) { $0 + $1.1 } / Double(values.count)
        var best = values[0]
        for v in values.dropFirst() where v.1 > best.1 { best = v }
        return (mean, best.1, best.0)
    }

    /// Staff hours per day spent chasing items, over all roles.
    func chaseHours(_ o: Option) -> Double? {
        let p = inputs[o.inputIndex].pathway
        let values = p.roles.compactMap { o.index.mean("chase_hours_per_day", $0.reference.description) }
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    /// Pairs of organisations joined by a cross-organisation transition.
    func exchangingPairs(_ p: Pathway) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for s in p.states {
            guard let a = s.owner?.organisation else { continue }
            for t in s.next {
                guard let b = p.state(t.to)?.owner?.organisation, a != b else { continue }
                let pair = a < b ? (a, b) : (b, a)
                if !pairs.contains(where: { $0 == pair }) { pairs.append(pair) }
            }
        }
        return pairs
    }

    /// Organisations that use a service-based option: connected to its service and not on paper,
    /// or set to it per organisation in the scenario.
    func organisationsUsing(_ option: ArchitectureOption, settings: ScenarioSettings, in p: Pathway) -> [Organisation] {
        p.organisations.filter { org in
            if let own = settings.organisationArchitectures[org.id] { return own == option }
            guard let service = option.service else { return false }
            return org.connections.contains(service) && org.maturity != .paper
        }
    }

    /// Interfaces to build and run for an option, with the rule used.
    func interfaces(_ o: Option) -> (count: Int, rule: String) {
        let p = inputs[o.inputIndex].pathway
        let option = o.settings.architecture.option
        switch option {
        case .pointToPoint:
            let pairs = exchangingPairs(p)
            var orgs = Set<String>()
            for (a, b) in pairs { orgs.insert(a); orgs.insert(b) }
            let n = orgs.count
            return (pairs.count, "one per pair of organisations joined by a handoff (\(pairs.count) of the n(n\u{2212}1)/2 = \(n * (n - 1) / 2) possible among \(n) organisations)")
        case .sharedRecord, .federatedQuery:
            let using = organisationsUsing(option, settings: o.settings, in: p)
            return (using.count, "one per connected organisation (\(using.count) of \(p.organisations.count))")
        case .paper:
            return (0, "none: letters, post and phone")
        }
    }

    func singleServiceDependence(_ o: Option) -> String? {
        switch o.settings.architecture.option {
        case .sharedRecord: return "yes: the central shared record"
        case .federatedQuery: return "yes: the regional viewer and its network"
        case .pointToPoint, .paper: return nil
        }
    }
}
