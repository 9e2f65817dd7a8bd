import Foundation
import Yams

/// What CarePath knows of a pathway, carried through BPMN in `extensionElements` under the
/// CarePath namespace so that `export --bpmn` then `import bpmn` loses nothing: each element holds
/// its own part of the pathway file, in the pathway file's syntax (one format, one reader):
///
///     <bpmn:lane id="Lane_council_social-worker" ...>
///       <bpmn:extensionElements><carepath:role organisation="council" id="social-worker">capacity: 12
///     calendar: weekdays 09:00-17:00
///     </carepath:role></bpmn:extensionElements>
///
/// The collaboration holds `carepath:pathway` (the pathway's own keys and the order of its
/// organisations, items and states); pools hold `carepath:organisation`, lanes `carepath:role`,
/// messages `carepath:item`, tasks, waits and end events `carepath:state`.
struct PathwayFragments {
    /// The pathway's own keys (id, title, description, start, attributes...).
    var top: String
    var organisationOrder: [String]
    var itemOrder: [String]?
    var stateOrder: [String]
    var organisations: [String: String] = [:]
    var roleOrder: [String: [String]] = [:]
    /// By `organisation/role`.
    var roles: [String: String] = [:]
    var items: [String: String] = [:]
    var states: [String: String] = [:]

    static let parts: Set<String> = ["organisations", "information", "states"]

    /// The fragments of a pathway file's text; nil when it is not a YAML mapping.
    init?(source: String) {
        guard let root = try? Yams.compose(yaml: source), let mapping = root.mapping else { return nil }
        func text(_ node: Node) -> String? { try? Yams.serialize(node: node, width: -1, allowUnicode: true) }
        func entries(_ node: Node?) -> [(String, Node)] {
            (node?.mapping ?? [:]).compactMap { pair in pair.key.string.map { ($0, pair.value) } }
        }
        let own = mapping.filter { !Self.parts.contains($0.key.string ?? "") }
        guard let top = text(.mapping(Node.Mapping(Array(own)))) else { return nil }
        self.top = top
        organisationOrder = []
        stateOrder = []
        for (id, org) in entries(mapping["organisations"]) {
            organisationOrder.append(id)
            let own = (org.mapping ?? [:]).filter { $0.key.string != "roles" }
            organisations[id] = text(.mapping(Node.Mapping(Array(own))))
            for (role, body) in entries(org.mapping?["roles"]) {
                roleOrder[id, default: []].append(role)
                roles[id + "/" + role] = text(body)
            }
        }
        if mapping["information"] != nil {
            itemOrder = []
            for (id, body) in entries(mapping["information"]) { itemOrder?.append(id); items[id] = text(body) }
        }
        for (id, body) in entries(mapping["states"]) { stateOrder.append(id); states[id] = text(body) }
    }

    /// `<bpmn:extensionElements>` holding one fragment, as lines (the fragment's text is escaped
    /// content: line breaks are kept as character references).
    static func element(_ kind: String, _ attributes: [(String, String)], _ yaml: String?, indent: String) -> [String] {
        guard let yaml else { return [] }
        let attrs = attributes.map { " \($0.0)=\"\(XMLText.escape($0.1))\"" }.joined()
        return ["\(indent)<bpmn:extensionElements><carepath:\(kind)\(attrs)>\(XMLText.escape(yaml))</carepath:\(kind)></bpmn:extensionElements>"]
    }
}

/// The pathway file put back together from the fragments of an exported BPMN file.
enum PathwayAssembly {
    enum Outcome {
        /// Not written by CarePath (no `carepath:pathway`).
        case none
        case assembled(String)
        /// Written by CarePath but not whole any more (edited in another tool): why.
        case incomplete(String)
    }

    /// The pathway file from the fragments in `markup`; `id` replaces the pathway's own identifier.
    static func assemble(_ markup: MarkupDocument, id newID: String? = nil) -> Outcome {
        let ns = BPMNImport.carePathNamespace
        var pathway: MarkupDocument.Element?
        var organisations: [String: String] = [:], roles: [String: String] = [:], items: [String: String] = [:], states: [String: String] = [:]
        var roleOrder: [String: [String]] = [:]
        for e in markup.elements where e.namespace == ns {
            let id = e.attribute("id") ?? ""
            switch e.name {
            case "pathway": if pathway == nil { pathway = e }
            case "organisation":
                if organisations[id] == nil { organisations[id] = e.text }
                roleOrder[id] = words(e.attribute("roles"))
            case "role": if let org = e.attribute("organisation"), roles[org + "/" + id] == nil { roles[org + "/" + id] = e.text }
            case "item": if items[id] == nil { items[id] = e.text }
            case "state": if states[id] == nil { states[id] = e.text }
            default: break
            }
        }
        guard let pathway else { return .none }
        func node(_ text: String?, _ what: String) throws(Missing) -> Node {
            guard let text else { throw Missing(what: what) }
            guard let node = try? Yams.compose(yaml: text) else { throw Missing(what: "\(what) (its text is not YAML)") }
            return node
        }
        do throws(Missing) {
            var top = try node(pathway.text, "the pathway's own keys")
            guard var pairs = top.mapping.map({ Array($0) }) else { return .incomplete("the pathway's own keys are not a mapping") }
            if let newID, let i = pairs.firstIndex(where: { $0.0.string == "pathway" }) { pairs[i].1 = Node(newID) }
            var orgPairs: [(Node, Node)] = []
            for org in words(pathway.attribute("organisations")) {
                var own = Array(try node(organisations[org], "organisation \(org)").mapping ?? [:])
                var rolePairs: [(Node, Node)] = []
                for role in roleOrder[org] ?? [] { rolePairs.append((Node(role), try node(roles[org + "/" + role], "role \(org)/\(role)"))) }
                own.append((Node("roles"), .mapping(Node.Mapping(rolePairs))))
                orgPairs.append((Node(org), .mapping(Node.Mapping(own))))
            }
            pairs.append((Node("organisations"), .mapping(Node.Mapping(orgPairs))))
            if let order = pathway.attribute("information") {
                let itemPairs = try words(order).map { id throws(Missing) in (Node(id), try node(items[id], "information item \(id)")) }
                pairs.append((Node("information"), .mapping(Node.Mapping(itemPairs))))
            }
            let statePairs = try words(pathway.attribute("states")).map { id throws(Missing) in (Node(id), try node(states[id], "state \(id)")) }
            pairs.append((Node("states"), .mapping(Node.Mapping(statePairs))))
            top = .mapping(Node.Mapping(pairs))
            guard let text = try? Yams.serialize(node: top, width: -1, allowUnicode: true) else { return .incomplete("the pathway cannot be written") }
            return .assembled(text)
        } catch {
            return .incomplete("no CarePath description of \(error.what)")
        }
    }

    struct Missing: Error { var what: String }

    /// Steps drawn in another tool after the export (a task with no CarePath description): the
    /// description would then not say what the diagram shows.
    static func undescribedSteps(_ bpmn: BPMNDocument) -> [BPMNDocument.Node] {
        let described = Set(bpmn.markup.elements.filter { $0.namespace == BPMNImport.carePathNamespace && $0.name == "state" }
            .compactMap { $0.attribute("id") })
        return bpmn.nodes.filter { n in
            guard n.container == nil else { return false }
            switch n.kind {
            case .activity, .intermediateCatch: return !(n.carePathID.map(described.contains) ?? false)
            default: return false
            }
        }
    }

    static func words(_ text: String?) -> [String] { (text ?? "").split(separator: " ").map(String.init) }
}
