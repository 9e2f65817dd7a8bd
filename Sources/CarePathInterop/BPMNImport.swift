import CarePathFormat
import CarePathModel
import Foundation

/// Turns a BPMN 2.0 collaboration into a CarePath pathway file: pools become organisations, lanes
/// roles, tasks states, gateways branches, message flows cross-organisation handoffs. What BPMN
/// does not say (durations, capacities, sectors, probabilities) gets a default marked
/// `# TODO(planner): ...`; what cannot be mapped is listed as a warning with the element's id.
public enum BPMNImport {
    public static let modelNamespace = BPMNDocument.model
    /// Attributes in this namespace (`carepath:id`) keep CarePath's own names through an export and import.
    public static let carePathNamespace = "urn:carepath:bpmn"
    public static let maximumBytes = 32 * 1024 * 1024
    /// What a task takes until the planner says otherwise.
    public static let defaultActivityDuration = "1h"

    public struct Result: Sendable {
        /// The pathway file's text.
        public var yaml: String
        public var pathwayID: String
        /// What could not be mapped, or was mapped with a loss, each with the BPMN element's place and id.
        public var warnings: [FormatProblem]
        /// Problems `PathwayFile.check` finds in `yaml`: no errors are expected; warnings may be.
        public var check: [FormatProblem]
        public var organisations: Int
        public var roles: Int
        public var states: Int
        public var crossOrganisationHandoffs: Int
        public var items: Int
    }

    /// Reads and converts a BPMN file; `name` is how the file is named in messages.
    public static func convert(_ url: URL, as name: String? = nil, pathwayID: String? = nil) throws(FormatErrors) -> Result {
        let file = name ?? url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FormatErrors([FormatProblem(.error, file: file, line: 1, column: 1, path: .root,
                                              message: "cannot read the file: \(error.localizedDescription)")])
        }
        let stem = url.deletingPathExtension().lastPathComponent
        return try convert(data: data, file: file, pathwayID: pathwayID, defaultID: CarePathName.from(stem))
    }

    /// The file's first line, shortened and with only printable ASCII, quoted for a message.
    static func opening(of data: Data) -> String {
        let line = String(decoding: data.prefix(200), as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            .prefix { $0 != "\n" && $0 != "\r" }
        let shown = line.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "?" }.joined()
        return "\"" + (shown.count > 40 ? shown.prefix(40) + "..." : shown) + "\""
    }

    /// Converts BPMN XML; throws located errors for a file that is not well-formed XML, not BPMN,
    /// or has no process.
    /// `pathwayID` names the pathway; without it a pathway exported by CarePath keeps its own
    /// identifier and any other takes `defaultID` (or one made from the model's name).
    public static func convert(data: Data, file: String, pathwayID: String? = nil, defaultID: String? = nil) throws(FormatErrors) -> Result {
        func fail(_ line: Int, _ column: Int, _ path: DocumentPath, _ message: String) -> FormatErrors {
            FormatErrors([FormatProblem(.error, file: file, line: line, column: column, path: path, message: message)])
        }
        func fail(_ line: Int, _ column: Int, _ message: String) -> FormatErrors { fail(line, column, .root, message) }
        if data.count > maximumBytes {
            throw fail(1, 1, "the file is larger than \(maximumBytes / 1024 / 1024) MB; expected a BPMN model")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw fail(1, 1, "the file is empty; expected BPMN 2.0 XML")
        }
        if let start = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }),
           start != UInt8(ascii: "<") {
            let text = String(decoding: data.prefix(65536), as: UTF8.self)
            let yaml = ["pathway:", "scenario:", "states:"].contains { text.hasPrefix($0) || text.contains("\n" + $0) }
            throw fail(1, 1, "not BPMN 2.0 XML: the file starts with \(opening(of: data)), not with an XML tag ('<')"
                       + (yaml ? "; it reads as a CarePath YAML file, which needs no import (`carepath validate` checks it)" : ""))
        }
        if let (line, column) = find("<!DOCTYPE", in: data) {
            throw fail(line, column, "a document type declaration (<!DOCTYPE ...>) is not allowed in a BPMN file; remove it")
        }
        let markup: MarkupDocument
        do throws(MarkupDocument.SyntaxError) {
            markup = try MarkupDocument.parse(data)
        } catch {
            throw fail(error.line, error.column, error.message)
        }
        guard let root = markup.root else { throw fail(1, 1, "the file has no XML element; expected BPMN 2.0 XML") }
        let r = markup[root]
        guard r.namespace == modelNamespace, r.name == "definitions" else {
            let namespace = r.namespace.map { "namespace \($0)" } ?? "no namespace"
            throw fail(r.line, r.column, DocumentPath.root.key(r.name),
                       "not a BPMN 2.0 model: the root element is <\(r.name)> in \(namespace); expected <definitions> in namespace \(modelNamespace)")
        }
        let bpmn = BPMNDocument(markup: markup, root: root)
        // A file CarePath exported carries the whole pathway: read it back as it was.
        var extensionWarning: FormatProblem?
        switch PathwayAssembly.assemble(markup, id: pathwayID) {
        case .assembled(let text):
            let edited = PathwayAssembly.undescribedSteps(bpmn)
            if edited.isEmpty { return exported(text, file: file) }
            let e = markup[edited[0].element]
            extensionWarning = FormatProblem(.warning, file: file, line: e.line, column: e.column, path: DocumentPath.root.key(e.name).key(edited[0].id),
                                             message: "the file was exported by CarePath and then edited (\(edited.count) step(s) such as \(edited[0].id) have no CarePath description): the pathway is read from the diagram, and what only CarePath knows (capacities, calendars, conditions...) is not")
        case .incomplete(let why):
            extensionWarning = FormatProblem(.warning, file: file, line: r.line, column: r.column, path: .root,
                                             message: "the file was exported by CarePath but its CarePath description is not whole (\(why)): the pathway is read from the diagram")
        case .none:
            break
        }
        guard !bpmn.processes.isEmpty else {
            throw fail(r.line, r.column, DocumentPath.root.key("definitions"),
                       "the BPMN file has no <process>: there are no steps to import (only black-box pools, a choreography or a diagram?)")
        }
        guard bpmn.nodes.contains(where: { $0.container == nil }) else {
            let p = markup[bpmn.processes[0].element]
            throw fail(p.line, p.column, DocumentPath.root.key("process").key(bpmn.processes[0].id),
                       "the BPMN processes have no tasks, events or gateways: there are no steps to import")
        }
        var mapper = BPMNMapper(bpmn: bpmn, file: file)
        if let extensionWarning { mapper.warn(extensionWarning) }
        let draft = mapper.map(pathwayID: pathwayID ?? defaultID)
        let yaml = PathwayYAML.render(draft)
        let check = PathwayFile.check(text: yaml, file: file.hasSuffix(".bpmn") ? String(file.dropLast(5)) + ".yaml" : file + ".yaml").problems
        return Result(yaml: yaml, pathwayID: draft.id, warnings: mapper.warnings, check: check,
                      organisations: draft.organisations.count, roles: draft.organisations.reduce(0) { $0 + $1.roles.count },
                      states: draft.states.count,
                      crossOrganisationHandoffs: draft.states.reduce(0) { total, s in
                          total + s.branches.filter { b in draft.organisationOf(b.to) != nil && draft.organisationOf(b.to) != s.owner?.organisation && s.owner != nil }.count
                      },
                      items: draft.items.count)
    }

    /// The pathway file put back together from a CarePath export's descriptions.
    static func exported(_ text: String, file: String) -> Result {
        let yaml = "# Imported from \(PathwayYAML.oneLine(file)) by `carepath import bpmn`: a BPMN file exported by CarePath,\n"
            + "# read back from its CarePath descriptions (extensionElements): the same pathway as the one exported.\n" + text
        let check = PathwayFile.check(text: yaml, file: file.hasSuffix(".bpmn") ? String(file.dropLast(5)) + ".yaml" : file + ".yaml")
        let p = check.pathway
        return Result(yaml: yaml, pathwayID: p?.id ?? "", warnings: [], check: check.problems,
                      organisations: p?.organisations.count ?? 0, roles: p?.roles.count ?? 0, states: p?.states.count ?? 0,
                      crossOrganisationHandoffs: p.map { p in p.states.reduce(0) { n, s in n + s.next.filter { p.isCrossOrganisation(from: s.id, to: $0.to) }.count } } ?? 0,
                      items: p?.information.count ?? 0)
    }

    /// Line and column of the first occurrence of `needle` in `data`.
    static func find(_ needle: String, in data: Data) -> (Int, Int)? {
        let pattern = Array(needle.utf8)
        let bytes = [UInt8](data)
        guard bytes.count >= pattern.count else { return nil }
        var line = 1, column = 1
        var i = 0
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0] && Array(bytes[i..<i + pattern.count]) == pattern { return (line, column) }
            if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return nil
    }
}
