import CarePathFormat
@testable import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// The warnings a run carries: when they fire, when they do not, and how they travel in JSON.
final class RunWarningsTests: XCTestCase {
    static let staff = RoleReference(organisation: "clinic", role: "staff")

    func station(rate: String, patients: Int = 2000, warmUp: String = "5%", extra: String = "") throws -> Fixture.Loaded {
        try Fixture.load(pathway: QueueingTheoryTests.singleStation(servers: 1, service: "exponential(mean=1h)"),
                         scenario: """
                         scenario: mm1
                         pathway: pathway.yaml
                         cohort:
                           patients: \(patients)
                           arrivals: \(rate)
                         warm-up: \(warmUp)
                         replications: 2
                         seed: 5
                         \(extra)
                         """)
    }

    // MARK: Overload

    func testAnOverloadedMM1IsWarnedAboutBeforeAndAfterTheRun() throws {
        let f = try station(rate: "1.2/h")
        let warnings = RunWarnings.beforeRun(f.scenario, pathway: f.pathway)
        XCTAssertEqual(warnings.map(\.kind), [.overload])
        let w = try XCTUnwrap(warnings.first)
        XCTAssertEqual(w.subject, "clinic/staff")
        XCTAssertNil(w.variant, "one variant: the warning is for every variant")
        // Every patient visits the station exactly once: rho = 1.2 x 1h / 1 exactly.
        XCTAssertEqual(try XCTUnwrap(w.figure), 1.2, accuracy: 1e-12)
        XCTAssertTrue(w.message.hasPrefix("clinic/staff: offered load 1.20 >= 1"), w.message)
        XCTAssertTrue(w.message.contains("cannot be stable"), w.message)
        // The runner stores it in the summary.
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 2))
        XCTAssertEqual(summary.warnings?.filter { $0.kind == .overload }, [w])
    }

    func testAStableMM1IsNotWarnedAbout() throws {
        let f = try station(rate: "0.5/h")
        XCTAssertEqual(RunWarnings.beforeRun(f.scenario, pathway: f.pathway), [])
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 2))
        XCTAssertEqual(summary.warnings, [], "checked, and nothing found")
    }

    func testOverloadIsPerVariantWhenVariantsDiffer() throws {
        let f = try station(rate: "1.5/h", extra: """
        variants:
          - name: one
          - name: two
            capacities: { clinic/staff: 2 }
        """)
        let warnings = RunWarnings.overload(f.scenario, pathway: f.pathway)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertEqual(warnings.first?.variant, "one")
        XCTAssertEqual(try XCTUnwrap(warnings.first?.figure), 1.5, accuracy: 1e-12)
    }

    func testARoleThatNeverOpensHasAnInfiniteLoad() throws {
        let f = try station(rate: "1/h")
        var scenario = f.scenario
        scenario.settings.capacities[Self.staff] = 0
        let w = try XCTUnwrap(RunWarnings.overload(scenario, pathway: f.pathway).first)
        XCTAssertEqual(w.figure, .infinity)
        XCTAssertTrue(w.message.contains("infinite"), w.message)
        // And it still goes to JSON and back.
        var summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(replications: 1, threads: 1))
        summary.warnings = [w]
        XCTAssertEqual(try RunSummary.decode(summary.json()).warnings, [w])
    }

    /// Long services on a rota: the work runs past the open hours, so the load over open hours is
    /// above 1 but the role keeps up; the warning says so rather than "cannot be stable".
    func testWorkRunningPastTheRotaIsToldApartFromOverload() throws {
        let pathway = QueueingTheoryTests.singleStation(servers: 10, service: "30d")
            .replacingOccurrences(of: "staff: { capacity: 10 }", with: "staff: { capacity: 10, calendar: every day 08:00-20:00 }")
        let f = try Fixture.load(pathway: pathway, scenario: """
        scenario: caseload
        pathway: pathway.yaml
        cohort:
          patients: 100
          arrivals: 0.25/d
        replications: 1
        seed: 1
        """)
        let w = try XCTUnwrap(RunWarnings.overload(f.scenario, pathway: f.pathway).first)
        // 0.25 a day x 720h / 24 = 7.5 staff of work against 5 open on average, about 10 sustained.
        XCTAssertEqual(try XCTUnwrap(w.figure), 1.5, accuracy: 1e-9)
        XCTAssertFalse(w.message.contains("cannot be stable"), w.message)
        XCTAssertTrue(w.message.contains("runs on after the shift ends"), w.message)
    }

    // MARK: Warm-up and attributes

    func testAWarmUpThatSwallowsTheCohortIsWarnedAbout() throws {
        // 100 patients at 1 an hour arrive over about 100 hours. The file format refuses a 200 h
        // warm-up for them; a variant's lever can still bring the scenario there.
        var long = try station(rate: "1/h", patients: 100, warmUp: "50h")
        long.scenario.warmUp = .hours(200)
        let w = try XCTUnwrap(RunWarnings.warmUp(long.scenario).first)
        XCTAssertEqual(w.kind, .warmUp)
        XCTAssertEqual(try XCTUnwrap(w.figure), 2, accuracy: 1e-12)
        XCTAssertEqual(RunWarnings.warmUp(try station(rate: "1/h", patients: 100, warmUp: "50h").scenario), [])
        // A share of patients that rounds to all of them.
        var share = long.scenario
        share.warmUp = .fraction(0.996)
        XCTAssertEqual(RunWarnings.warmUp(share).map(\.kind), [.warmUp])
        share.warmUp = .fraction(0.9)
        XCTAssertEqual(RunWarnings.warmUp(share), [])
        // No traps on odd numbers.
        share.warmUp = .fraction(.infinity)
        _ = RunWarnings.warmUp(share)
        share.warmUp = .hours(1e300)
        XCTAssertEqual(RunWarnings.warmUp(share).map(\.kind), [.warmUp])
    }

    func testADeclaredAttributeNothingReadsIsWarnedAbout() throws {
        let pathway = QueueingTheoryTests.singleStation(servers: 1, service: "1h")
            .replacingOccurrences(of: "organisations:", with: """
            attributes:
              shoe_size: number
              deprivation: number
              opted_out: boolean
              frail: boolean
            organisations:
            """)
            .replacingOccurrences(of: "next: [ { to: done } ]", with: "next: [ { to: done, when: frail }, { to: done } ]")
        let f = try Fixture.load(pathway: pathway, scenario: """
        scenario: attrs
        pathway: pathway.yaml
        cohort:
          patients: 10
          arrivals: 1/h
          attributes:
            shoe_size: normal(mean=8, sd=1)
            deprivation: integer(1, 5)
            opted_out: 0.01
            frail: 0.3
        breakdown: deprivation
        consent:
          opt-out: opted_out
        """)
        let warnings = RunWarnings.unusedAttributes(f.scenario, pathway: f.pathway)
        XCTAssertEqual(warnings.map(\.subject), ["shoe_size"])
        XCTAssertEqual(warnings.first?.kind, .unusedAttribute)
    }

    // MARK: Queues still growing

    static func result(_ quarters: [String: (Double, Double)]) -> ReplicationResult {
        var metrics: [Metric] = []
        for (role, q) in quarters.sorted(by: { $0.key < $1.key }) {
            metrics.append(Metric("queue_length_first_quarter", subject: role, q.0))
            metrics.append(Metric("queue_length_last_quarter", subject: role, q.1))
        }
        return ReplicationResult(metrics: metrics, series: RunSeries(queueLength: [:], queueBinHours: 1, queueStartHour: 0, waitShares: [:],
                                                                     waitBinEdges: [], crossHandoffShares: [], timeInPathwayShares: [], timeBinEdges: []),
                                 events: 0)
    }

    func testAQueueStillGrowingIsWarnedAboutWhenClearlyAndMateriallyLonger() {
        let runs = [
            Self.result(["a/grows": (2, 9), "a/steady": (3, 3.4), "a/noisy": (2, 12), "a/small": (0.1, 0.9)]),
            Self.result(["a/grows": (3, 11), "a/steady": (3.2, 3.1), "a/noisy": (2, 0), "a/small": (0.1, 1.0)]),
            Self.result(["a/grows": (2.5, 10), "a/steady": (2.9, 3.3), "a/noisy": (3, 4), "a/small": (0.2, 1.1)]),
        ]
        let warnings = RunWarnings.queuesGrowing(variants: ["base"], results: [runs])
        // grows: +7.5 on average, clearly above zero, and 10 >= 2 x 2.5 + 1. steady: no growth.
        // noisy: the interval covers zero. small: clearly growing but 1.0 < 2 x 0.13 + 1.
        XCTAssertEqual(warnings.map(\.subject), ["a/grows"])
        let w = warnings[0]
        XCTAssertEqual(w.kind, .queueGrowing)
        XCTAssertNil(w.variant)
        XCTAssertEqual(try XCTUnwrap(w.figure), 7.5, accuracy: 1e-12)
        // One replication gives no interval: no warning.
        XCTAssertEqual(RunWarnings.queuesGrowing(variants: ["base"], results: [Array(runs.prefix(1))]), [])
        // With several variants, each warning names its own.
        let two = RunWarnings.queuesGrowing(variants: ["one", "two"], results: [runs, runs])
        XCTAssertEqual(two.map(\.variant), ["one", "two"])
    }

    // MARK: JSON

    func testASummaryStoredBeforeWarningsStillDecodes() throws {
        let f = try station(rate: "1.2/h", patients: 200)
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(replications: 2, threads: 2))
        XCTAssertNotNil(summary.warnings)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: summary.json()) as? [String: Any])
        XCTAssertNotNil(object["warnings"])
        object.removeValue(forKey: "warnings")
        let old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try RunSummary.decode(old)
        XCTAssertNil(decoded.warnings)
        XCTAssertEqual(decoded.variants.count, summary.variants.count)
        // And a summary from a later CarePath, with a kind this one does not know, decodes too.
        var later = summary
        later.warnings = [RunWarning(RunWarning.Kind(rawValue: "something-new"), variant: "x", subject: "s", message: "m")]
        XCTAssertEqual(try RunSummary.decode(later.json()).warnings?.first?.kind.rawValue, "something-new")
    }
}
