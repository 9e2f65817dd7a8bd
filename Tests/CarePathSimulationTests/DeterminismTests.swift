import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// A pathway that exercises most of the engine at once: attributes and conditions, priority queues,
/// calendars, random durations, handoff losses, several architectures in variants, every gap policy.
enum RichFixture {
    static let pathway = """
    pathway: discharge
    title: Discharge, small
    attributes:
      age: number
      lives_alone: boolean
      deprivation: number
      sex: [female, male]
    organisations:
      acute:
        name: Hospital
        sector: acute
        maturity: integrated
        connects: [messaging, shared-record, federated-query]
        concerns:
          - { concern: liability-fear, note: defensive notes, under-recording: 0.1 }
        roles:
          ward: { capacity: 6 }
          discharge-team: { capacity: 2, calendar: weekdays 09:00-17:00 }
      council:
        name: Council
        sector: social-care
        maturity: basic
        connects: [messaging, shared-record]
        roles:
          social-worker:
            capacity: 2
            calendar: weekdays 09:00-17:00
            queue: { priority: age, order: highest-first }
          reablement: { capacity: 8 }
      gp:
        name: Practice
        sector: primary
        maturity: integrated
        connects: [messaging, federated-query]
        concerns:
          - { concern: connectivity, note: flaky, availability: 0.9 }
        roles:
          gp: { capacity: 2, calendar: every day 08:00-18:00 }
    information:
      discharge-summary: { category: health }
      care-assessment: { category: social-care }
      mh-note: { category: mental-health }
    states:
      inpatient-stay:
        owner: acute/ward
        duration: lognormal(mean=3d, sd=2d)
        produces: [discharge-summary, mh-note]
        next:
          - { to: discharge-planning }
      discharge-planning:
        owner: acute/discharge-team
        duration: triangular(30m, 1h, 2h)
        needs: [discharge-summary]
        next:
          - { to: assessment, when: "age >= 85 or lives_alone" }
          - { to: gp-review, p: 0.5 }
          - { to: home }
      assessment:
        owner: council/social-worker
        duration: triangular(1h, 2h, 4h)
        needs: [discharge-summary, mh-note]
        on-gap: { chase: exponential(mean=2h) }
        produces: [care-assessment]
        next: [ { to: reablement, p: 0.7 }, { to: care-home, p: 0.3 } ]
      reablement:
        owner: council/reablement
        duration: uniform(2d, 10d)
        needs: [care-assessment]
        on-gap: { repeat: 2h }
        next: [ { to: gp-review } ]
      gp-review:
        owner: gp/gp
        duration: exponential(mean=20m)
        needs: [discharge-summary, care-assessment]
        next: [ { to: home } ]
      home: { terminal: true }
      care-home: { terminal: true }
    """

    static func scenario(seed: UInt64 = 20261124, replications: Int = 4, patients: Int = 400) -> String {
        """
        scenario: rich
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: 2/d
          attributes:
            age: normal(mean=82, sd=7)
            lives_alone: 0.4
            deprivation: integer(1, 5)
            sex: { female: 0.56, male: 0.44 }
        warm-up: 10%
        replications: \(replications)
        seed: \(seed)
        breakdown: deprivation
        architecture:
          option: point-to-point
          message-latency: exponential(mean=12h)
          message-loss: 0.05
          outages: { every: 10d, lasting: 6h }
        handoffs:
          latency: exponential(mean=4h)
          loss: 0.1
          resend-after: 2d
        access:
          - { category: mental-health, deny: [council] }
        consent:
          opt-out: 0.05
        variants:
          - name: point-to-point
          - name: shared-record
            architecture: { option: shared-record, batch: { every: 24h, at: 02:00 } }
          - name: federated
            architecture: { option: federated-query, fallback: point-to-point }
        """
    }
}

final class DeterminismTests: XCTestCase {
    func testSameSeedGivesIdenticalJSONWhateverTheThreadsAndDifferentSeedDoesNot() throws {
        let f = try Fixture.load(pathway: RichFixture.pathway, scenario: RichFixture.scenario())
        let oneThread = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 1))
        let fourThreads = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 4))
        let again = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 4))
        let a = try oneThread.json(), b = try fourThreads.json(), c = try again.json()
        XCTAssertEqual(a, b, "1 thread and 4 threads must give byte-identical JSON")
        XCTAssertEqual(b, c, "two runs in a row must give byte-identical JSON")

        // The run is not trivially constant: patients went through, gaps and losses happened.
        let base = oneThread.variants[0]
        XCTAssertEqual(oneThread.variants.count, 3)
        XCTAssertEqual(base.value("patients"), 360)  // 400 minus the 10% warm-up
        XCTAssertGreaterThan(base.value("gaps_per_patient"), 0)
        XCTAssertGreaterThan(base.value("lost_handoffs_per_100_patients"), 0)

        let otherSeed = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(seed: 7, threads: 4))
        XCTAssertNotEqual(try otherSeed.json(), a)
        // Not only the seed field: the figures themselves differ.
        XCTAssertNotEqual(otherSeed.variants[0].value("time_in_pathway_mean_h"), base.value("time_in_pathway_mean_h"))
        XCTAssertNotEqual(otherSeed.variants.map(\.metrics), oneThread.variants.map(\.metrics))
    }

    func testJSONRoundTripsAndParallelReplicationsMatchSerialOnes() throws {
        let f = try Fixture.load(pathway: RichFixture.pathway, scenario: RichFixture.scenario(replications: 3, patients: 200))
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: 2))
        let data = try summary.json()
        XCTAssertEqual(try RunSummary.decode(data).json(), data)

        // The runner's replication r is the replication seeded with replicationSeed(seed, r), run alone.
        let serial = (0..<3).map { r in
            ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant("shared-record"),
                                     seed: ScenarioRunner.replicationSeed(f.scenario.seed, r), observer: MetricsCollector()).result()
        }
        let mean = serial.map { $0.value("time_in_pathway_mean_h") }.reduce(0, +) / 3
        let reported = summary.variants[1].value("time_in_pathway_mean_h")
        XCTAssertEqual(mean, reported, accuracy: 1e-9 * max(1, abs(mean)))
    }
}
