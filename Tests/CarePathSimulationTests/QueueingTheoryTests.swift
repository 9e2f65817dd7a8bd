import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathTestSupport
import Foundation
import XCTest

/// The engine against queueing theory: Little's law on every role, Erlang C on M/M/1 and M/M/c.
final class QueueingTheoryTests: XCTestCase {
    /// One organisation, one role, one exponential service, Poisson arrivals: an M/M/c queue.
    static func singleStation(servers: Int, service: String) -> String {
        """
        pathway: mmc
        title: One M/M/c station
        organisations:
          clinic:
            name: Clinic
            sector: primary
            maturity: integrated
            roles:
              staff: { capacity: \(servers) }
        states:
          service:
            owner: clinic/staff
            duration: \(service)
            next: [ { to: done } ]
          done: { terminal: true }
        """
    }

    static func stationScenario(arrivals: String, patients: Int, replications: Int, seed: UInt64) -> String {
        """
        scenario: mmc
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: \(arrivals)
        warm-up: 5%
        replications: \(replications)
        seed: \(seed)
        """
    }

    /// Two roles in tandem in two organisations: M/M/2 then M/M/1 (a Jackson network).
    static let tandem = """
    pathway: tandem
    title: Two stations in tandem
    organisations:
      first:
        name: First
        sector: acute
        maturity: integrated
        roles:
          team: { capacity: 2 }
      second:
        name: Second
        sector: community
        maturity: basic
        roles:
          nurse: { capacity: 1 }
    states:
      one:
        owner: first/team
        duration: exponential(mean=1h)
        next: [ { to: two } ]
      two:
        owner: second/nurse
        duration: exponential(mean=30m)
        next: [ { to: done } ]
      done: { terminal: true }
    """

    static func tandemScenario(warmUp: String, patients: Int = 5000, replications: Int = 10) -> String {
        """
        scenario: tandem
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: 1.5/h
        warm-up: \(warmUp)
        replications: \(replications)
        seed: 4242
        handoffs: { latency: exponential(mean=2h) }
        """
    }

    /// L = lambda W per role: `queue_length_mean` against `starts_per_day` / 24 x `wait_mean_h`.
    ///
    /// Tolerance: on a sample path that starts and ends with empty queues, the time integral of the
    /// queue length equals the sum of the waits exactly (each waiting patient adds its wait to both),
    /// so without a warm-up the two sides agree to rounding (1e-9 relative). With a warm-up, the
    /// integral starts at the end of the warm-up while the waits of services started after it are
    /// counted whole, so lambda W exceeds L by the waiting done before the warm-up by the patients
    /// queued at that moment, divided by the window: never negative, and a boundary term of a few
    /// patient-hours over a window of ~3,000 hours, below the sampling error of L itself. So each
    /// replication must have lambda W >= L (to rounding), and the mean paired difference
    /// (L - lambda W) must lie within the half-width of L's own 95% interval.
    func testLittlesLawHoldsForEveryRoleOfATandemNetwork() throws {
        for warmUp in ["none", "5%"] {
            let f = try Fixture.load(pathway: Self.tandem, scenario: Self.tandemScenario(warmUp: warmUp))
            let runs = replicationResults(f)
            for role in ["first/team", "second/nurse"] {
                let l = runs.map { $0.value("queue_length_mean", subject: role) }
                let lambdaW = runs.map { $0.value("starts_per_day", subject: role) / 24 * $0.value("wait_mean_h", subject: role) }
                let differences = Estimate(zip(l, lambdaW).map { $0 - $1 })
                let lEstimate = Estimate(l)
                print("Little's law, warm-up \(warmUp), \(role): L = \(lEstimate.mean) ± \(lEstimate.halfWidth ?? .nan),",
                      "lambda W = \(Estimate(lambdaW).mean), mean difference \(differences.mean) ± \(differences.halfWidth ?? .nan)")
                XCTAssertGreaterThan(lEstimate.mean, 0.2, "\(role): the queue should not be trivially empty")
                for (lr, lw) in zip(l, lambdaW) {
                    if warmUp == "none" {
                        XCTAssertEqual(lr, lw, accuracy: 1e-9 * lr, "\(role): exact sample-path identity without warm-up")
                    } else {
                        XCTAssertGreaterThanOrEqual(lw - lr, -1e-9 * lr, "\(role): the warm-up boundary term is waiting, never negative")
                    }
                }
                XCTAssertLessThanOrEqual(abs(differences.mean), try XCTUnwrap(lEstimate.halfWidth), role)
            }
        }
    }

    /// The tandem is a Jackson network: with Poisson arrivals the first station is M/M/2 (lambda 1.5/h,
    /// mean service 1h) and, by Burke's theorem (its departures are Poisson, and i.i.d. exponential
    /// transfer delays keep them so), the second is M/M/1 (mean service 30 min). Each station's
    /// simulated mean wait must cover its Erlang C value (95% interval over 20 replications of
    /// 20,000 patients: with 10 of 5,000 the start-up transient and the queue's autocorrelation made
    /// the interval too narrow to be trusted at the second station).
    func testTandemStationsMatchJacksonNetworkTheory() throws {
        let f = try Fixture.load(pathway: Self.tandem, scenario: Self.tandemScenario(warmUp: "5%", patients: 20000, replications: 20))
        let v = ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
        for (role, servers, mu) in [("first/team", 2, 1.0), ("second/nurse", 1, 2.0)] {
            let theory = ErlangC.meanWait(arrivalRate: 1.5, serviceRate: mu, servers: servers)
            let wait = try XCTUnwrap(v.metric("wait_mean_h", subject: role))
            print("Jackson tandem \(role): Wq theory \(theory) h; simulated \(wait.mean) h, 95% CI [\(wait.low ?? .nan), \(wait.high ?? .nan)]")
            XCTAssertLessThanOrEqual(try XCTUnwrap(wait.low), theory, role)
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(wait.high), theory, role)
        }
    }

    /// M/M/1 with lambda = 0.8/h and mean service 1h: Wq = rho / (mu - lambda) = 4h, utilisation 0.8.
    func testMM1MeanWaitMatchesTheoryWithinTheConfidenceInterval() throws {
        try checkErlangC(servers: 1, lambda: 0.8, arrivals: "0.8/h")
    }

    /// M/M/3 with lambda = 2.4/h and mean service 1h (rho = 0.8): Erlang C gives Wq ~ 1.079h.
    func testMM3MeanWaitMatchesErlangCWithinTheConfidenceInterval() throws {
        try checkErlangC(servers: 3, lambda: 2.4, arrivals: "2.4/h")
    }

    func checkErlangC(servers c: Int, lambda: Double, arrivals: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let mu = 1.0
        let f = try Fixture.load(pathway: Self.singleStation(servers: c, service: "exponential(mean=1h)"),
                                 scenario: Self.stationScenario(arrivals: arrivals, patients: 20_000, replications: 20, seed: 20261124))
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: .init(threads: ProcessInfo.processInfo.activeProcessorCount))
        let v = summary.variants[0]
        let theory = ErlangC.meanWait(arrivalRate: lambda, serviceRate: mu, servers: c)
        let wait = try XCTUnwrap(v.metric("wait_mean_h", subject: "clinic/staff"), file: file, line: line)
        let utilisation = try XCTUnwrap(v.metric("utilisation", subject: "clinic/staff"), file: file, line: line)
        let queue = try XCTUnwrap(v.metric("queue_length_mean", subject: "clinic/staff"), file: file, line: line)
        print("M/M/\(c): Wq theory \(theory) h; simulated \(wait.mean) h, 95% CI [\(wait.low ?? .nan), \(wait.high ?? .nan)];",
              "utilisation \(utilisation.mean) (rho \(lambda / (Double(c) * mu))); Lq \(queue.mean) (theory \(lambda * theory))")
        XCTAssertNotNil(wait.halfWidth, file: file, line: line)
        XCTAssertLessThanOrEqual(try XCTUnwrap(wait.low, file: file, line: line), theory, "M/M/\(c): interval above theory", file: file, line: line)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(wait.high, file: file, line: line), theory, "M/M/\(c): interval below theory", file: file, line: line)
        // The interval is informative: narrower than 10% of the theoretical wait.
        XCTAssertLessThan(try XCTUnwrap(wait.halfWidth), 0.1 * theory, file: file, line: line)
        // Utilisation: each replication's estimate has a relative sd of about sqrt(2/19000) ~ 1%, so the
        // mean of 20 is within 0.01 of rho by a wide margin (about 4 standard errors).
        XCTAssertEqual(utilisation.mean, lambda / (Double(c) * mu), accuracy: 0.01, file: file, line: line)
    }

    func testErlangCFormula() {
        // M/M/1: P(wait) = rho, Wq = rho / (mu - lambda).
        XCTAssertEqual(ErlangC.probabilityOfWaiting(arrivalRate: 0.8, serviceRate: 1, servers: 1), 0.8, accuracy: 1e-12)
        XCTAssertEqual(ErlangC.meanWait(arrivalRate: 0.8, serviceRate: 1, servers: 1), 4, accuracy: 1e-12)
        // M/M/3, a = 2.4: C = 11.52 / (6.28 + 11.52) (worked by hand).
        XCTAssertEqual(ErlangC.probabilityOfWaiting(arrivalRate: 2.4, serviceRate: 1, servers: 3), 11.52 / 17.8, accuracy: 1e-12)
    }
}
