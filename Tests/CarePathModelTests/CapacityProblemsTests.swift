import XCTest
import CarePathModel

private let ward = RoleReference(organisation: "acute", role: "ward")
private let reablement = RoleReference(organisation: "council", role: "reablement")

/// A ward whose medically fit patients wait for reablement, built in code.
private func pathway(ward wardRole: Role = Role(id: "ward", organisation: "acute", capacity: 20),
                     reablement reablementRole: Role = Role(id: "reablement", organisation: "council", capacity: 5),
                     stay: (inout State) -> Void = { _ in }) -> Pathway {
    var stayState = State(id: "stay", owner: ward, duration: .fixed(48),
                          next: [Transition(to: "admitted-elsewhere", probability: 0.1), Transition(to: "reable", probability: 0.9)])
    stay(&stayState)
    return Pathway(
        id: "p", title: "p",
        organisations: [
            Organisation(id: "acute", name: "Acute", sector: .acute, maturity: .integrated, roles: [wardRole]),
            Organisation(id: "council", name: "Council", sector: .socialCare, maturity: .basic, roles: [reablementRole]),
        ],
        information: [],
        states: [
            stayState,
            State(id: "reable", owner: reablement, duration: .fixed(100), next: [Transition(to: "home")]),
            State(id: "admitted-elsewhere", owner: nil, isTerminal: true),
            State(id: "home", owner: nil, isTerminal: true),
        ],
        start: "stay")
}

private func summary(_ problems: [ModelProblem]) -> [String] {
    problems.map { "\($0.severity.rawValue) \($0.path): \($0.message)" }
}

final class CapacityProblemsTests: XCTestCase {
    func testQueueLimitAndPatienceWithTerminalDestinationsAreValid() {
        let r = Role(id: "reablement", organisation: "council", capacity: 5,
                     limit: QueueLimit(waiting: 0, overflow: "admitted-elsewhere"),
                     patience: Patience(.exponential(mean: 48), destination: "home"))
        XCTAssertEqual(summary(pathway(reablement: r).problems()), [])
    }

    func testDestinationsMustBeStatesServedByAnotherRole() {
        let r = Role(id: "reablement", organisation: "council", capacity: 5,
                     limit: QueueLimit(waiting: 3, overflow: "nursing-home"),
                     patience: Patience(.exponential(mean: 48), destination: "reable"))
        XCTAssertEqual(summary(pathway(reablement: r).problems()), [
            "error organisations.council.roles.reablement.queue.when-full: unknown state 'nursing-home' (known: stay, reable, admitted-elsewhere, home)",
            "error organisations.council.roles.reablement.queue.gives-up-to: state 'reable' is served by council/reablement itself: a patient sent there after giving up would join the same queue at once",
        ])
    }

    func testPatienceParametersAndNegativeLimitsAreChecked() {
        let r = Role(id: "reablement", organisation: "council", capacity: 5, limit: QueueLimit(waiting: -1, overflow: "home"),
                     patience: Patience(.exponential(mean: -2), destination: "home"))
        let problems = summary(pathway(reablement: r).problems())
        XCTAssertTrue(problems.contains("error organisations.council.roles.reablement.queue.limit: a queue limit must be 0 or more, found -1"), "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("error organisations.council.roles.reablement.queue.patience: ") }, "\(problems)")
    }

    func testFullQueuesThatOverflowIntoEachOtherAreALoop() {
        let w = Role(id: "ward", organisation: "acute", capacity: 20, limit: QueueLimit(waiting: 2, overflow: "reable"))
        let r = Role(id: "reablement", organisation: "council", capacity: 5, limit: QueueLimit(waiting: 4, overflow: "stay"))
        XCTAssertEqual(summary(pathway(ward: w, reablement: r).problems()), [
            "error organisations.acute.roles.ward.queue.when-full: full queues overflow into each other round a loop (acute/ward -> council/reablement -> acute/ward): a patient could be passed round without end; give one of them another 'when-full' state",
        ])
        // Without a limit on the ward, the reablement overflow ends in the ward's queue: no loop.
        let plainWard = Role(id: "ward", organisation: "acute", capacity: 20)
        XCTAssertEqual(summary(pathway(ward: plainWard, reablement: r).problems()), [])
    }

    func testARoleThatIsNeverOpenCannotServeItsStates() {
        var closed = WorkingCalendar(windows: [WorkingCalendar.Window(days: Set(0..<7), opens: 480, closes: 1200, capacity: 0),
                                               WorkingCalendar.Window(days: Set(0..<7), opens: 1200, closes: 480, capacity: 0)])
        let r = Role(id: "reablement", organisation: "council", capacity: 0, calendar: closed)
        XCTAssertEqual(summary(pathway(reablement: r).problems()), [
            "error organisations.council.roles.reablement: council/reablement is never open: no patient could be served (every shift of its rota has capacity 0)",
        ])
        // A rota with one open shift is fine, and the nominal capacity is not used by it.
        closed.windows[1].capacity = 2
        XCTAssertEqual(summary(pathway(reablement: Role(id: "reablement", organisation: "council", capacity: 0, calendar: closed)).problems()), [])
        XCTAssertEqual(summary(pathway(reablement: Role(id: "reablement", organisation: "council", capacity: -1, calendar: closed)).problems()),
                       ["error organisations.council.roles.reablement.capacity: capacity must not be negative, found -1"])
    }

    func testHoldingUntilTheNextStateOrNamedStates() {
        XCTAssertEqual(summary(pathway { $0.hold = .untilNext }.problems()), [])
        XCTAssertEqual(summary(pathway { $0.hold = .until(["reable"]) }.problems()), [])
        var p = pathway()
        p.states[1].hold = .until(["home", "stay"])
        XCTAssertEqual(summary(p.problems()), [
            "warning states.reable.holds.until[1]: state 'stay' cannot be reached from 'reable': the unit would be held until the patient leaves the pathway (a warning: the model still runs)",
        ])
    }

    func testAnOverflowOrGiveUpDestinationIsReached() {
        // Self-funded care is reached only when the reablement queue is full, or after giving up.
        for r in [Role(id: "reablement", organisation: "council", capacity: 5, limit: QueueLimit(waiting: 3, overflow: "self-funded")),
                  Role(id: "reablement", organisation: "council", capacity: 5, patience: Patience(.fixed(72), destination: "self-funded"))] {
            var p = pathway(reablement: r) { $0.hold = .until(["self-funded", "reable"]) }
            p.states.append(State(id: "self-funded", owner: nil, isTerminal: true))
            XCTAssertEqual(summary(p.problems()), [])
            p.organisations[1].roles[0] = Role(id: "reablement", organisation: "council", capacity: 5)
            XCTAssertEqual(summary(p.problems()), [
                "error states.self-funded: state 'self-funded' cannot be reached from the start state 'stay'",
                "warning states.stay.holds.until[0]: state 'self-funded' cannot be reached from 'stay': the unit would be held until the patient leaves the pathway (a warning: the model still runs)",
            ])
        }
    }

    func testHoldsThatCannotHoldAUnit() {
        XCTAssertEqual(summary(pathway { $0.hold = .until([]) }.problems()), [
            "error states.stay.holds.until: expected at least one state in 'until'; to hold until the next state starts, write 'holds: until-next'",
        ])
        XCTAssertEqual(summary(pathway { $0.hold = .until(["discharge-lounge"]) }.problems()), [
            "error states.stay.holds.until[0]: unknown state 'discharge-lounge' (known: stay, reable, admitted-elsewhere, home)",
        ])
        XCTAssertEqual(summary(pathway { $0.hold = .untilNext; $0.occupiesRole = false }.problems()), [
            "error states.stay.holds: state 'stay' does not occupy a unit of acute/ward ('occupies: false'), so it has none to hold",
        ])
        var p = pathway()
        p.states[3].hold = .untilNext
        XCTAssertEqual(summary(p.problems()), ["error states.home.holds: a terminal state cannot hold a unit: the patient has left the pathway"])
    }

    // MARK: Windows

    func testOverlapsAreFoundOnTheDayTheyHappenIncludingPastMidnight() {
        let day = WorkingCalendar(windows: [WorkingCalendar.Window(days: Set(0..<5), opens: 480, closes: 780),
                                            WorkingCalendar.Window(days: Set(0..<5), opens: 750, closes: 1020)])
        XCTAssertEqual(day.overlaps(), [WorkingCalendar.Overlap(first: 0, second: 1, day: 0, from: 750, to: 780)])
        XCTAssertEqual(day.overlaps().first?.description, "Monday 12:30-13:00")

        // Sunday night runs into Monday morning, where the early shift starts at 05:00.
        let night = WorkingCalendar(windows: [WorkingCalendar.Window(days: [6], opens: 1320, closes: 360),
                                              WorkingCalendar.Window(days: [0], opens: 300, closes: 540)])
        XCTAssertEqual(night.overlaps().map(\.description), ["Monday 05:00-06:00"])

        let shifts = WorkingCalendar(windows: [WorkingCalendar.Window(days: Set(0..<7), opens: 480, closes: 1200, capacity: 6),
                                               WorkingCalendar.Window(days: Set(0..<7), opens: 1200, closes: 480, capacity: 2)])
        XCTAssertEqual(shifts.overlaps(), [], "back to back shifts do not overlap")
        XCTAssertEqual(WorkingCalendar.always.overlaps(), [])
    }

    func testDescriptionsGroupWindowsOfTheSameDays() {
        let c = WorkingCalendar(windows: [WorkingCalendar.Window(days: Set(0..<5), opens: 480, closes: 750),
                                          WorkingCalendar.Window(days: Set(0..<5), opens: 810, closes: 1020),
                                          WorkingCalendar.Window(days: [5], opens: 600, closes: 840, capacity: 1)],
                                bankHolidays: .closed)
        XCTAssertEqual(c.description, "weekdays 08:00-12:30, 13:30-17:00; sat 10:00-14:00 x1 (bank holidays closed)")
        XCTAssertEqual(WorkingCalendar(days: [0, 1, 2, 3, 5], opens: 0, closes: 1440).description, "mon-thu,sat 00:00-24:00")
        var notAlways = WorkingCalendar.always
        notAlways.bankHolidays = .closed
        XCTAssertEqual(notAlways.description, "every day 00:00-24:00 (bank holidays closed)")
    }
}
