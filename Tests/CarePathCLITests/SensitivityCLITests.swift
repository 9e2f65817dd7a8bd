import Foundation
import GRDB
import XCTest

/// `carepath sensitivity` through the binary on a small model: the report, JSON and CSV written,
/// the run stored and listed, a stored run analysed to the same bytes, and a design written as a
/// scenario that `simulate` runs and `--run` analyses to the same bytes again.
final class SensitivityCLITests: XCTestCase {
    static let pathway = """
    pathway: series
    organisations:
      clinic:
        sector: acute
        maturity: integrated
        roles:
          first: { capacity: 3 }
          second: { capacity: 1000 }
    states:
      a:
        owner: clinic/first
        duration: exponential(mean=1h)
        next: [{ to: b }]
      b:
        owner: clinic/second
        duration: exponential(mean=3h)
        next: [{ to: left }]
      left: { terminal: true }
    """

    static let scenario = """
    scenario: series
    title: "Two steps <in> series"
    pathway: series.yaml
    cohort: { patients: 300, arrivals: 2/h }
    replications: 3
    seed: 9
    experiments:
      sensitivity:
        outcomes: [time_in_pathway_mean_h, "wait_mean_h at clinic/first"]
        parameters:
          - { place: states.a.duration, low: 30m, high: 80m }
          - roles.clinic/first.capacity
          - { place: states.b.duration, distribution: "uniform(2h, 4h)" }
        trajectories: 3
    """

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-sens-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("design"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try Self.pathway.write(to: dir.appendingPathComponent("series.yaml"), atomically: true, encoding: .utf8)
        try Self.scenario.write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func read(_ dir: URL, _ path: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(path)) }

    func testMorrisIsRunStoredAndAnalysedAgainFromTheStoreAndFromADesignFileToTheSameBytes() throws {
        let dir = try folder()
        let first = try CLITests.run(["sensitivity", "s.yaml", "--method", "morris", "-o", "out", "--db", "store.sqlite"], in: dir)
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("12 design points (3 trajectories x (3 + 1)), 4 levels, + the baseline"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Stored as run 1 in store.sqlite"), first.stdout)
        let html = try XCTUnwrap(String(data: try read(dir, "out/index.html"), encoding: .utf8))
        XCTAssertTrue(html.contains("Two steps &lt;in&gt; series"))
        XCTAssertFalse(html.contains("<in>"))
        XCTAssertTrue(html.contains("How to read: an elementary effect"))
        XCTAssertTrue(html.contains("<svg"))
        // The answer stands first: step a's mean (30 to 80 min against arrivals every 30 min at one
        // clinician) overloads the queue at its high end, so it moves time in pathway most; b's
        // mean adds its own 2 hours over the range (mu* about 2).
        let answer = try XCTUnwrap(html.range(of: "<section id=\"answer\"")), toc = try XCTUnwrap(html.range(of: "<nav class=\"toc\""))
        XCTAssertLessThan(answer.lowerBound, toc.lowerBound)
        let answerText = String(html[answer.lowerBound..<toc.lowerBound])
        XCTAssertTrue(answerText.contains("<code>time_in_pathway_mean_h</code></a>: moves most with <code>states.a.duration (mean)</code>"), answerText)
        XCTAssertTrue(answerText.contains("<code>states.b.duration (mean)</code> (\u{03BC}* 2.0"), answerText)
        let json = try JSONSerialization.jsonObject(with: try read(dir, "out/sensitivity.json")) as? [String: Any]
        XCTAssertEqual(json?["designPoints"] as? Int, 12)
        XCTAssertEqual((json?["morris"] as? [Any])?.count, 6)
        let csv = try XCTUnwrap(String(data: try read(dir, "out/sensitivity.csv"), encoding: .utf8))
        XCTAssertTrue(csv.hasPrefix("method,outcome,parameter,figure,value,low,high\r\n"))
        XCTAssertTrue(csv.contains("morris,time_in_pathway_mean_h,states.a.duration (mean),mu_star,"))

        // The run is in the store with one variant per point, and `runs` lists it.
        let db = try DatabaseQueue(path: dir.appendingPathComponent("store.sqlite").path)
        XCTAssertEqual(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM variants WHERE run = 1") }, 13)
        let runs = try CLITests.run(["runs", "--db", "store.sqlite"], in: dir)
        let listed = runs.stdout.split(separator: "\n").first { $0.hasPrefix("1 ") } ?? ""
        XCTAssertTrue(listed.contains("series") && listed.contains(" 13 "), runs.stdout)

        // Analysed again from the store: the same figures, byte for byte.
        let again = try CLITests.run(["sensitivity", "s.yaml", "--method", "morris", "--run", "1", "--db", "store.sqlite", "-o", "again"], in: dir)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertEqual(try read(dir, "again/sensitivity.json"), try read(dir, "out/sensitivity.json"))
        XCTAssertEqual(try read(dir, "again/sensitivity.csv"), try read(dir, "out/sensitivity.csv"))
        // Of another design, it is refused.
        let wrong = try CLITests.run(["sensitivity", "s.yaml", "--method", "oat", "--run", "1", "--db", "store.sqlite", "-o", "wrong"], in: dir)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("is not a run of this design"), wrong.stderr)

        // The design as a scenario file, run by simulate, analysed from its run: the same bytes.
        let design = try CLITests.run(["sensitivity", "s.yaml", "--method", "morris", "--design-only", "-o", "design/d.yaml"], in: dir)
        XCTAssertEqual(design.status, 0, design.stdout + design.stderr)
        let simulate = try CLITests.run(["simulate", "design/d.yaml", "--db", "design.sqlite"], in: dir)
        XCTAssertEqual(simulate.status, 0, simulate.stdout + simulate.stderr)
        let fromDesign = try CLITests.run(["sensitivity", "design/d.yaml", "--run", "1", "--db", "design.sqlite", "-o", "from-design"], in: dir)
        XCTAssertEqual(fromDesign.status, 0, fromDesign.stdout + fromDesign.stderr)
        XCTAssertEqual(try read(dir, "from-design/sensitivity.json"), try read(dir, "out/sensitivity.json"))
    }

    func testOATMistakesAndMissingSectionsAreLocatedAndNothingIsWritten() throws {
        let dir = try folder()
        let text = Self.scenario.replacingOccurrences(of: "roles.clinic/first.capacity", with: "roles.clinic/frist.capacity")
        try text.write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["sensitivity", "bad.yaml", "-o", "out", "--no-store"], in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad.yaml:12:9: error: experiments.sensitivity.parameters[1]"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("no role of 'clinic' named 'frist' (its roles: first, second)"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))

        let oat = try CLITests.run(["sensitivity", "s.yaml", "-o", "oat", "--no-store"], in: dir)
        XCTAssertEqual(oat.status, 0, oat.stdout + oat.stderr)
        let html = try XCTUnwrap(String(data: try read(dir, "oat/index.html"), encoding: .utf8))
        XCTAssertTrue(html.contains("Tornado (one at a time)"))
        XCTAssertTrue(html.contains("sorted by swing"))
    }
}
