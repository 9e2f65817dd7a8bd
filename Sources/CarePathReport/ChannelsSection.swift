import CarePathModel

/// Which channel each pair of organisations actually uses in each option: the option itself, its
/// fallback, or paper. Without it, an option that falls back to paper for some organisations
/// (a care home on paper, a council not connected to the regional viewer) shows figures close to
/// paper's with nothing on the page to say why. The channel is the one the simulation uses
/// (`ScenarioSettings.channel(from:to:)`); a pair between which no item passes in this pathway is
/// greyed, and a sentence per option counts the pairs that do pass items by channel.
extension ReportBuilder {
    func channelsTables() -> HTML {
        let organisations = pathway.organisations
        guard organisations.count > 1 else { return .empty }
        var out: HTML = "<h3>Who reaches whom, and how</h3>"
        out += "<p class=\"note\">For each option, how an item recorded by the organisation of the row reaches the organisation of the column: the option itself where both take part in it, its fallback where both can (marked \u{201C}fallback\u{201D}), otherwise paper, post and phone (marked \u{201C}no common channel\u{201D}). Pairs between which no item this pathway needs passes are greyed. Items a state sends on its own (a letter to the GP) go by direct message where both are on the messaging service, otherwise by post, whatever the option.</p>"
        let passing = itemPassingPairs()
        // Options with the same channels (and the same option and fallback) share one table.
        struct Group { var labels: [String]; var primary: ArchitectureOption; var fallback: ArchitectureOption; var channels: [[ArchitectureOption]] }
        var groups: [Group] = []
        for option in options {
            let channels = organisations.map { p in organisations.map { c in option.settings.channel(from: p, to: c) } }
            let primary = option.settings.architecture.option, fallback = option.settings.architecture.fallback
            if let g = groups.firstIndex(where: { $0.channels == channels && $0.primary == primary && $0.fallback == fallback }) {
                groups[g].labels.append(option.label)
            } else {
                groups.append(Group(labels: [option.label], primary: primary, fallback: fallback, channels: channels))
            }
        }
        for group in groups {
            let columns = organisations.map { o -> HTML in "<th scope=\"col\">\(o.name)</th>" }
            let head: [HTML] = ["<th scope=\"col\">Recorded by (row), read by (column)</th>\(columns)"]
            var counts: [ArchitectureOption: Int] = [:]
            let rows: [HTML] = organisations.enumerated().map { i, p in
                let cells = organisations.enumerated().map { j, c -> HTML in
                    guard i != j else { return "<td class=\"same\">own record</td>" }
                    let channel = group.channels[i][j]
                    let passes = passing.contains(Pair(from: p.id, to: c.id))
                    if passes { counts[channel, default: 0] += 1 }
                    let role = Self.channelRole(channel, primary: group.primary, fallback: group.fallback)
                    let mark: HTML = role.isEmpty ? .empty : " <span class=\"channel-mark\">(\(role))</span>"
                    let idle: HTML = passes ? .empty : "<span class=\"ci\">no item passes</span>"
                    return "<td class=\"channel-\(channel.rawValue)\(passes ? "" : " idle")\">\(Self.channelName(channel))\(mark)\(idle)</td>"
                }
                return "<tr><th scope=\"row\">\(p.name)</th>\(cells)</tr>"
            }
            out += table(caption: "Channels: \(group.labels.joined(separator: ", "))", head: head, rows: rows, extraClass: "channels")
            out += channelSummary(counts, primary: group.primary, fallback: group.fallback)
        }
        return out
    }

    /// "fallback" or "no common channel" for a channel that is not the option itself; empty for the option.
    static func channelRole(_ channel: ArchitectureOption, primary: ArchitectureOption, fallback: ArchitectureOption) -> String {
        if channel == primary { return "" }
        if channel == fallback { return "fallback" }
        return "no common channel"
    }

    /// The pairs that pass items, counted by channel, in one sentence; a warning where some fall back.
    private func channelSummary(_ counts: [ArchitectureOption: Int], primary: ArchitectureOption, fallback: ArchitectureOption) -> HTML {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return "<p class=\"note\">No item this pathway needs passes between two organisations.</p>" }
        let onOption = counts[primary] ?? 0
        var parts: [HTML] = ["\(onOption) by \(Self.channelName(primary)) (the option)"]
        if fallback != primary, let n = counts[fallback], n > 0 { parts.append("\(n) by \(Self.channelName(fallback)) (its fallback)") }
        if primary != .paper, fallback != .paper, let n = counts[.paper], n > 0 { parts.append("\(n) by paper, post and phone (no common channel)") }
        let text: HTML = "Items pass between \(total) ordered pair\(total == 1 ? "" : "s") of organisations: \(parts.joined(separator: ", "))."
        return onOption < total ? "<p class=\"note channel-fallback\"><b>Not all on the option.</b> \(text)</p>" : "<p class=\"note\">\(text)</p>"
    }

    struct Pair: Hashable { var from: String; var to: String }

    /// Ordered pairs of organisations where an item recorded by the first is needed by a state of the second.
    func itemPassingPairs() -> Set<Pair> {
        var producers: [String: Set<String>] = [:]
        for s in pathway.states {
            guard let org = s.owner?.organisation else { continue }
            for item in s.produces { producers[item, default: []].insert(org) }
        }
        var pairs = Set<Pair>()
        for s in pathway.states {
            guard let org = s.owner?.organisation else { continue }
            for item in s.needs { for p in producers[item] ?? [] where p != org { pairs.insert(Pair(from: p, to: org)) } }
        }
        return pairs
    }

    static func channelName(_ option: ArchitectureOption) -> String {
        switch option {
        case .pointToPoint: "message"
        case .sharedRecord: "shared record"
        case .federatedQuery: "regional viewer"
        case .paper: "paper, post, phone"
        }
    }
}
