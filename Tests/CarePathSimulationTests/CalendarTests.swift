import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Working calendars: no service starts while the role is closed; work already started finishes.
final class CalendarTests: XCTestCase {
    static let pathway = """
    pathway: office-hours
    title: A weekday-only team
    organisations:
      hospital:
        name: Hospital
        sector: acute
        maturity: integrated
        roles:
          ward: { capacity: 50 }
      council:
        name: Council
        sector: social-care
        maturity: basic
        roles:
          social-worker: { capacity: 4, calendar: weekdays 09:00-17:00 }
    states:
      ward-stay:
        owner: hospital/ward
        duration: exponential(mean=3h)
        next: [ { to: assessment } ]
      assessment:
        owner: council/social-worker
        duration: 30m
        next: [ { to: done } ]
      done: { terminal: true }
    """

    static let scenario = """
    scenario: office-hours
    pathway: pathway.yaml
    cohort:
      horizon: 3w
      arrivals: 1/h
    replications: 1
    seed: 99
    """

    func testNoServiceStartsOutsideWeekdayOfficeHoursAndWeekendPatientsWaitForMonday() throws {
        let f = try Fixture.load(pathway: Self.pathway, scenario: Self.scenario)
        let assessment = f.stateIndex("assessment")
        let recorder = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant,
                                                seed: ScenarioRunner.replicationSeed(f.scenario.seed, 0), observer: EventRecorder())
        let starts = recorder.starts.filter { $0.state == assessment }
        XCTAssertGreaterThan(starts.count, 400, "about 504 patients arrive in 3 weeks")
        XCTAssertEqual(starts.count, recorder.left.count, "every patient is assessed once and leaves")

        // Hours from Monday 00:00: day = 0 (Monday) ... 6 (Sunday).
        func day(_ t: Double) -> Int { Int((t.truncatingRemainder(dividingBy: 168)) / 24) }
        func hourOfDay(_ t: Double) -> Double { t.truncatingRemainder(dividingBy: 24) }
        let tolerance = 1e-6
        for s in starts {
            XCTAssertLessThan(day(s.time + tolerance), 5, "a start at \(s.time) h falls on a weekend")
            XCTAssertGreaterThanOrEqual(hourOfDay(s.time + tolerance), 9, "a start at \(s.time) h is before 09:00")
            XCTAssertLessThan(hourOfDay(s.time), 17, "a start at \(s.time) h is at or after 17:00")
        }

        // Patients ready for the assessment at the weekend (ward stay ended on Saturday or Sunday)
        // start on Monday 09:00 or later, never before.
        let readyAt = Dictionary(recorder.handoffs.filter { $0.to == assessment }.map { ($0.patient, $0.time + $0.latency) },
                                 uniquingKeysWith: { a, _ in a })
        var weekendPatients = 0, weekendPatientsStartedOnMonday = 0
        for s in starts {
            let ready = try XCTUnwrap(readyAt[s.patient])
            XCTAssertEqual(s.waited, s.time - ready, accuracy: 1e-9)
            guard day(ready) >= 5 else { continue }
            weekendPatients += 1
            let nextMonday = ((ready / 168).rounded(.down) + 1) * 168 + 9
            XCTAssertGreaterThanOrEqual(s.time, nextMonday - tolerance, "ready at \(ready) h (weekend) but started at \(s.time) h")
            if s.time < nextMonday + 8 { weekendPatientsStartedOnMonday += 1 }
        }
        XCTAssertGreaterThan(weekendPatients, 50, "two weekends of 48 hours at 1/h")
        XCTAssertGreaterThan(weekendPatientsStartedOnMonday, 0, "some weekend patients are seen on Monday")
        // The queue built up since Friday 17:00 is served from the opening: on each Monday of the
        // run, all four social workers start at 09:00 exactly (FIFO: Friday evening's patients first).
        for week in 1...3 {
            let opening = Double(week) * 168 + 9
            XCTAssertEqual(starts.filter { abs($0.time - opening) < tolerance }.count, 4, "Monday of week \(week)")
            XCTAssertFalse(starts.contains { $0.time > opening - 64 - tolerance && $0.time < opening - tolerance },
                           "nothing starts from Friday 17:00 to Monday 09:00 of week \(week)")
        }

        // Work already started finishes after closing time: some assessments end between 17:00 and 17:30.
        let ends = recorder.ends.filter { $0.state == assessment }
        XCTAssertTrue(ends.contains { hourOfDay($0.time) > 17 && hourOfDay($0.time) <= 17.5 + tolerance })
    }
}
