import CarePathMetrics
import CarePathModel

/// The answer's data gaps by item and by kind: which record is most often not there for the role
/// that needs it, and which kinds of gap dominate, from the run's figures as the matrix and the
/// trade-off table show them.
extension ReportBuilder {
    func gapsByItemAndKind(_ o: Option) -> [HTML] {
        var items: [HTML] = []
        // Role and item pairs, ranked by gaps met per 100 patients (checks times the share with a
        // gap); what is printed is the two figures themselves, as the matrix has them.
        struct Cell { var role: Role; var item: String; var needed: Double; var gapShare: Double; var kind: GapKind? }
        var cells: [Cell] = []
        for role in rolesInPathwayOrder() {
            var seen = Set<String>()
            for s in statesInPathwayOrder() where s.owner == role.reference {
                for item in s.needs where seen.insert(item).inserted {
                    let subject = role.reference.description + "|" + item
                    guard let needed = o.index.mean("needed_per_100_patients", subject), needed > 0,
                          let available = o.index.mean("available_share", subject), available < 1 else { continue }
                    let kind = GapKind.gaps.max { (o.index.mean("\($0.name)_share", subject) ?? 0) < (o.index.mean("\($1.name)_share", subject) ?? 0) }
                    cells.append(Cell(role: role, item: item, needed: needed, gapShare: 1 - available, kind: kind))
                }
            }
        }
        let top = cells.enumerated().sorted { a, b in
            let x = a.element.needed * a.element.gapShare, y = b.element.needed * b.element.gapShare
            return x != y ? x > y : a.offset < b.offset
        }.prefix(3).map(\.element)
        if !top.isEmpty {
            let list = top.map { c -> String in
                "\(itemName(c.item)) for \(roleName(c.role)) \(Format.number(c.gapShare * 100, 0))% of \(Format.number(c.needed, 0)) checks" + (c.kind.map { " (mostly \($0.name))" } ?? "")
            }
            items.append("<li><b>Records most often not there</b> (for the role that needs each: the \(defined("share of its checks with a gap", "available_share")), of its \(defined("checks per 100 patients", "needed_per_100_patients"))): \(list.joined(separator: "; ")). <a href=\"#matrix\">Every role and item</a>.</li>")
        }
        let kinds = GapKind.gaps.compactMap { k -> (GapKind, Double)? in
            guard let v = o.index.mean("gaps_\(k.name)_per_patient"), v.isFinite, v > 0 else { return nil }
            return (k, v)
        }.sorted { $0.1 > $1.1 }
        if let total = o.index.mean("gaps_per_patient"), total > 0, !kinds.isEmpty {
            let list = kinds.prefix(3).map { k, v -> HTML in "\(defined(k.name, "gaps_\(k.name)_per_patient")) \(Format.number(v, 2))" }
            items.append("<li><b>Kinds of gap</b> (per patient, of \(defined("\(Format.number(total, 2)) gaps per patient", "gaps_per_patient"))): \(list.joined(separator: "; ")).</li>")
        }
        return items
    }
}
