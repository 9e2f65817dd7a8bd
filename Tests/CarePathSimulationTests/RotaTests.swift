import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Rotas: utilisation as a share of the hours a team is open, shifts with their own capacity,
/// nights past midnight, bank holidays, and monthly demand factors.
final class RotaTests: XCTestCase {
    static func team(rota: String, service: String = "exponential(mean=2h)") -> String {
        """
        pathway: team
        title: One team on a rota
        organisations:
          council:
            name: Council
            sector: social-care
            maturity: basic
            roles:
              team:
        \(rota.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
        states:
          visit:
            owner: council/team
            duration: \(service)
            next: [ { to: done } ]
          done: { terminal: true }
        """
    }

    /// Two social workers, weekdays 09:00-17:00: 80 unit-hours open a week. Arrivals at 0.1/h all
    /// week long with 2h of work each bring 0.1 x 168 x 2 = 33.6 hours of work a week, so the team
    /// is busy 33.6 / 80 = 42% of its open hours (and 10% of the week's 336 unit-hours, the figure
    /// that read as "idle" before).
    func testUtilisationOfAWeekdayTeamIsAShareOfItsOpenHours() throws {
        let f = try Fixture.load(pathway: Self.team(rota: "{ capacity: 2, calendar: weekdays 09:00-17:00 }"), scenario: """
        scenario: team
        pathway: pathway.yaml
        cohort:
          horizon: 30w
          arrivals: 0.1/h
        warm-up: 2w
        replications: 20
        seed: 9
        """)
        let v = ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
        let u = try XCTUnwrap(v.metric("utilisation", subject: "council/team"))
        print("weekday team: utilisation \(u.mean), 95% CI [\(u.low ?? .nan), \(u.high ?? .nan)], hand computation 0.42")
        XCTAssertLessThanOrEqual(try XCTUnwrap(u.low), 0.42)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(u.high), 0.42)
        XCTAssertLessThan(try XCTUnwrap(u.halfWidth), 0.02)
        // Work that starts before 17:00 finishes after it: overtime is counted, and it is part of
        // the busy hours (2h services started up to 17:00 run on for about an hour on average).
        XCTAssertGreaterThan(v.value("overtime_hours_per_day", subject: "council/team"), 0)
    }

    /// A rota of 3 by day (08:00-20:00) and 1 by night (20:00-08:00): no service starts while as
    /// many are in progress as the shift allows, and nights are worked.
    func testCapacityByShiftIsNeverExceededAtAStart() throws {
        let rota = """
        rota:
          - { when: "every day 08:00-20:00", capacity: 3 }
          - { when: "every day 20:00-08:00", capacity: 1 }
        """
        let f = try Fixture.load(pathway: Self.team(rota: rota, service: "exponential(mean=1h)"), scenario: """
        scenario: team
        pathway: pathway.yaml
        cohort:
          horizon: 4w
          arrivals: 1.5/h
        replications: 1
        seed: 3
        """)
        let recorder = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
        let visit = f.stateIndex("visit")
        let starts = recorder.starts.filter { $0.state == visit }
        let ends = Dictionary(recorder.ends.filter { $0.state == visit }.map { ($0.patient, $0.time) }, uniquingKeysWith: { a, _ in a })
        func shift(_ t: Double) -> Int {
            let hour = t.truncatingRemainder(dividingBy: 24)
            return hour >= 8 - 1e-9 && hour < 20 - 1e-9 ? 3 : 1
        }
        var nightStarts = 0
        for s in starts {
            let inProgress = starts.filter { $0.time <= s.time && (ends[$0.patient] ?? .infinity) > s.time }.count
            XCTAssertLessThanOrEqual(inProgress, shift(s.time), "at \(s.time) h")
            if shift(s.time) == 1 { nightStarts += 1 }
        }
        XCTAssertGreaterThan(nightStarts, 100, "the night shift works")
        XCTAssertEqual(starts.count, recorder.left.count, "everyone is seen")
    }

    /// Two windows a day on weekdays, and a bank holiday that the team does not work: nobody starts
    /// over lunch, at weekends or on the holiday (Monday 13 January 2025, day 7 from a start on
    /// Monday 6 January).
    func testLunchBreaksWeekendsAndBankHolidaysAreNotWorked() throws {
        let rota = """
        { capacity: 2, calendar: "mon-fri 08:00-12:30, 13:30-17:00", bank-holidays: closed }
        """
        let f = try Fixture.load(pathway: Self.team(rota: rota, service: "20m"), scenario: """
        scenario: team
        pathway: pathway.yaml
        calendar:
          start: 2025-01-06
          bank-holidays: [2025-01-13]
        cohort:
          horizon: 3w
          arrivals: 1/h
        replications: 1
        seed: 5
        """)
        let recorder = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
        let starts = recorder.starts.map(\.time)
        XCTAssertGreaterThan(starts.count, 400)
        for t in starts {
            let day = Int(t / 24), minute = (t.truncatingRemainder(dividingBy: 24) * 60 + 1e-6).rounded(.down)
            XCTAssertLessThan(day % 7, 5, "weekend start at \(t)")
            XCTAssertNotEqual(day, 7, "start on the bank holiday at \(t)")
            XCTAssertTrue((480..<750).contains(minute) || (810..<1020).contains(minute), "start outside the windows at \(t)")
        }
        // The morning after the holiday begins with the weekend's and the holiday's patients.
        XCTAssertTrue(starts.contains { Int($0 / 24) == 8 && abs($0 - (8 * 24 + 8)) < 1e-6 }, "Tuesday opens at 08:00 with a queue")
    }

    /// Arrivals twice as frequent in January as in the other months: per day, January (26 days
    /// from Monday 6 January) gets twice February's arrivals, within sampling error.
    func testMonthlyFactorsScaleArrivalsByCalendarMonth() throws {
        let f = try Fixture.load(pathway: Self.team(rota: "{ capacity: 100 }", service: "1m"), scenario: """
        scenario: team
        pathway: pathway.yaml
        calendar: { start: 2025-01-06 }
        cohort:
          horizon: 54d
          arrivals: 10/h
          monthly-factors: [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
        replications: 1
        seed: 11
        """)
        let recorder = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
        let times = recorder.arrivals.values.map(\.time)
        let january = Double(times.filter { $0 < 26 * 24 }.count) / 26, february = Double(times.filter { $0 >= 26 * 24 }.count) / 28
        print("arrivals per day: January \(january), February \(february) (expected 480 and 240)")
        // Poisson counts: sd of a daily mean over 26 days at 480/day is sqrt(480 x 26) / 26 ~ 4.3.
        XCTAssertEqual(january, 480, accuracy: 4 * 4.3)
        XCTAssertEqual(february, 240, accuracy: 4 * 2.9)
    }

    /// Numbers at the edge of what a file may say (`Bounds`: a shift of 10^12 staff, a limit beyond
    /// Int32, a patience of nearly 1,000 years) run and warn without trapping.
    func testHugeShiftCapacitiesLimitsAndPatienceRunWithoutTrapping() throws {
        let rota = """
        rota:
          - { when: "every day 08:00-20:00", capacity: 1000000000000 }
          - { when: "every day 20:00-08:00", capacity: 1 }
        queue: { limit: 1000000000000, when-full: done, patience: 52178w, gives-up-to: done }
        """
        let f = try Fixture.load(pathway: Self.team(rota: rota, service: "1h"), scenario: """
        scenario: team
        pathway: pathway.yaml
        cohort: { patients: 500, arrivals: 2/h }
        replications: 2
        seed: 1
        """)
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        XCTAssertEqual(summary.variants[0].value("patients"), 500)
        XCTAssertEqual(summary.variants[0].value("renege_share", subject: "council/team"), 0)
        XCTAssertTrue((summary.warnings ?? []).allSatisfy { !$0.isFatal })
    }
}
