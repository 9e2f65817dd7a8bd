import Foundation
import XCTest

/// `render --heat`: a stored run's figures on the pathway's diagram, outside the report.
final class HeatDiagramCLITests: XCTestCase {
    func testAStoredRunsLoadIsDrawnOnItsPathway() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-heat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("runs.sqlite").path
        let simulated = try CLITests.run(["simulate", "Scenarios/reference/mmc.yaml", "--replications", "2", "--db", db,
                                          "--report", dir.appendingPathComponent("r/index.html").path])
        XCTAssertEqual(simulated.status, 0, simulated.stderr)

        let svg = dir.appendingPathComponent("heat.svg")
        let drawn = try CLITests.run(["render", "Scenarios/reference/mmc-pathway.yaml", "--heat", "1", "--db", db, "-o", svg.path])
        XCTAssertEqual(drawn.status, 0, drawn.stderr)
        XCTAssertTrue(drawn.stdout.contains("run 1, option base, 2 replications (means)"), drawn.stdout)
        let text = try String(contentsOf: svg, encoding: .utf8)
        // M/M/3 at 2.4 arrivals an hour of 1 hour each: utilisation 2.4 / 3 = 80%.
        let load = try XCTUnwrap(text.range(of: #"load (\d+(\.\d+)?)%"#, options: .regularExpression).map { String(text[$0]) })
        let percent = try XCTUnwrap(Double(load.dropFirst(5).dropLast()))
        XCTAssertEqual(percent, 80, accuracy: 2.5, load)
        XCTAssertTrue(text.contains("figures: run 1, option base"), "the source of the figures is on the diagram")
        XCTAssertTrue(text.contains("role load (fill)"), "the legend keys the colours")

        let png = dir.appendingPathComponent("heat.png")
        XCTAssertEqual(try CLITests.run(["render", "Scenarios/reference/mmc-pathway.yaml", "--heat", "1", "--db", db, "-o", png.path]).status, 0)
        XCTAssertEqual(Array(try Data(contentsOf: png).prefix(4)), [0x89, 0x50, 0x4E, 0x47])

        // Another pathway, another option, another store: each refused with what to give instead.
        let wrong = try CLITests.run(["render", "Pathways/frailty-fall.yaml", "--heat", "1", "--db", db, "-o", svg.path])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("pathway 'frailty-fall', but run 1 simulated 'mmc'"), wrong.stderr)
        let option = try CLITests.run(["render", "Scenarios/reference/mmc-pathway.yaml", "--heat", "1", "--db", db, "--option", "paper", "-o", svg.path])
        XCTAssertEqual(option.status, 1)
        XCTAssertTrue(option.stderr.contains("run 1 has no option 'paper' (its options: base)"), option.stderr)
        let missing = try CLITests.run(["render", "Scenarios/reference/mmc-pathway.yaml", "--heat", "7", "--db", db, "-o", svg.path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("run 7"), missing.stderr)
    }
}
