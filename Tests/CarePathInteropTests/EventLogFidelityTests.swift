import CarePathFormat
@testable import CarePathInterop
import CarePathMetrics
import CarePathModel
import Foundation
import XCTest

/// What the logs say beyond their counts: warm-up patients, attributes, resources, lifecycles,
/// OCEL 2.0 JSON, and what PM4Py makes of them.
final class EventLogFidelityTests: XCTestCase {
    /// Patients counted in statistics, and all patients, of a fresh run (from the outcome recorder).
    func patients(_ scenario: Scenario, _ pathway: Pathway) -> (counted: Int, all: Int) {
        var counted = 0, all = 0
        for variant in scenario.effectiveVariants {
            let seed = ScenarioRunner.replicationSeed(scenario.seed, 0)
            let recorder = ScenarioRunner.replicate(scenario, pathway: pathway, variant: variant, seed: seed, observer: PatientOutcomeRecorder())
            all += recorder.outcomes.count
            counted += recorder.outcomes.filter(\.counted).count
        }
        return (counted, all)
    }

    func testWarmUpPatientsAreLeftOutUnlessAsked() throws {
        let dir = try Support.temporaryDirectory(self)
        let (scenario, pathway) = try Support.smallScenario(in: dir, patients: 200)
        let expected = patients(scenario, pathway)
        XCTAssertLessThan(expected.counted, expected.all, "the scenario has a warm-up")
        XCTAssertGreaterThan(expected.counted, 0)
        for include in [false, true] {
            let url = dir.appendingPathComponent("log-\(include).xes"), ocel = dir.appendingPathComponent("log-\(include).json")
            let outcome = try EventLogExport.run(scenario, pathway: pathway,
                                                 options: EventLogExport.Options(xes: url, ocel: ocel, replications: 1, includeWarmUp: include))
            XCTAssertEqual(outcome.counts.patients, include ? expected.all : expected.counted)
            XCTAssertEqual(try Support.elementCounts(url)["trace"], include ? expected.all : expected.counted)
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertEqual(text.contains("<boolean key=\"counted\" value=\"false\"/>"), include)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: ocel)) as? [String: Any]
            let objects = json?["objects"] as? [[String: Any]] ?? []
            XCTAssertEqual(objects.filter { $0["type"] as? String == "patient" }.count, include ? expected.all : expected.counted)
        }
    }

    func testNumbersAndTimestampsAsBytesMatchTheClock() {
        let clock = LogClock.defaultStart
        for hours in [0, 0.5, 9.5, 24 * 60 + 9.5, 1.0 / 3600 / 1000 * 1500, 12_345.678_9, 87_600.001] {
            var bytes = LogBytes()
            bytes.append(time: hours, clock: clock, iso: true)
            XCTAssertEqual(String(decoding: bytes.bytes, as: UTF8.self), clock.iso(hours))
            bytes = LogBytes()
            bytes.append(time: hours, clock: clock, iso: false)
            XCTAssertEqual(String(decoding: bytes.bytes, as: UTF8.self), clock.sql(hours))
        }
        func decimal(_ x: Double) -> String { var b = LogBytes(); b.append(decimal: x); return String(decoding: b.bytes, as: UTF8.self) }
        XCTAssertEqual(decimal(0), "0")
        XCTAssertEqual(decimal(2), "2")
        XCTAssertEqual(decimal(0.25), "0.25")
        XCTAssertEqual(decimal(-1.5), "-1.5")
        XCTAssertEqual(decimal(79.0741423), "79.074142")
        XCTAssertEqual(decimal(1e-9), "0")
        func int(_ x: Int) -> String { var b = LogBytes(); b.append(x); return String(decoding: b.bytes, as: UTF8.self) }
        XCTAssertEqual([0, 7, 10, -42, Int.max, Int.min].map(int), ["0", "7", "10", "-42", String(Int.max), String(Int.min)])
    }

    /// PM4Py reads the XES and both OCEL layouts, discovers a model, builds the handover-of-work
    /// network and validates the OCEL relations; skipped, visibly, without pm4py.
    func testPM4PyMinesTheLogs() throws {
        guard let python = Support.python() else {
            throw XCTSkip("python3 with pm4py is not installed (python3 -m pip install pm4py): the PM4Py mining of the exports was not run")
        }
        let dir = try Support.temporaryDirectory(self)
        let (scenario, pathway) = try Support.smallScenario(in: dir, patients: 60)
        let xes = dir.appendingPathComponent("log.xes"), json = dir.appendingPathComponent("log.json"), sqlite = dir.appendingPathComponent("log.sqlite")
        let a = try EventLogExport.run(scenario, pathway: pathway, options: EventLogExport.Options(xes: xes, ocel: json, replications: 1))
        let b = try EventLogExport.run(scenario, pathway: pathway, options: EventLogExport.Options(ocel: sqlite, replications: 1))
        let script = """
            import json, sqlite3, sys, warnings
            warnings.filterwarnings("ignore")
            import pm4py
            from pm4py.objects.ocel.validation import ocel20_rel_validation
            df = pm4py.read_xes(sys.argv[1], show_progress_bar=False) if "show_progress_bar" in pm4py.read_xes.__code__.co_varnames else pm4py.read_xes(sys.argv[1])
            net, im, fm = pm4py.discover_petri_net_inductive(df)
            fitness = pm4py.fitness_token_based_replay(df, net, im, fm)
            handover = pm4py.discover_handover_of_work_network(df)
            # The cohort group names the patient's deprivation; the attribute drawn must agree.
            agree = all(("deprivation=%d" % int(d)) in g for d, g in zip(df["case:deprivation"], df["case:cohort_group"]))
            oj = pm4py.read_ocel2_json(sys.argv[2])
            osq = pm4py.read_ocel2_sqlite(sys.argv[3])
            patients = oj.objects[oj.objects["ocel:type"] == "patient"]
            print("RESULT " + json.dumps({
                "xes_events": int(len(df)), "xes_cases": int(df["case:concept:name"].nunique()),
                "no_resource": int(df["org:resource"].isna().sum()), "no_role": int(df["org:role"].isna().sum()),
                "no_group": int(df["org:group"].isna().sum()),
                "transitions": sorted(set(df["lifecycle:transition"])),
                "activities": int(df["concept:name"].nunique()), "net_transitions": len(net.transitions),
                "fitness": float(fitness["log_fitness"]),
                "handovers": len(handover.connections), "resources": len(set(df["org:resource"])),
                "groups_agree": bool(agree), "ages": int(df["case:age"].notna().sum()),
                "json_events": int(len(oj.events)), "json_objects": int(len(oj.objects)), "json_relations": sum(len(e.get("relationships", [])) for e in json.load(open(sys.argv[2]))["events"]),
                "json_o2o": int(len(oj.o2o)), "json_patient_ages": int(patients["age"].notna().sum()), "json_patients": int(len(patients)),
                "sqlite_events": int(len(osq.events)), "sqlite_objects": int(len(osq.objects)), "sqlite_relations": sqlite3.connect(sys.argv[3]).execute("SELECT count(*) FROM event_object").fetchone()[0],
                "sqlite_o2o": int(len(osq.o2o)),
                "unsatisfied": list(ocel20_rel_validation.apply(sys.argv[3])[1]),
            }))
            """
        let scriptURL = dir.appendingPathComponent("mine.py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let output = try Support.run(python, ["python3", scriptURL.path, xes.path, json.path, sqlite.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        guard let line = output.stdout.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }),
              let r = try JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: Any] else {
            return XCTFail("no result from pm4py:\n\(output.stdout)\n\(output.stderr)")
        }
        print("pm4py: \(r)")
        XCTAssertEqual(r["xes_cases"] as? Int, a.counts.patients)
        XCTAssertEqual(r["xes_events"] as? Int, a.counts.xesEvents)
        XCTAssertEqual(r["no_resource"] as? Int, 0, "every event has a resource")
        XCTAssertEqual(r["no_role"] as? Int, 0)
        XCTAssertEqual(r["no_group"] as? Int, 0)
        XCTAssertEqual(r["transitions"] as? [String], ["complete", "schedule", "start"])
        XCTAssertGreaterThanOrEqual(r["net_transitions"] as? Int ?? 0, r["activities"] as? Int ?? 1, "a model with every activity")
        XCTAssertGreaterThan(r["fitness"] as? Double ?? 0, 0.9, "the discovered model replays the log")
        XCTAssertGreaterThan(r["handovers"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(r["resources"] as? Int ?? 0, 2)
        XCTAssertEqual(r["groups_agree"] as? Bool, true)
        XCTAssertEqual(r["ages"] as? Int, a.counts.xesEvents, "age is a case attribute of every trace")
        // Both OCEL layouts hold the same log, and PM4Py reads the same counts from each.
        XCTAssertEqual(r["json_events"] as? Int, a.counts.ocelEvents)
        XCTAssertEqual(r["json_objects"] as? Int, a.counts.ocelObjects)
        XCTAssertEqual(r["sqlite_events"] as? Int, b.counts.ocelEvents)
        XCTAssertEqual(r["sqlite_objects"] as? Int, b.counts.ocelObjects)
        XCTAssertEqual(r["json_events"] as? Int, r["sqlite_events"] as? Int)
        // (Counted in the files: PM4Py's JSON reader keeps one link per event and object whatever the qualifiers.)
        XCTAssertEqual(r["json_relations"] as? Int, r["sqlite_relations"] as? Int)
        XCTAssertEqual(r["json_o2o"] as? Int, r["sqlite_o2o"] as? Int)
        XCTAssertEqual(r["json_patient_ages"] as? Int, r["json_patients"] as? Int)
        XCTAssertEqual((r["unsatisfied"] as? [Any])?.count, 0, "\(r["unsatisfied"] ?? "")")
    }
}
