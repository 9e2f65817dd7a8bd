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
    /// The current run's encoder, which holds the buffers; before the first run, what it will carry.
    var encoder: OCELJSONEncoder?
    var carried = OCELJSONEncoder.Carried()
    var events: Int { encoder?.events ?? carried.events }
    var objects: Int { encoder?.objects ?? carried.objects }
    var patients: Int { encoder?.patients ?? carried.patients }

    static let epoch = "1970-01-01T00:00:00.000+00:00"

    init(_ url: URL, clock: LogClock, pathway: Pathway, scenario: Scenario) throws {
        file = try StreamingFile(url)
        spill = try SpillFile(beside: url)
        self.clock = clock
        self.pathway = pathway
        file.write("{\"objectTypes\":[" + objectTypes() + "],\"eventTypes\":[" + eventTypes() + "],\"events\":[")
        for o in pathway.organisations {
            if !carried.firstObject { carried.objectsOut.append(byte: UInt8(ascii: ",")) }
            carried.firstObject = false
            carried.objectsOut.append("\n{\"id\":\"")
            carried.objectsOut.append(Array(J.string("organisation-" + o.id).dropFirst().dropLast()))
            carried.objectsOut.append("\",\"type\":"); carried.objectsOut.append(J.string(OCELWriter.organisationType))
            carried.objectsOut.append(",\"attributes\":[")
            attribute(&carried.objectsOut, "name", J.string(o.name), first: true)
            attribute(&carried.objectsOut, "sector", J.string(o.sector.rawValue))
            attribute(&carried.objectsOut, "maturity", J.string(o.maturity.rawValue))
            carried.objectsOut.append("]}")
            carried.objects += 1
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
        if let encoder { carried = encoder.carried; self.encoder = nil }
        encoder = OCELJSONEncoder(names: names, pathway: pathway, clock: clock, variant: variant, variantName: variantName,
                                  replication: replication, carrying: carried)
        // The buffers are the encoder's alone now.
        carried = OCELJSONEncoder.Carried()
    }

    func attribute(_ out: inout LogBytes, _ name: StaticString, _ value: [UInt8], first: Bool = false) {
        if !first { out.append(byte: UInt8(ascii: ",")) }
        out.append("{\"name\":\""); out.append(name); out.append("\",\"time\":\""); out.append(Self.epochBytes); out.append("\",\"value\":")
        out.append(value); out.append(byte: UInt8(ascii: "}"))
    }
    static let epochBytes: StaticString = "1970-01-01T00:00:00.000+00:00"
}
