import CarePathModel
import Foundation
import Yams

/// Reads and checks pathway files.
public enum PathwayFile {
    /// A pathway read from a file, with every problem found (errors and warnings), located.
    public struct Result: Sendable {
        public var pathway: Pathway?
        public var problems: [FormatProblem]
        public var errors: [FormatProblem] { problems.filter { $0.severity == .error } }
        public var warnings: [FormatProblem] { problems.filter { $0.severity == .warning } }
    }

    /// Reads `url` and checks it completely; never throws: unreadable files are problems too.
    public static func check(_ url: URL) -> Result {
        let name = url.relativePath
        let text: String
        do {
            let data = try Data(contentsOf: url)
            guard let decoded = String(data: data, encoding: .utf8) else {
                return Result(pathway: nil, problems: [FormatProblem(.error, file: name, line: 1, column: 1, path: .root,
                                                                      message: "the file is not UTF-8 text")])
            }
            text = decoded
        } catch {
            return Result(pathway: nil, problems: [FormatProblem(.error, file: name, line: 1, column: 1, path: .root,
                                                                  message: "cannot read the file: \(error.localizedDescription)")])
        }
        return check(text: text, file: name)
    }

    public static func check(text: String, file: String) -> Result {
        let document: YAMLDocument
        do throws(FormatErrors) {
            document = try YAMLDocument.parse(text, file: file)
        } catch {
            return Result(pathway: nil, problems: error.problems)
        }
        var reader = NodeReader(file: file)
        let pathway = readPathway(document.root, &reader)
        var problems = reader.problems
        if let pathway {
            // Check the model as a whole too, but not below a place that could not be read: a
            // branch whose `to` was unreadable would otherwise be reported again as unknown.
            let unreadable = reader.problems.filter { $0.severity == .error }.map(\.path)
            problems += pathway.problems()
                .filter { problem in !unreadable.contains { problem.path.components.starts(with: $0.components) } }
                .map(reader.locate)
        }
        problems.sort()
        return Result(pathway: problems.contains { $0.severity == .error } ? nil : pathway, problems: problems)
    }

    /// Loads a pathway for use; throws all its errors when it is not valid.
    public static func load(_ url: URL) throws(FormatErrors) -> Pathway {
        let result = check(url)
        guard let pathway = result.pathway else { throw FormatErrors(result.errors) }
        return pathway
    }

    static let topKeys = ["pathway", "title", "description", "start", "attributes", "organisations", "information", "states"]

    static func readPathway(_ root: Node, _ r: inout NodeReader) -> Pathway? {
        let top = DocumentPath.root
        guard let entries = r.mapping(root, top, allowed: topKeys, what: "a pathway (a mapping with pathway, organisations, information, states)") else { return nil }
        r.require(["pathway", "organisations", "states"], in: entries, of: root, top)
        var id = "", title: String?, description: String?, start: String?
        var attributes: [PatientAttribute] = []
        var organisations: [Organisation] = []
        var information: [InformationItem] = []
        var states: [State] = []
        for (key, value, path) in entries {
            switch key {
            case "pathway": id = r.name(value, path, what: "a pathway identifier") ?? ""
            case "title": title = r.string(value, path)
            case "description": description = r.string(value, path)
            case "start": start = r.name(value, path, what: "a state name")
            case "attributes": attributes = readAttributes(value, path, &r)
            case "organisations":
                for (orgID, orgNode, orgPath) in r.mapping(value, path, what: "a mapping of organisations") ?? [] {
                    if let org = readOrganisation(orgID, orgNode, orgPath, &r) { organisations.append(org) }
                }
            case "information":
                for (itemID, itemNode, itemPath) in r.mapping(value, path, what: "a mapping of information items") ?? [] {
                    if let item = readItem(itemID, itemNode, itemPath, &r) { information.append(item) }
                }
            default:
                for (stateID, stateNode, statePath) in r.mapping(value, path, what: "a mapping of states") ?? [] {
                    if let state = readState(stateID, stateNode, statePath, &r) { states.append(state) }
                }
            }
        }
        if entries.contains(where: { $0.key == "states" }) && states.isEmpty && r.problems.isEmpty {
            r.error(root, top.key("states"), "a pathway needs at least one state")
        }
        return Pathway(id: id, title: title ?? id, description: description, attributes: attributes,
                       organisations: organisations, information: information, states: states,
                       start: start ?? states.first?.id ?? "")
    }

    static func checkName(_ id: String, _ path: DocumentPath, _ r: inout NodeReader, what: String) -> Bool {
        if NodeReader.isName(id) { return true }
        r.error(nil, path, "expected \(what) (letters, digits, '-' or '_', starting with a letter), found '\(id.prefix(60))'")
        return false
    }

    static func readAttributes(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> [PatientAttribute] {
        var attributes: [PatientAttribute] = []
        for (name, value, p) in r.mapping(value: node, path) {
            guard checkName(name, p, &r, what: "an attribute name") else { continue }
            if case .sequence = value {
                let levels = r.sequence(value, p)?.compactMap { r.string($0.0, $0.1, what: "a level") } ?? []
                if levels.isEmpty { r.error(value, p, "a categorical attribute needs at least one level") }
                if Set(levels).count != levels.count { r.error(value, p, "the levels of '\(name)' repeat a value") }
                attributes.append(PatientAttribute(name: name, type: .categorical(levels)))
                continue
            }
            switch r.scalar(value, p, what: "an attribute type") {
            case "number": attributes.append(PatientAttribute(name: name, type: .number))
            case "boolean": attributes.append(PatientAttribute(name: name, type: .boolean))
            case nil: break
            case let other?:
                r.error(value, p, "unknown attribute type '\(other.prefix(40))' (expected number, boolean, or a list of levels such as [female, male])")
            }
        }
        return attributes
    }

    static let organisationKeys = ["name", "sector", "maturity", "connects", "roles", "concerns"]

    static func readOrganisation(_ id: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Organisation? {
        guard checkName(id, path, &r, what: "an organisation name"),
              let entries = r.mapping(node, path, allowed: organisationKeys, what: "an organisation") else { return nil }
        r.require(["sector", "maturity", "roles"], in: entries, of: node, path)
        var org = Organisation(id: id, name: id, sector: .acute, maturity: .basic)
        for (key, value, p) in entries {
            switch key {
            case "name": org.name = r.string(value, p) ?? id
            case "sector": org.sector = r.choice(value, p, Sector.self, what: "sector") ?? org.sector
            case "maturity": org.maturity = r.choice(value, p, DigitalMaturity.self, what: "digital maturity") ?? org.maturity
            case "connects":
                org.connections = r.sequence(value, p, what: "a list of sharing services")?
                    .compactMap { r.choice($0.0, $0.1, SharingService.self, what: "sharing service") } ?? []
            case "roles":
                for (roleID, roleNode, rolePath) in r.mapping(value, p, what: "a mapping of roles") ?? [] {
                    if let role = readRole(roleID, organisation: id, roleNode, rolePath, &r) { org.roles.append(role) }
                }
            default: org.annotations = readAnnotations(value, p, &r)
            }
        }
        return org
    }

    static func readItem(_ id: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> InformationItem? {
        guard checkName(id, path, &r, what: "an information item name"),
              let entries = r.mapping(node, path, allowed: ["category", "title", "exists", "concerns"], what: "an information item (a mapping with category)") else { return nil }
        r.require(["category"], in: entries, of: node, path)
        var item = InformationItem(id: id, category: .health)
        for (key, value, p) in entries {
            switch key {
            case "category": item.category = r.choice(value, p, InformationCategory.self, what: "information category") ?? .health
            case "exists": item.existing = readExisting(value, p, &r)
            case "concerns": item.annotations = readAnnotations(value, p, &r, allowed: itemAnnotationKeys, at: "an item")
            default: item.title = r.string(value, p)
            }
        }
        return item
    }

    /// `{ at: gp, p: 0.95 }`, or a list of them with conditions, the first that holds deciding.
    static func readExisting(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> [ExistingRecord] {
        let what = "where the item exists before the pathway, such as { at: gp, p: 0.95, when: \"age >= 75\" }"
        let alternatives: [(Node, DocumentPath)] = if case .sequence = node { r.sequence(node, path, what: "a list of " + what) ?? [] } else { [(node, path)] }
        return alternatives.compactMap { item, p in
            guard let entries = r.mapping(item, p, allowed: ["at", "p", "when"], what: what) else { return nil }
            r.require(["at", "p"], in: entries, of: item, p)
            var record = ExistingRecord(organisation: "", probability: 0)
            for (key, value, vp) in entries {
                switch key {
                case "at": record.organisation = r.name(value, vp, what: "an organisation name") ?? ""
                case "p": record.probability = r.probability(value, vp) ?? 0
                default: record.condition = readCondition(value, vp, &r)
                }
            }
            return record
        }
    }

    /// A `when` condition; a broken one is reported at its column and stands as false.
    static func readCondition(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Condition? {
        guard let text = r.string(node, path, what: "a condition") else { return nil }
        do throws(ConditionError) {
            return try Condition.parse(text)
        } catch {
            r.locatedInText(node, path, error)
            return Condition(source: text, expression: .boolean(false, column: 1))
        }
    }

    /// `[{ item: discharge-summary, to: gp }]`.
    static func readSends(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> [Send] {
        (r.sequence(node, path, what: "a list of items sent, such as [{ item: discharge-summary, to: gp }]") ?? []).compactMap { item, p in
            guard let entries = r.mapping(item, p, allowed: ["item", "to"], what: "an item sent, such as { item: discharge-summary, to: gp }") else { return nil }
            r.require(["item", "to"], in: entries, of: item, p)
            var send = Send(item: "", to: "")
            for (key, value, vp) in entries {
                if key == "item" { send.item = r.name(value, vp, what: "an information item name") ?? "" }
                else { send.organisation = r.name(value, vp, what: "an organisation name") ?? "" }
            }
            return send
        }
    }

    static let stateKeys = ["title", "owner", "duration", "occupies", "holds", "needs", "produces", "sends", "on-gap", "terminal", "next", "concerns"]

    static func readState(_ id: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> State? {
        guard checkName(id, path, &r, what: "a state name"),
              let entries = r.mapping(node, path, allowed: stateKeys, what: "a state") else { return nil }
        var state = State(id: id, owner: nil)
        for (key, value, p) in entries {
            switch key {
            case "title": state.title = r.string(value, p)
            case "owner":
                guard let text = r.scalar(value, p, what: "an owner 'organisation/role'") else { break }
                let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                if parts.count == 2, NodeReader.isName(parts[0]), NodeReader.isName(parts[1]) {
                    state.owner = RoleReference(organisation: parts[0], role: parts[1])
                } else {
                    r.error(value, p, "expected an owner as 'organisation/role' (such as acute/ward), found '\(text.prefix(60))'")
                }
            case "duration": readDuration(value, p, &r, into: &state)
            case "occupies": state.occupiesRole = r.boolean(value, p) ?? true
            case "holds": state.hold = readHold(value, p, &r)
            case "needs": state.needs = r.names(value, p, what: "information item name")
            case "produces": state.produces = r.names(value, p, what: "information item name")
            case "sends": state.sends = readSends(value, p, &r)
            case "on-gap": state.onGap = readGapPolicy(value, p, &r)
            case "terminal": state.isTerminal = r.boolean(value, p) ?? false
            case "next":
                state.next = r.sequence(value, p, what: "a list of branches")?.compactMap { readTransition($0.0, $0.1, &r) } ?? []
            default: state.annotations = readAnnotations(value, p, &r)
            }
        }
        return state
    }

    /// `until-next`, or `{ until: [STATE, ...] }`.
    static func readHold(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Hold? {
        let expected = "expected 'until-next' or { until: [STATE, ...] } (the states whose start frees the unit)"
        if case .scalar = node {
            guard let text = r.scalar(node, path, what: "a hold") else { return nil }
            if text == "until-next" { return .untilNext }
            r.error(node, path, "\(expected), found '\(text.prefix(60))'")
            return nil
        }
        guard let entries = r.mapping(node, path, allowed: ["until"], what: "a hold: 'until-next' or { until: [STATE, ...] }") else { return nil }
        r.require(["until"], in: entries, of: node, path)
        guard let (_, value, p) = entries.first else { return nil }
        return .until(r.names(value, p, what: "state name"))
    }

    static func readGapPolicy(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> GapPolicy {
        if case .scalar = node {
            if r.scalar(node, path, what: "an on-gap policy") == "proceed" { return .proceed }
            r.error(node, path, "expected 'proceed', { chase: DISTRIBUTION } or { repeat: DISTRIBUTION }")
            return .proceed
        }
        guard let entries = r.mapping(node, path, allowed: ["chase", "repeat", "effort"], what: "an on-gap policy") else {
            return .proceed
        }
        let policies = entries.filter { $0.key != "effort" }
        guard let (key, value, p) = policies.first else {
            r.error(node, path, "expected { chase: DISTRIBUTION } or { repeat: DISTRIBUTION }")
            return .proceed
        }
        if policies.count > 1 { r.error(node, path, "give one of chase or repeat, not both") }
        let effortEntry = entries.first { $0.key == "effort" }
        if key == "repeat", let effortEntry {
            r.error(effortEntry.value, effortEntry.path, "'effort' goes with chase: a repeat takes the role's time throughout")
        }
        guard let d = r.distribution(value, p) else { return .proceed }
        if key == "chase" { return .chase(d, effort: effortEntry.flatMap { r.distribution($0.value, $0.path) }) }
        return .repeat(d)
    }

    static let transitionKeys = ["to", "p", "when", "carries", "concerns"]

    static func readTransition(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Transition? {
        guard let entries = r.mapping(node, path, allowed: transitionKeys, what: "a branch such as { to: STATE, p: 0.7 }") else { return nil }
        r.require(["to"], in: entries, of: node, path)
        var t = Transition(to: "")
        for (key, value, p) in entries {
            switch key {
            case "to": t.to = r.name(value, p, what: "a state name") ?? ""
            case "p": (t.probability, t.probabilityCases) = readShare(value, p, &r)
            case "when":
                guard let text = r.string(value, p, what: "a condition") else { break }
                do throws(ConditionError) {
                    t.condition = try Condition.parse(text)
                } catch {
                    r.locatedInText(value, p, error)
                    // Still a conditional branch, so later branches are not taken for unreachable.
                    t.condition = Condition(source: text, expression: .boolean(false, column: 1))
                }
            case "carries": t.carries = r.names(value, p, what: "information item name")
            default: t.annotations = readAnnotations(value, p, &r)
            }
        }
        return t
    }

    static let annotationKeys = ["concern", "note", "under-recording", "availability", "withholding", "errors", "unusable",
                                 "rekeying", "mistrust", "reading-time", "overlook", "recording-time"]
    /// An item's concerns act where it is recorded and where it is read; what the point of care is
    /// shown (reading time, overlooking) and a system's availability belong to states and organisations.
    static let itemAnnotationKeys = ["concern", "note", "withholding", "errors", "unusable", "rekeying", "mistrust", "recording-time"]
    /// A channel's concerns act on the items it brings.
    static let channelAnnotationKeys = ["concern", "note", "unusable", "rekeying"]

    /// Where a parameter refused at an item or channel acts instead.
    static func belongs(_ key: String) -> String {
        switch key {
        case "reading-time", "overlook": "it acts where items are shown: annotate the state, role or organisation that reads"
        case "availability": "it is an organisation's systems' uptime"
        case "under-recording": "annotate the state or organisation that records"
        default: "it acts where items are recorded or read: annotate the item, state, role or organisation"
        }
    }

    /// A list of concerns; `allowed` the keys a concern may have where it stands, `at` naming that
    /// place in the message when another key is given.
    static func readAnnotations(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader,
                                allowed: [String] = annotationKeys, at site: String? = nil) -> [Annotation] {
        var annotations: [Annotation] = []
        let what = site.map { "a concern of \($0) { concern: ..., note: ... }" } ?? "a concern { concern: ..., note: ... }"
        for (item, p) in r.sequence(node, path, what: "a list of concerns") ?? [] {
            guard let entries = r.mapping(item, p, allowed: annotationKeys, what: what) else { continue }
            r.require(["concern", "note"], in: entries, of: item, p)
            var a = Annotation(concern: .other, note: "")
            for (key, value, vp) in entries {
                if !allowed.contains(key) {
                    // A parameter of another place: say where it belongs.
                    r.error(value, vp, "'\(key)' is not an effect \(site.map { "of \($0)" } ?? "here") (\(Self.belongs(key))); here a concern may give: \(allowed.filter { $0 != "concern" && $0 != "note" }.joined(separator: ", "))")
                    continue
                }
                switch key {
                case "concern": a.concern = r.choice(value, vp, Concern.self, what: "concern") ?? .other
                case "note": a.note = r.string(value, vp) ?? ""
                case "under-recording": a.underRecording = r.probability(value, vp)
                case "withholding": a.effects.withholding = r.probability(value, vp)
                case "errors": a.effects.errors = r.probability(value, vp)
                case "unusable": a.effects.unusable = r.probability(value, vp)
                case "rekeying": a.effects.rekeying = r.distribution(value, vp)
                case "mistrust": a.effects.mistrust = r.probability(value, vp)
                case "reading-time": a.effects.readingTime = r.distribution(value, vp)
                case "overlook": a.effects.overlook = r.probability(value, vp)
                case "recording-time": a.effects.recordingTime = r.distribution(value, vp)
                default: a.availability = r.probability(value, vp)
                }
            }
            annotations.append(a)
        }
        return annotations
    }
}

extension NodeReader {
    /// Entries of a mapping with no restriction on keys.
    mutating func mapping(value node: Node, _ path: DocumentPath) -> [(key: String, value: Node, path: DocumentPath)] {
        mapping(node, path) ?? []
    }

    /// A problem inside a text value (a condition), located at its column within the text.
    mutating func locatedInText(_ node: Node, _ path: DocumentPath, _ error: ConditionError) {
        if case .scalar(let s) = node, let mark = s.mark {
            let column = mark.column + error.column - 1 + (s.style == .singleQuoted || s.style == .doubleQuoted ? 1 : 0)
            report(.error, line: mark.line, column: column, path, "in condition: \(error.message)")
        } else {
            report(.error, node.mark, path, "in condition: \(error.message)")
        }
    }
}
