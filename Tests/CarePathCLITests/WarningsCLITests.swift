@testable import carepath
import CarePathMetrics
import CarePathModel
import Foundation
import XCTest

/// Warnings from the command line: `validate` prints those it can know before a run and still
/// exits 0, `simulate` prints them above its table; the table's capacity columns.
final class WarningsCLITests: XCTestCase {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-warnings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// One desk of 2 staff, an hour's service each: 3 an hour offer a load of 1.5.
    func overloaded(_ dir: URL, rate: String = "3/h") throws -> URL {
        try """
        pathway: desk
        attributes:
          shoe_size: number
        organisations:
          clinic:
            sector: acute
            maturity: integrated
            roles:
              desk: { capacity: 2 }
        states:
          service:
            owner: clinic/desk
            duration: exponential(mean=1h)
            next: [{ to: left }]
          left: { terminal: true }
        """.write(to: dir.appendingPathComponent("desk.yaml"), atomically: true, encoding: .utf8)
        let url = dir.appendingPathComponent("scenario.yaml")
        try """
        scenario: busy-desk
        pathway: desk.yaml
        cohort:
          patients: 300
          arrivals: \(rate)
          attributes:
            shoe_size: normal(mean=8, sd=1)
        replications: 2
        seed: 3
        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testValidatePrintsTheRunWarningsAndStillExitsZero() throws {
        let scenario = try overloaded(folder())
        let output = try CLITests.run(["validate", scenario.path])
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("\(scenario.path): warning: overload: clinic/desk: offered load 1.50 >= 1"), output.stdout)
        XCTAssertTrue(output.stdout.contains("\(scenario.path): warning: unused-attribute: attribute 'shoe_size'"), output.stdout)
        XCTAssertTrue(output.stdout.contains("\(scenario.path): valid (") && output.stdout.contains("2 warning(s)"), output.stdout)
        let quiet = try CLITests.run(["validate", "--quiet", scenario.path])
        XCTAssertEqual(quiet.status, 0)
        XCTAssertFalse(quiet.stdout.contains("warning: overload"), quiet.stdout)
    }

    func testSimulatePrintsTheWarningsAboveTheTable() throws {
        let dir = try folder()
        let scenario = try overloaded(dir)
        let json = dir.appendingPathComponent("out.json")
        let output = try CLITests.run(["simulate", scenario.path, "--no-store", "--json", json.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        let warning = try XCTUnwrap(output.stdout.range(of: "warning: overload (every variant): clinic/desk: offered load 1.50"), output.stdout)
        let headline = try XCTUnwrap(output.stdout.range(of: "Headline"))
        XCTAssertLessThan(warning.lowerBound, headline.lowerBound)
        // And in the JSON summary.
        let summary = try RunSummary.decode(Data(contentsOf: json))
        XCTAssertEqual(summary.warnings?.map(\.kind), [.overload, .unusedAttribute])

        let calm = try CLITests.run(["simulate", try overloaded(folder(), rate: "1/h").path, "--no-store"])
        XCTAssertFalse(calm.stdout.contains("warning: overload"), calm.stdout)
    }

    /// The load table shows utilisation's blocked part, balked and reneged only where some role
    /// has them, and the headline gains delayed-transfer bed-days when there are any.
    func testTheTableShowsTheCapacityFiguresWhenThereAreAny() throws {
        let text = """
        {"carepathVersion":"0.1.0","scenario":"s","title":"S","pathway":"p","seed":1,"replications":2,
         "variants":[{"name":"base","architecture":"point-to-point","events":0,"differences":[],
           "series":{"queueLength":{},"queueBinHours":1,"queueStartHour":0,"waitShares":{},"waitBinEdges":[],
                     "crossHandoffShares":[],"timeInPathwayShares":[],"timeBinEdges":[]},
           "metrics":[
             {"name":"utilisation","subject":"acute/ward","group":"","mean":0.9,"halfWidth":0.01},
             {"name":"utilisation_blocked","subject":"acute/ward","group":"","mean":0.2,"halfWidth":0.01},
             {"name":"balked_per_100_patients","subject":"council/sw","group":"","mean":4.5},
             {"name":"reneged_per_100_patients","subject":"council/sw","group":"","mean":0},
             {"name":"blocked_bed_days_per_month","subject":"","group":"","mean":123.4,"halfWidth":5.6}]}]}
        """
        let summary = try RunSummary.decode(Data(text.utf8))
        let ward = Role(id: "ward", organisation: "acute", capacity: 10), sw = Role(id: "sw", organisation: "council", capacity: 2)
        let pathway = Pathway(id: "p", title: "P",
                              organisations: [Organisation(id: "acute", name: "A", sector: .acute, maturity: .integrated, roles: [ward]),
                                              Organisation(id: "council", name: "C", sector: .socialCare, maturity: .basic, roles: [sw])],
                              information: [], states: [State(id: "end", owner: nil, isTerminal: true)], start: "end")
        let scenario = Scenario(id: "s", title: "S", pathwayFile: "p.yaml", cohort: Cohort(size: .patients(1), arrivals: .poisson(ratePerHour: 1)))
        let table = SummaryTable(summary: summary, scenario: scenario, pathway: pathway).text
        XCTAssertTrue(table.contains("of which blocked %"), table)
        XCTAssertTrue(table.contains("20.0 ± 1.0"), table)
        XCTAssertTrue(table.contains("Balked /100 pts"), table)
        XCTAssertFalse(table.contains("Reneged"), "all zero: not shown\n\(table)")
        XCTAssertTrue(table.contains("Delayed-transfer bed-days per month") && table.contains("123.4 ± 5.6"), table)
        XCTAssertFalse(table.contains("Warnings"), "an old summary has none")
    }
}
