import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// What a state does about a gap: chase (the role's time is spent) and repeat (a duplicate).
final class GapPolicyTests: XCTestCase {
    /// The hospital writes a summary; the council's social worker (2 staff) assesses for exactly
    /// 1h, needing the summary, then a reablement worker of the same council reviews it.
    static func pathway(onGap: String) -> String {
        """
        pathway: policies
        title: Gap policies
        organisations:
          acute:
            name: Hospital
            sector: acute
            maturity: integrated
            connects: [messaging, shared-record]
            roles:
              ward: { capacity: 1 }
          council:
            name: Council
            sector: social-care
            maturity: integrated
            connects: [messaging, shared-record]
            roles:
              social-worker: { capacity: 2 }
              reablement: { capacity: 1 }
        information:
          summary: { category: health }
        states:
          write:
            owner: acute/ward
            occupies: false
            duration: 1h
            produces: [summary]
            next: [ { to: assess } ]
          assess:
            owner: council/social-worker
            duration: 1h
            needs: [summary]
            on-gap: \(onGap)
            next: [ { to: review } ]
          review:
            owner: council/reablement
            occupies: false
            duration: 30m
            needs: [summary]
            next: [ { to: follow-up } ]
          follow-up:
            owner: acute/ward
            occupies: false
            duration: 30m
            needs: [summary]
            next: [ { to: done } ]
          done: { terminal: true }
        """
    }

    static func scenario(_ settings: String) -> String {
        """
        scenario: policies
        pathway: pathway.yaml
        cohort:
          patients: 300
          arrivals: 0.5/h
        replications: 1
        seed: 5
        \(settings)
        """
    }

    struct Run {
        var summary: VariantSummary
        var recorder: EventRecorder
        var fixture: Fixture.Loaded
        /// Utilisation's measurement window: no warm-up, so from 0 to the last arrival.
        var windowEnd: Double { recorder.arrivals.values.map(\.time).max() ?? 0 }
        /// Hours the social workers (capacity 2, always open) were busy within the window, read
        /// from utilisation: utilisation x capacity x window.
        var busyHours: Double { summary.value("utilisation", subject: "council/social-worker") * 2 * windowEnd }
        /// The same from the events: every assessment from its start to its end, cut at the window's end.
        var busyHoursFromEvents: Double {
            let assess = fixture.stateIndex("assess")
            let starts = Dictionary(recorder.starts.filter { $0.state == assess }.map { ($0.patient, $0.time) }, uniquingKeysWith: { a, _ in a })
            return recorder.ends.filter { $0.state == assess }.reduce(0.0) { sum, e in
                let start = starts[e.patient] ?? e.time
                return sum + max(0, min(e.time, windowEnd) - start)
            }
        }
    }

    func run(onGap: String, settings: String, file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let f = try Fixture.load(pathway: Self.pathway(onGap: onGap), scenario: Self.scenario(settings), file: file, line: line)
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
        let recorder = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
        XCTAssertEqual(summary.value("patients"), 300, file: file, line: line)
        return Run(summary: summary, recorder: recorder, fixture: f)
    }

    /// Every summary is missing (under-recording 1): each assessment chases for exactly 2h.
    func testChasingSpendsTheChasingRolesTime() throws {
        let missing = "architecture: { option: point-to-point, message-latency: 0, message-loss: 0 }\nunder-recording: 1"
        let chase = try run(onGap: "{ chase: 2h }", settings: missing)
        let proceed = try run(onGap: "proceed", settings: missing)
        let role = "council/social-worker"
        let s = chase.summary

        XCTAssertEqual(s.value("chases_per_patient"), 1, "the assessment chases; the review and follow-up proceed")
        XCTAssertEqual(s.value("risks_per_patient"), 2, "a chase finds nothing that was never recorded: still missing later")
        XCTAssertEqual(s.value("state_chases_per_100_patients", subject: "assess"), 100)
        XCTAssertEqual(s.value("state_missing_per_100_patients", subject: "assess"), 100)
        // One chase per assessment started: 2h x (chases per day) = 2h x (starts per day).
        XCTAssertEqual(s.value("chase_hours_per_day", subject: role), 2 * s.value("starts_per_day", subject: role),
                       accuracy: 1e-9 * s.value("chase_hours_per_day", subject: role))
        XCTAssertEqual(proceed.summary.value("chase_hours_per_day", subject: role), 0)
        XCTAssertEqual(proceed.summary.value("chases_per_patient"), 0)
        XCTAssertEqual(proceed.summary.value("risks_per_patient"), 3)

        // Utilisation counts the role's busy hours within the window: each assessment from start
        // to end (1h of work plus 2h of chasing, against 1h when proceeding; checked below).
        XCTAssertEqual(chase.busyHours, chase.busyHoursFromEvents, accuracy: 1e-6)
        XCTAssertEqual(proceed.busyHours, proceed.busyHoursFromEvents, accuracy: 1e-6)
        XCTAssertGreaterThan(chase.busyHours, 2.9 * proceed.busyHours, "chasing triples the busy time, up to the window's edge")
        print("chase: utilisation \(s.value("utilisation", subject: role)) against \(proceed.summary.value("utilisation", subject: role)) when proceeding")

        // The role stays occupied while chasing: every assessment lasts 3h from its start.
        let assess = chase.fixture.stateIndex("assess")
        let starts = Dictionary(chase.recorder.starts.filter { $0.state == assess }.map { ($0.patient, $0.time) }, uniquingKeysWith: { a, _ in a })
        let ends = chase.recorder.ends.filter { $0.state == assess }
        XCTAssertEqual(ends.count, 300)
        for e in ends { XCTAssertEqual(e.time - (starts[e.patient] ?? .nan), 3, accuracy: 1e-9) }
        XCTAssertTrue(chase.recorder.checks.filter { $0.state == assess }.allSatisfy { $0.response == .chase && $0.spent == 2 })
    }

    /// A late item (nightly batch) is chased; what the phone call gets is then held by the
    /// council, so the next state of the same organisation finds it available.
    func testAChasedItemIsHeldLocallyAfterwards() throws {
        // Enough social workers that nobody queues: each summary is read the moment it is written.
        let r = try run(onGap: "{ chase: 2h }", settings: """
        architecture: { option: shared-record, batch: { every: 24h, at: 02:00 } }
        capacities: { council/social-worker: 50 }
        """)
        let s = r.summary
        XCTAssertEqual(s.value("state_late_per_100_patients", subject: "assess"), 100)
        XCTAssertEqual(s.value("state_chases_per_100_patients", subject: "assess"), 100)
        XCTAssertEqual(s.value("state_available_per_100_patients", subject: "review"), 100)
        XCTAssertEqual(s.value("state_available_per_100_patients", subject: "follow-up"), 100, "the writer holds its own record")
    }

    /// Messages are all lost, so the assessment finds the summary missing and collects it again
    /// (1.5h): a duplicate. The new version is the council's own, so the reablement review finds it
    /// available; the hospital's own copy is now an older version, so its follow-up finds it stale.
    func testRepeatingCountsADuplicateAndTheNewVersionIsAvailableToTheSameOrganisation() throws {
        let r = try run(onGap: "{ repeat: 90m }", settings: "architecture: { option: point-to-point, message-latency: 0, message-loss: 1 }")
        let s = r.summary
        let role = "council/social-worker"
        XCTAssertEqual(s.value("state_missing_per_100_patients", subject: "assess"), 100)
        XCTAssertEqual(s.value("state_duplicates_per_100_patients", subject: "assess"), 100)
        // Duplicates are the gaps met under `repeat`: those at the assessment, and no others.
        let gapsUnderRepeat = GapKind.gaps.reduce(0.0) { $0 + s.value("state_\($1.name)_per_100_patients", subject: "assess") } / 100
        XCTAssertEqual(s.value("duplicates_per_patient"), gapsUnderRepeat)
        XCTAssertEqual(s.value("duplicates_per_patient"), 1)
        XCTAssertEqual(s.value("state_available_per_100_patients", subject: "review"), 100)
        XCTAssertEqual(s.value("state_stale_per_100_patients", subject: "follow-up"), 100)
        XCTAssertEqual(s.value("risks_per_patient"), 1, "the stale copy at the follow-up, where the policy is proceed")
        XCTAssertEqual(s.value("repeat_hours_per_day", subject: role), 1.5 * s.value("starts_per_day", subject: role),
                       accuracy: 1e-9 * s.value("repeat_hours_per_day", subject: role))
        XCTAssertEqual(s.value("chase_hours_per_day", subject: role), 0)
        XCTAssertEqual(r.busyHours, r.busyHoursFromEvents, accuracy: 1e-6)
        let assess = r.fixture.stateIndex("assess")
        let starts = Dictionary(r.recorder.starts.filter { $0.state == assess }.map { ($0.patient, $0.time) }, uniquingKeysWith: { a, _ in a })
        for e in r.recorder.ends where e.state == assess {
            XCTAssertEqual(e.time - (starts[e.patient] ?? .nan), 2.5, accuracy: 1e-9, "1h of work and 1.5h collecting the summary again")
        }
    }
}
