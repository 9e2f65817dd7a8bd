import CarePathMetrics
import Foundation
import XCTest

/// Figures that could read wrongly, from the command line: percentiles past the histograms'
/// range, a warm-up that leaves nobody to measure, a pathway too large to lay out state by state.
final class HonestFiguresCLITests: XCTestCase {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-honest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// One clinician, a fixed service of `service`, patients an hour apart.
    func station(_ dir: URL, service: String, scenario: String) throws -> URL {
        try """
        pathway: station
        organisations:
          clinic:
            sector: community
            maturity: basic
            roles:
              staff: { capacity: 1 }
        states:
          serve:
            owner: clinic/staff
            duration: \(service)
            next: [{ to: done }]
          done: { terminal: true }
        """.write(to: dir.appendingPathComponent("station.yaml"), atomically: true, encoding: .utf8)
        let url = dir.appendingPathComponent("scenario.yaml")
        try scenario.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Services of 100,000 h one after another: the third patient waits 200,000 h (22.8 years),
    /// past the wait histograms' 20 years, and the fifth spends past 50 years in the pathway.
    /// Before, those were dropped and the p90 read below the mean; now every output says ">=".
    func testPercentilesPastTheRangeAreLowerBoundsInTheTableJSONCSVAndReport() throws {
        let dir = try folder()
        let scenario = try station(dir, service: "100000h", scenario: """
        scenario: overloaded
        pathway: station.yaml
        cohort: { patients: 10, arrivals: 1/h }
        replications: 2
        seed: 3
        """)
        let json = dir.appendingPathComponent("run.json"), csv = dir.appendingPathComponent("run.csv")
        let report = dir.appendingPathComponent("report.html")
        let out = try CLITests.run(["simulate", scenario.path, "--no-store", "--json", json.path, "--csv", csv.path, "--report", report.path])
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains(">= 175200.0"), out.stdout)
        XCTAssertTrue(out.stdout.contains("clinic/staff (!)"), "the overloaded role is marked: \(out.stdout)")
        XCTAssertTrue(out.stdout.contains("warning: beyond-range (every variant): clinic/staff: 8.00 waits per replication longer than 20 years"), out.stdout)

        let summary = try RunSummary.decode(Data(contentsOf: json))
        let variant = try XCTUnwrap(summary.variants.first)
        let p90 = try XCTUnwrap(variant.metric("wait_p90_h", subject: "clinic/staff"))
        XCTAssertEqual(p90.beyondRange, true)
        XCTAssertEqual(p90.mean, 175_200, "the range's limit, a lower bound")
        XCTAssertNil(p90.halfWidth)
        XCTAssertLessThan(p90.mean, try XCTUnwrap(variant.metric("wait_mean_h", subject: "clinic/staff")).mean,
                          "the mean counts every wait; the lower bound may sit below it")
        XCTAssertEqual(variant.metric("wait_beyond_range", subject: "clinic/staff")?.mean, 8)
        XCTAssertEqual(variant.metric("time_in_pathway_p95_h_at_least")?.mean, 1)
        XCTAssertEqual(summary.warnings?.filter { $0.kind == .beyondRange }.count, 2)
        XCTAssertEqual(summary.warnings?.contains { $0.kind == .overload && $0.subject == "clinic/staff" }, true)

        let csvText = try String(contentsOf: csv, encoding: .utf8)
        XCTAssertTrue(csvText.contains("base,wait_p90_h,clinic/staff,,175200.0,,,,"), csvText)
        XCTAssertTrue(csvText.contains("base,wait_p90_h_at_least,clinic/staff,,1.0,"), csvText)
        let html = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(html.contains("&ge;&nbsp;175200.0"), "the report's p90 cell is a lower bound")
        XCTAssertTrue(html.contains("Percentiles past their range"))
        XCTAssertTrue(html.contains("(unstable queue)"), "the overloaded role's row is marked in the report too")
    }

    /// A warm-up of 200 h before 100 patients arriving at 1 an hour (about 100 h): before, every
    /// figure printed as 0.00 and the report said no state needed information. Now it is refused
    /// at the warm-up's line, before any run.
    func testAWarmUpNotShorterThanTheArrivalsIsRefusedAtItsLine() throws {
        let dir = try folder()
        let scenario = try station(dir, service: "1h", scenario: """
        scenario: long-warm-up
        pathway: station.yaml
        cohort: { patients: 100, arrivals: 1/h }
        warm-up: 200h
        replications: 2
        """)
        let out = try CLITests.run(["simulate", scenario.path, "--no-store"])
        XCTAssertEqual(out.status, 1, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("\(scenario.path):4:10: error: warm-up: the warm-up (8.33d) is not shorter than the expected arrival period (4.17d"),
                      out.stderr)
        XCTAssertFalse(out.stdout.contains("0.00"), out.stdout)
    }

    /// Where validation cannot know (a variant's lever makes the arrivals faster, so the warm-up
    /// swallows them), nobody measured is said, not printed as zeros.
    func testAVariantThatMeasuresNobodySaysSoInTheTableAndTheReport() throws {
        let dir = try folder()
        let scenario = try station(dir, service: "exponential(mean=30m)", scenario: """
        scenario: lever-warm-up
        pathway: station.yaml
        cohort: { patients: 100, arrivals: 1/h }
        warm-up: 80h
        replications: 2
        variants:
          - name: base
          - name: fast
            set: { cohort.arrivals: 4/h }
        """)
        let report = dir.appendingPathComponent("report.html")
        let out = try CLITests.run(["simulate", scenario.path, "--no-store", "--report", report.path])
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("warning: no-patients (variant fast): no patient was measured in any replication"), out.stdout)
        let row = try XCTUnwrap(out.stdout.split(separator: "\n").first { $0.hasPrefix("Time in pathway, mean (days)") })
        XCTAssertTrue(row.hasSuffix("no patients measured"), String(row))
        let html = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(html.contains("<td class=\"num\">no patients measured</td>"))
    }

    /// A chain of `states` states over four organisations.
    static func chain(_ states: Int) -> String {
        var text = "pathway: chain\nstart: s0\norganisations:\n"
        for o in 0..<4 { text += "  org\(o):\n    sector: community\n    maturity: basic\n    roles:\n      staff: { capacity: 5 }\n" }
        text += "states:\n"
        for i in 0..<states {
            text += "  s\(i):\n    owner: org\(i * 4 / states)/staff\n    duration: 10m\n    next: [{ to: \(i + 1 < states ? "s\(i + 1)" : "done") }]\n"
        }
        return text + "  done: { terminal: true }\n"
    }

    /// Past 300 states `render` refuses before any layout (Graphviz cannot be stopped once it
    /// starts), naming the ways out; the overview by organisation draws at once.
    func testRenderRefusesALargePathwayAndDrawsItsOverview() throws {
        let dir = try folder()
        let pathway = dir.appendingPathComponent("chain.yaml")
        try Self.chain(400).write(to: pathway, atomically: true, encoding: .utf8)
        let start = Date()
        let refused = try CLITests.run(["render", pathway.path, "-o", dir.appendingPathComponent("full.svg").path])
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("401 states") && refused.stderr.contains("--overview") && refused.stderr.contains("--force"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("full.svg").path))
        let overview = dir.appendingPathComponent("overview.svg")
        let drawn = try CLITests.run(["render", pathway.path, "--overview", "-o", overview.path])
        XCTAssertEqual(drawn.status, 0, drawn.stdout + drawn.stderr)
        let svg = try String(contentsOf: overview, encoding: .utf8)
        XCTAssertTrue(svg.contains("1 handoff") && svg.contains("100 states"), "one box per organisation, counted handoffs")
        XCTAssertFalse(svg.contains("s399"), "no state drawn")
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }
}
