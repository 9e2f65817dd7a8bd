import CarePathFormat
import CarePathStore
import Foundation
import GRDB
import XCTest

/// A run keeps the bank holiday file it was simulated with: `report RUN_ID` re-creates its report
/// from the stored copy, whatever has happened to the file since, and lists it with its hash.
final class StoredCalendarCLITests: XCTestCase {
    static let pathway = """
    pathway: winter-clinic
    organisations:
      council:
        sector: community
        maturity: basic
        roles:
          clinic: { capacity: 2, calendar: "mon-fri 09:00-17:00", bank-holidays: closed }
    states:
      clinic: { owner: council/clinic, duration: 1h, next: [{ to: home }] }
      home: { terminal: true }
    """

    static let scenario = """
    scenario: winter-clinic
    pathway: ../Pathways/clinic.yaml
    calendar:
      start: 2025-12-01
      bank-holidays: calendars/holidays.yaml
    cohort:
      patients: 200
      arrivals: 8/d
    replications: 2
    seed: 7
    """

    static let holidays = """
    title: Christmas
    bank-holidays:
      2025-12-25: Christmas Day
      2025-12-26: Boxing Day

    """

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-stored-calendar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Scenarios/calendars"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Pathways"), withIntermediateDirectories: true)
        try write(Self.pathway, to: "Pathways/clinic.yaml")
        try write(Self.scenario, to: "Scenarios/winter.yaml")
        try write(Self.holidays, to: "Scenarios/calendars/holidays.yaml")
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func write(_ text: String, to relative: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(relative))
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
    }

    func carepath(_ arguments: [String]) throws -> CLITests.Output {
        try CLITests.run(arguments, in: folder)
    }

    func testAReportIsRecreatedFromTheStoredBankHolidayFile() throws {
        let file = "Scenarios/calendars/holidays.yaml"
        let simulated = try carepath(["simulate", "Scenarios/winter.yaml", "--db", "store.sqlite", "--json", "a.json", "--report", "fresh.html"])
        XCTAssertEqual(simulated.status, 0, simulated.stdout + simulated.stderr)
        XCTAssertTrue(simulated.stdout.contains("Stored as run 1"), simulated.stdout)

        // The store keeps the file under the name the scenario's problems give it, with its text and hash.
        let store = try ResultsStore(path: folder.appendingPathComponent("store.sqlite").path, create: false)
        let inputs = try store.inputs(run: 1)
        try store.close()
        XCTAssertEqual(inputs.map(\.role), [.scenario, .pathway, .calendar])
        XCTAssertEqual(inputs.map(\.file.path), ["Scenarios/winter.yaml", "Pathways/clinic.yaml", file])
        let stored = try XCTUnwrap(inputs.last?.file)
        XCTAssertEqual(stored.text, Self.holidays)
        let row = try DatabaseQueue(path: folder.appendingPathComponent("store.sqlite").path).read { db in
            try Row.fetchOne(db, sql: "SELECT path, sha256, text FROM inputs WHERE run = 1 AND role = 'calendar'")
        }
        XCTAssertEqual(row?["path"], file)
        XCTAssertEqual(row?["sha256"], stored.sha256)

        let fresh = try read("fresh.html")
        let dates = "time 0 is Monday 2025-12-01; 2 bank holidays from then on, 2025-12-25 to 2025-12-26"
        XCTAssertTrue(fresh.contains(stored.sha256), "the fresh report lists the bank holiday file's hash")
        XCTAssertTrue(fresh.contains(dates))

        // The file changes after the run: the report still shows the stored file and its dates.
        let changed = Self.holidays + "  2025-12-01: Not simulated\n  2025-12-02: Nor this\n"
        try write(changed, to: file)
        let recreated = try carepath(["report", "1", "--db", "store.sqlite", "-o", "again.html", "--json", "b.json"])
        XCTAssertEqual(recreated.status, 0, recreated.stdout + recreated.stderr)
        XCTAssertEqual(recreated.stderr, "", "no warning for a run that kept its bank holiday file")
        let again = try read("again.html")
        XCTAssertTrue(again.contains(stored.sha256))
        XCTAssertFalse(again.contains(InputFile(path: file, text: changed).sha256), "the report must not show today's copy")
        XCTAssertTrue(again.contains(dates), "the dates simulated, not today's file's")
        XCTAssertEqual(again, fresh, "the re-created report is the one the run wrote")
        XCTAssertEqual(try read("b.json"), try read("a.json"))

        // ... or is gone, with its folder: the report does not need it.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("Scenarios/calendars"))
        let gone = try carepath(["report", "1", "--db", "store.sqlite", "-o", "gone.html"])
        XCTAssertEqual(gone.status, 0, gone.stdout + gone.stderr)
        XCTAssertEqual(try read("gone.html"), fresh)
    }

    /// Runs stored before bank holiday files were kept read the file as it is now, and say so.
    func testARunStoredWithoutItsBankHolidayFileReadsItFromDiskWithAWarning() throws {
        let simulated = try carepath(["simulate", "Scenarios/winter.yaml", "--db", "store.sqlite"])
        XCTAssertEqual(simulated.status, 0, simulated.stdout + simulated.stderr)
        try DatabaseQueue(path: folder.appendingPathComponent("store.sqlite").path).write { db in
            try db.execute(sql: "DELETE FROM inputs WHERE role = 'calendar'")
        }
        let report = try carepath(["report", "1", "--db", "store.sqlite", "-o", "old.html"])
        XCTAssertEqual(report.status, 0, report.stdout + report.stderr)
        XCTAssertTrue(report.stderr.contains("store.sqlite: run 1: warning: the run was stored without its bank holiday file; its dates are read from Scenarios/calendars/holidays.yaml as it is now"), report.stderr)
        XCTAssertFalse(try read("old.html").contains(InputFile(path: "", text: Self.holidays).sha256), "a hash the run did not record is not shown")

        try FileManager.default.removeItem(at: folder.appendingPathComponent("Scenarios/calendars/holidays.yaml"))
        let missing = try carepath(["report", "1", "--db", "store.sqlite", "-o", "old.html"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("Scenarios/winter.yaml:5:"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("cannot use the bank holiday file 'calendars/holidays.yaml'"), missing.stderr)
    }
}
