import CarePathStore
import Foundation
import XCTest

/// Levers through the binary: `validate` locates a mistyped override, `simulate` lists the levers
/// each option pulls (summary, JSON, report, store).
final class LeverCLITests: XCTestCase {
    /// A folder with Scenarios/ and Pathways/ as shipped, the discharge scenario edited by `change`.
    func folder(_ change: (String) -> String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-levers-cli-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for sub in ["Scenarios", "Pathways"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let root = CLITests.root
        try FileManager.default.copyItem(at: root.appendingPathComponent("Pathways/discharge-to-assess.yaml"),
                                         to: dir.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
        let scenario = try String(contentsOf: root.appendingPathComponent("Scenarios/discharge-architectures.yaml"), encoding: .utf8)
        try change(scenario).write(to: dir.appendingPathComponent("Scenarios/discharge.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func testValidateLocatesAMistypedOverrideWithASuggestion() throws {
        let dir = try folder { $0 + """
              - name: typo
                set:
                  states.inpatient-treatmnt.duration: lognormal(mean=3d, sd=3d)
                  roles.council/reablement-assessor.capacity: eight

            """ }
        let lines = try String(contentsOf: dir.appendingPathComponent("Scenarios/discharge.yaml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let place = try XCTUnwrap(lines.firstIndex { $0.contains("inpatient-treatmnt") }) + 1
        let value = try XCTUnwrap(lines.firstIndex { $0.contains(": eight") }) + 1
        let output = try CLITests.run(["validate", "Scenarios/discharge.yaml"], in: dir)
        XCTAssertEqual(output.status, 1, output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("Scenarios/discharge.yaml:\(place):7: error: variants[6].set.states.inpatient-treatmnt.duration: states.inpatient-treatmnt: no state 'inpatient-treatmnt'; did you mean 'inpatient-treatment'?"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Scenarios/discharge.yaml:\(value):51: error: variants[6].set.roles.council/reablement-assessor.capacity: expected a whole number >= 1, found 'eight'"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Scenarios/discharge.yaml: 2 error(s)"), output.stdout)
    }

    func testSimulateListsEachOptionsLeversInTheSummaryJSONAndReport() throws {
        let dir = try folder { text in
            // Two options only, and a small cohort, so that the run is quick; its warm-up a share,
            // since four weeks would outlast the 15 days over which 300 patients arrive.
            guard let cut = text.range(of: "  - name: shared-record\n"), let shorter = text.range(of: "  - name: shorter-stay\n") else { return text }
            return String(text[..<cut.lowerBound]).replacingOccurrences(of: "patients: 3000", with: "patients: 300")
                .replacingOccurrences(of: "warm-up: 4w", with: "warm-up: 10%")
                + String(text[shorter.lowerBound...])
        }
        let output = try CLITests.run(["simulate", "Scenarios/discharge.yaml", "--replications", "2", "--db", "store.sqlite",
                                       "--json", "out.json", "--report", "out.html"], in: dir)
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        XCTAssertTrue(output.stdout.contains("Levers of shorter-stay: states.inpatient-treatment.duration[0].is = lognormal(mean=3.85d, sd=3.3d)"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Paired difference from point-to-point"), output.stdout)
        let json = try String(contentsOf: dir.appendingPathComponent("out.json"), encoding: .utf8)
        XCTAssertEqual(json.components(separatedBy: "\"overrides\"").count, 2, "only the option with levers lists them")
        XCTAssertTrue(json.contains("\"states.inpatient-treatment.duration[1].is\" : \"lognormal(mean=3.3d, sd=2.9d)\""), json.prefix(3000).description)
        let html = try String(contentsOf: dir.appendingPathComponent("out.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<th scope=\"row\">Set by a lever: states.inpatient-treatment.duration[1].is</th><td>lognormal(mean=3.75d, sd=3.3d)</td><td class=\"differs\">lognormal(mean=3.3d, sd=2.9d)</td>"), "the options table shows the override")
        // The store keeps each option's levers beside its name (schema v6), as the scenario wrote them.
        let variants = try ResultsStore(path: dir.appendingPathComponent("store.sqlite").path, create: false).variants(run: 1)
        XCTAssertEqual(variants.map(\.name), ["point-to-point", "shorter-stay"])
        XCTAssertEqual(variants.first?.levers, "")
        let levers = try XCTUnwrap(variants.last?.levers).split(separator: "\n")
        XCTAssertEqual(levers.count, 2, "\(levers)")
        XCTAssertTrue(levers.contains("states.inpatient-treatment.duration[1].is = lognormal(mean=3.3d, sd=2.9d)"), "\(levers)")
    }
}
