import CarePathFiles
import CarePathModel
import CarePathSimulation
import Foundation

/// OCEL 2.0 in its JSON layout (ocel-standard.org/specification/formats/json): the same objects,
/// events, attributes and qualified relationships as the SQLite layout (see `OCELWriter`),
/// streamed as bytes. Events go straight into the file; objects, which the layout lists apart,
/// go into a spill file beside it and are copied in at the end, so memory stays flat however
/// many patients are logged. Written at the engine's pace: names are escaped once, and ids,
/// numbers and timestamps are written digit by digit (`LogBytes`).
final class OCELJSONWriter: JourneySink {
    let file: StreamingFile
    let spill: SpillFile
    let clock: LogClock
    let pathway: Pathway
    var names: LogNames?
    var nextEvent = 0
    var eventsOut = LogBytes(), objectsOut = LogBytes()
    var firstEvent = true, firstObject = true
    var events = 0
    var objects = 0
    var patients = 0

    // Escaped once per run: JSON strings with their quotes.
    var runID: [UInt8] = []
    var variantValue: [UInt8] = []
    var replication = 0
    var stateType: [[UInt8]] = []
    var stateOrganisation: [[UInt8]?] = []
    var stateRole: [[UInt8]?] = []
    var stateNameValue: [[UInt8]] = []
    /// Per organisation: its id as a JSON string (escaped once per run, not per patient).
    var organisationJSON: [[UInt8]] = []
    var itemKey: [[UInt8]] = []
    var itemObjectAttributes: [[UInt8]] = []
    var gapQualifier: [[UInt8]] = []
    var attributeNames: [[UInt8]] = []
    var attributeLevels: [[[UInt8]]] = []
    var groupValues: [CohortGroups: [UInt8]] = [:]
    var produces: [[Int]] = []

    static let epoch = "1970-01-01T00:00:00.000+00:00"

    init(_ url: URL, clock: LogClock, pathway: Pathway, scenario: Scenario) throws {
        file = try StreamingFile(url)
        spill = try SpillFile(beside: url)
        self.clock = clock
        self.pathway = pathway
        file.write("{\"objectTypes\":[" + objectTypes() + "],\"eventTypes\":[" + eventTypes() + "],\"events\":[")
        for o in pathway.organisations {
            let id = Array(J.string("organisation-" + o.id).dropFirst().dropLast())
            beginObject(&objectsOut, { $0.append(id) }, J.string(OCELWriter.organisationType))
            objectsOut.append(",\"attributes\":[")
            attribute(&objectsOut, "name", J.string(o.name), first: true)
            attribute(&objectsOut, "sector", J.string(o.sector.rawValue))
            attribute(&objectsOut, "maturity", J.string(o.maturity.rawValue))
            objectsOut.append("]}")
            objects += 1
        }
    }

    deinit { abort() }

    /// JSON text.
    enum J {
        static func string(_ text: String) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "\"")]
            for u in text.unicodeScalars {
                switch u {
                case "\"": out += [92, 34]
                case "\\": out += [92, 92]
                case "\n": out += [92, 110]
                case "\r": out += [92, 114]
                case "\t": out += [92, 116]
                case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                    out += Array(String(format: "\\u%04x", u.value).utf8)
                default: out += Array(String(u).utf8)
                }
            }
            out.append(UInt8(ascii: "\""))
            return out
        }
        static func text(_ text: String) -> String { String(decoding: string(text), as: UTF8.self) }
    }

    func typeJSON(_ name: String, _ attributes: [(String, String)]) -> String {
        "{\"name\":\(J.text(name)),\"attributes\":[" + attributes.map { "{\"name\":\(J.text($0.0)),\"type\":\"\($0.1)\"}" }.joined(separator: ",") + "]}"
    }

    func objectTypes() -> String {
        var patient: [(String, String)] = [("variant", "string"), ("replication", "integer"), ("patient", "integer"), ("arrival", "time"),
                                           ("cohort_group", "string"), ("terminal", "string"), ("counted", "boolean"), ("time_in_pathway_h", "float")]
        for a in pathway.attributes {
            switch a.type {
            case .number: patient.append((a.name, "float"))
            case .boolean: patient.append((a.name, "boolean"))
            case .categorical: patient.append((a.name, "string"))
            }
        }
        return [typeJSON(OCELWriter.patientType, patient),
                typeJSON(OCELWriter.organisationType, [("name", "string"), ("sector", "string"), ("maturity", "string")]),
                typeJSON(OCELWriter.itemType, [("item", "string"), ("title", "string"), ("category", "string"), ("patient", "string"),
                                              ("variant", "string"), ("replication", "integer")])].joined(separator: ",")
    }

    func eventTypes() -> String {
        let run = [("variant", "string"), ("replication", "integer")]
        var types = [typeJSON(OCELWriter.arrives, run)]
        for state in pathway.states where !state.isTerminal {
            types.append(typeJSON(state.id, [("completed", "time"), ("organisation", "string"), ("role", "string"), ("waited_h", "float"),
                                             ("duration_h", "float"), ("items_needed", "integer"), ("gaps", "integer"),
                                             ("handoff_delay_h", "float")] + run))
        }
        types.append(typeJSON(OCELWriter.handoff, [("from_state", "string"), ("to_state", "string"), ("latency_h", "float"),
                                                   ("lost_referrals", "integer")] + run))
        for state in pathway.states where state.isTerminal {
            types.append(typeJSON(state.id, [("organisation", "string"), ("role", "string")] + run))
        }
        return types.joined(separator: ",")
    }

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        self.names = names
        self.replication = replication
        nextEvent = 0
        runID = Array("v\(variant)-r\(replication)".utf8)
        variantValue = J.string(variantName)
        stateType = names.states.map(J.string)
        stateNameValue = stateType
        organisationJSON = names.organisations.map(J.string)
        stateOrganisation = names.states.indices.map { names.organisation(ofState: $0).map { J.string($0) } }
        stateRole = names.states.indices.map { names.role(ofState: $0).map { J.string($0) } }
        itemKey = names.items.map { Array(J.string($0).dropFirst().dropLast()) }
        itemObjectAttributes = names.items.map { item in
            let model = pathway.item(item)
            var out = LogBytes(capacity: 128)
            attribute(&out, "item", J.string(item), first: true)
            attribute(&out, "title", J.string(model?.title ?? item))
            attribute(&out, "category", J.string(model?.category.rawValue ?? ""))
            return out.bytes
        }
        gapQualifier = GapKind.allCases.map { J.string("needs (\($0.name))") }
        attributeNames = names.attributes.map { J.string($0.name) }
        attributeLevels = names.attributes.map { a in
            if case .categorical(let levels) = a.type { return levels.map(J.string) }
            return []
        }
        groupValues = [:]
        let itemIndex = Dictionary(names.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        produces = names.states.indices.map { s in s < pathway.states.count ? pathway.states[s].produces.compactMap { itemIndex[$0] } : [] }
    }

    // MARK: Pieces

    @inline(__always)
    func attribute(_ out: inout LogBytes, _ name: StaticString, _ value: [UInt8], first: Bool = false) {
        if !first { out.append(byte: UInt8(ascii: ",")) }
        out.append("{\"name\":\""); out.append(name); out.append("\",\"time\":\""); out.append(Self.epochBytes); out.append("\",\"value\":")
        out.append(value); out.append(byte: UInt8(ascii: "}"))
    }
    static let epochBytes: StaticString = "1970-01-01T00:00:00.000+00:00"

    @inline(__always)
    func eventAttribute(_ eventsOut: inout LogBytes, _ name: StaticString, first: Bool = false) {
        if !first { eventsOut.append(byte: UInt8(ascii: ",")) }
        eventsOut.append("{\"name\":\""); eventsOut.append(name); eventsOut.append("\",\"value\":")
    }

    @inline(__always)
    func beginObject(_ objectsOut: inout LogBytes, _ id: (inout LogBytes) -> Void, _ type: [UInt8]) {
        if !firstObject { objectsOut.append(byte: UInt8(ascii: ",")) }
        firstObject = false
        objectsOut.append("\n{\"id\":\""); id(&objectsOut); objectsOut.append("\",\"type\":"); objectsOut.append(type)
    }

    /// Opens an event and returns nothing: its id is `event-<run>-<n>`.
    func beginEvent(_ eventsOut: inout LogBytes, _ type: [UInt8], time: Double) {
        if !firstEvent { eventsOut.append(byte: UInt8(ascii: ",")) }
        firstEvent = false
        nextEvent += 1
        events += 1
        eventsOut.append("\n{\"id\":\"event-"); eventsOut.append(runID); eventsOut.append(byte: UInt8(ascii: "-")); eventsOut.append(nextEvent)
        eventsOut.append("\",\"type\":"); eventsOut.append(type)
        eventsOut.append(",\"time\":\""); eventsOut.append(time: time, clock: clock, iso: true); eventsOut.append("\",\"attributes\":[")
    }

    @inline(__always) func runAttributes(_ eventsOut: inout LogBytes) { runAttributes(&eventsOut, first: false) }

    @inline(__always) func decimal(_ eventsOut: inout LogBytes, _ x: Double) {
        if x.isFinite { eventsOut.append(decimal: x) } else { eventsOut.append("null") }
    }

    /// Closes the attributes and opens the relationships.
    @inline(__always) func relationships(_ eventsOut: inout LogBytes) { eventsOut.append("],\"relationships\":[") }

    @inline(__always)
    func relation(_ out: inout LogBytes, _ first: inout Bool, _ write: (inout LogBytes) -> Void, _ qualifier: StaticString) {
        if !first { out.append(byte: UInt8(ascii: ",")) }
        first = false
        out.append("{\"objectId\":\""); write(&out); out.append("\",\"qualifier\":\""); out.append(qualifier); out.append("\"}")
    }

    func patientID(_ out: inout LogBytes, _ patient: Int) {
        out.append("patient-"); out.append(runID); out.append(byte: UInt8(ascii: "-")); out.append(patient)
    }

    func itemID(_ out: inout LogBytes, _ patient: Int, _ item: Int) {
        out.append("item-"); out.append(runID); out.append(byte: UInt8(ascii: "-")); out.append(patient)
        out.append(byte: UInt8(ascii: "-")); out.append(itemKey[item])
    }

    func organisationID(_ out: inout LogBytes, _ org: [UInt8]) {
        // `org` is a JSON string with its quotes: the id is organisation-<name> inside them.
        out.append("organisation-"); out.append(contentsOf: org.dropFirst().dropLast())
    }
}
