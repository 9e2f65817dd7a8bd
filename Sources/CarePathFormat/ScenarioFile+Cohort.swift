import CarePathModel
import Yams

/// Cohort attributes that depend on attributes drawn before them, and several breakdowns.
extension ScenarioFile {
    static let attributeExample = "[{ when: \"age >= 85\", is: 0.55 }, { is: 0.3 }]"

    /// One attribute's distribution of its type, without alternatives.
    static func readPlainAttribute(_ name: String, _ type: AttributeType, _ node: Node, _ path: DocumentPath,
                                   _ r: inout NodeReader) -> AttributeDistribution? {
        switch type {
        case .boolean:
            return readBernoulli(name, node, path, &r)
        case .number:
            guard let text = r.scalar(node, path, what: "a distribution for the number attribute '\(name)'") else { return nil }
            return readNumberAttribute(text, node, path, &r)
        case .categorical(let levels):
            return readCategorical(name, levels: levels, node, path, &r)
        }
    }

    /// The form alone of a value, when the pathway (and so the attribute's type) is unknown.
    static func checkAttributeForm(_ name: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) {
        if case .mapping = node { _ = readCategorical(name, levels: nil, node, path, &r) }
        else if let text = r.scalar(node, path, what: "a distribution or a probability"), Double(text) == nil {
            _ = readNumberAttribute(text, node, path, &r)
        }
    }

    /// `lives_alone: [{ when: "age >= 85", is: 0.55 }, { is: 0.3 }]`: a condition may read only
    /// the attributes listed before this one (`drawnBefore`), which the engine has drawn already.
    /// `pathway` nil: the form alone is checked.
    static func readConditionalAttribute(_ name: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader,
                                         pathway: Pathway?, drawnBefore: [String]) -> AttributeDistribution? {
        guard let pathway, let type = pathway.attributeTypes[name] else {
            _ = AlternativesReader.read(node, path, &r, what: "a distribution", example: attributeExample,
                                        value: { n, p, r in checkAttributeForm(name, n, p, &r); return nil as AttributeDistribution? })
            return nil
        }
        let earlier = Set(drawnBefore)
        let later = Set(pathway.attributes.map(\.name)).subtracting(earlier)
        let read = AlternativesReader.read(
            node, path, &r, what: hint(for: type), example: attributeExample,
            value: { n, p, r in readPlainAttribute(name, type, n, p, &r) },
            check: { condition, n, p, r in
                if let (other, column) = condition.expression.firstReference(to: later) {
                    let message = other == name
                        ? "'\(name)' cannot depend on itself"
                        : "'\(other)' is drawn after '\(name)' (the cohort lists it later), so a condition of '\(name)' cannot read it"
                    let readable = drawnBefore.isEmpty ? "none: '\(name)' is drawn first" : drawnBefore.joined(separator: ", ")
                    r.locatedInText(n, p, ConditionError(column: column, message: message
                        + "; attributes are drawn in the order the cohort lists them, and a condition may read those listed before (here: \(readable))"))
                    return false
                }
                do throws(ConditionError) {
                    _ = try condition.compile(attributes: pathway.attributes)
                    return true
                } catch {
                    r.locatedInText(n, p, error)
                    return false
                }
            })
        guard read.ok, let otherwise = read.otherwise else { return nil }
        return .conditional(read.cases, otherwise: otherwise)
    }

    /// `breakdown: deprivation`, `{ attribute: age, cuts: [75, 85] }`, or a list of either, each
    /// attribute once and at most `Breakdown.maximumCount` of them.
    static func readBreakdowns(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> [Breakdown] {
        guard case .sequence = node else { return readBreakdown(node, path, &r, c).map { [$0] } ?? [] }
        guard let items = r.sequence(node, path, what: "a list of breakdowns such as [deprivation, lives_alone]") else { return [] }
        if items.isEmpty { r.error(node, path, "expected at least one attribute to break the figures down by, found an empty list") }
        if items.count > Breakdown.maximumCount {
            r.error(node, path, "expected at most \(Breakdown.maximumCount) breakdowns, found \(items.count)")
        }
        var breakdowns: [Breakdown] = []
        for (item, itemPath) in items {
            guard let b = readBreakdown(item, itemPath, &r, c) else { continue }
            if breakdowns.contains(where: { $0.attribute == b.attribute }) {
                r.error(item, itemPath, "'\(b.attribute)' is already a breakdown: give each attribute once (with all its cuts)")
                continue
            }
            breakdowns.append(b)
        }
        return Array(breakdowns.prefix(Breakdown.maximumCount))
    }
}
