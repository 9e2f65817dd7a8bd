import CarePathModel
import Foundation
import Yams

/// The room's notes in the assumptions register. The register lists a pathway's `concerns:`
/// (organisations, roles, states, items; docs/simulation.md), so a note typed against one of
/// them is written as a concern there, with no number: a qualitative concern, which the register
/// shows as "none: qualitative, not simulated". Its dimension is one of the pathway's concern
/// names (`other` when the room gave none).
enum WorkshopNotes {
    static let kinds: [WorkshopSubject.Kind] = [.organisation, .role, .state, .item]

    /// What is wrong with a note; nil when it can be kept.
    static func problem(_ note: WorkshopNote, _ pathway: Pathway) -> String? {
        let text = note.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return "a note needs some text" }
        guard note.text.utf8.count <= 10_000 else { return "a note of at most 10,000 characters, please" }
        guard Concern(rawValue: note.concern) != nil else {
            return "'\(note.concern.prefix(60))' is not a concern; expected one of: " + Concern.allCases.map(\.rawValue).joined(separator: ", ")
        }
        let s = note.subject
        switch s.kind {
        case .organisation: if pathway.organisation(s.id) != nil { return nil }
        case .state: if pathway.state(s.id) != nil { return nil }
        case .item: if pathway.information.contains(where: { $0.id == s.id }) { return nil }
        case .role:
            let parts = s.id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2, pathway.role(RoleReference(organisation: parts[0], role: parts[1])) != nil { return nil }
        default:
            return "a note goes against an organisation, a role, a state or an item of the pathway (where the register lists concerns), not the \(s.kind.rawValue)"
        }
        return "the pathway has no \(s.kind.rawValue) '\(s.id.prefix(80))'"
    }

    /// The pathway's text with the notes added as concerns, each at the end of its place's list.
    static func pathwayText(_ text: String, notes: [WorkshopNote], file: String) throws -> String {
        guard var root = try Yams.compose(yaml: text) else { throw WorkshopScenarioText.Failure(description: "\(file): empty") }
        for note in notes {
            let concern = Node.mapping(Node.Mapping([
                (Node("concern"), Node(note.concern)),
                (Node("note"), Node(note.text.trimmingCharacters(in: .whitespacesAndNewlines), .implicit, .doubleQuoted)),
            ]))
            let path: [String]
            switch note.subject.kind {
            case .organisation: path = ["organisations", note.subject.id]
            case .state: path = ["states", note.subject.id]
            case .item: path = ["information", note.subject.id]
            case .role:
                let parts = note.subject.id.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                path = ["organisations", parts[0], "roles", parts[1]]
            default: continue
            }
            root = try appending(concern, at: path, in: root, file: file)
        }
        return try Yams.serialize(node: root, width: -1, allowUnicode: true)
    }

    /// `node` with `concern` appended to the `concerns` list of the mapping at `path`.
    static func appending(_ concern: Node, at path: [String], in node: Node, file: String) throws -> Node {
        guard var mapping = node.mapping else {
            throw WorkshopScenarioText.Failure(description: "\(file): expected a mapping on the way to \(path.joined(separator: "."))")
        }
        guard let first = path.first else {
            var list = mapping["concerns"]?.sequence ?? Node.Sequence([])
            list.append(concern)
            mapping["concerns"] = .sequence(list)
            return .mapping(mapping)
        }
        guard let child = mapping[first] else {
            throw WorkshopScenarioText.Failure(description: "\(file): no '\(first)' on the way to \(path.joined(separator: "."))")
        }
        mapping[first] = try appending(concern, at: Array(path.dropFirst()), in: child, file: file)
        return .mapping(mapping)
    }
}
