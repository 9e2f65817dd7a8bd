import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Queues that overflow, give up and block, against results that do not come from CarePath:
/// Erlang's loss formula (M/M/c/c), M/M/1/K, the M/M/1+M birth-death chain (Erlang-A with one
/// server), and the two-station line with no buffer and blocking after service.
///
/// Each simulated figure is a mean over replications with a 95% Student t interval, which must
/// cover the theory; a second check asks the interval to be informative (narrow against the value).
final class CapacityTheoryTests: XCTestCase {
    /// One role, exponential service of mean 1h, a queue as given (`{ limit: 0, when-full: lost }`).
    static func station(servers: Int, queue: String, service: String = "exponential(mean=1h)") -> String {
        """
        pathway: station
        title: One station
        organisations:
          clinic:
            name: Clinic
            sector: primary
            maturity: integrated
            roles:
              staff: { capacity: \(servers), queue: \(queue) }
        states:
          service:
            owner: clinic/staff
            duration: \(service)
            next: [ { to: done } ]
          done: { terminal: true }
          lost: { terminal: true }
        """
    }

    static func scenario(arrivals: String, patients: Int = 20_000, replications: Int = 20, seed: UInt64 = 20261202) -> String {
        """
        scenario: station
        pathway: pathway.yaml
        cohort:
          patients: \(patients)
          arrivals: \(arrivals)
        warm-up: 5%
        replications: \(replications)
        seed: \(seed)
        """
    }

    func run(_ pathway: String, _ scenario: String) throws -> VariantSummary {
        let f = try Fixture.load(pathway: pathway, scenario: scenario)
        return ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
    }

    func assertCovers(_ metric: SummaryMetric?, _ theory: Double, _ what: String, relativeWidth: Double = 0.1,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let m = try XCTUnwrap(metric, what, file: file, line: line)
        print("\(what): theory \(theory); simulated \(m.mean), 95% CI [\(m.low ?? .nan), \(m.high ?? .nan)]")
        XCTAssertLessThanOrEqual(try XCTUnwrap(m.low, file: file, line: line), theory, "\(what): interval above theory", file: file, line: line)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(m.high, file: file, line: line), theory, "\(what): interval below theory", file: file, line: line)
        XCTAssertLessThan(try XCTUnwrap(m.halfWidth, file: file, line: line), relativeWidth * theory, "\(what): interval too wide to mean anything",
                          file: file, line: line)
    }

    // MARK: Loss systems

    /// M/M/3/3 at offered load a = 2 Erlangs: Erlang's loss formula B(3, 2) = (8/6) / (1 + 2 + 2 + 8/6) = 4/19.
    func testNoWaitingRoomTurnsAwayErlangsLossFormulaShare() throws {
        let v = try run(Self.station(servers: 3, queue: "{ limit: 0, when-full: lost }"), Self.scenario(arrivals: "2/h"))
        XCTAssertEqual(ErlangB.blocking(servers: 3, offered: 2), 4.0 / 19, accuracy: 1e-12)
        try assertCovers(v.metric("balk_share", subject: "clinic/staff"), ErlangB.blocking(servers: 3, offered: 2), "M/M/3/3 balk share")
        try assertCovers(v.metric("outcome_share", subject: "lost"), ErlangB.blocking(servers: 3, offered: 2), "M/M/3/3 share of patients lost")
        // Nobody waits: the wait is zero for everyone served.
        XCTAssertEqual(v.metric("wait_mean_h", subject: "clinic/staff")?.mean, 0)
    }

    /// Erlang's loss formula does not depend on the service distribution beyond its mean
    /// (insensitivity): lognormal services of mean 1h turn away the same share.
    func testLossShareIsInsensitiveToTheServiceDistribution() throws {
        let v = try run(Self.station(servers: 3, queue: "{ limit: 0, when-full: lost }", service: "lognormal(mean=1h, sd=2h)"),
                        Self.scenario(arrivals: "2/h"))
        try assertCovers(v.metric("balk_share", subject: "clinic/staff"), 4.0 / 19, "M/G/3/3 balk share")
    }

    /// M/M/1/K with K = 5 places (one in service, four waiting) at rho = 0.9:
    /// P(full) = (1 - rho) rho^K / (1 - rho^(K+1)), and the server is busy rho (1 - P(full)) of the time.
    func testFiniteQueueMatchesMM1K() throws {
        let v = try run(Self.station(servers: 1, queue: "{ limit: 4, when-full: lost }"), Self.scenario(arrivals: "0.9/h"))
        let rho = 0.9, k = 5.0
        let full = (1 - rho) * pow(rho, k) / (1 - pow(rho, k + 1))
        try assertCovers(v.metric("balk_share", subject: "clinic/staff"), full, "M/M/1/5 balk share")
        try assertCovers(v.metric("utilisation", subject: "clinic/staff"), rho * (1 - full), "M/M/1/5 utilisation", relativeWidth: 0.02)
    }

    // MARK: Abandonment

    /// M/M/1+M: Poisson arrivals 1/h, exponential service 1h, exponential patience of mean 2h
    /// (theta = 0.5/h). A birth-death chain with birth rate lambda and death rate mu + (n - 1) theta
    /// in state n >= 1; the share who abandon is theta E[number waiting] / lambda (Palm; Garnett,
    /// Mandelbaum and Reiman 2002 for the many-server case).
    func testPatienceMatchesTheMM1PlusMBirthDeathChain() throws {
        let v = try run(Self.station(servers: 1, queue: "{ patience: exponential(mean=2h), gives-up-to: lost }"),
                        Self.scenario(arrivals: "1/h"))
        let theory = Abandonment.share(lambda: 1, mu: 1, theta: 0.5, servers: 1)
        try assertCovers(v.metric("renege_share", subject: "clinic/staff"), theory, "M/M/1+M renege share")
        try assertCovers(v.metric("outcome_share", subject: "lost"), theory, "M/M/1+M share of patients lost")
    }

    /// M/M/2+M with a waiting room of 3: the chain stops at n = 5; arrivals then balk.
    func testPatienceAndALimitTogetherMatchTheTruncatedChain() throws {
        let v = try run(Self.station(servers: 2, queue: "{ limit: 3, when-full: lost, patience: exponential(mean=1h), gives-up-to: lost }"),
                        Self.scenario(arrivals: "2.4/h"))
        let chain = Abandonment.chain(lambda: 2.4, mu: 1, theta: 1, servers: 2, places: 5)
        try assertCovers(v.metric("balk_share", subject: "clinic/staff"), chain.full, "M/M/2/5+M balk share")
        try assertCovers(v.metric("renege_share", subject: "clinic/staff"), chain.abandon, "M/M/2/5+M renege share")
    }

    // MARK: Blocking after service

    /// Two stations in series with no room between them: a patient finished at the first keeps its
    /// unit until the second takes them. With the first station never starved, the line's
    /// throughput is mu1 mu2 (mu1 + mu2) / (mu1^2 + mu1 mu2 + mu2^2) (Hunt 1956; Gershwin,
    /// "Manufacturing Systems Engineering", 1994, two-machine line with zero buffer): with
    /// mu1 = 1/h and mu2 = 2/h, 6/7 per hour. Solving the three-state chain by hand: the first
    /// station works 6/7 of the time and is blocked 1/7; the second is busy 3/7.
    func testATwoStationLineWithoutBufferMatchesTheBlockingChain() throws {
        let pathway = """
        pathway: line
        title: Two stations, no buffer
        organisations:
          first:
            name: First
            sector: acute
            maturity: integrated
            roles:
              one: { capacity: 1, queue: { limit: 30, when-full: lost } }
          second:
            name: Second
            sector: community
            maturity: integrated
            roles:
              two: { capacity: 1 }
        states:
          a:
            owner: first/one
            duration: exponential(mean=1h)
            holds: until-next
            next: [ { to: b } ]
          b:
            owner: second/two
            duration: exponential(mean=30m)
            next: [ { to: done } ]
          done: { terminal: true }
          lost: { terminal: true }
        """
        // Arrivals at 4/h keep the first station's queue (up to 30) from ever emptying.
        let v = try run(pathway, Self.scenario(arrivals: "4/h", patients: 40_000))
        try assertCovers(v.metric("utilisation_busy", subject: "first/one"), 6.0 / 7, "line: first station working", relativeWidth: 0.02)
        try assertCovers(v.metric("utilisation_blocked", subject: "first/one"), 1.0 / 7, "line: first station blocked")
        try assertCovers(v.metric("utilisation", subject: "second/two"), 3.0 / 7, "line: second station busy", relativeWidth: 0.02)
        // Never starved: working and blocked fill the first station's time.
        XCTAssertEqual(try XCTUnwrap(v.metric("utilisation", subject: "first/one")).mean, 1, accuracy: 1e-3)
    }

    /// Holding conserves unit-hours: at every moment each unit is idle, in service or held, so over
    /// the window the three add up to capacity x window. Checked per replication against an
    /// observer of its own that integrates the role changes it is told of.
    func testEveryUnitHourIsIdleBusyOrBlocked() throws {
        let f = try Fixture.load(pathway: Self.wardAndReablement(reablement: 5), scenario: Self.wardScenario(replications: 4))
        for r in 0..<4 {
            let watched = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                   seed: ScenarioRunner.replicationSeed(f.scenario.seed, r),
                                                   observer: ObserverPair(MetricsCollector(), UnitLedger(capacities: [14, 5])))
            let result = watched.first.result(), ledger = watched.second
            XCTAssertTrue(ledger.violations.isEmpty, "\(ledger.violations.prefix(3))")
            XCTAssertGreaterThan(ledger.blocked[0], 0, "ward beds were held by patients waiting for reablement")
            for (role, capacity, i) in [("acute/ward", 14.0, 0), ("council/reablement", 5.0, 1)] {
                let window = ledger.windowHours
                let busy = result.value("utilisation_busy", subject: role) * capacity * window
                let blocked = result.value("utilisation_blocked", subject: role) * capacity * window
                XCTAssertEqual(busy, ledger.busy[i], accuracy: 1e-6 * capacity * window, role)
                XCTAssertEqual(blocked, ledger.blocked[i], accuracy: 1e-6 * capacity * window, role)
                XCTAssertEqual(ledger.idle[i] + ledger.busy[i] + ledger.blocked[i], capacity * window, accuracy: 1e-6 * capacity * window, role)
            }
            XCTAssertNil(result.stuck)
        }
    }

    /// A ward (4 admissions a day staying 2 days: 8 of 14 beds in use on average) whose patients half
    /// go on to reablement (2 a day for 2 days: 4 places in use on average, of the capacity given),
    /// holding their bed until it takes them.
    static func wardAndReablement(reablement: Int) -> String {
        """
        pathway: ward
        title: Ward and reablement
        organisations:
          acute:
            name: Hospital
            sector: acute
            maturity: integrated
            roles:
              ward: { capacity: 14 }
          council:
            name: Council
            sector: social-care
            maturity: basic
            roles:
              reablement: { capacity: \(reablement) }
        states:
          stay:
            owner: acute/ward
            duration: exponential(mean=2d)
            holds: until-next
            next: [ { to: reablement, p: 0.5 }, { to: home } ]
          reablement:
            owner: council/reablement
            duration: exponential(mean=2d)
            next: [ { to: home } ]
          home: { terminal: true }
        """
    }

    static func wardScenario(replications: Int) -> String {
        """
        scenario: ward
        pathway: pathway.yaml
        cohort:
          patients: 3000
          arrivals: 4/d
        warm-up: 10%
        replications: \(replications)
        seed: 77
        """
    }

    /// Fewer reablement places: more ward beds held, longer ward waits, on the same patients.
    func testFewerReablementPlacesHoldMoreWardBeds() throws {
        let roomy = try Fixture.load(pathway: Self.wardAndReablement(reablement: 7), scenario: Self.wardScenario(replications: 10))
        let tight = try Fixture.load(pathway: Self.wardAndReablement(reablement: 5), scenario: Self.wardScenario(replications: 10))
        let a = ScenarioRunner.run(roomy.scenario, pathway: roomy.pathway).variants[0]
        let b = ScenarioRunner.run(tight.scenario, pathway: tight.pathway).variants[0]
        for name in ["utilisation_blocked", "utilisation", "wait_mean_h"] {
            XCTAssertGreaterThan(b.value(name, subject: "acute/ward"), a.value(name, subject: "acute/ward"), name)
        }
        XCTAssertGreaterThan(b.value("blocked_bed_days_per_month"), a.value("blocked_bed_days_per_month"))
        XCTAssertGreaterThan(b.value("ready_to_moved_mean_h", subject: "acute/ward|reablement"),
                             a.value("ready_to_moved_mean_h", subject: "acute/ward|reablement"))
        // Going home needs no place: those beds are let go at once.
        XCTAssertEqual(b.value("delayed_transfers_per_100_patients", subject: "acute/ward|home"), 0)
    }

    // MARK: A circle that cannot clear

    /// Patients of one kind go from A to B, of the other from B to A, each holding their unit: once
    /// A's only unit is held by someone waiting for B and B's by someone waiting for A, nobody can
    /// move. The run ends (no hang) and says which roles and since when.
    func testCircularHoldingIsReportedWithTheRolesAndTheTime() throws {
        let pathway = """
        pathway: circle
        title: A circle of holds
        attributes:
          kind: boolean
        organisations:
          one:
            name: One
            sector: acute
            maturity: integrated
            roles:
              a: { capacity: 1 }
          two:
            name: Two
            sector: community
            maturity: integrated
            roles:
              b: { capacity: 1 }
        states:
          start:
            owner: one/a
            occupies: false
            next: [ { to: at-a, when: "kind" }, { to: at-b } ]
          at-a:
            owner: one/a
            duration: exponential(mean=1h)
            holds: until-next
            next: [ { to: then-b } ]
          then-b:
            owner: two/b
            duration: 1h
            next: [ { to: done } ]
          at-b:
            owner: two/b
            duration: exponential(mean=1h)
            holds: until-next
            next: [ { to: then-a } ]
          then-a:
            owner: one/a
            duration: 1h
            next: [ { to: done } ]
          done: { terminal: true }
        """
        let scenario = """
        scenario: circle
        pathway: pathway.yaml
        cohort:
          patients: 200
          arrivals: 2/h
          attributes: { kind: 0.5 }
        replications: 1
        seed: 1
        """
        let f = try Fixture.load(pathway: pathway, scenario: scenario)
        var stuck: StuckRun?
        _ = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant, seed: 1, observer: NoObserver(), stuck: &stuck)
        let found = try XCTUnwrap(stuck, "the circle is found")
        print(found.message)
        XCTAssertTrue(found.circular)
        XCTAssertEqual(Set(found.roles), ["one/a", "two/b"])
        XCTAssertGreaterThan(found.since, 0)
        XCTAssertTrue(found.message.contains("one/a") && found.message.contains("two/b") && found.message.contains(" h"))
    }
}

/// Erlang's loss formula by its recurrence B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
enum ErlangB {
    static func blocking(servers c: Int, offered a: Double) -> Double {
        var b = 1.0
        for k in stride(from: 1, through: c, by: 1) { b = a * b / (Double(k) + a * b) }
        return b
    }
}

/// Birth-death chains of queues whose patients give up (exponential patience).
enum Abandonment {
    /// Stationary probabilities of n = 0 ... places patients present: births at lambda, deaths at
    /// min(n, c) mu + max(n - c, 0) theta. Returns the share of arrivals who find it full and the
    /// share who abandon (theta E[waiting] over the rate of arrivals).
    static func chain(lambda: Double, mu: Double, theta: Double, servers c: Int, places: Int) -> (full: Double, abandon: Double) {
        var weights = [1.0]
        for n in 1...places {
            let death = Double(min(n, c)) * mu + Double(max(n - c, 0)) * theta
            weights.append(weights[n - 1] * lambda / death)
        }
        let total = weights.reduce(0, +)
        let p = weights.map { $0 / total }
        let waiting = p.enumerated().reduce(0.0) { $0 + Double(max($1.offset - c, 0)) * $1.element }
        return (p[places], theta * waiting / lambda)
    }

    /// Without a limit, the chain truncated where its tail is negligible.
    static func share(lambda: Double, mu: Double, theta: Double, servers c: Int) -> Double {
        chain(lambda: lambda, mu: mu, theta: theta, servers: c, places: 400).abandon
    }
}

/// Integrates, per role, the units idle, in service and held, from the changes the simulation
/// reports, over the measurement window; and notes any moment a count leaves its range.
struct UnitLedger: SimulationObserver {
    let capacities: [Int]
    var busyUnits: [Int], blockedUnits: [Int], last: [Double]
    var idle: [Double], busy: [Double], blocked: [Double]
    var start = 0.0, end = Double.infinity, counting = false
    var violations: [String] = []
    var windowHours: Double { end - start }

    init(capacities: [Int]) {
        self.capacities = capacities
        busyUnits = capacities.map { _ in 0 }; blockedUnits = busyUnits
        last = capacities.map { _ in 0 }; idle = last; busy = last; blocked = last
    }

    mutating func advance(_ r: Int, to t: Double) {
        if counting {
            let dt = min(t, end) - max(last[r], start)
            if dt > 0 {
                idle[r] += Double(capacities[r] - busyUnits[r]) * dt
                busy[r] += Double(busyUnits[r] - blockedUnits[r]) * dt
                blocked[r] += Double(blockedUnits[r]) * dt
            }
        }
        last[r] = t
    }

    mutating func check(_ r: Int, _ t: Double) {
        if busyUnits[r] > capacities[r] || blockedUnits[r] > busyUnits[r] || blockedUnits[r] < 0 {
            violations.append("role \(r) at \(t): \(busyUnits[r]) in use, \(blockedUnits[r]) held, capacity \(capacities[r])")
        }
    }

    mutating func warmUpEnded(at time: Double) {
        for r in capacities.indices { advance(r, to: time) }
        start = time; counting = true
    }
    mutating func arrivalsEnded(at time: Double) { end = time }
    mutating func roleChanged(role: Int, queueLength: Int, busy units: Int, at time: Double) {
        advance(role, to: time); busyUnits[role] = units; check(role, time)
    }
    mutating func roleBlocked(role: Int, blocked units: Int, at time: Double) {
        advance(role, to: time); blockedUnits[role] = units; check(role, time)
    }
    mutating func runEnded(at time: Double) { for r in capacities.indices { advance(r, to: time) } }
}
