@testable import CarePathSimulation
import CarePathModel
import Foundation
import XCTest

/// Expected visits remembered within a process: the same bits as a new walk, reused only when
/// nothing the walk reads has changed.
final class VisitsMemoTests: XCTestCase {
    func assertSame(_ a: ExpectedVisits, _ b: ExpectedVisits, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.perState, b.perState, file: file, line: line)
        XCTAssertEqual(a.hoursByAttributes, b.hoursByAttributes, file: file, line: line)
        XCTAssertEqual(a.truncatedWalks, b.truncatedWalks, file: file, line: line)
        XCTAssertEqual(a.patients, b.patients, file: file, line: line)
    }

    func walk(_ pathway: Pathway, _ cohort: Cohort) -> ExpectedVisits {
        ExpectedVisits(walking: pathway, cohort: cohort, patients: ExpectedVisits.defaultPatients, seed: ExpectedVisits.defaultSeed,
                       stepCap: ExpectedVisits.defaultStepCap)
    }

    func testARememberedWalkIsTheWalkAndChangesItDoesNotReadReuseIt() throws {
        let f = try Fixture.load(pathway: OfferedLoadTests.pathway, scenario: OfferedLoadTests.scenario())
        let pathway = f.pathway
        let first = ExpectedVisits(pathway: pathway, cohort: f.scenario.cohort)
        assertSame(first, walk(pathway, f.scenario.cohort))

        // Capacities, the arrival rate, the cohort's size and a duration nobody's attributes
        // change are not read by the walk: the same answer, from memory.
        var other = pathway
        other.organisations[0].roles[0].capacity = 9
        let assess = try XCTUnwrap(other.states.firstIndex { $0.id == "assess" })
        other.states[assess].duration = .fixed(7)
        var cohort = f.scenario.cohort
        cohort.arrivals = .poisson(ratePerHour: 3)
        cohort.size = .patients(7)
        let hits = VisitsMemo.shared.hitCount
        let reused = ExpectedVisits(pathway: other, cohort: cohort)
        XCTAssertEqual(VisitsMemo.shared.hitCount, hits + 1, "answered from memory")
        assertSame(reused, walk(other, cohort))

        // A branch's share is read: a new walk, whose review visits follow it (0.3 -> 0.6).
        var branched = pathway
        let triage = try XCTUnwrap(branched.states.firstIndex { $0.id == "triage" })
        branched.states[triage].next[0].probability = 0.6
        let moved = ExpectedVisits(pathway: branched, cohort: f.scenario.cohort)
        XCTAssertEqual(VisitsMemo.shared.hitCount, hits + 1, "walked again")
        XCTAssertEqual(moved.visits("review"), 0.6, accuracy: OfferedLoadTests.tolerance["review"]!)
        assertSame(moved, walk(branched, f.scenario.cohort))

        // So is a duration that depends on attributes, and the share of frail patients.
        var cased = pathway
        cased.states[assess].durationCases = [Alternative(when: try Condition.parse("frail"), .fixed(5))]
        let withCases = ExpectedVisits(pathway: cased, cohort: f.scenario.cohort)
        cased.states[assess].durationCases = [Alternative(when: try Condition.parse("frail"), .fixed(6))]
        let otherCases = ExpectedVisits(pathway: cased, cohort: f.scenario.cohort)
        var frailer = f.scenario.cohort
        frailer.attributes["frail"] = .bernoulli(0.8)
        let frailerVisits = ExpectedVisits(pathway: pathway, cohort: frailer)
        XCTAssertEqual(VisitsMemo.shared.hitCount, hits + 1, "walked again each time")
        // assess: frail patients (40%) visit it once, 5 h or 6 h each; the others take the default.
        XCTAssertEqual(try XCTUnwrap(otherCases.hoursByAttributes["assess"]) - (withCases.hoursByAttributes["assess"] ?? 0), 0.4,
                       accuracy: 0.016)
        XCTAssertNotEqual(frailerVisits.perState, first.perState)
        assertSame(otherCases, walk(cased, f.scenario.cohort))
    }
}
