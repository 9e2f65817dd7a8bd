import Foundation
import XCTest

/// `carepath import bpmn` and `carepath export` as a user runs them: exit codes, messages, files.
final class InteropCLITests: XCTestCase {
    func testBadBPMNFilesExitOneWithLocatedErrors() throws {
        let carepath = try Support.carepath()
        let dir = try Support.temporaryDirectory(self)
        let full = try Data(contentsOf: try Support.fixture("C.1.0-export-camunda-modeler.bpmn"))
        let cases: [(String, Data, String)] = [
            ("truncated.bpmn", full.prefix(full.count / 3), "XML syntax"),
            ("page.bpmn", Data("<?xml version=\"1.0\"?>\n<html><body/></html>\n".utf8), "not a BPMN 2.0 model"),
            ("empty-model.bpmn", Data("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" id=\"d\">\n  <bpmn:collaboration id=\"c\"/>\n</bpmn:definitions>\n".utf8),
             "has no <process>"),
        ]
        for (name, data, message) in cases {
            let input = dir.appendingPathComponent(name)
            try data.write(to: input)
            let output = try Support.run(carepath, ["import", "bpmn", name, "-o", "out.yaml"], in: dir)
            XCTAssertEqual(output.status, 1, "\(name): \(output.stderr)")
            let located = output.stderr.split(separator: "\n").filter { $0.hasPrefix("\(name):") && $0.contains(": error: ") }
            XCTAssertEqual(located.count, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains(message), output.stderr)
            XCTAssertTrue(output.stderr.contains("\(name): not imported"), output.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.yaml").path), name)
        }
        let missing = try Support.run(carepath, ["import", "bpmn", "no-such-file.bpmn"], in: dir)
        XCTAssertEqual(missing.status, 1, missing.stderr)
    }

    func testImportWritesAPathwayThatValidates() throws {
        let carepath = try Support.carepath()
        let dir = try Support.temporaryDirectory(self)
        let source = try Support.fixture("C.1.0-export-camunda-modeler.bpmn")
        try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent("invoice.bpmn"))
        let output = try Support.run(carepath, ["import", "bpmn", "invoice.bpmn"], in: dir)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("invoice.yaml: pathway invoice from invoice.bpmn: 2 organisation(s)"), output.stdout)
        XCTAssertTrue(output.stderr.contains("invoice.bpmn:") && output.stderr.contains(": warning: "), "warnings go to standard error")
        let validate = try Support.run(carepath, ["validate", "invoice.yaml"], in: dir)
        XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
        // Usage errors exit 2.
        let usage = try Support.run(carepath, ["import", "bpmn", "invoice.bpmn", "--id", "Not A Name"], in: dir)
        XCTAssertEqual(usage.status, 2, usage.stderr)
    }

    func testExportWritesTheLogsAndTheBPMN() throws {
        let carepath = try Support.carepath()
        let dir = try Support.temporaryDirectory(self)
        _ = try Support.smallScenario(in: dir, patients: 30)
        let output = try Support.run(carepath, ["export", "small.yaml", "--replications", "1", "--include-warm-up", "--xes", "out/log.xes", "--ocel", "out/log.sqlite",
                                                "--csv", "out/log.csv", "--bpmn", "out/pathway.bpmn"], in: dir)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("out/log.xes: XES, 60 traces"), output.stdout)
        for file in ["log.xes", "log.sqlite", "log.csv", "pathway.bpmn"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(file)").path), file)
        }
        // The exported BPMN imports back.
        let back = try Support.run(carepath, ["import", "bpmn", "out/pathway.bpmn", "-o", "out/back.yaml", "--quiet"], in: dir)
        XCTAssertEqual(back.status, 0, back.stderr)

        let none = try Support.run(carepath, ["export", "small.yaml"], in: dir)
        XCTAssertEqual(none.status, 2, none.stderr)
        let tuesday = try Support.run(carepath, ["export", "small.yaml", "--csv", "x.csv", "--start-date", "2024-01-02"], in: dir)
        XCTAssertEqual(tuesday.status, 2, tuesday.stderr)
        let missing = try Support.run(carepath, ["export", "missing.yaml", "--csv", "x.csv"], in: dir)
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
    }

    /// A stored run's logs are the same bytes as the same scenario exported afresh.
    func testAStoredRunExportsTheSameLogsAsAFreshExport() throws {
        let carepath = try Support.carepath()
        let dir = try Support.temporaryDirectory(self)
        _ = try Support.smallScenario(in: dir, patients: 40)
        let simulate = try Support.run(carepath, ["simulate", "small.yaml", "--replications", "2", "--threads", "2", "--db", "store.sqlite",
                                                  "--events", "--report", "report.html"], in: dir)
        XCTAssertEqual(simulate.status, 0, simulate.stderr)
        XCTAssertTrue(simulate.stdout.contains("Stored as run 1"), simulate.stdout)
        let logs = ["--xes", "log.xes", "--ocel", "log.json", "--csv", "log.csv"]
        let stored = try Support.run(carepath, ["export", "--run", "1", "--db", "store.sqlite"] + logs.map { $0.hasPrefix("log") ? "stored/" + $0 : $0 }, in: dir)
        XCTAssertEqual(stored.status, 0, stored.stderr)
        let fresh = try Support.run(carepath, ["export", "small.yaml", "--replications", "2"] + logs.map { $0.hasPrefix("log") ? "fresh/" + $0 : $0 }, in: dir)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        for file in ["log.xes", "log.json", "log.csv"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("stored/" + file)), b = try Data(contentsOf: dir.appendingPathComponent("fresh/" + file))
            XCTAssertGreaterThan(a.count, 1000, file)
            XCTAssertEqual(a, b, "\(file): the stored run's log differs from the fresh export's")
        }

        // A run stored without its events, a missing run, and muddled arguments are refused.
        let plain = try Support.run(carepath, ["simulate", "small.yaml", "--replications", "1", "--db", "store.sqlite", "--report", "report.html"], in: dir)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let noEvents = try Support.run(carepath, ["export", "--run", "2", "--db", "store.sqlite", "--csv", "x.csv"], in: dir)
        XCTAssertEqual(noEvents.status, 1)
        XCTAssertTrue(noEvents.stderr.contains("run 2 was stored without its event log"), noEvents.stderr)
        let missing = try Support.run(carepath, ["export", "--run", "9", "--db", "store.sqlite", "--csv", "x.csv"], in: dir)
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("store.sqlite: run 9"), missing.stderr)
        let both = try Support.run(carepath, ["export", "small.yaml", "--run", "1", "--db", "store.sqlite", "--csv", "x.csv"], in: dir)
        XCTAssertEqual(both.status, 2, both.stderr)
        let noDB = try Support.run(carepath, ["export", "--run", "1", "--csv", "x.csv"], in: dir)
        XCTAssertEqual(noDB.status, 2, noDB.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
    }
}
