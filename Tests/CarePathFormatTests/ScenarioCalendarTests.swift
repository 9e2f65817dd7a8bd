import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// The scenario's calendar, bank holiday files, monthly factors and capacities per window.
final class ScenarioCalendarTests: XCTestCase {
    static let pathwayText = """
    pathway: community
    organisations:
      council:
        sector: community
        maturity: basic
        roles:
          district-nurse:
            rota:
              - { when: "every day 08:00-20:00", capacity: 6 }
              - { when: "every day 20:00-08:00", capacity: 2 }
          clinic:
            capacity: 3
            calendar: "mon-fri 08:00-12:30, 13:30-17:00"
    states:
      visit: { owner: council/district-nurse, duration: 1h, next: [{ to: clinic }] }
      clinic: { owner: council/clinic, duration: 30m, next: [{ to: home }] }
      home: { terminal: true }
    """

    static let scenario = """
    scenario: winter
    pathway: ../Pathways/community.yaml
    calendar:
      start: 2025-01-06
      bank-holidays: calendars/england-bank-holidays.yaml
    cohort:
      patients: 100
      arrivals: 20/d
      monthly-factors: [1.3, 1.25, 1.1, 1, 0.95, 0.9, 0.9, 0.9, 0.95, 1, 1.1, 1.2]
    capacities:
      council/district-nurse: [7, 2]
    variants:
      - name: base
      - name: more-nights
        capacities: { council/district-nurse: [6, 3], council/clinic: [2, 4] }
      - name: flat
        capacities: { council/clinic: 5 }
    """

    /// The shipped England and Wales file, in this repository.
    static let englandFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/calendars/england-bank-holidays.yaml")

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-calendar-\(UUID().uuidString)")
        for sub in ["Pathways", "Scenarios/calendars"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try write(Self.pathwayText, to: "Pathways/community.yaml")
        try FileManager.default.copyItem(at: Self.englandFile, to: folder.appendingPathComponent("Scenarios/calendars/england-bank-holidays.yaml"))
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    @discardableResult
    func write(_ text: String, to relative: String) throws -> URL {
        let url = folder.appendingPathComponent(relative)
        try Data(text.utf8).write(to: url)
        return url
    }

    func check(_ text: String) throws -> ScenarioFile.Result {
        ScenarioFile.check(try write(text, to: "Scenarios/scenario.yaml"))
    }

    func scenario(replacing old: String, with new: String) -> String {
        XCTAssertTrue(Self.scenario.contains(old), "fixture has no '\(old)'")
        return Self.scenario.replacingOccurrences(of: old, with: new)
    }

    /// Asserts one error containing `fragment` at the first occurrence of `needle` in `text` (plus `offset` columns).
    func assertError(_ result: ScenarioFile.Result, _ fragment: String, in text: String, at needle: String, offset: Int = 0,
                     fileSuffix: String = "Scenarios/scenario.yaml", file: StaticString = #filePath, line: UInt = #line) {
        let matches = result.errors.filter { $0.message.contains(fragment) }
        guard matches.count == 1, let problem = matches.first else {
            XCTFail("expected one error containing \"\(fragment)\", found \(matches.count) among:\n" + result.problems.map(\.description).joined(separator: "\n"),
                    file: file, line: line)
            return
        }
        let (l, c) = position(of: needle, in: text, file: file, line: line)
        XCTAssertEqual(problem.line, l, "line of \(problem)", file: file, line: line)
        XCTAssertEqual(problem.column, c + offset, "column of \(problem)", file: file, line: line)
        XCTAssertTrue(problem.file.hasSuffix(fileSuffix), "file of \(problem)", file: file, line: line)
    }

    // MARK: Valid

    func testCalendarBankHolidayFileMonthlyFactorsAndCapacitiesPerWindow() throws {
        let result = try check(Self.scenario)
        XCTAssertEqual(result.problems.map(\.description), [])
        let s = try XCTUnwrap(result.scenario)
        XCTAssertEqual(s.settings.calendar.start, CivilDate("2025-01-06"))
        XCTAssertEqual(s.settings.calendar.bankHolidays.count, 32)
        XCTAssertEqual(s.settings.calendar.bankHolidayDays.first, 102, "Good Friday, 18 April 2025")
        XCTAssertEqual(s.cohort.monthlyFactors, [1.3, 1.25, 1.1, 1, 0.95, 0.9, 0.9, 0.9, 0.95, 1, 1.1, 1.2])
        let nurse = RoleReference(organisation: "council", role: "district-nurse"), clinic = RoleReference(organisation: "council", role: "clinic")
        XCTAssertEqual(s.settings.shiftCapacities, [nurse: [7, 2]])
        XCTAssertEqual(s.variants.map(\.settings.shiftCapacities), [[nurse: [7, 2]], [nurse: [6, 3], clinic: [2, 4]], [nurse: [7, 2]]])
        XCTAssertEqual(s.variants[2].settings.capacities, [clinic: 5])
        XCTAssertEqual(s.variants.map(\.settings.calendar), Array(repeating: s.settings.calendar, count: 3), "variants keep the calendar")
    }

    func testInlineBankHolidaysAndMonthlyFactorsByName() throws {
        let text = scenario(replacing: "bank-holidays: calendars/england-bank-holidays.yaml", with: "bank-holidays: [2025-12-25, 2025-12-26]")
            .replacingOccurrences(of: "[1.3, 1.25, 1.1, 1, 0.95, 0.9, 0.9, 0.9, 0.95, 1, 1.1, 1.2]",
                                  with: "{ jan: 1.3, feb: 1.2, mar: 1, apr: 1, may: 1, jun: 0.9, jul: 0.9, aug: 0.9, sep: 1, oct: 1, nov: 1.1, dec: 1.25 }")
        let result = try check(text)
        XCTAssertEqual(result.problems.map(\.description), [])
        let s = try XCTUnwrap(result.scenario)
        XCTAssertEqual(s.settings.calendar.bankHolidayDays, [353, 354])
        XCTAssertEqual(s.cohort.monthlyFactors, [1.3, 1.2, 1, 1, 1, 0.9, 0.9, 0.9, 1, 1, 1.1, 1.25])
    }

    // MARK: Problems

    func testTheStartMustBeARealMonday() throws {
        var text = scenario(replacing: "start: 2025-01-06", with: "start: 2025-01-07")
        assertError(try check(text), "2025-01-07 is a Tuesday; simulation time 0 is a Monday 00:00 (that week's Monday is 2025-01-06)", in: text, at: "2025-01-07")
        text = scenario(replacing: "start: 2025-01-06", with: "start: 2025-02-30")
        assertError(try check(text), "expected a real date as YYYY-MM-DD between 1900 and 2999, such as 2025-01-06, found '2025-02-30'", in: text, at: "2025-02-30")
    }

    func testBankHolidaysAndMonthlyFactorsNeedAStart() throws {
        let text = scenario(replacing: "  start: 2025-01-06\n", with: "")
        let result = try check(text)
        assertError(result, "bank holidays need the calendar's start date to place them in simulation time", in: text, at: "bank-holidays:")
        assertError(result, "monthly factors need the calendar's start date to know the month", in: text, at: "monthly-factors:")
        XCTAssertEqual(result.errors.count, 2)
    }

    func testProblemsOfABankHolidayFileAreLocatedInThatFile() throws {
        let holidays = """
        bank-holidays:
          2025-12-25: Christmas Day
          2025-02-30: Not a day
        """
        try write(holidays, to: "Scenarios/calendars/bad.yaml")
        let result = try check(scenario(replacing: "calendars/england-bank-holidays.yaml", with: "calendars/bad.yaml"))
        assertError(result, "expected a real date as YYYY-MM-DD between 1900 and 2999, such as 2025-01-06, found '2025-02-30'",
                    in: holidays, at: "2025-02-30", fileSuffix: "Scenarios/calendars/bad.yaml")
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertNil(result.scenario)

        try write("bank-holidays: [2025-12-25, 2025-12-25]\nyear: 2025", to: "Scenarios/calendars/bad.yaml")
        let again = try check(scenario(replacing: "calendars/england-bank-holidays.yaml", with: "calendars/bad.yaml"))
        assertError(again, "2025-12-25 is listed twice", in: "bank-holidays: [2025-12-25, 2025-12-25]", at: "2025-12-25]", fileSuffix: "calendars/bad.yaml")
        assertError(again, "unknown key 'year'", in: "x\nyear", at: "year", fileSuffix: "calendars/bad.yaml")
    }

    func testAMissingBankHolidayFileIsLocatedAtItsName() throws {
        let text = scenario(replacing: "calendars/england-bank-holidays.yaml", with: "calendars/wales.yaml")
        assertError(try check(text), "cannot use the bank holiday file 'calendars/wales.yaml'", in: text, at: "calendars/wales.yaml")
        let single = scenario(replacing: "calendars/england-bank-holidays.yaml", with: "2025-12-25")
        assertError(try check(single), "one date is written as a list: [2025-12-25]", in: single, at: "2025-12-25")
    }

    // MARK: The bank holiday file as read, and a stored run's copy

    func testTheBankHolidayFileReadIsGivenWithItsNameAndText() throws {
        let result = try check(Self.scenario)
        let file = try XCTUnwrap(result.bankHolidays)
        XCTAssertEqual(file.path, folder.appendingPathComponent("Scenarios/calendars/england-bank-holidays.yaml").path)
        XCTAssertEqual(file, InputFile(path: file.path, text: try String(contentsOf: Self.englandFile, encoding: .utf8)))
        XCTAssertEqual(result.bankHolidaysURL?.path, file.path)
        let inline = try check(scenario(replacing: "calendars/england-bank-holidays.yaml", with: "[2025-12-25]"))
        XCTAssertNil(inline.bankHolidays)
        XCTAssertNil(inline.bankHolidaysURL)
    }

    /// `report RUN_ID` re-reads a scenario with its stored bank holiday text: the dates simulated,
    /// whatever the file on disk says now, or an error; never the file on disk.
    func testIncludedTextsAreUsedInsteadOfTheFiles() throws {
        let name = "Scenarios/calendars/england-bank-holidays.yaml"
        let stored = "bank-holidays:\n  2025-12-25: Christmas Day\n  2025-12-26: Boxing Day\n"
        func recheck(_ texts: [String: String]?) -> ScenarioFile.Result {
            ScenarioFile.check(text: Self.scenario, file: "Scenarios/scenario.yaml",
                               baseDirectory: folder.appendingPathComponent("Scenarios"), includedTexts: texts)
        }
        let fromDisk = recheck(nil)
        XCTAssertEqual(fromDisk.scenario?.settings.calendar.bankHolidays.count, 32)
        XCTAssertEqual(fromDisk.bankHolidays?.path, name)

        let fromStore = recheck([name: stored])
        XCTAssertEqual(fromStore.problems.map(\.description), [])
        XCTAssertEqual(fromStore.scenario?.settings.calendar.bankHolidays, [CivilDate("2025-12-25"), CivilDate("2025-12-26")].compactMap { $0 })
        XCTAssertEqual(fromStore.bankHolidays, InputFile(path: name, text: stored))
        try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        XCTAssertEqual(recheck([name: stored]).scenario?.settings.calendar, fromStore.scenario?.settings.calendar)

        // Texts given but not this file's: an error at its name, not a read from disk.
        try FileManager.default.copyItem(at: Self.englandFile, to: folder.appendingPathComponent(name))
        let missing = recheck(["Scenarios/other.yaml": stored])
        assertError(missing, "no text was given for \(name), and the file is not read from disk here (texts given for: Scenarios/other.yaml)",
                    in: Self.scenario, at: "calendars/england-bank-holidays.yaml")
        XCTAssertNil(missing.scenario)

        // Problems in a given text are located in that file, by its name.
        let bad = recheck([name: "bank-holidays:\n  2025-13-01: Nowhere\n"])
        XCTAssertEqual(bad.errors.map(\.file), [name])
        XCTAssertEqual(bad.errors.first?.line, 2)
    }

    func testMonthlyFactorsMustBeTwelvePositiveNumbers() throws {
        let factors = "[1.3, 1.25, 1.1, 1, 0.95, 0.9, 0.9, 0.9, 0.95, 1, 1.1, 1.2]"
        var text = scenario(replacing: factors, with: "[1.3, 1.25, 1.1]")
        assertError(try check(text), "expected twelve factors, January to December, found 3", in: text, at: "[1.3")
        text = scenario(replacing: factors, with: "[1.3, 1.25, 1.1, 1, 0, 0.9, 0.9, 0.9, 0.95, 1, 1.1, 1.2]")
        assertError(try check(text), "expected a factor above 0 and at most 1000 (1 leaves the month's arrivals as they are), found 0", in: text, at: " 0, 0.9", offset: 1)
        text = scenario(replacing: factors, with: "[1.3, 1.25, 1.1, 1, 1e6, 0.9, 0.9, 0.9, 0.95, 1, 1.1, 1.2]")
        assertError(try check(text), "found 1000000", in: text, at: "1e6")
        text = scenario(replacing: factors, with: "{ jan: 1.3, feb: 1.2, mar: 1, apr: 1, may: 1, jun: 0.9, jul: 0.9, aux: 0.9, sep: 1, oct: 1, nov: 1.1, dec: 1.2 }")
        let result = try check(text)
        assertError(result, "unknown key 'aux'; did you mean 'aug'?", in: text, at: "aux")
        assertError(result, "missing a factor for aug (give all twelve months", in: text, at: "{ jan")
    }

    func testCapacitiesForARotaGoPerWindow() throws {
        var text = scenario(replacing: "council/district-nurse: [7, 2]", with: "council/district-nurse: 8")
        assertError(try check(text), "council/district-nurse has a rota with a capacity per shift: give one capacity per window, e.g. [6, 2]", in: text, at: "nurse: 8", offset: 7)
        text = scenario(replacing: "council/clinic: [2, 4]", with: "council/clinic: [2, 4, 1]")
        assertError(try check(text),
                    "council/clinic works 2 windows ('weekdays 08:00-12:30, 13:30-17:00'): expected 2 capacities, one per window in that order, found 3",
                    in: text, at: "[2, 4, 1]")
        text = scenario(replacing: "council/district-nurse: [7, 2]", with: "council/district-nurse: [7, -2]")
        assertError(try check(text), "expected a capacity >= 0 (0 for a closed window), found -2", in: text, at: "-2")
        text = scenario(replacing: "council/district-nurse: [7, 2]", with: "council/district-nurse: [0, 0]")
        assertError(try check(text), "council/district-nurse would never be open: every window has capacity 0", in: text, at: "[0, 0]")
    }
}
