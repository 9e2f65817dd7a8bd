import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation

extension ReportBuilder {
    // MARK: Who needs what, when

    /// Items in the order they are first needed along the pathway.
    private func neededItems() -> [String] {
        var items: [String] = []
        for s in statesInPathwayOrder() { for i in s.needs where !items.contains(i) { items.append(i) } }
        return items
    }

    /// States of `role` that need `item`, in pathway order.
    private func statesNeeding(_ item: String, role: RoleReference) -> [State] {
        statesInPathwayOrder().filter { $0.owner == role && $0.needs.contains(item) }
    }

    private var heatKey: HTML {
        let entries = PageStyle.heatLimits.enumerated().map { i, limit -> HTML in
            "<li><span class=\"swatch heat-\(i)\"></span>\(limit.label)</li>"
        }
        return "<ul class=\"key\" aria-label=\"Colour key\"><li><b>Share of checks with a gap:</b></li>\(entries)</ul>"
    }

    func matrixSection() -> HTML {
        let items = neededItems()
        let roles = rolesInPathwayOrder().filter { r in pathway.states.contains { $0.owner == r.reference && !$0.needs.isEmpty } }
        guard !items.isEmpty, !roles.isEmpty else {
            return "<p>No state of this pathway needs any information item, so there is nothing to show.</p>"
        }
        var out: HTML = """
        <p>Rows are roles, in the order the pathway reaches them (when); columns are information items, in the order they are first needed (what). Each cell says how often the role needs the item (checks per 100 patients) and how the item stood when it did: available, or a gap: late, missing, blocked, unavailable or stale. Cells are coloured by the share of checks with a gap; the numbers are written in every cell.</p>
        """
        out += "<h3>Information items</h3>"
        let itemRows = pathway.information.map { item -> HTML in
            let producedAt = statesInPathwayOrder().filter { $0.produces.contains(item.id) }.map { stateName($0.id) }
            let neededAt = statesInPathwayOrder().filter { $0.needs.contains(item.id) }.map { stateName($0.id) }
            return "<tr><th scope=\"row\">\(itemName(item.id))<span class=\"ci\"><code>\(item.id)</code></span></th><td>\(item.category.rawValue)</td><td>\(producedAt.isEmpty ? "nowhere in this pathway" : producedAt.joined(separator: ", "))</td><td>\(neededAt.isEmpty ? "nowhere" : neededAt.joined(separator: ", "))</td></tr>"
        }
        out += table(sortable: true, head: ["<th scope=\"col\">Item</th><th scope=\"col\">Category</th><th scope=\"col\">Produced at</th><th scope=\"col\">Needed at</th>"], rows: itemRows)
        out += heatKey
        for o in options {
            out += "<h3>\(options.count > 1 ? "Option \(o.label)" : "The matrix")</h3>"
            let head: [HTML] = ["<th scope=\"col\">Role</th>"] + items.map { id -> HTML in
                "<th scope=\"col\">\(itemName(id))<span class=\"ci\">\(pathway.item(id)?.category.rawValue ?? "")</span></th>"
            }
            let rows = roles.map { role -> HTML in
                let cells = items.map { item -> HTML in matrixCell(o, role: role, item: item) }
                return "<tr><th scope=\"row\">\(roleName(role))<span class=\"ci\">\(organisationName(role.organisation))</span></th>\(cells)</tr>"
            }
            out += table(caption: matrixCaption(o), head: head, rows: rows, extraClass: "matrix")
        }
        out += folded("Every role and item in detail", matrixDetail(items: items, roles: roles))
        return out
    }

    /// The matrix's caption, its cells' two figures linked to their definitions.
    private func matrixCaption(_ o: Option) -> HTML {
        "Who needs what, when: \(o.label) (each cell: \(defined("checks per 100 patients", "needed_per_100_patients")), and the \(defined("share of them by how the item stood", "available_share")))"
    }

    private func matrixCell(_ o: Option, role: Role, item: String) -> HTML {
        let subject = role.reference.description + "|" + item
        let neededAt = statesNeeding(item, role: role.reference)
        guard let needed = o.index.mean("needed_per_100_patients", subject) else {
            return neededAt.isEmpty ? "<td class=\"not-needed\">\u{2014}<span class=\"ci\">not needed</span></td>"
                                    : "<td class=\"matrix-cell\">needed at \(neededAt.map { stateName($0.id) }.joined(separator: ", ")); never reached</td>"
        }
        let available = o.index.mean("available_share", subject) ?? 0
        let gap = max(0, 1 - available)
        var lines: [HTML] = ["<b>\(Format.number(needed, 1))</b> per 100 patients", "available \(Format.percent(available))"]
        let gaps = GapKind.gaps.compactMap { kind -> String? in
            guard let share = o.index.mean("\(kind.name)_share", subject), share > 0 else { return nil }
            return kind.name + " " + Format.percent(share)
        }
        if !gaps.isEmpty { lines.append("\(gaps.joined(separator: ", "))") }
        return "<td class=\"matrix-cell heat-\(PageStyle.heatClass(gap))\">\(lines.joined(separator: "<br />"))</td>"
    }

    private func matrixDetail(items: [String], roles: [Role]) -> HTML {
        var rows: [HTML] = []
        for o in options {
            for role in roles {
                for item in items {
                    let subject = role.reference.description + "|" + item
                    guard let needed = o.index.metric("needed_per_100_patients", subject) else { continue }
                    let neededAt = statesNeeding(item, role: role.reference).map { stateName($0.id) }.joined(separator: ", ")
                    let available = o.index.mean("available_share", subject)
                    let optionCell: HTML = options.count > 1 ? "<td>\(o.label)</td>" : .empty
                    var cells: HTML = heatCell(available, gapShare: available.map { 1 - $0 })
                    for kind in GapKind.gaps {
                        let share = o.index.mean("\(kind.name)_share", subject)
                        cells += heatCell(share, gapShare: share)
                    }
                    rows.append("<tr>\(optionCell)<th scope=\"row\">\(roleName(role))<span class=\"ci\">\(organisationName(role.organisation))</span></th><td>\(itemName(item))</td><td>\(pathway.item(item)?.category.rawValue ?? "")</td><td>\(neededAt)</td>\(estimateCell(needed, digits: 1))\(cells)</tr>")
                }
            }
        }
        let optionHead: HTML = options.count > 1 ? "<th scope=\"col\">Option</th>" : .empty
        let head: [HTML] = ["\(optionHead)<th scope=\"col\">Role</th><th scope=\"col\">Item</th><th scope=\"col\">Category</th><th scope=\"col\">Needed at</th><th scope=\"col\" class=\"num\">\(defined("Needed per 100 patients", "needed_per_100_patients"))</th>\(GapKind.allCases.map { k -> HTML in "<th scope=\"col\" class=\"num\">\(defined(k.name.prefix(1).uppercased() + k.name.dropFirst(), "\(k.name)_share"))</th>" })"]
        guard !rows.isEmpty else { return "<p>No role needed any item after the warm-up.</p>" }
        return table(caption: "Shares of checks by how the item stood (means over replications)", sortable: true, head: head, rows: rows)
    }

    // MARK: Assumptions register

    private struct RegisterEntry {
        var kind: String
        var place: String
        var detail: String?
        var annotation: Annotation
        var simulatesParameters: Bool
        /// The organisation or state it is attached to, by id.
        var organisation: String? = nil
        var state: String? = nil
        var role: RoleReference? = nil
        var item: String? = nil
        var channel: ArchitectureOption? = nil
    }

    func registerSection() -> HTML {
        var entries: [RegisterEntry] = []
        for org in pathway.organisations {
            for a in org.annotations {
                entries.append(RegisterEntry(kind: "organisation", place: org.name, detail: org.sector.rawValue, annotation: a, simulatesParameters: true,
                                             organisation: org.id))
            }
            for role in org.roles {
                for a in role.annotations {
                    entries.append(RegisterEntry(kind: "role", place: roleName(role), detail: org.name, annotation: a, simulatesParameters: false,
                                                 role: role.reference))
                }
            }
        }
        for state in statesInPathwayOrder() {
            for a in state.annotations {
                entries.append(RegisterEntry(kind: "state", place: stateName(state.id),
                                             detail: state.owner.map { roleName($0) + ", " + organisationName($0.organisation) },
                                             annotation: a, simulatesParameters: true, state: state.id))
            }
            for t in state.next {
                for a in t.annotations {
                    entries.append(RegisterEntry(kind: "handoff", place: stateName(state.id) + " \u{2192} " + stateName(t.to),
                                                 detail: t.condition.map { "if " + $0.source }, annotation: a, simulatesParameters: false))
                }
            }
        }
        for item in pathway.information {
            for a in item.annotations {
                entries.append(RegisterEntry(kind: "item", place: item.title ?? item.id, detail: item.category.rawValue, annotation: a,
                                             simulatesParameters: true, item: item.id))
            }
        }
        // A channel's concerns are the scenario's: those of every option, once each.
        var channelConcerns: [(ArchitectureOption, Annotation, [String])] = []
        for o in options {
            for (channel, annotations) in o.settings.channels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                for a in annotations {
                    if let k = channelConcerns.firstIndex(where: { $0.0 == channel && $0.1 == a }) { channelConcerns[k].2.append(o.label) }
                    else { channelConcerns.append((channel, a, [o.label])) }
                }
            }
        }
        for (channel, a, labels) in channelConcerns {
            let detail = labels.count == options.count ? nil : "in " + labels.joined(separator: ", ")
            entries.append(RegisterEntry(kind: "channel", place: channel.rawValue, detail: detail, annotation: a, simulatesParameters: true,
                                         channel: channel))
        }
        var rows: [HTML] = []
        for (i, e) in entries.enumerated() {
            let detail: HTML = e.detail.map { "<span class=\"ci\">\($0)</span>" } ?? .empty
            rows.append("<tr><td class=\"num\" data-sort=\"\(i + 1)\">\(i + 1)</td><th scope=\"row\">\(e.place)\(detail)</th><td>\(e.kind)</td><td>\(e.annotation.concern.rawValue)</td><td>\(e.annotation.note)</td><td>\(effect(e))</td></tr>")
        }
        var n = entries.count
        for org in pathway.organisations where org.maturity == .paper {
            n += 1
            rows.append("<tr><td class=\"num\" data-sort=\"\(n)\">\(n)</td><th scope=\"row\">\(org.name)<span class=\"ci\">\(org.sector.rawValue)</span></th><td>organisation</td><td>digital-maturity (from its maturity)</td><td>Keeps paper records: cannot receive electronically.</td><td>Items reach it by post or phone (the scenario's paper latency and loss).</td></tr>")
        }
        guard !rows.isEmpty else {
            return "<p>The pathway carries no socio-organisational annotations: nothing is recorded about ownership, liability, overload, incentives, training, consent or connectivity. Add <code>concerns</code> to organisations, roles, states, handoffs or items in the pathway file, or to channels in the scenario, to list them here.</p>"
        }
        var counts: [(String, Int)] = []
        for e in entries {
            if let k = counts.firstIndex(where: { $0.0 == e.annotation.concern.rawValue }) { counts[k].1 += 1 } else { counts.append((e.annotation.concern.rawValue, 1)) }
        }
        var out: HTML = "<p>The socio-organisational side of the pathway, as the workshop recorded it: each concern where it applies, the note behind it, and where it changes the numbers, the parameter the simulation uses. \(String(entries.count)) annotations"
        if !counts.isEmpty { out += ": \(counts.map { "\($0.0) \u{00D7}\($0.1)" }.joined(separator: ", "))" }
        out += ".</p>"
        let head: [HTML] = ["<th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Where</th><th scope=\"col\">On</th><th scope=\"col\">Concern</th><th scope=\"col\">Note</th><th scope=\"col\">Quantitative effect</th>"]
        out += table(sortable: true, head: head, rows: rows, extraClass: "register")
        return out
    }

    private func effect(_ e: RegisterEntry) -> String {
        var parts: [String] = []
        if let u = e.annotation.underRecording {
            switch e.kind {
            case "organisation": parts.append("under-recording: " + Format.percent(u) + " of the items it produces are never recorded")
            case "state": parts.append("under-recording: " + Format.percent(u) + " of the items this state produces are never recorded")
            default: parts.append("under-recording " + Format.percent(u))
            }
        }
        if let a = e.annotation.availability {
            parts.append(e.kind == "organisation" ? "its systems are up " + Format.percent(a) + " of the time (a source for the federated query option)"
                                                  : "availability " + Format.percent(a))
        }
        if !e.annotation.effects.isEmpty {
            if let item = e.item {
                parts += itemEffectsText(e.annotation.effects, item: item)
            } else if let channel = e.channel {
                parts += channelEffectsText(e.annotation.effects, channel: channel)
            } else if e.simulatesParameters || e.role != nil {
                parts += effectsText(e.annotation.effects, organisation: e.kind == "organisation" ? e.organisation : nil,
                                     state: e.kind == "state" ? e.state : nil, role: e.role)
            } else {
                parts.append("information effects (recorded for discussion: the simulation applies them on organisations, roles and states only)")
            }
        }
        if parts.isEmpty { return Self.qualitativeReason(e.annotation.concern) }
        var text = parts.joined(separator: "; ")
        if !e.simulatesParameters && (e.annotation.underRecording != nil || e.annotation.availability != nil) {
            text += " (under-recording and availability recorded for discussion: the simulation applies them on organisations and states only)"
        }
        return text
    }

    // MARK: Reproduce

    func reproduceSection() -> HTML {
        var out: HTML = .empty
        var commands: [String] = []
        for input in inputs where !commands.contains(input.commandLine) { commands.append(input.commandLine) }
        out += "<p>Run this command from the same folder, with the same version of CarePath, to get the same figures (and this same file): the results depend only on the inputs, the seed and the number of replications, never on the number of threads or the machine.</p>"
        for c in commands { out += "<pre><code>\(c)</code></pre>" }
        var files: [InputFile] = []
        for (i, input) in inputs.enumerated() {
            let s = input.summary
            if comparison { out += "<h3>Scenario \(String(i + 1)): \(input.scenario.title)</h3>" }
            var versions: [String] = [input.generatedBy]
            if !input.generatedBy.contains(s.carepathVersion) { versions.append("simulation engine " + s.carepathVersion) }
            var facts: [(String, HTML)] = [
                ("Scenario", "<code>\(s.scenario)</code>"),
                ("Pathway", "<code>\(s.pathway)</code>"),
            ]
            // The dates simulated: a bank holiday file changed since shows other dates than these.
            if let calendar = Self.calendarFact(input.scenario.settings.calendar) { facts.append(("Calendar", "\(calendar)")) }
            facts += [
                ("Seed", "\(String(s.seed))"),
                ("Replications", "\(s.replications) per option (replication r of every option uses the seed derived from \(String(s.seed)) and r, so options see the same patients)"),
                ("Options", "\(s.variants.map(\.name).joined(separator: ", "))"),
                ("Made by", "\(versions.joined(separator: "; "))"),
            ]
            out += "<dl class=\"facts\">\(facts.map { f -> HTML in "<dt>\(f.0)</dt><dd>\(f.1)</dd>" })</dl>"
            for f in input.inputs where !files.contains(where: { $0.path == f.path && $0.sha256 == f.sha256 }) { files.append(f) }
        }
        out += "<h3>Input files</h3>"
        if files.isEmpty {
            out += "<p class=\"warning\">The run did not record its input files, so their hashes cannot be shown.</p>"
        } else {
            let rows = files.map { f -> HTML in
                let lines = f.text.isEmpty ? 0 : f.text.split(separator: "\n", omittingEmptySubsequences: false).count - (f.text.hasSuffix("\n") ? 1 : 0)
                return "<tr><th scope=\"row\"><code>\(f.path)</code></th><td><code>\(f.sha256)</code></td><td class=\"num\" data-sort=\"\(f.text.utf8.count)\">\(f.text.utf8.count)</td><td class=\"num\" data-sort=\"\(lines)\">\(lines)</td></tr>"
            }
            out += table(head: ["<th scope=\"col\">File</th><th scope=\"col\">SHA-256</th><th scope=\"col\" class=\"num\">Bytes</th><th scope=\"col\" class=\"num\">Lines</th>"], rows: rows)
            out += "<p>To check that your copies are the ones used here:</p>"
            out += "<pre><code>sha256sum \(files.map { Self.shellQuoted($0.path) }.joined(separator: " "))</code></pre>"
        }
        return out
    }

    /// "time 0 is Monday 2025-01-06; 8 bank holidays from then on, 2025-04-18 to 2025-12-26", or
    /// nil when the scenario has no calendar.
    static func calendarFact(_ calendar: ScenarioCalendar) -> String? {
        guard let start = calendar.start else { return nil }
        let days = calendar.bankHolidays.filter { $0 >= start }.sorted()
        guard let first = days.first, let last = days.last else { return "time 0 is Monday \(start); no bank holidays" }
        if first == last { return "time 0 is Monday \(start); 1 bank holiday from then on, \(first)" }
        return "time 0 is Monday \(start); \(days.count) bank holidays from then on, \(first) to \(last)"
    }

    static func shellQuoted(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./+:@,".unicodeScalars.contains($0) }
        return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
