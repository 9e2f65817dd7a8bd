import CarePathModel

/// Which channel each pair of organisations actually uses in each option: the option itself, its
/// fallback, or paper. Without it, an option that falls back to paper for some organisations
/// (a care home on paper, a council not connected to the regional viewer) shows figures close to
/// paper's with nothing on the page to say why.
extension ReportBuilder {
    func channelsTables() -> HTML {
        let organisations = pathway.organisations
        guard organisations.count > 1 else { return .empty }
        var out: HTML = "<h3>Who reaches whom, and how</h3>"
        out += "<p class=\"note\">For each option, how an item recorded by the organisation of the row reaches the organisation of the column: the option itself where both take part in it, its fallback where both can, otherwise paper, post and phone. Items a state sends on its own (a letter to the GP) go by direct message where both are on the messaging service, otherwise by post, whatever the option.</p>"
        // Options with the same channels share one table.
        var groups: [(labels: [String], channels: [[ArchitectureOption]])] = []
        for option in options {
            let channels = organisations.map { p in organisations.map { c in option.settings.channel(from: p, to: c) } }
            if let g = groups.firstIndex(where: { $0.channels == channels }) { groups[g].labels.append(option.label) }
            else { groups.append(([option.label], channels)) }
        }
        for group in groups {
            let columns = organisations.map { o -> HTML in "<th scope=\"col\">\(o.name)</th>" }
            let head: [HTML] = ["<th scope=\"col\">Recorded by (row), read by (column)</th>\(columns)"]
            let rows: [HTML] = organisations.enumerated().map { i, p in
                let cells = organisations.enumerated().map { j, _ -> HTML in
                    i == j ? "<td class=\"same\">own record</td>" : "<td class=\"channel-\(group.channels[i][j].rawValue)\">\(Self.channelName(group.channels[i][j]))</td>"
                }
                return "<tr><th scope=\"row\">\(p.name)</th>\(cells)</tr>"
            }
            out += table(caption: "Channels: \(group.labels.joined(separator: ", "))", head: head, rows: rows, extraClass: "channels")
        }
        return out
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
