import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Variants run on common random numbers: the same patients, attributes, durations and branches.
final class CommonRandomNumbersTests: XCTestCase {
    /// The rich pathway with `proceed` at every state: nothing the patient does depends on information.
    static let proceedEverywhere = RichFixture.pathway
        .replacingOccurrences(of: "on-gap: { chase: exponential(mean=2h) }", with: "on-gap: proceed")
        .replacingOccurrences(of: "on-gap: { repeat: 2h }", with: "on-gap: proceed")

    func record(_ f: Fixture.Loaded, _ variant: String) -> EventRecorder {
        ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant(variant),
                                 seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
    }

    func assertSamePatients(_ a: EventRecorder, _ b: EventRecorder, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.arrivals.count, 400, file: file, line: line)
        XCTAssertEqual(a.arrivals.count, b.arrivals.count, label, file: file, line: line)
        for (i, arrival) in a.arrivals {
            XCTAssertEqual(arrival.time, b.arrivals[i]?.time, "\(label): arrival time of patient \(i)", file: file, line: line)
            // The breakdown is by deprivation, a whole-number attribute: its group is its value.
            XCTAssertEqual(arrival.group, b.arrivals[i]?.group, "\(label): deprivation of patient \(i)", file: file, line: line)
            XCTAssertTrue((1...5).contains(arrival.group), file: file, line: line)
        }
        let pathsA = a.paths, pathsB = b.paths
        XCTAssertEqual(pathsA.count, 400, file: file, line: line)
        for (i, path) in pathsA {
            XCTAssertEqual(path, pathsB[i], "\(label): states visited by patient \(i)", file: file, line: line)
            XCTAssertEqual(a.left[i]?.terminal, b.left[i]?.terminal, "\(label): terminal of patient \(i)", file: file, line: line)
        }
        // Handoff draws (latency, losses) come from their own stream.
        let handoffsA = a.handoffs.map { [$0.patient, $0.from, $0.to, $0.lost] }.sorted { $0.lexicographicallyPrecedes($1) }
        let handoffsB = b.handoffs.map { [$0.patient, $0.from, $0.to, $0.lost] }.sorted { $0.lexicographicallyPrecedes($1) }
        XCTAssertEqual(handoffsA, handoffsB, label, file: file, line: line)
    }

    func testVariantsThatDifferOnlyInArchitectureSeeTheSamePatientsAndTheSameTimes() throws {
        let f = try Fixture.load(pathway: Self.proceedEverywhere, scenario: RichFixture.scenario())
        let base = record(f, "point-to-point")
        for other in ["shared-record", "federated"] {
            let r = record(f, other)
            assertSamePatients(base, r, other)
            // With `proceed` everywhere nothing about information changes a time: every service
            // starts at the same moment in every variant.
            XCTAssertEqual(base.starts.map(\.time), r.starts.map(\.time), other)
            XCTAssertEqual(base.starts.map(\.patient), r.starts.map(\.patient), other)
            // ... while what the point of care finds does change with the architecture.
            XCTAssertNotEqual(base.checks.map(\.gap), r.checks.map(\.gap), other)
        }

        // So the runner's paired differences in timing are exactly zero, and in gaps are not.
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        for v in summary.variants.dropFirst() {
            let time = try XCTUnwrap(v.difference("time_in_pathway_mean_h"))
            XCTAssertEqual(time.mean, 0, v.name)
            XCTAssertEqual(time.halfWidth, 0, v.name)
            XCTAssertNotEqual(try XCTUnwrap(v.difference("gaps_per_patient")).mean, 0, v.name)
        }
    }

    /// When chasing and re-collecting make timings differ between variants, each patient's own
    /// activity durations must still be the same draws (DESIGN: "the same patients with the same
    /// draws"): the time a state takes, less the time spent chasing or re-collecting, per visit.
    func testActivityDurationsAreCommonEvenWhenGapPoliciesAddTime() throws {
        let f = try Fixture.load(pathway: RichFixture.pathway, scenario: RichFixture.scenario())
        let base = record(f, "point-to-point")
        for other in ["shared-record", "federated"] {
            let r = record(f, other)
            assertSamePatients(base, r, other)
            if other == "shared-record" {
                // The council reads the shared record instead of messages: it chases different items.
                // (In `federated` the council is not connected, so it falls back to point-to-point.)
                XCTAssertNotEqual(base.starts.map(\.spent), r.starts.map(\.spent), "\(other): chasing should differ")
            }
            let a = activityDurations(base), b = activityDurations(r)
            XCTAssertEqual(a.count, b.count)
            var mismatches = 0
            for (key, da) in a {
                guard let db = b[key] else { XCTFail("\(other): no visit \(key)"); continue }
                if abs(da - db) > 1e-6 * max(1, da) { mismatches += 1 }
            }
            XCTAssertEqual(mismatches, 0, "\(other): activity durations that differ from point-to-point, of \(a.count) visits")
        }
    }

    struct Visit: Hashable { var patient: Int; var number: Int }

    /// Per patient and visit number: end - start - time spent on gaps.
    func activityDurations(_ r: EventRecorder) -> [Visit: Double] {
        var startsByPatient: [Int: [EventRecorder.Start]] = [:]
        for s in r.starts { startsByPatient[s.patient, default: []].append(s) }
        var endsByPatient: [Int: [Double]] = [:]
        for e in r.ends { endsByPatient[e.patient, default: []].append(e.time) }
        var durations: [Visit: Double] = [:]
        for (p, starts) in startsByPatient {
            let ends = endsByPatient[p] ?? []
            for (k, s) in starts.enumerated() where k < ends.count {
                durations[Visit(patient: p, number: k)] = ends[k] - s.time - s.spent
            }
        }
        return durations
    }
}
