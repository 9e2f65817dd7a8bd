import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation
import XCTest

/// A lever gives the same run as editing the files by hand, byte for byte, and variants that pull
/// levers stay on common random numbers with the others.
final class LeverRunTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func text(_ relative: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// `text` with `old` (which must be there once) replaced.
    func edit(_ text: String, _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertEqual(text.components(separatedBy: old).count, 2, "'\(old)' is not there exactly once", file: file, line: line)
        return text.replacingOccurrences(of: old, with: new)
    }

    /// The shipped discharge scenario with its variants replaced, read beside `pathway` (a text).
    func load(scenario: String, variants: String, pathway: String, file: StaticString = #filePath, line: UInt = #line) throws -> (Scenario, Pathway) {
        guard let cut = scenario.range(of: "\nvariants:") else { throw XCTSkip("the shipped scenario has no variants") }
        let text = String(scenario[..<cut.lowerBound]) + "\nvariants:\n" + variants
        let result = ScenarioFile.check(text: text, file: "Scenarios/discharge-architectures.yaml",
                                        baseDirectory: Self.root.appendingPathComponent("Scenarios"), pathwayText: pathway)
        guard var s = result.scenario, let p = result.pathway else {
            XCTFail(result.errors.map(\.description).joined(separator: "\n"), file: file, line: line)
            throw XCTSkip("does not load")
        }
        // Small, so that the test is quick; both ways alike.
        s.cohort.size = .patients(400)
        s.warmUp = .fraction(0.1)
        return (s, p)
    }

    /// A variant's figures as the JSON summary writes them, without its name, title and overrides.
    struct Figures: Encodable {
        var metrics: [SummaryMetric]
        var series: RunSeries
        var events: Int
    }

    func figures(_ v: VariantSummary) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(Figures(metrics: v.metrics, series: v.series, events: v.events))
    }

    func testLeversGiveTheSameFiguresAsEditingTheFilesByHandByteForByte() throws {
        let scenarioText = try text("Scenarios/discharge-architectures.yaml")
        let pathwayText = try text("Pathways/discharge-to-assess.yaml")

        // Every kind of place: a state's duration, a branch, a role's capacity, a concern's number,
        // the cohort's arrivals, an architecture parameter, a handoff setting.
        let (pulled, pathway) = try load(scenario: scenarioText, variants: """
          - name: point-to-point
          - name: levers
            set:
              states.inpatient-treatment.duration[1].is: lognormal(mean=3.5d, sd=3d)
              states.gp-post-discharge-review.next[0].p: 0.1
              roles.council/reablement-assessor.capacity: 8
              organisations.acute.concerns[0].under-recording: 0.2
              organisations.community.concerns[0].availability: 0.9
              cohort.arrivals: 22/d
              architecture.message-loss: 0.05
              handoffs.resend-after: 1d
        """, pathway: pathwayText)

        var edited = edit(pathwayText, "is: lognormal(mean=3.75d, sd=3.3d)", "is: lognormal(mean=3.5d, sd=3d)")
        edited = edit(edited, "- { to: readmitted, p: 0.138 }", "- { to: readmitted, p: 0.1 }")
        edited = edit(edited, "new-package starts)\n        capacity: 6", "new-package starts)\n        capacity: 8")
        edited = edit(edited, "under-recording: 0.11", "under-recording: 0.2")
        edited = edit(edited, "availability: 0.97       # assumption", "availability: 0.9")
        var byHand = edit(scenarioText, "arrivals: 20/d", "arrivals: 22/d")
        byHand = edit(byHand, "message-loss: 0.02", "message-loss: 0.05")
        byHand = edit(byHand, "resend-after: 2d", "resend-after: 1d")
        let (handScenario, handPathway) = try load(scenario: byHand, variants: "  - name: levers\n", pathway: edited)
        XCTAssertNotEqual(handPathway, pathway)

        let options = ScenarioRunner.Options(replications: 3, threads: 2)
        let a = ScenarioRunner.run(pulled, pathway: pathway, options: options)
        let b = ScenarioRunner.run(handScenario, pathway: handPathway, options: options)
        XCTAssertEqual(try figures(a.variants[1]), try figures(b.variants[0]), "the same bytes, levers or files edited by hand")
        XCTAssertNotEqual(try figures(a.variants[0]), try figures(a.variants[1]), "the levers change the figures")
        XCTAssertEqual(a.variants[1].overrides?["organisations.council.roles.reablement-assessor.capacity"], "8")
        XCTAssertEqual(a.variants[1].overrides?.count, 8)
        XCTAssertNil(a.variants[0].overrides)
        XCTAssertNil(b.variants[0].overrides)
        // The JSON lists the overrides, and a summary from before levers (no key) still decodes.
        let json = String(decoding: try a.json(), as: UTF8.self)
        XCTAssertTrue(json.contains("\"overrides\" : {\n        \"architecture.message-loss\" : \"0.05\""), json.prefix(2000).description)
        let old = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: try b.json()))
        XCTAssertNil(try RunSummary.decode(old).variants[0].overrides)
    }

    func testAShorterStayRunsBesideTheOtherOptionsOnTheSamePatients() throws {
        var (scenario, pathway, _) = try ScenarioFile.load(Self.root.appendingPathComponent("Scenarios/discharge-architectures.yaml"))
        let names = scenario.variants.map(\.name)
        XCTAssertEqual(names.last, "shorter-stay")
        let shorter = try XCTUnwrap(scenario.variants.last)
        XCTAssertEqual(shorter.levers.map(\.description), ["states.inpatient-treatment.duration[0].is = lognormal(mean=3.85d, sd=3.3d)",
                                                         "states.inpatient-treatment.duration[1].is = lognormal(mean=3.3d, sd=2.9d)"])
        let stay = try XCTUnwrap(shorter.pathway(over: pathway).state("inpatient-treatment"))
        XCTAssertEqual(stay.durationCases.first?.value.mean ?? 0, 3.85 * 24, accuracy: 1e-9)
        XCTAssertEqual(stay.duration.mean, 3.3 * 24, accuracy: 1e-9)
        XCTAssertEqual(shorter.settings, scenario.variants[0].settings, "point-to-point otherwise")
        // Only the first and the shorter stay, to keep the test quick.
        scenario.variants = [scenario.variants[0], shorter]
        scenario.cohort.size = .patients(1500)
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 5, threads: 2))
        // The same patients: arrivals and branches do not move, so counts and outcomes pair exactly.
        XCTAssertEqual(summary.variants[1].metric("patients")?.mean, summary.variants[0].metric("patients")?.mean)
        let outcome = try XCTUnwrap(summary.variants[1].difference("outcome_share", subject: "readmitted"))
        XCTAssertEqual(outcome.mean, 0, accuracy: 1e-12)
        // Half a day less in hospital shows as a paired difference whose interval excludes zero.
        let time = try XCTUnwrap(summary.variants[1].difference("time_in_pathway_mean_h"))
        print("shorter stay: time in pathway \(time.mean) h ± \(time.halfWidth ?? .nan)")
        XCTAssertLessThan(try XCTUnwrap(time.high), 0)
        // An eighth off a mean stay of 4 days: 12 hours (the quintiles' mix keeps the mean at 4 days).
        XCTAssertEqual(time.mean, -12, accuracy: 6, "about the 12 hours taken off the mean stay")
    }

    /// The places added for cohorts, rotas and records that exist before the pathway: one shift of
    /// a rota, one alternative of an attribute that depends on another, an existing record's share.
    func testShiftsAlternativesAndExistingRecordsAsLeversMatchHandEdits() throws {
        let scenarioText = try text("Scenarios/discharge-architectures.yaml")
        let pathwayText = try text("Pathways/discharge-to-assess.yaml")
        let (pulled, pathway) = try load(scenario: scenarioText, variants: """
          - name: point-to-point
          - name: levers
            set:
              capacities.acute/discharge-team[1]: 2
              cohort.attributes.lives_alone[0].is: 0.7
        """, pathway: pathwayText)
        XCTAssertEqual(pulled.variants[1].levers.map(\.place), [.shiftCapacity(RoleReference(organisation: "acute", role: "discharge-team"), shift: 1),
                                                                .attributeShare("lives_alone", alternative: 0)])
        let edited = edit(pathwayText, "- { when: \"weekends 09:00-13:00\", capacity: 1 }", "- { when: \"weekends 09:00-13:00\", capacity: 2 }")
        let byHand = edit(scenarioText, "- { when: \"age >= 85\", is: 0.59 }", "- { when: \"age >= 85\", is: 0.7 }")
        let (handScenario, handPathway) = try load(scenario: byHand, variants: "  - name: levers\n", pathway: edited)
        let options = ScenarioRunner.Options(replications: 2, threads: 2)
        let a = ScenarioRunner.run(pulled, pathway: pathway, options: options)
        let b = ScenarioRunner.run(handScenario, pathway: handPathway, options: options)
        XCTAssertEqual(try figures(a.variants[1]), try figures(b.variants[0]), "the same bytes, levers or files edited by hand")
        XCTAssertNotEqual(try figures(a.variants[0]), try figures(a.variants[1]))

        // A record that exists before the pathway, in the frailty pathway.
        let frailty = try text("Pathways/frailty-fall.yaml"), frailtyScenario = try text("Scenarios/frailty-fall.yaml")
        func loadFrailty(_ scenario: String, _ pathway: String) throws -> (Scenario, Pathway) {
            let result = ScenarioFile.check(text: scenario, file: "Scenarios/frailty-fall.yaml",
                                            baseDirectory: Self.root.appendingPathComponent("Scenarios"), pathwayText: pathway)
            var s = try XCTUnwrap(result.scenario, result.errors.map(\.description).joined(separator: "\n"))
            s.cohort.size = .patients(400)
            return (s, try XCTUnwrap(result.pathway))
        }
        let cut = try XCTUnwrap(frailtyScenario.range(of: "\nvariants:"))
        let head = String(frailtyScenario[..<cut.lowerBound])
        let (lever, leverPathway) = try loadFrailty(head + "\nvariants:\n  - name: more-respect\n    set:\n      information.respect-form.exists[1].p: 0.6\n", frailty)
        let (hand, handFrailty) = try loadFrailty(head + "\nvariants:\n  - name: more-respect\n",
                                                  edit(frailty, "- { at: gp, p: 0.25 }", "- { at: gp, p: 0.6 }"))
        let c = ScenarioRunner.run(lever, pathway: leverPathway, options: options)
        let d = ScenarioRunner.run(hand, pathway: handFrailty, options: options)
        XCTAssertEqual(try figures(c.variants[0]), try figures(d.variants[0]))
    }
}
