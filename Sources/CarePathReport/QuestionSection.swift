import CarePathMetrics
import CarePathModel
import CarePathRender
import Foundation

extension ReportBuilder {
    // MARK: The question

    func questionSection() -> HTML {
        var out = HTML.empty
        for (i, input) in inputs.enumerated() {
            let s = input.scenario
            if comparison { out += "<h3>Scenario \(String(i + 1)): \(s.title) (<code>\(s.id)</code>)</h3>" }
            if let q = s.question, !q.isEmpty {
                out += "<p class=\"question\">\(q)</p>"
            } else {
                out += "<p class=\"question\">This scenario states no question: it runs its cohort through the pathway to measure handoffs, data gaps and load.</p>"
            }
            if !comparison || i == 0 {
                out += "<p>Pathway: <strong>\(pathway.title)</strong> (<code>\(pathway.id)</code>)\(pathway.description.map { d -> HTML in ". \(d)" } ?? .empty)</p>"
            }
            if comparison && input.pathway.id != pathway.id {
                out += "<p class=\"warning\">This scenario runs a different pathway (<code>\(input.pathway.id)</code>, \(input.pathway.title)) from the first (<code>\(pathway.id)</code>): figures by state and role may not line up.</p>"
            }
            out += cohortFacts(input)
            out += attributesTable(input)
        }
        out += "<h3>\(options.count > 1 ? "The options and their settings" : "Settings")</h3>"
        if options.count > 1 {
            out += "<p class=\"note\">Each column is one option run on the same patients as the others of its scenario (common random numbers), so their differences are paired. <b>Bold</b>: differs from the first column.</p>"
        }
        out += settingsTable()
        out += channelsTables()
        out += "<h3>Organisations and roles</h3>"
        out += organisationsTable()
        return out
    }

    private func cohortFacts(_ input: ReportInput) -> HTML {
        let s = input.scenario
        var facts: [(String, HTML)] = []
        facts.append(("Cohort", "\(Format.cohortSize(s.cohort.size))"))
        facts.append(("Arrivals", "\(Format.arrivals(s.cohort.arrivals))"))
        facts.append(("Warm-up", "\(Format.warmUp(s.warmUp))"))
        var reps: HTML = "\(input.summary.replications) per option"
        if input.summary.replications != s.replications {
            reps += " (the scenario file asks for \(s.replications); this run was started with a different number)"
        }
        facts.append(("Replications", reps))
        var seed: HTML = "\(String(input.summary.seed))"
        if input.summary.seed != s.seed { seed += " (the scenario file says \(String(s.seed)))" }
        facts.append(("Seed", seed))
        facts.append(("Equity breakdown", breakdownFact(s.breakdowns)))
        facts.append(("Options", "\(String(input.summary.variants.count))"))
        let items = facts.map { f -> HTML in "<dt>\(f.0)</dt><dd>\(f.1)</dd>" }
        return "<dl class=\"facts\">\(items)</dl>"
    }

    private func attributesTable(_ input: ReportInput) -> HTML {
        let p = input.pathway, s = input.scenario
        var names = p.attributes.map(\.name)
        for name in s.cohort.attributes.keys.sorted() where !names.contains(name) { names.append(name) }
        guard !names.isEmpty else { return "<p>The pathway declares no patient attributes.</p>" }
        let rows = names.map { name -> HTML in
            let type = p.attributes.first(where: { $0.name == name })?.type.description ?? "not declared by the pathway"
            let drawn = s.cohort.attributes[name].map(Format.attribute) ?? "not drawn (default value)"
            return "<tr><th scope=\"row\"><code>\(name)</code></th><td>\(type)</td><td>\(drawn)</td></tr>"
        }
        return table(caption: "Patient attributes", head: ["<th scope=\"col\">Attribute</th><th scope=\"col\">Type</th><th scope=\"col\">How the cohort draws it</th>"], rows: rows)
    }

    // MARK: Settings of each option

    func architectureText(_ a: Architecture) -> String {
        switch a.option {
        case .pointToPoint:
            return "message latency " + Format.distribution(a.messageLatency) + "; " + Format.percent(a.messageLoss) + " of messages lost"
        case .sharedRecord:
            var parts: [String] = []
            if let every = a.batchEvery {
                parts.append("published in batches every " + Format.duration(every) + " from " + Format.clock(a.batchAt))
            } else {
                parts.append("published in real time, latency " + Format.distribution(a.publishLatency))
            }
            parts.append(outageText(a.outages, what: "central service"))
            return parts.joined(separator: "; ")
        case .federatedQuery:
            return outageText(a.outages, what: "network") + "; source systems up " + Format.percent(a.sourceAvailability)
                + " of the time (outages last " + Format.duration(a.sourceOutageMean) + " on average)"
        case .paper:
            return "post or fax latency " + Format.distribution(a.paperLatency) + "; " + Format.percent(a.paperLoss) + " lost"
        }
    }

    private func outageText(_ o: Outages?, what: String) -> String {
        guard let o else { return what + " always up" }
        return what + " down every " + Format.duration(o.meanTimeBetween) + " for " + Format.duration(o.meanDuration)
            + " on average (up " + Format.percent(o.availability, 2) + ")"
    }

    func settingsRows() -> [(String, [String])] {
        var rows: [(String, [String])] = []
        func row(_ label: String, _ value: (Option) -> String) { rows.append((label, options.map(value))) }
        if comparison {
            row("Scenario") { self.inputs[$0.inputIndex].scenario.title }
        }
        row("Option") { $0.title ?? $0.variant.name }
        row("Architecture") { Format.optionName($0.settings.architecture.option) }
        row("Its parameters") { self.architectureText($0.settings.architecture) }
        row("Organisations not connected fall back to") { o in
            var fallback = o.settings.architecture
            fallback.option = o.settings.architecture.fallback
            return Format.optionName(fallback.option) + (fallback.option == .paper || fallback.option == .pointToPoint
                ? ": " + self.architectureText(fallback) : "")
        }
        row("Per-organisation architecture") { o in
            let set = o.settings.organisationArchitectures
            guard !set.isEmpty else { return "none" }
            return set.keys.sorted().map { $0 + ": " + (set[$0]?.rawValue ?? "") }.joined(separator: "; ")
        }
        row("Capacity changes") { o in
            let p = self.inputs[o.inputIndex].pathway
            let changed = self.rolesInPathwayOrder(p).compactMap { role -> String? in
                guard let c = o.settings.capacities[role.reference] else { return nil }
                return role.reference.description + ": \(c) (pathway \(role.capacity))"
            }
            let unknown = o.settings.capacities.filter { p.role($0.key) == nil }
                .sorted { $0.key.description < $1.key.description }
                .map { "\($0.key.description): \($0.value)" }
            let all = changed + unknown
            return all.isEmpty ? "none: the pathway's capacities" : all.joined(separator: "; ")
        }
        row("Referrals between organisations") { o in
            let h = o.settings.handoffs
            return "latency " + Format.distribution(h.latency) + "; " + Format.percent(h.loss) + " lost, re-sent after "
                + Format.distribution(h.resendAfter)
        }
        row("Access rules") { o in
            guard !o.settings.access.isEmpty else { return "none: every role may read every category" }
            return o.settings.access.map { $0.category.rawValue + " denied to " + $0.denied.joined(separator: ", ") }.joined(separator: "; ")
        }
        row("Consent") { o in
            let c = o.settings.consent
            var parts: [String] = []
            if let a = c.optOutAttribute { parts.append("patients with " + a + " opt out of sharing beyond direct messages") }
            if c.optOutRate > 0 { parts.append(Format.percent(c.optOutRate) + " opt out at random") }
            return parts.isEmpty ? "no opt-out" : parts.joined(separator: "; ")
        }
        row("Extra under-recording") { o in
            o.settings.underRecording > 0 ? Format.percent(o.settings.underRecording) + " of items produced are not recorded, on top of the pathway's annotations" : "none beyond the pathway's annotations"
        }
        rows += leverRows()
        return rows
    }

    /// One row per place some option sets with a lever (`set:`): the value as written where an
    /// option sets it, the value it runs with otherwise.
    func leverRows() -> [(String, [String])] {
        var places: [LeverPlace] = []
        for o in options { for lever in o.declared?.levers ?? [] where !places.contains(lever.place) { places.append(lever.place) } }
        return places.map { place in
            ("Set by a lever: " + place.description, options.map { o in
                if let lever = o.declared?.levers.last(where: { $0.place == place }) { return lever.text }
                let input = inputs[o.inputIndex]
                let scenario = o.declared.map { input.scenario.seen(by: $0) } ?? input.scenario
                let pathway = o.declared?.pathway(over: input.pathway) ?? input.pathway
                return place.value(in: pathway, scenario).map { $0.text(as: place.kind) } ?? "not set"
            })
        }
    }

    private func settingsTable() -> HTML {
        let head: [HTML] = ["<th scope=\"col\">Setting</th>"] + options.map { "<th scope=\"col\">\($0.label)</th>" }
        let rows = settingsRows().map { label, values -> HTML in
            let cells = values.enumerated().map { i, v -> HTML in
                i > 0 && v != values[0] ? "<td class=\"differs\">\(v)</td>" : "<td>\(v)</td>"
            }
            return "<tr><th scope=\"row\">\(label)</th>\(cells)</tr>"
        }
        return table(head: head, rows: rows)
    }

    private func organisationsTable() -> HTML {
        var rows: [HTML] = []
        for org in pathway.organisations {
            let span = max(org.roles.count, 1)
            let connections = org.connections.isEmpty ? "none" : org.connections.map(\.rawValue).joined(separator: ", ")
            let orgCells: HTML = """
            <th scope="rowgroup" rowspan="\(span)">\(org.name)<span class="ci"><code>\(org.id)</code></span></th><td rowspan="\(span)">\(org.sector.rawValue)</td><td rowspan="\(span)">\(org.maturity.rawValue)</td><td rowspan="\(span)">\(connections)</td>
            """
            if org.roles.isEmpty {
                rows.append("<tr>\(orgCells)<td colspan=\"4\">no roles</td></tr>")
                continue
            }
            for (k, role) in org.roles.enumerated() {
                let roleCells: HTML = "<td>\(roleName(role))<span class=\"ci\"><code>\(role.reference.description)</code></span></td><td class=\"num\">\(role.capacity)</td><td>\(role.calendar.description)</td><td>\(Format.queue(role.queue))</td>"
                rows.append(k == 0 ? "<tr>\(orgCells)\(roleCells)</tr>" : "<tr>\(roleCells)</tr>")
            }
        }
        let head: [HTML] = ["<th scope=\"col\">Organisation</th><th scope=\"col\">Sector</th><th scope=\"col\">Digital maturity</th><th scope=\"col\">Connected to</th><th scope=\"col\">Role</th><th scope=\"col\" class=\"num\">Capacity</th><th scope=\"col\">Working hours</th><th scope=\"col\">Queue</th>"]
        return table(head: head, rows: rows)
    }

    // MARK: The diagram

    func diagramSection() throws -> HTML {
        guard let first = options.first else { return "<p>No option was run.</p>" }
        if inputs.allSatisfy({ $0.diagram == .omitted }) {
            return "<p>The diagram was left out of this report (<code>--no-diagram</code>); <code>carepath render</code> draws it.</p>"
                + "<h3>States and transitions</h3>" + statesTable()
        }
        if pathway.states.count > OrganisationOverview.fullDiagramStateLimit { return try overviewSection() }
        var overlay = DiagramOverlay()
        for role in pathway.roles {
            if let u = first.index.mean("utilisation", role.reference.description), u.isFinite { overlay.roleLoad[role.reference] = u }
        }
        for state in pathway.states {
            if let g = first.index.mean("state_gap_rate", state.id), g.isFinite { overlay.stateGapRate[state.id] = g }
        }
        // Top to bottom: the pathway reads down the page and fits a screen's width far better than left to right.
        let diagram = PathwayDiagram(pathway: pathway, overlay: overlay, direction: .topToBottom)
        let svg: String
        do throws(GraphvizError) {
            svg = try GraphvizRenderer().inlineSVG(dot: diagram.dotText)
        } catch {
            throw ReportError("the pathway diagram could not be drawn: \(error.description)")
        }
        var out: HTML = """
        <p>One box per organisation (its background shows its digital maturity), one node per state, with the role that does the work and how long it takes. <b>Bold orange arrows</b> are handoffs between organisations, labelled with the items they send; thin grey arrows stay inside one organisation; dashed arrows leave care.</p>
        <p>Figures painted on the diagram come from the option <b>\(first.label)</b>\(first.title.map { t -> HTML in " (\(t))" } ?? .empty): a node's <b>fill</b> is the load (utilisation) of the state's role, its <b>border</b> the share of needed items that were not available when the state started (the data-gap rate). The legend is in the diagram.</p>
        """
        out += "<figure><div class=\"diagram\">\(HTML(trusted: Self.cleanSVG(svg)))</div><figcaption>The \(pathway.title) pathway, drawn by Graphviz, with load and data gaps of the option \(first.label).</figcaption></figure>"
        out += folded("States and transitions", statesTable())
        return out
    }

    /// A pathway past the size a full layout draws in seconds: one node per organisation instead.
    private func overviewSection() throws -> HTML {
        let overview = OrganisationOverview(pathway: pathway, direction: .topToBottom)
        let svg: String
        do throws(GraphvizError) {
            svg = try GraphvizRenderer().inlineSVG(dot: overview.dotText)
        } catch {
            throw ReportError("the pathway overview could not be drawn: \(error.description)")
        }
        var out: HTML = """
        <p class="warning">This pathway has \(String(pathway.states.count)) states, more than the \(String(OrganisationOverview.fullDiagramStateLimit)) a full diagram is drawn for (its layout would take minutes): this is an <b>overview by organisation</b>, one box per organisation with its number of states, and one arrow per pair of organisations labelled with the number of transitions (handoffs) from one to the other. <code>carepath render --force</code> draws every state.</p>
        """
        out += "<figure><div class=\"diagram\">\(HTML(trusted: Self.cleanSVG(svg)))</div><figcaption>The \(pathway.title) pathway by organisation, drawn by Graphviz.</figcaption></figure>"
        out += "<h3>States and transitions</h3>"
        out += statesTable()
        return out
    }

    /// Graphviz's SVG without its comments (they repeat node names and add nothing for a reader).
    static func cleanSVG(_ svg: String) -> String {
        var out = ""
        out.reserveCapacity(svg.utf8.count)
        var rest = Substring(svg)
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { rest = ""; break }
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    private func statesTable() -> HTML {
        let rows = statesInPathwayOrder().map { s -> HTML in
            let owner: HTML = s.owner.map { o -> HTML in "\(roleName(o))<span class=\"ci\">\(organisationName(o.organisation))</span>" } ?? "leaves care"
            let duration = s.isTerminal && s.duration == .fixed(0) ? "" : Format.duration(of: s) + (s.occupiesRole ? "" : " (wait, holds no capacity)")
            let needs = s.needs.map { itemName($0) }.joined(separator: ", ")
            let produces = s.produces.map { itemName($0) }.joined(separator: ", ")
            var onGap = ""
            if !s.needs.isEmpty {
                switch s.onGap {
                case .proceed: onGap = "proceed (a risk)"
                case .chase(let d, let effort):
                    onGap = "chase: " + Format.distribution(d) + (effort.map { ", effort " + Format.distribution($0) } ?? "")
                case .repeat(let d): onGap = "collect again: " + Format.distribution(d)
                }
            }
            let next = s.next.map { t -> HTML in
                var rule: [String] = []
                if let c = t.condition { rule.append("if " + c.source) }
                if let p = t.probability { rule.append(Format.share(of: t, p)) }
                if rule.isEmpty { rule.append(s.next.count > 1 ? "otherwise" : "then") }
                let cross = pathway.isCrossOrganisation(from: s.id, to: t.to) ? " (handoff to another organisation)" : ""
                return "<li>\(rule.joined(separator: ", ")) \u{2192} \(stateName(t.to))\(cross)</li>"
            }
            let nextCell: HTML = s.isTerminal ? "end of the pathway" : (next.isEmpty ? "none" : "<ul>\(next)</ul>")
            return "<tr><th scope=\"row\">\(stateName(s.id))<span class=\"ci\"><code>\(s.id)</code></span></th><td>\(owner)</td><td>\(duration)</td><td>\(needs)</td><td>\(produces)</td><td>\(onGap)</td><td>\(nextCell)</td></tr>"
        }
        let head: [HTML] = ["<th scope=\"col\">State</th><th scope=\"col\">Done by</th><th scope=\"col\">Duration</th><th scope=\"col\">Needs at its start</th><th scope=\"col\">Produces</th><th scope=\"col\">If an item is not there</th><th scope=\"col\">Next</th>"]
        return table(head: head, rows: rows)
    }
}
