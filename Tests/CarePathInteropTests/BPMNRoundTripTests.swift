import CarePathFormat
import CarePathInterop
import CarePathModel
import Foundation
import XCTest

/// A shipped pathway written as BPMN by CarePath and read back by the importer.
final class BPMNRoundTripTests: XCTestCase {
    func shippedPathways() throws -> [(String, Pathway)] {
        let folder = Support.root.appendingPathComponent("Pathways")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 4)
        return try files.map { name in
            do throws(FormatErrors) {
                return (name, try PathwayFile.load(folder.appendingPathComponent(name)))
            } catch {
                XCTFail(error.description)
                throw error
            }
        }
    }

    func testExportedBPMNIsWellFormedWithPoolsLanesAndTasks() throws {
        let dir = try Support.temporaryDirectory(self)
        for (name, pathway) in try shippedPathways() {
            let url = dir.appendingPathComponent(name + ".bpmn")
            try BPMNExport.xml(pathway).write(to: url, atomically: true, encoding: .utf8)
            let counts = try Support.elementCounts(url)
            XCTAssertEqual(counts["bpmn:participant"], pathway.organisations.count, name)
            XCTAssertEqual(counts["bpmn:process"], pathway.organisations.count, name)
            XCTAssertEqual(counts["bpmn:lane"], pathway.roles.count, name)
            let working = pathway.states.filter { !$0.isTerminal }
            XCTAssertEqual(counts["bpmn:task"] ?? 0, working.filter { $0.occupiesRole || !$0.needs.isEmpty || !$0.produces.isEmpty }.count, name)
            XCTAssertEqual((counts["bpmn:task"] ?? 0) + (counts["bpmn:intermediateCatchEvent"] ?? 0), working.count, name)
            XCTAssertEqual(counts["bpmn:exclusiveGateway"] ?? 0, working.filter { $0.next.count > 1 }.count, name)
            XCTAssertGreaterThan(counts["bpmn:messageFlow"] ?? 0, 0, name)
            XCTAssertGreaterThan(counts["bpmndi:BPMNShape"] ?? 0, 0, "\(name): a layout so the diagram opens in bpmn.io")
        }
    }

    func testShippedPathwaysRoundTripThroughBPMN() throws {
        for (name, original) in try shippedPathways() {
            let xml = BPMNExport.xml(original)
            let result = try BPMNImport.convert(data: Data(xml.utf8), file: name + ".bpmn", pathwayID: original.id)
            let checked = PathwayFile.check(text: result.yaml, file: name)
            guard let back = checked.pathway else {
                XCTFail("\(name): " + checked.problems.map(\.description).joined(separator: "\n"))
                continue
            }
            // Organisations and roles.
            XCTAssertEqual(back.organisations.map(\.id), original.organisations.map(\.id), name)
            XCTAssertEqual(back.organisations.map(\.name), original.organisations.map(\.name), name)
            for org in original.organisations {
                XCTAssertEqual(back.organisation(org.id)?.roles.map(\.id), org.roles.map(\.id), "\(name) \(org.id)")
            }
            // States: the same names, owners, kinds and durations.
            XCTAssertEqual(Set(back.states.map(\.id)), Set(original.states.map(\.id)), name)
            XCTAssertEqual(back.start, original.start, name)
            for state in original.states {
                guard let other = back.state(state.id) else { continue }
                XCTAssertEqual(other.isTerminal, state.isTerminal, "\(name) \(state.id)")
                if state.isTerminal { continue }
                XCTAssertEqual(other.owner, state.owner, "\(name) \(state.id)")
                XCTAssertEqual(other.occupiesRole, state.occupiesRole, "\(name) \(state.id)")
                XCTAssertEqual(DistributionText.format(other.duration), DistributionText.format(state.duration), "\(name) \(state.id)")
                XCTAssertEqual(Set(other.next.map(\.to)), Set(state.next.map(\.to)), "\(name) \(state.id)")
                XCTAssertEqual(Set(other.needs), Set(state.needs), "\(name) \(state.id) needs")
                XCTAssertEqual(Set(other.produces), Set(state.produces), "\(name) \(state.id) produces")
            }
            // Handoffs: every cross-organisation transition, carrying the same items.
            func handoffs(_ p: Pathway) -> Set<String> {
                Set(p.states.flatMap { s in
                    s.next.filter { p.isCrossOrganisation(from: s.id, to: $0.to) }
                        .map { "\(s.id)->\($0.to) [\(p.itemsCarried(from: s, by: $0).sorted().joined(separator: ","))]" }
                })
            }
            XCTAssertEqual(handoffs(back), handoffs(original), name)
            XCTAssertFalse(handoffs(original).isEmpty, name)
            XCTAssertEqual(Set(back.information.map(\.id)), Set(original.information.map(\.id).filter { id in
                original.states.contains { $0.needs.contains(id) || $0.produces.contains(id) }
            }), name)
            for item in back.information { XCTAssertEqual(item.title, original.item(item.id)?.title ?? item.id, "\(name) \(item.id)") }
            // Probabilities of branches without conditions come back.
            for state in original.states where !state.next.contains(where: { $0.condition != nil }) && state.next.count > 1 {
                for branch in state.next {
                    let expected = branch.probability ?? (1 - state.next.compactMap(\.probability).reduce(0, +))
                    let got = back.state(state.id)?.next.first { $0.to == branch.to }?.probability
                    XCTAssertEqual(got ?? -1, expected, accuracy: 1e-4, "\(name) \(state.id) -> \(branch.to)")
                }
            }
        }
    }
}
