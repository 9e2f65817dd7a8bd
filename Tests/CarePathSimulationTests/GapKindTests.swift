import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Each kind of data gap produced on purpose, with deterministic settings, and counted exactly.
final class GapKindTests: XCTestCase {
    enum Shape {
        /// acute writes the summary (2h), the council reads it at once.
        case simple
        /// acute writes it (2h), then writes it again (30h later), then the council reads it.
        case rewrite
        /// acute writes it (2h), the council sees the patient (10h), acute writes it again (1h),
        /// then the council reads it.
        case roundTrip
        /// acute writes it (2h), again 30h later, and a third time 1h after that; then the council reads it.
        case threeVersions
    }

    /// The council reads the summary at once after the last handoff (no handoff latency, no queue:
    /// no state occupies its role).
    static func pathway(_ shape: Shape = .simple) -> String {
        let before: String
        switch shape {
        case .simple:
            before = """
              write:
                owner: acute/ward
                occupies: false
                duration: 2h
                produces: [summary]
                next: [ { to: read } ]
            """
        case .rewrite:
            before = """
              write:
                owner: acute/ward
                occupies: false
                duration: 2h
                produces: [summary]
                next: [ { to: rewrite } ]
              rewrite:
                owner: acute/ward
                occupies: false
                duration: 30h
                produces: [summary]
                next: [ { to: read } ]
            """
        case .roundTrip:
            before = """
              write:
                owner: acute/ward
                occupies: false
                duration: 2h
                produces: [summary]
                next: [ { to: visit } ]
              visit:
                owner: council/social-worker
                occupies: false
                duration: 10h
                next: [ { to: rewrite } ]
              rewrite:
                owner: acute/ward
                occupies: false
                duration: 1h
                produces: [summary]
                next: [ { to: read } ]
            """
        case .threeVersions:
            before = """
              write:
                owner: acute/ward
                occupies: false
                duration: 2h
                produces: [summary]
                next: [ { to: rewrite } ]
              rewrite:
                owner: acute/ward
                occupies: false
                duration: 30h
                produces: [summary]
                next: [ { to: amend } ]
              amend:
                owner: acute/ward
                occupies: false
                duration: 1h
                produces: [summary]
                next: [ { to: read } ]
            """
        }
        return """
        pathway: gaps
        title: One item, two organisations
        organisations:
          acute:
            name: Hospital
            sector: acute
            maturity: integrated
            connects: [messaging, shared-record, federated-query]
            roles:
              ward: { capacity: 1 }
          council:
            name: Council
            sector: social-care
            maturity: integrated
            connects: [messaging, shared-record, federated-query]
            roles:
              social-worker: { capacity: 1 }
        information:
          summary: { category: health }
        states:
        \(before)
          read:
            owner: council/social-worker
            occupies: false
            duration: 1h
            needs: [summary]
            next: [ { to: done } ]
          done: { terminal: true }
        """
    }

    static func scenario(_ settings: String, patients: Int = 200, warmUp: String = "none") -> String {
        """
        scenario: gaps
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: 1/h
        warm-up: \(warmUp)
        replications: 1
        seed: 31
        \(settings)
        """
    }

    /// Runs one replication and checks the figures of every kind: `expected` per patient at the
    /// state `read`, every other kind zero.
    func assertGaps(_ settings: String, shape: Shape = .simple, expected: GapKind,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let f = try Fixture.load(pathway: Self.pathway(shape), scenario: Self.scenario(settings), file: file, line: line)
        let v = ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
        XCTAssertEqual(v.value("patients"), 200, file: file, line: line)
        XCTAssertEqual(v.value("item_checks_per_patient"), 1, file: file, line: line)
        for kind in GapKind.allCases {
            let want = kind == expected ? 1.0 : 0.0
            if kind != .available {
                XCTAssertEqual(v.value("gaps_\(kind.name)_per_patient"), want, "\(kind.name)", file: file, line: line)
            }
            XCTAssertEqual(v.value("state_\(kind.name)_per_100_patients", subject: "read"), 100 * want, "\(kind.name)", file: file, line: line)
        }
        XCTAssertEqual(v.value("gap_rate"), expected == .available ? 0 : 1, file: file, line: line)
        // Proceed everywhere: every gap is a risk taken.
        XCTAssertEqual(v.value("risks_per_patient"), expected == .available ? 0 : 1, file: file, line: line)
    }

    func testUnderRecordingOneMakesEveryCheckMissing() throws {
        try assertGaps("""
        architecture: { option: point-to-point, message-latency: 0, message-loss: 0 }
        under-recording: 1
        """, expected: .missing)
    }

    func testALostMessageIsMissing() throws {
        try assertGaps("architecture: { option: point-to-point, message-latency: 0, message-loss: 1 }", expected: .missing)
    }

    func testAnAccessRuleBlocks() throws {
        try assertGaps("""
        architecture: { option: shared-record, publish-latency: 0 }
        access:
          - { category: health, deny: [council/social-worker] }
        """, expected: .blocked)
    }

    func testConsentOptOutBlocksTheSharedRecord() throws {
        try assertGaps("""
        architecture: { option: shared-record, publish-latency: 0 }
        consent: { opt-out: 1 }
        """, expected: .blocked)
    }

    func testConsentOptOutDoesNotBlockDirectMessaging() throws {
        try assertGaps("""
        architecture: { option: point-to-point, message-latency: 0, message-loss: 0 }
        consent: { opt-out: 1 }
        """, expected: .available)
    }

    /// Recorded at a random time, published at the next 02:00 batch, read at once: always late.
    func testANightlyBatchPublishedAfterTheReadIsLate() throws {
        try assertGaps("architecture: { option: shared-record, batch: { every: 24h, at: 02:00 } }", expected: .late)
    }

    func testAMessageStillInTransitIsLate() throws {
        try assertGaps("architecture: { option: point-to-point, message-latency: 5h, message-loss: 0 }", expected: .late)
    }

    /// Version 1 is published at the first 02:00 after it (within 24h), version 2 is recorded 30h
    /// after version 1 and read at once, before its own batch: the readable copy is the older one.
    func testASecondVersionAwaitingItsBatchLeavesTheFirstStale() throws {
        try assertGaps("architecture: { option: shared-record, batch: { every: 24h, at: 02:00 } }", shape: .rewrite, expected: .stale)
    }

    /// Three versions: version 1 is published at the first 02:00 after it (within 24h, so before
    /// version 2 is written 30h later); versions 2 and 3 (1h apart) are read at once, before their
    /// batch. Version 1 is readable centrally and two newer ones exist: stale, not late.
    func testAnOlderVersionReadableWhileTwoNewerAwaitTheirBatchIsStale() throws {
        try assertGaps("architecture: { option: shared-record, batch: { every: 24h, at: 02:00 } }", shape: .threeVersions, expected: .stale)
    }

    /// Version 1 travels with the handoff to the council's visit (5h, arrives during the 10h visit);
    /// version 2 is written afterwards and is still in transit when the council reads: stale.
    func testAnOlderMessageDeliveredWhileTheNewerIsInTransitIsStale() throws {
        try assertGaps("architecture: { option: point-to-point, message-latency: 5h, message-loss: 0 }", shape: .roundTrip, expected: .stale)
        // With instant messages the newest has arrived.
        try assertGaps("architecture: { option: point-to-point, message-latency: 0, message-loss: 0 }", shape: .roundTrip, expected: .available)
    }

    func testAnItemReadableAtTheStartIsAvailable() throws {
        try assertGaps("architecture: { option: shared-record, publish-latency: 0 }", expected: .available)
        try assertGaps("architecture: { option: shared-record, publish-latency: 0 }", shape: .rewrite, expected: .available)
        try assertGaps("architecture: { option: point-to-point, message-latency: 0, message-loss: 0 }", expected: .available)
        try assertGaps("architecture: { option: federated-query, source-availability: 1 }", expected: .available)
    }

    /// Central outages every hour on average lasting 1000h: the record is up 1/1001 of the time.
    /// The outage process starts up, so the first hours are excluded by a 10h warm-up (the chance
    /// of still being in the first up period then is e^-10). Of the later checks, the expected share
    /// made while up is about 1/1001 (an up period lasts 1h on average, and the first long outage
    /// ends before the ~200h run is over with probability ~18%), so nearly every check is unavailable.
    func testACentralRecordThatIsNearlyAlwaysDownIsUnavailable() throws {
        let f = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario("""
        architecture:
          option: shared-record
          publish-latency: 0
          outages: { every: 1h, lasting: 1000h }
        """, warmUp: "10h"))
        let recorder = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
        let counted = recorder.checks.filter { $0.time >= 10 }
        let unavailable = counted.filter { $0.gap == .unavailable }.count
        let available = counted.filter { $0.gap == .available }.count
        print("outages: \(unavailable) unavailable, \(available) available of \(counted.count) checks after the warm-up")
        XCTAssertGreaterThan(counted.count, 150)
        XCTAssertEqual(unavailable + available, counted.count, "nothing but up or down here")
        XCTAssertGreaterThanOrEqual(Double(unavailable), 0.98 * Double(counted.count))

        let v = ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
        XCTAssertGreaterThanOrEqual(v.value("gaps_unavailable_per_patient"), 0.98)
        XCTAssertEqual(v.value("gaps_unavailable_per_patient") + v.value("state_available_per_100_patients", subject: "read") / 100, 1,
                       accuracy: 1e-12)
    }

    /// Federated query with the recording organisation's system nearly always down.
    func testAFederatedQueryToASourceThatIsDownIsUnavailable() throws {
        let f = try Fixture.load(pathway: Self.pathway(), scenario: Self.scenario("""
        architecture:
          option: federated-query
          source-availability: 0.001
          source-outage: 1000h
        """, warmUp: "10h"))
        let v = ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
        XCTAssertGreaterThanOrEqual(v.value("gaps_unavailable_per_patient"), 0.98)
    }
}
