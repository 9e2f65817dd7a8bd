/// How the groups of a breakdown are named. Every name starts with the attribute, so that the
/// groups of several breakdowns in one run never collide: `lives_alone=true`, `sex=female`,
/// `deprivation=1` (whole numbers, each its own group), `age<75`, `age 75-85`, `age>=85` (bands).
extension Breakdown {
    /// Most breakdowns one run keeps (a patient carries one group per breakdown).
    public static let maximumCount = 4

    /// The names of the groups known before a run: true/false, levels, or bands; empty for a
    /// number attribute without cuts, whose whole-number values are named as they are seen.
    public func fixedGroupNames(type: AttributeType) -> [String] {
        switch type {
        case .boolean: return ["\(attribute)=false", "\(attribute)=true"]
        case .categorical(let levels): return levels.map { "\(attribute)=\($0)" }
        case .number:
            let cuts = cuts.sorted()
            guard let first = cuts.first, let last = cuts.last else { return [] }
            func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
            var names = ["\(attribute)<\(n(first))"]
            for i in cuts.indices.dropFirst() { names.append("\(attribute) \(n(cuts[i - 1]))-\(n(cuts[i]))") }
            names.append("\(attribute)>=\(n(last))")
            return names
        }
    }

    /// The name of a whole-number group (a number attribute without cuts).
    public func valueGroupName(_ value: Int) -> String { "\(attribute)=\(value)" }

    /// Whether a group name belongs to this breakdown: it starts with the attribute and then a
    /// character no attribute name has (`=`, `<`, `>` or a space).
    public func owns(group name: String) -> Bool {
        guard name.hasPrefix(attribute) else { return false }
        guard let next = name.dropFirst(attribute.count).first else { return false }
        return next == "=" || next == "<" || next == ">" || next == " "
    }

    /// The groups of `names` that belong to this breakdown of `all`: with a single breakdown,
    /// every group (runs stored before group names carried their attribute had `<75`, `female`).
    public func groups(among names: [String], of all: [Breakdown]) -> [String] {
        all.count <= 1 ? names : names.filter { owns(group: $0) }
    }
}
