import CarePathFormat
import CarePathInterop
import CarePathModel
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `export --bpmn` then `import bpmn` gives the same pathway, whose simulation is byte-identical.
final class BPMNLosslessTests: XCTestCase {
    static let pathways = ["dementia-diagnosis", "discharge-to-assess", "end-of-life", "frailty-fall"]

    func roundTrip(_ name: String, folder: String = "Pathways") throws -> (original: Pathway, back: Pathway, result: BPMNImport.Result, xml: String) {
        let url = Support.root.appendingPathComponent("\(folder)/\(name).yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let original: Pathway
        do throws(FormatErrors) { original = try PathwayFile.load(url) } catch { XCTFail(error.description); throw error }
        let xml = BPMNExport.xml(original, source: text)
        let result = try BPMNImport.convert(data: Data(xml.utf8), file: name + ".bpmn")
        let checked = PathwayFile.check(text: result.yaml, file: name + ".yaml")
        guard let back = checked.pathway else {
            XCTFail("\(name): " + checked.problems.map(\.description).joined(separator: "\n"))
            throw XCTSkip("no pathway")
        }
        XCTAssertEqual(checked.problems, [], "\(name): the pathway read back validates with no warnings")
        return (original, back, result, xml)
    }

    func testEveryShippedPathwayComesBackEqual() throws {
        for name in Self.pathways {
            let (original, back, result, _) = try roundTrip(name)
            XCTAssertEqual(result.warnings, [], name)
            XCTAssertFalse(result.yaml.contains("TODO(planner)"), name)
            // Field by field first, so that a difference says where it is; then the whole value.
            XCTAssertEqual(back.organisations, original.organisations, name)
            XCTAssertEqual(back.information, original.information, name)
            XCTAssertEqual(back.attributes, original.attributes, name)
            for (a, b) in zip(back.states, original.states) { XCTAssertEqual(a, b, "\(name) \(b.id)") }
            XCTAssertEqual(back, original, name)
        }
        // The reference models too: the tandem clinic came back with capacity 1 everywhere.
        for name in ["tandem-clinic-pathway", "mmc-pathway"] {
            let (original, back, _, _) = try roundTrip(name, folder: "Scenarios/reference")
            XCTAssertEqual(back, original, name)
        }
        // What the issue found lost: capacities,
        // calendars, categories, attributes, conditions and on-gap policies are all there.
        let (original, back, _, _) = try roundTrip("discharge-to-assess")
        XCTAssertTrue(original.roles.contains { $0.capacity > 1 } && original.roles.contains { $0.calendar != .always })
        XCTAssertEqual(back.roles.map(\.capacity), original.roles.map(\.capacity))
        XCTAssertTrue(original.states.contains { $0.onGap != .proceed } && original.states.flatMap(\.next).contains { $0.condition != nil })
    }

    func testShippedScenariosSimulateByteIdenticallyOnTheRoundTrippedPathway() throws {
        let carepath = try Support.carepath()
        let dir = try Support.temporaryDirectory(self)
        let fm = FileManager.default
        for side in ["original", "round-trip"] {
            try fm.createDirectory(at: dir.appendingPathComponent(side), withIntermediateDirectories: true)
            try fm.copyItem(at: Support.root.appendingPathComponent("Scenarios"), to: dir.appendingPathComponent("\(side)/Scenarios"))
            try fm.createDirectory(at: dir.appendingPathComponent("\(side)/Pathways"), withIntermediateDirectories: true)
        }
        for name in Self.pathways {
            try fm.copyItem(at: Support.root.appendingPathComponent("Pathways/\(name).yaml"),
                            to: dir.appendingPathComponent("original/Pathways/\(name).yaml"))
            try roundTrip(name).result.yaml.write(to: dir.appendingPathComponent("round-trip/Pathways/\(name).yaml"), atomically: true, encoding: .utf8)
        }
        // One scenario per shipped pathway, one replication: the summary's every byte.
        for scenario in ["dementia-diagnosis", "discharge-architectures", "end-of-life", "frailty-fall"] {
            var summaries: [Data] = []
            for side in ["original", "round-trip"] {
                let folder = dir.appendingPathComponent(side)
                let run = try Support.run(carepath, ["simulate", "Scenarios/\(scenario).yaml", "--replications", "1", "--threads", "1",
                                                     "--json", "\(scenario).json", "--no-store", "--report", "\(scenario).html"], in: folder)
                XCTAssertEqual(run.status, 0, "\(side) \(scenario): " + run.stderr)
                summaries.append(try Data(contentsOf: folder.appendingPathComponent("\(scenario).json")))
            }
            XCTAssertGreaterThan(summaries[0].count, 1000, scenario)
            XCTAssertEqual(summaries[0], summaries[1], "\(scenario): the JSON summary differs after the round trip")
        }
    }

    func testEveryExportedElementIsDrawnAndNoMessageGoesWhereItCannotBeReceived() throws {
        for name in Self.pathways {
            let xml = try roundTrip(name).xml
            let dir = try Support.temporaryDirectory(self)
            let url = dir.appendingPathComponent(name + ".bpmn")
            try xml.write(to: url, atomically: true, encoding: .utf8)
            let ids = try Self.elements(url)
            // Diagram interchange for every flow element, data object reference, association and flow.
            let drawn = Set(ids.filter { $0.tag.hasPrefix("bpmndi:BPMN") }.compactMap(\.bpmnElement))
            let drawable: Set<String> = ["bpmn:participant", "bpmn:lane", "bpmn:task", "bpmn:intermediateCatchEvent", "bpmn:startEvent",
                                         "bpmn:endEvent", "bpmn:exclusiveGateway", "bpmn:sequenceFlow", "bpmn:messageFlow",
                                         "bpmn:dataObjectReference", "bpmn:dataInputAssociation", "bpmn:dataOutputAssociation"]
            let elements = ids.filter { drawable.contains($0.tag) }
            XCTAssertTrue(elements.contains { $0.tag == "bpmn:dataObjectReference" }, name)
            for e in elements { XCTAssertTrue(drawn.contains(e.id), "\(name): \(e.tag) \(e.id) has no diagram interchange") }
            // A message flow ends at a task, a pool or a message catch event, never at a timer wait or an end event.
            let tagOf = Dictionary(ids.map { ($0.id, $0.tag) }, uniquingKeysWith: { a, _ in a })
            for flow in ids where flow.tag == "bpmn:messageFlow" {
                let target = tagOf[flow.targetRef ?? ""] ?? "?"
                XCTAssertTrue(["bpmn:task", "bpmn:participant"].contains(target), "\(name): message flow \(flow.id) goes to a \(target)")
            }
        }
    }

    struct Element { var tag: String; var id: String; var bpmnElement: String?; var targetRef: String? }

    static func elements(_ url: URL) throws -> [Element] {
        final class Reader: NSObject, XMLParserDelegate {
            var elements: [Element] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                elements.append(Element(tag: name, id: attributes["id"] ?? "", bpmnElement: attributes["bpmnElement"], targetRef: attributes["targetRef"]))
            }
        }
        let parser = try XCTUnwrap(XMLParser(contentsOf: url))
        let reader = Reader()
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), "\(url.lastPathComponent) is well-formed")
        return reader.elements
    }

    func testAnExportEditedInAnotherToolIsReadFromItsDiagramWithAWarning() throws {
        let (_, _, _, xml) = try roundTrip("discharge-to-assess")
        // A task drawn in bpmn.io after the export: no CarePath description.
        let edited = xml.replacingOccurrences(of: "<bpmn:startEvent ", with: "<bpmn:task id=\"Task_new\" name=\"Phone the family\" />\n    <bpmn:startEvent ")
        let result = try BPMNImport.convert(data: Data(edited.utf8), file: "edited.bpmn")
        XCTAssertTrue(result.warnings.contains { $0.message.contains("exported by CarePath and then edited") && $0.message.contains("Task_new") },
                      result.warnings.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(result.yaml.contains("TODO(planner)"), "read from the diagram")
        XCTAssertNotNil(PathwayFile.check(text: result.yaml, file: "edited.yaml").pathway)
        // A description removed: not whole any more.
        let cut = xml.replacingOccurrences(of: "<carepath:role organisation=", with: "<carepath:other organisation=")
            .replacingOccurrences(of: "</carepath:role>", with: "</carepath:other>")
        let partial = try BPMNImport.convert(data: Data(cut.utf8), file: "cut.bpmn")
        XCTAssertTrue(partial.warnings.contains { $0.message.contains("CarePath description is not whole (no CarePath description of role") },
                      partial.warnings.map(\.description).joined(separator: "\n"))
    }
}
