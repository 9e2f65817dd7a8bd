import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation
import XCTest
@testable import CarePathWorkshop

final class WorkshopFileTests: XCTestCase {
    /// The board written as a scenario: the saved options as variants, the notes as concerns of
    /// the pathway copy beside it (the assumptions register's source); it validates, and a second
    /// write without confirmation is refused, the file left as it was.
    func testTheBoardIsWrittenAsAScenarioThatValidates() throws {
        let folder = try temporaryFolder(self)
        let setup = try Shipped.setup("Scenarios/discharge-architectures.yaml")
        let store = try ResultsStore(path: folder.appendingPathComponent("board.sqlite").path)
        let board = WorkshopBoard(setup: setup, store: store)
        try board.save(WorkshopOption(name: "More beds", settings: ["capacities.acute/ward": "140", "cohort.arrivals": "22"]))
        try board.save(WorkshopOption(name: "Shared record", settings: ["architecture.option": "shared-record"]))
        try board.add(WorkshopNote(subject: WorkshopSubject(kind: .state, id: "social-worker-review"), concern: "workforce",
                                   text: "Social workers \"only\" work mornings: <script>"))
        let url = folder.appendingPathComponent("out/room.yaml")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let written = try board.writeScenario(to: url, overwrite: false)
        XCTAssertEqual(written.pathway?.lastPathComponent, "room.pathway.yaml")

        let checked = ScenarioFile.check(url)
        XCTAssertEqual(checked.errors, [])
        XCTAssertEqual(checked.warnings, [])
        let scenario = try XCTUnwrap(checked.scenario)
        XCTAssertEqual(scenario.variants.map(\.name), ["point-to-point", "more-beds", "shared-record"])
        XCTAssertEqual(scenario.variants[1].settings.capacities[RoleReference(organisation: "acute", role: "ward")], 140)
        XCTAssertEqual(scenario.cohort(of: scenario.variants[1]).arrivals, .poisson(ratePerHour: 22.0 / 24))
        XCTAssertEqual(scenario.variants[2].settings.architecture.option, .sharedRecord)
        let review = try XCTUnwrap(checked.pathway?.state("social-worker-review"))
        XCTAssertEqual(review.annotations.last?.concern, .workforce)
        XCTAssertEqual(review.annotations.last?.note, "Social workers \"only\" work mornings: <script>")

        let before = try Data(contentsOf: url)
        try board.save(WorkshopOption(name: "Paper", settings: ["architecture.option": "paper"]))
        XCTAssertThrowsError(try board.writeScenario(to: url, overwrite: false)) { error in
            XCTAssertTrue(error is WorkshopFileExists, "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: url), before)
        try board.writeScenario(to: url, overwrite: true)
        XCTAssertEqual(ScenarioFile.check(url).scenario?.variants.count, 4)
    }

    /// The board's options side by side, each against the baseline on the same patients; the
    /// comparison is stored.
    func testSavedOptionsAreComparedAgainstTheBaseline() throws {
        let folder = try temporaryFolder(self)
        let setup = try Shipped.mmc(patients: 500, replications: 3)
        let store = try ResultsStore(path: folder.appendingPathComponent("board.sqlite").path)
        let board = WorkshopBoard(setup: setup, store: store)
        try board.save(WorkshopOption(name: "Unchanged", settings: [:]))
        try board.save(WorkshopOption(name: "Six", settings: ["capacities.clinic/desk": "6"]))
        let comparison = try board.compare()
        XCTAssertEqual(comparison.rows.map(\.variant), ["unchanged", "six"])
        XCTAssertNil(comparison.storeProblem)
        let unchanged = try XCTUnwrap(comparison.rows.first?.headlines.first { $0.name == "time_in_pathway_mean_h" })
        XCTAssertEqual(unchanged.difference.mean, 0)
        let six = try XCTUnwrap(comparison.rows.last?.headlines.first { $0.name == "time_in_pathway_mean_h" })
        XCTAssertLessThan(six.difference.mean, 0)
        // The live run of the same option gives the same figure: the same runner, the same seeds.
        let live = try WorkshopRun(setup: setup, settings: ["capacities.clinic/desk": "6"])
        let done = LockedBox<WorkshopUpdate>()
        let finished = expectation(description: "run")
        Task { done.value = await live.run(); finished.fulfill() }
        wait(for: [finished], timeout: 60)
        let liveSix = try XCTUnwrap(done.value?.headlines.first { $0.name == "time_in_pathway_mean_h" })
        XCTAssertEqual(liveSix.difference.mean, six.difference.mean, accuracy: 1e-9)
        XCTAssertEqual(try store.variants(run: XCTUnwrap(comparison.storedRun)).map(\.name), ["base", "unchanged", "six"])
    }

    /// Comparing the options the room ticked runs only those (the stored run has the baseline and
    /// them), and a name not on the board is refused.
    func testOnlyTheTickedOptionsAreRun() throws {
        let folder = try temporaryFolder(self)
        let setup = try Shipped.mmc(patients: 300, replications: 2)
        let store = try ResultsStore(path: folder.appendingPathComponent("board.sqlite").path)
        let board = WorkshopBoard(setup: setup, store: store)
        try board.save(WorkshopOption(name: "Four", settings: ["capacities.clinic/desk": "4"]))
        try board.save(WorkshopOption(name: "Six", settings: ["capacities.clinic/desk": "6"]))
        let comparison = try board.compare(only: ["Six"])
        XCTAssertEqual(comparison.rows.map(\.option), ["Six"])
        XCTAssertEqual(try store.variants(run: XCTUnwrap(comparison.storedRun)).map(\.name), ["base", "six"])
        XCTAssertThrowsError(try board.compare(only: ["Seven"])) { error in
            XCTAssertTrue(String(describing: error).contains("no saved option named \"Seven\""), "\(error)")
        }
    }
}

final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?
    var value: T? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
