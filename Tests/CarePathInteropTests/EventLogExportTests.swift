import CarePathFormat
import CarePathInterop
import CarePathMetrics
import CarePathModel
import Foundation
import XCTest

/// XES, OCEL 2.0 SQLite and CSV written from a fresh simulation of a shipped scenario.
final class EventLogExportTests: XCTestCase {
    /// What the simulation did, counted independently of the writers from the event log recorder.
    struct Expected {
        var patients = 0, starts = 0, completes = 0, leaves = 0, crossHandoffs = 0, records = 0
    }

    func expected(_ scenario: Scenario, _ pathway: Pathway, replications: Int) -> Expected {
        var total = Expected()
        for variant in scenario.effectiveVariants {
            for r in 0..<replications {
                let seed = ScenarioRunner.replicationSeed(scenario.seed, r)
                let recorder = ScenarioRunner.replicate(scenario, pathway: pathway, variant: variant, seed: seed, observer: EventLogRecorder())
                var lastCompleted: [Int: Int32] = [:]
                for record in recorder.records {
                    switch record.lifecycle {
                    case .arrive: total.patients += 1
                    case .start: total.starts += 1
                    case .complete:
                        total.completes += 1
                        lastCompleted[record.patient] = record.state
                    case .handoff:
                        if let from = lastCompleted[record.patient],
                           pathway.isCrossOrganisation(from: pathway.states[Int(from)].id, to: pathway.states[Int(record.state)].id) {
                            total.crossHandoffs += 1
                        }
                    case .leave: total.leaves += 1
                    case .check: break
                    }
                }
                total.records += recorder.records.count
            }
        }
        return total
    }

    /// With the warm-up's patients, so that every patient the recorder saw is in the logs.
    func export(_ dir: URL, patients: Int = 120, replications: Int = 2, json: Bool = false) throws -> (EventLogExport.Outcome, Expected, Scenario, Pathway) {
        let (scenario, pathway) = try Support.smallScenario(in: dir, patients: patients)
        let options = EventLogExport.Options(xes: dir.appendingPathComponent("log.xes"),
                                             ocel: dir.appendingPathComponent(json ? "log.json" : "log.sqlite"),
                                             csv: dir.appendingPathComponent("log.csv"), replications: replications, includeWarmUp: true)
        let outcome = try EventLogExport.run(scenario, pathway: pathway, options: options)
        return (outcome, expected(scenario, pathway, replications: replications), scenario, pathway)
    }

    func testLogsHaveTheExpectedTracesEventsAndObjects() throws {
        let dir = try Support.temporaryDirectory(self)
        let (outcome, e, scenario, pathway) = try export(dir)
        let variants = scenario.effectiveVariants.count
        XCTAssertEqual(variants, 2)
        XCTAssertEqual(e.patients, 120 * 2 * variants)
        XCTAssertEqual(e.leaves, e.patients, "every patient leaves")

        // XES: well-formed, one trace per patient, a schedule, a start and a complete per visit plus leaving.
        let xes = try Support.elementCounts(dir.appendingPathComponent("log.xes"))
        XCTAssertEqual(xes["log"], 1)
        XCTAssertEqual(xes["trace"], e.patients)
        XCTAssertEqual(xes["event"], 2 * e.starts + e.completes + e.leaves)
        XCTAssertEqual(outcome.counts.patients, e.patients)
        XCTAssertEqual(outcome.counts.xesEvents, 2 * e.starts + e.completes + e.leaves)
        let text = try String(contentsOf: dir.appendingPathComponent("log.xes"), encoding: .utf8)
        for key in ["concept:name", "time:timestamp", "lifecycle:transition", "org:resource", "org:role", "org:group", "gap:", "variant",
                    "replication", "cohort_group", "terminal", "age", "lives_alone"] {
            XCTAssertTrue(text.contains("key=\"\(key)"), key)
        }
        // IEEE 1849: a classifier's name is an NCName (no spaces, no colon, not starting with a digit).
        let classifiers = text.split(separator: "\n").filter { $0.contains("<classifier ") }
        XCTAssertEqual(classifiers.count, 3)
        for line in classifiers {
            let name = line.split(separator: "\"")[1]
            XCTAssertNotNil(name.wholeMatch(of: /[A-Za-z_][A-Za-z0-9._\-]*/), "classifier name \(name) is not an NCName")
        }
        XCTAssertTrue(text.contains("value=\"2024-01-01T"), "timestamps from the default start date")

        // OCEL 2.0: the strict layout, and the expected events and objects.
        let ocel = try OCELFile.summary(dir.appendingPathComponent("log.sqlite"))
        XCTAssertEqual(ocel.problems, [])
        XCTAssertEqual(ocel.events, e.patients + e.starts + e.crossHandoffs + e.leaves)
        XCTAssertEqual(ocel.eventsByType["patient arrives"], e.patients)
        XCTAssertEqual(ocel.eventsByType["cross-organisation handoff"], e.crossHandoffs)
        XCTAssertEqual(ocel.objectsByType["patient"], e.patients)
        XCTAssertEqual(ocel.objectsByType["organisation"], pathway.organisations.count)
        let items = ocel.objectsByType["information item"] ?? 0
        XCTAssertGreaterThan(items, 0)
        XCTAssertLessThanOrEqual(items, e.patients * pathway.information.count)
        XCTAssertEqual(ocel.objects, e.patients + pathway.organisations.count + items)
        XCTAssertEqual(outcome.counts.ocelEvents, ocel.events)
        XCTAssertEqual(outcome.counts.ocelObjects, ocel.objects)
        XCTAssertGreaterThan(ocel.qualifiers["carries"] ?? 0, 0, "items travel with handoffs under point-to-point")
        XCTAssertGreaterThan(ocel.qualifiers.filter { $0.key.hasPrefix("needs (") }.values.reduce(0, +), 0)

        // CSV: a header and a row per simulation event.
        let csv = try String(contentsOf: dir.appendingPathComponent("log.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        XCTAssertEqual(rows.count, 1 + e.records)
        XCTAssertEqual(outcome.counts.csvRows, e.records)
        XCTAssertTrue(rows[0].hasPrefix("variant,replication,patient,time_h,timestamp,event,state,organisation,role,item,gap"))
        let columns = rows[0].split(separator: ",", omittingEmptySubsequences: false).count
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })

        // No temporary files left beside the logs.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }, [])
    }

    func testTheSameSeedGivesTheSameLogs() throws {
        let a = try Support.temporaryDirectory(self), b = try Support.temporaryDirectory(self)
        _ = try export(a, patients: 40, replications: 1, json: true)
        _ = try export(b, patients: 40, replications: 1, json: true)
        for file in ["log.xes", "log.csv", "log.json"] {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(file)), try Data(contentsOf: b.appendingPathComponent(file)), file)
        }
    }

    func testTimestamps() throws {
        let clock = LogClock.defaultStart
        XCTAssertEqual(clock.weekday, 0, "2024-01-01 is a Monday")
        XCTAssertEqual(clock.iso(0), "2024-01-01T00:00:00.000+00:00")
        XCTAssertEqual(clock.iso(24 * 60 + 9.5), "2024-03-01T09:30:00.000+00:00", "leap year")
        XCTAssertEqual(clock.sql(1.0 / 3600 / 1000 * 1500), "2024-01-01 00:00:01.500")
        XCTAssertNil(LogClock(parsing: "2023-02-29"))
        XCTAssertNil(LogClock(parsing: "monday"))
        XCTAssertEqual(LogClock(parsing: "2025-01-06")?.weekday, 0)
    }

    /// PM4Py opens both logs and finds the same counts; skipped, visibly, without pm4py.
    func testPM4PyReadsTheXESAndOCELLogs() throws {
        guard let python = Support.python() else {
            throw XCTSkip("python3 with pm4py is not installed (python3 -m pip install pm4py): the PM4Py check of the XES and OCEL exports was not run")
        }
        let dir = try Support.temporaryDirectory(self)
        let (outcome, e, _, _) = try export(dir, patients: 60, replications: 1)
        let script = """
            import json, sys, warnings
            warnings.filterwarnings("ignore")
            import pm4py
            from pm4py.objects.ocel.validation import ocel20_rel_validation
            df = pm4py.read_xes(sys.argv[1], show_progress_bar=False) if "show_progress_bar" in pm4py.read_xes.__code__.co_varnames else pm4py.read_xes(sys.argv[1])
            ocel = pm4py.read_ocel2_sqlite(sys.argv[2])
            print("RESULT " + json.dumps({
                "xes_events": int(len(df)), "xes_cases": int(df["case:concept:name"].nunique()),
                "ocel_events": int(len(ocel.events)), "ocel_objects": int(len(ocel.objects)),
                "ocel_patients": int((ocel.objects["ocel:type"] == "patient").sum()),
                "unsatisfied": list(ocel20_rel_validation.apply(sys.argv[2])[1]),
            }))
            """
        let scriptURL = dir.appendingPathComponent("check.py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let output = try Support.run(python, ["python3", scriptURL.path, dir.appendingPathComponent("log.xes").path,
                                              dir.appendingPathComponent("log.sqlite").path])
        XCTAssertEqual(output.status, 0, output.stderr)
        guard let line = output.stdout.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }),
              let json = try JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: Any] else {
            return XCTFail("no result from pm4py:\n\(output.stdout)\n\(output.stderr)")
        }
        print("pm4py counts: \(json)")
        XCTAssertEqual(json["xes_cases"] as? Int, e.patients)
        XCTAssertEqual(json["xes_events"] as? Int, outcome.counts.xesEvents)
        XCTAssertEqual(json["ocel_events"] as? Int, outcome.counts.ocelEvents)
        XCTAssertEqual(json["ocel_objects"] as? Int, outcome.counts.ocelObjects)
        XCTAssertEqual(json["ocel_patients"] as? Int, e.patients)
        XCTAssertEqual((json["unsatisfied"] as? [Any])?.count, 0, "\(json["unsatisfied"] ?? "")")
    }
}
