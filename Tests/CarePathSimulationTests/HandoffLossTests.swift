import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Lost referrals are noticed after `resend-after` and sent again, as many times as needed.
final class HandoffLossTests: XCTestCase {
    static let pathway = """
    pathway: referral
    title: One referral between two organisations
    organisations:
      acute:
        name: Hospital
        sector: acute
        maturity: integrated
        roles:
          ward: { capacity: 1 }
      council:
        name: Council
        sector: social-care
        maturity: basic
        roles:
          social-worker: { capacity: 1 }
    states:
      ward-stay:
        owner: acute/ward
        occupies: false
        duration: exponential(mean=5h)
        next: [ { to: assessment } ]
      assessment:
        owner: council/social-worker
        occupies: false
        duration: 1h
        next: [ { to: done } ]
      done: { terminal: true }
    """

    static let patients = 4000

    static let scenario = """
    scenario: referral
    pathway: pathway.yaml
    cohort:
      patients: \(patients)
      arrivals: 10/h
    replications: 1
    seed: 8
    handoffs:
      latency: 1h
      loss: 0.5
      resend-after: 10h
    variants:
      - name: lossy
      - name: reliable
        handoffs: { loss: 0 }
    """

    func testLostHandoffsAreResentAndEachLossAddsTheResendDelay() throws {
        let f = try Fixture.load(pathway: Self.pathway, scenario: Self.scenario)
        let n = Double(Self.patients)
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        let lossy = summary.variants[0], reliable = summary.variants[1]
        XCTAssertEqual(lossy.value("patients"), n)
        XCTAssertEqual(lossy.value("handoffs_cross_per_patient"), 1)

        // Losses per handoff: failures before the first success with p = 0.5, a geometric variable
        // with mean p / (1 - p) = 1 and variance p / (1 - p)^2 = 2. Over n handoffs the mean has sd
        // sqrt(2 / n); per 100 patients: 100 sqrt(2 / 4000) ~ 2.24. Tolerance: 4 sd.
        let lost = lossy.value("lost_handoffs_per_100_patients")
        let sd = 100 * (2 / n).squareRoot()
        print("lost handoffs per 100 patients: \(lost) (theory 100, sd \(sd)); handoff delay \(lossy.value("handoff_delay_mean_h")) h")
        XCTAssertEqual(lost, 100, accuracy: 4 * sd)
        XCTAssertEqual(reliable.value("lost_handoffs_per_100_patients"), 0)

        // Nobody queues (no state occupies its role), so the handoff delay is the referral's latency:
        // 1h plus 10h per loss, exactly.
        XCTAssertEqual(reliable.value("handoff_delay_mean_h"), 1, accuracy: 1e-9)
        XCTAssertEqual(lossy.value("handoff_delay_mean_h"), 1 + 10 * lost / 100, accuracy: 1e-9)
        // Paired on common random numbers: the same patients, so the difference is the resends alone.
        XCTAssertEqual(try XCTUnwrap(reliable.difference("handoff_delay_mean_h")).mean, -10 * lost / 100, accuracy: 1e-9)

        // Handoff by handoff.
        let recorder = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant("lossy"),
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
        let cross = recorder.handoffs.filter(\.cross)
        XCTAssertEqual(cross.count, Self.patients)
        for h in cross { XCTAssertEqual(h.latency, 1 + 10 * Double(h.lost), accuracy: 1e-9) }
        let latency = Dictionary(cross.map { ($0.patient, $0.latency) }, uniquingKeysWith: { a, _ in a })
        let assessment = f.stateIndex("assessment")
        for s in recorder.starts where s.state == assessment {
            XCTAssertEqual(s.delay, s.waited + (latency[s.patient] ?? .nan), accuracy: 1e-9)
            XCTAssertEqual(s.waited, 0)
        }
        // P(no loss) = 1/2 and P(k losses) = 2^-(k+1): the share with none is within 4 sd of 0.5.
        let none = Double(cross.filter { $0.lost == 0 }.count) / n
        XCTAssertEqual(none, 0.5, accuracy: 4 * (0.25 / n).squareRoot())
        let once = Double(cross.filter { $0.lost == 1 }.count) / n
        XCTAssertEqual(once, 0.25, accuracy: 4 * (0.25 * 0.75 / n).squareRoot())
    }
}
