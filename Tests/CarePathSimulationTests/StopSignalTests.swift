import CarePathEngine
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// A caller can stop a replication in progress (a workshop run the room abandoned): the engine
/// checks its `StopSignal` every `stopCheckInterval` (4,096) events, so a run stops within that many
/// events of the signal, says it was cancelled, and a signal never given changes nothing.
final class StopSignalTests: XCTestCase {
    static let pathway = """
        pathway: station
        organisations:
          clinic:
            sector: acute
            maturity: integrated
            roles:
              desk: { capacity: 3 }
        states:
          service:
            owner: clinic/desk
            duration: exponential(mean=1h)
            next: [{ to: left }]
          left: { terminal: true }
        """

    static func scenario(patients: Int) -> String {
        """
        scenario: station
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: 2.4/h
        replications: 1
        seed: 11
        """
    }

    /// Counts arrivals and stops the run itself when the `stopAt`-th patient arrives, as a
    /// request from another thread would, at a moment the test knows.
    struct StoppingObserver: SimulationObserver {
        let signal: StopSignal
        let stopAt: Int
        var arrived = 0
        var arrivedAfterStop = 0

        mutating func patientArrived(_ patient: PatientContext, at time: Double) {
            arrived += 1
            if arrived == stopAt { signal.stop() } else if arrived > stopAt { arrivedAfterStop += 1 }
        }
    }

    /// One million patients (four million events, seconds of work); stopped at the 1,000th
    /// arrival, the run ends within one check interval: each loop turn handles one arrival or one
    /// event, so at most 4,096 more patients can arrive (about a third of the turns are arrivals
    /// here: an arrival, a start and an end per patient).
    func testASignalStopsAReplicationInProgressWithinOneCheckInterval() throws {
        let f = try Fixture.load(pathway: Self.pathway, scenario: Self.scenario(patients: 1_000_000))
        let signal = StopSignal()
        var stuck: StuckRun?
        let started = Date()
        let observer = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant, seed: 1, maximumStateEntries: nil,
                                                stopSignal: signal, observer: StoppingObserver(signal: signal, stopAt: 1000), stuck: &stuck)
        XCTAssertTrue(signal.isStopped)
        XCTAssertEqual(observer.arrived, 1000 + observer.arrivedAfterStop)
        XCTAssertLessThanOrEqual(observer.arrivedAfterStop, 4096, "stopped within one check interval of events")
        XCTAssertLessThan(observer.arrived, 10_000, "not run to its million patients")
        let message = try XCTUnwrap(stuck?.stopped, "a stopped run says so")
        XCTAssertTrue(message.hasPrefix("the run was cancelled at"), message)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "stopping took seconds")
    }

    /// A signal that is never given leaves the run as it was: the same figures, to the bit, as
    /// the same replication without one.
    func testASignalNeverGivenChangesNothing() throws {
        let f = try Fixture.load(pathway: Self.pathway, scenario: Self.scenario(patients: 5000))
        func run(_ signal: StopSignal?) -> ReplicationResult {
            var stuck: StuckRun?
            var result = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant, seed: 7, maximumStateEntries: nil,
                                                  stopSignal: signal, observer: MetricsCollector(), stuck: &stuck).result()
            result.stuck = stuck
            return result
        }
        let without = run(nil), with = run(StopSignal())
        XCTAssertNil(with.stuck)
        XCTAssertFalse(without.metrics.isEmpty)
        XCTAssertEqual(without.metrics.count, with.metrics.count)
        for (a, b) in zip(without.metrics, with.metrics) {
            XCTAssertEqual(a.name, b.name)
            XCTAssertEqual(a.value.bitPattern, b.value.bitPattern, "\(a.name) [\(a.subject)]")
        }
    }
}
