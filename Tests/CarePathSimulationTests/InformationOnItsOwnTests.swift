import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Information that does not travel with the patient: letters sent to an organisation that is not
/// next (the GP), and records that exist before the pathway starts.
final class InformationOnItsOwnTests: XCTestCase {
    /// The hospital writes a summary and goes on to the council; the GP reviews the patient a week
    /// later without being next after the hospital. `sends` is the only way the GP can get it
    /// under point-to-point messaging. The GP record exists for a share of patients.
    static func pathway(sends: String, existing: String = "") -> String {
        """
        pathway: letters
        title: A letter to the GP
        attributes: { age: number }
        organisations:
          acute:
            sector: acute
            maturity: integrated
            connects: [messaging, shared-record]
            roles: { ward: { capacity: 100 } }
          council:
            sector: social-care
            maturity: basic
            connects: [messaging, shared-record]
            roles: { social-worker: { capacity: 100 } }
          gp:
            sector: primary
            maturity: integrated
            connects: [messaging, shared-record]
            roles: { gp: { capacity: 100 } }
        information:
          summary: { category: health }
          gp-record: { category: health\(existing) }
        states:
          stay:
            owner: acute/ward
            duration: 1d
            produces: [summary]
            \(sends)
            next: [ { to: assessment } ]
          assessment:
            owner: council/social-worker
            duration: 7d
            next: [ { to: review } ]
          review:
            owner: gp/gp
            duration: 15m
            needs: [summary, gp-record]
            next: [ { to: done } ]
          done: { terminal: true }
        """
    }

    static func scenario(option: String) -> String {
        """
        scenario: letters
        pathway: pathway.yaml
        cohort: { patients: 2000, arrivals: 10/d, attributes: { age: "uniform(60, 100)" } }
        replications: 1
        seed: 8
        architecture: { option: \(option), message-latency: exponential(mean=1d), message-loss: 0.1 }
        handoffs: { latency: 0 }
        """
    }

    func shares(_ pathway: String, option: String = "point-to-point") throws -> (summary: [String: Double], gpRecord: [String: Double]) {
        let f = try Fixture.load(pathway: pathway, scenario: Self.scenario(option: option))
        let v = ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
        func kinds(_ item: String) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: GapKind.allCases.map { ($0.name, v.metric("\($0.name)_share", subject: "gp/gp|\(item)")?.mean ?? 0) })
        }
        return (kinds("summary"), kinds("gp-record"))
    }

    /// Without a letter the GP never has the summary under messaging (it went to the council);
    /// with one, lost 10% of the time and arriving within a week (exponential mean 1 day, so all
    /// but e^-6 of those sent), the GP has it 90% of the time: the share the loss predicts.
    func testALetterToTheGPIsThereAtTheReviewUnlessLost() throws {
        let without = try shares(Self.pathway(sends: ""))
        XCTAssertEqual(without.summary["missing"] ?? 0, 1, accuracy: 1e-12, "nothing reaches the GP without a letter")
        let with = try shares(Self.pathway(sends: "sends: [{ item: summary, to: gp }]"))
        let available = with.summary["available"] ?? 0
        print("letter to the GP: available \(available), missing \(with.summary["missing"] ?? 0), late \(with.summary["late"] ?? 0)")
        // Binomial sd of a share near 0.9 over 2,000 patients: 0.0067; 4 sd.
        XCTAssertEqual(available, 0.9 * (1 - exp(-6)), accuracy: 0.027)
        XCTAssertEqual((with.summary["missing"] ?? 0) + available + (with.summary["late"] ?? 0), 1, accuracy: 1e-9)
    }

    /// Letters go by direct message whatever the architecture: under a shared record too, the GP
    /// gets the summary even for a patient who opted out of sharing.
    func testALetterIsSentUnderEveryOption() throws {
        for option in ["shared-record", "federated-query", "paper"] {
            let with = try shares(Self.pathway(sends: "sends: [{ item: summary, to: gp }]"), option: option)
            XCTAssertGreaterThan(with.summary["available"] ?? 0, 0.85, option)
        }
    }

    /// A GP record that exists for 95% of patients aged 75 or more and 60% of the others: with ages
    /// uniform on 60-100, 62.5% are 75 or older, so 0.625 x 0.95 + 0.375 x 0.60 = 0.81875 of reviews
    /// find it (the GP's own record: available at once).
    func testARecordThatExistsBeforeThePathwayIsThereForItsShare() throws {
        let existing = ", exists: [ { at: gp, p: 0.95, when: \"age >= 75\" }, { at: gp, p: 0.6 } ]"
        let r = try shares(Self.pathway(sends: "", existing: existing))
        let available = r.gpRecord["available"] ?? 0
        print("GP record: available \(available), expected 0.81875")
        // Binomial sd over 2,000 patients: 0.0086; 4 sd.
        XCTAssertEqual(available, 0.81875, accuracy: 0.035)
        XCTAssertEqual(r.gpRecord["missing"] ?? 0, 1 - available, accuracy: 1e-9)
    }

    func testSendsAndExistingRecordsAreChecked() throws {
        let text = Self.pathway(sends: "sends: [{ item: summry, to: gpp }]", existing: ", exists: { at: nowhere, p: 1.5 }")
        let result = PathwayFile.check(text: text, file: "letters.yaml")
        let messages = result.errors.map { "\($0.line):\($0.column) \($0.message)" }
        XCTAssertTrue(messages.contains { $0.contains("unknown information item 'summry'") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("unknown organisation 'gpp'") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("unknown organisation 'nowhere'") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("between 0 and 1") }, "\(messages)")
        XCTAssertTrue(result.errors.allSatisfy { $0.line > 1 }, "every problem located")
    }
}
