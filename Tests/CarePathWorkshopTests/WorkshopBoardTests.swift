import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation
import XCTest
@testable import CarePathWorkshop

final class WorkshopBoardTests: XCTestCase {
    /// A finished live run is a normal run in the store: two variants, the option's levers in its
    /// stored scenario text, which reads back to what ran (as `carepath report RUN` reads it).
    func testAFinishedRunIsStoredAsANormalRun() async throws {
        let folder = try temporaryFolder(self)
        let store = try ResultsStore(path: folder.appendingPathComponent("results.sqlite").path)
        let setup = try Shipped.mmc(patients: 500, replications: 3)
        let run = try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "4"], name: "Four at the desk")
        let all = await updates(of: run, store: store)
        let last = try XCTUnwrap(all.last)
        XCTAssertNil(last.storeProblem)
        let id = try XCTUnwrap(last.storedRun)
        let variants = try store.variants(run: id)
        XCTAssertEqual(variants.map(\.name), ["base", "four-at-the-desk"])
        let summary = try store.summary(run: id)
        XCTAssertEqual(summary.replications, 3)
        let stored = try XCTUnwrap(try store.inputs(run: id).first { $0.role == .scenario }?.file)
        XCTAssertTrue(stored.text.contains("organisations.clinic.roles.desk.capacity: \"4\""), stored.text)
        XCTAssertTrue(stored.text.contains("replications: 3"), stored.text)
        let pathway = try XCTUnwrap(try store.inputs(run: id).first { $0.role == .pathway }?.file)
        let checked = ScenarioFile.check(text: stored.text, file: stored.path, baseDirectory: Shipped.root, pathwayText: pathway.text)
        XCTAssertEqual(checked.errors, [])
        XCTAssertEqual(checked.scenario?.effectiveVariants.map(\.name), ["base", "four-at-the-desk"])
        XCTAssertEqual(checked.scenario?.effectiveVariants.last?.settings.capacities, [RoleReference(organisation: "clinic", role: "desk"): 4])
        // The stored difference is the live run's last.
        let live = try XCTUnwrap(last.headlines.first { $0.name == "time_in_pathway_mean_h" })
        let paired = try XCTUnwrap(summary.paired("time_in_pathway_mean_h", "four-at-the-desk", minus: "base"))
        XCTAssertEqual(paired.mean, live.difference.mean, accuracy: 1e-9)
    }

    /// The board lives in the store: closed and opened again (a restarted server), it is the same.
    func testTheBoardSurvivesReopeningTheStore() throws {
        let folder = try temporaryFolder(self)
        let path = folder.appendingPathComponent("board.sqlite").path
        let setup = try Shipped.setup("Scenarios/discharge-architectures.yaml")
        do {
            let store = try ResultsStore(path: path)
            let board = WorkshopBoard(setup: setup, store: store)
            try board.save(WorkshopOption(name: "Two more coordinators", settings: ["capacities.acute/ward": "140"], note: "asked by the ward"))
            try board.save(WorkshopOption(name: "Shared record", settings: ["architecture.option": "shared-record"]))
            try board.add(WorkshopNote(subject: WorkshopSubject(kind: .state, id: "social-worker-review"), concern: "workforce",
                                       text: "Social workers only work mornings <b>here</b>"))
            XCTAssertThrowsError(try board.save(WorkshopOption(name: "Bad", settings: ["capacities.acute/ward": "0"])))
            XCTAssertThrowsError(try board.add(WorkshopNote(subject: WorkshopSubject(kind: .state, id: "nowhere"), text: "x")))
            try store.close()
        }
        let store = try ResultsStore(path: path)
        let board = WorkshopBoard(setup: setup, store: store)
        XCTAssertEqual(try board.options(), [
            WorkshopOption(name: "Two more coordinators", settings: ["capacities.acute/ward": "140"], note: "asked by the ward"),
            WorkshopOption(name: "Shared record", settings: ["architecture.option": "shared-record"]),
        ])
        let notes = try board.notes()
        XCTAssertEqual(notes.map(\.text), ["Social workers only work mornings <b>here</b>"])
        XCTAssertEqual(notes.first?.subject, WorkshopSubject(kind: .state, id: "social-worker-review"))
        try board.removeOption(named: "Shared record")
        XCTAssertEqual(try board.options().map(\.name), ["Two more coordinators"])
    }
}
