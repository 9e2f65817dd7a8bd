import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import XCTest

/// Each socio-organisational dimension that acts on a number moves the figure it should, by about
/// the size arithmetic predicts, on a small model: the hospital writes a summary (and three other
/// items the council does not need) into a real-time shared record; the council's social worker
/// assesses with it, then reviews with it two days later.
final class InformationEffectsTests: XCTestCase {
    static func pathway(acute: String = "", council: String = "", worker: String = "", assess: String = "", review: String = "",
                        reviewGap: String = "proceed", stayDuration: String = "1d", summary: String = "") -> String {
        func concerns(_ fields: String) -> String {
            fields.isEmpty ? "" : "concerns: [ { concern: other, note: test, \(fields) } ]"
        }
        return """
        pathway: effects
        title: Information effects
        organisations:
          acute:
            sector: acute
            maturity: integrated
            connects: [messaging, shared-record]
            roles: { ward: { capacity: 1000 } }
            \(concerns(acute))
          council:
            sector: social-care
            maturity: integrated
            connects: [messaging, shared-record]
            roles: { social-worker: { capacity: 1000\(worker.isEmpty ? "" : ", " + concerns(worker)) } }
            \(concerns(council))
        information:
          summary: { category: health\(summary.isEmpty ? "" : ", " + concerns(summary)) }
          obs: { category: health }
          drug-chart: { category: health }
          notes: { category: health }
        states:
          stay:
            owner: acute/ward
            duration: \(stayDuration)
            produces: [summary, obs, drug-chart, notes]
            next: [ { to: assess } ]
          assess:
            owner: council/social-worker
            duration: 1h
            needs: [summary]
            \(concerns(assess))
            next: [ { to: review } ]
          review:
            owner: council/social-worker
            duration: 2d
            occupies: false
            next: [ { to: recheck } ]
          recheck:
            owner: council/social-worker
            duration: 30m
            needs: [summary]
            on-gap: \(reviewGap)
            \(concerns(review))
            next: [ { to: done } ]
          done: { terminal: true }
        """
    }

    static func scenario(architecture: String = "{ option: shared-record, publish-latency: 0 }", channels: String = "") -> String {
        """
        scenario: effects
        pathway: pathway.yaml
        cohort: { patients: 4000, arrivals: 20/d }
        replications: 1
        seed: 12
        architecture: \(architecture)
        """ + (channels.isEmpty ? "" : "\nchannels: \(channels)\n")
    }

    func run(_ pathway: String, _ scenario: String = scenario()) throws -> VariantSummary {
        let f = try Fixture.load(pathway: pathway, scenario: scenario)
        return ScenarioRunner.run(f.scenario, pathway: f.pathway).variants[0]
    }

    /// Binomial: 4 standard deviations of a share p over n checks.
    func tolerance(_ p: Double, _ n: Double = 4000) -> Double { 4 * (p * (1 - p) / n).squareRoot() }

    func missingShare(_ v: VariantSummary, _ state: String = "assess") -> Double {
        v.value("state_missing_per_100_patients", subject: state) / 100
    }

    func testWithholdingKeepsItsShareFromTheReader() throws {
        XCTAssertEqual(missingShare(try run(Self.pathway())), 0)
        let v = try run(Self.pathway(acute: "withholding: 0.3"))
        print("withholding 0.3: missing at the assessment \(missingShare(v)), withheld per 100 patients \(v.value("withheld_per_100_patients"))")
        XCTAssertEqual(missingShare(v), 0.3, accuracy: tolerance(0.3))
        // Four items recorded per patient, each withheld with 30%.
        XCTAssertEqual(v.value("withheld_per_100_patients") / 100, 4 * 0.3, accuracy: 4 * tolerance(0.3))
        // Under messaging too: a withheld summary is not sent with the handoff.
        let messages = try run(Self.pathway(acute: "withholding: 0.3"), Self.scenario(architecture: "{ option: point-to-point, message-latency: 0, message-loss: 0 }"))
        XCTAssertEqual(missingShare(messages), 0.3, accuracy: tolerance(0.3))
    }

    func testErrorsAreFoundAtThePointOfCare() throws {
        let v = try run(Self.pathway(acute: "errors: 0.2"))
        XCTAssertEqual(missingShare(v), 0.2, accuracy: tolerance(0.2))
        XCTAssertEqual(v.value("state_found_wrong_per_100_patients", subject: "assess") / 100, 0.2, accuracy: tolerance(0.2))
        XCTAssertEqual(v.value("state_recorded_wrong_per_100_patients", subject: "stay") / 100, 4 * 0.2, accuracy: 4 * tolerance(0.2))
    }

    /// A role's concern acts at every state of the role, like an organisation's.
    func testARolesConcernActsAtItsStates() throws {
        let v = try run(Self.pathway(worker: "unusable: 0.25"))
        XCTAssertEqual(missingShare(v), 0.25, accuracy: tolerance(0.25))
        XCTAssertEqual(missingShare(v, "recheck"), 0.25, accuracy: tolerance(0.25))
    }

    func testIncompatibleStructuresMakeItemsUnusableOrCostRekeying() throws {
        let unusable = try run(Self.pathway(council: "unusable: 0.25"))
        XCTAssertEqual(missingShare(unusable), 0.25, accuracy: tolerance(0.25))
        let rekeyed = try run(Self.pathway(council: "unusable: 0.25, rekeying: 30m"))
        XCTAssertEqual(missingShare(rekeyed), 0, "re-keyed items are usable")
        // 20 patients a day, two checks each (assessment and recheck), a quarter re-keyed for 30 minutes.
        let hours = rekeyed.value("rekeying_hours_per_day", subject: "council/social-worker")
        print("re-keying: \(hours) h a day, arithmetic 20 x 2 x 0.25 x 0.5 = 5")
        XCTAssertEqual(hours, 5, accuracy: 0.6)
    }

    /// An item's own concern acts wherever it is recorded or read, and only on it: errors in the
    /// summary reach both checks; the three other items are recorded right.
    func testAnItemsConcernActsOnThatItemOnly() throws {
        let v = try run(Self.pathway(summary: "errors: 0.2"))
        XCTAssertEqual(missingShare(v), 0.2, accuracy: tolerance(0.2))
        XCTAssertEqual(v.value("item_recorded_wrong_per_100_patients", subject: "summary") / 100, 0.2, accuracy: tolerance(0.2))
        // One item of four: the stay's recorded-wrong count is the summary's alone.
        XCTAssertEqual(v.value("state_recorded_wrong_per_100_patients", subject: "stay"), v.value("item_recorded_wrong_per_100_patients", subject: "summary"))
        // Combined with the organisation's: 1 - (1 - 0.2)(1 - 0.5) = 0.6 of the summaries withheld or wrong.
        let both = try run(Self.pathway(acute: "withholding: 0.5", summary: "errors: 0.2"))
        XCTAssertEqual(missingShare(both), 0.6, accuracy: tolerance(0.6))
        // Its recording time loads the producing role: 20 patients a day x 2 hours.
        let burden = try run(Self.pathway(summary: "recording-time: 2h"))
        let hours = burden.value("documenting_hours_per_day", subject: "acute/ward")
        XCTAssertEqual(hours, 40, accuracy: 4)
    }

    /// A channel's concern acts on items that reach a reader by it: with the council on messages
    /// and the hospital's summary sent with the handoff, a quarter cannot be used; under the shared
    /// record (another channel) none.
    func testAChannelsConcernActsOnItemsItBrings() throws {
        let channels = "{ point-to-point: { concerns: [ { concern: legacy-systems, note: codes differ, unusable: 0.25 } ] } }"
        let messages = "{ option: point-to-point, message-latency: 0, message-loss: 0 }"
        let pathway = Self.pathway().replacingOccurrences(of: "next: [ { to: assess } ]", with: "next: [ { to: assess, carries: [summary] } ]")
        let v = try run(pathway, Self.scenario(architecture: messages, channels: channels))
        print("channel unusable 0.25: missing at the assessment \(missingShare(v))")
        XCTAssertEqual(missingShare(v), 0.25, accuracy: tolerance(0.25))
        XCTAssertEqual(v.value("channel_unusable_per_100_patients", subject: "point-to-point") / 100, 0.25 * 2, accuracy: 2 * tolerance(0.25),
                       "both checks read the message copy")
        let shared = try run(pathway, Self.scenario(channels: channels))
        XCTAssertEqual(missingShare(shared), 0)
        // Re-keyed instead: usable, and 20 patients x 2 checks x 0.25 x 30 minutes = 5 role hours a day.
        let rekeyed = try run(pathway, Self.scenario(architecture: messages, channels: channels.replacingOccurrences(of: "unusable: 0.25", with: "unusable: 0.25, rekeying: 30m")))
        XCTAssertEqual(missingShare(rekeyed), 0)
        XCTAssertEqual(rekeyed.value("channel_rekeying_hours_per_day", subject: "point-to-point"), 5, accuracy: 0.6)
    }

    /// Three unneeded items are shown with the summary: each buries it with 10%, so it is
    /// overlooked with 1 - 0.9^3 = 0.271; reading them costs 3 x 10 minutes per assessment.
    func testDataOverloadCostsReadingTimeAndBuriesNeededItems() throws {
        let v = try run(Self.pathway(assess: "overlook: 0.1, reading-time: 10m"))
        let expected = 1 - 0.9 * 0.9 * 0.9
        XCTAssertEqual(missingShare(v), expected, accuracy: tolerance(expected))
        XCTAssertEqual(v.value("state_overlooked_per_100_patients", subject: "assess") / 100, expected, accuracy: tolerance(expected))
        // 20 assessments a day x 3 items x 10 minutes = 10 hours a day.
        XCTAssertEqual(v.value("reading_hours_per_day", subject: "council/social-worker"), 10, accuracy: 0.5)
    }

    /// A nightly batch makes the summary late at the assessment (the patient meets an
    /// inconsistency); two days later it is readable, and the recheck, which collects items again
    /// when it must, does so for half the patients out of mistrust.
    func testMistrustAfterAnInconsistencyRepeatsReadableItems() throws {
        let batch = Self.scenario(architecture: "{ option: shared-record, batch: { every: 24h, at: \"02:00\" } }")
        let v = try run(Self.pathway(review: "mistrust: 0.5", reviewGap: "{ repeat: 1h }", stayDuration: "exponential(mean=1d)"), batch)
        let lateShare = v.value("state_late_per_100_patients", subject: "assess") / 100
        let repeats = v.value("state_mistrust_repeats_per_100_patients", subject: "recheck") / 100
        print("mistrust: late at the assessment \(lateShare), repeats at the recheck \(repeats), expected \(0.5 * lateShare)")
        XCTAssertGreaterThan(lateShare, 0.5)
        XCTAssertEqual(repeats, 0.5 * lateShare, accuracy: tolerance(0.5 * lateShare))
        XCTAssertEqual(v.value("state_duplicates_per_100_patients", subject: "recheck") / 100, repeats, accuracy: 1e-9)
    }

    /// Half an hour of recording for each of the four items produced: 2 hours of the ward's time
    /// per stay, 20 stays a day.
    func testDocumentationBurdenLoadsTheRole() throws {
        let v = try run(Self.pathway(acute: "recording-time: 30m"))
        XCTAssertEqual(v.value("documenting_hours_per_day", subject: "acute/ward"), 40, accuracy: 2)
        let plain = try run(Self.pathway())
        XCTAssertEqual(v.value("utilisation", subject: "acute/ward") - plain.value("utilisation", subject: "acute/ward"),
                       40.0 / 24 / 1000, accuracy: 0.2 * 40 / 24 / 1000)
    }

    /// An effect's chance is a lever: a variant that sets the hospital's withholding to 0 runs on
    /// the same patients, and the gap it caused is gone (a paired difference of about -0.3).
    func testAnEffectIsALeverOnCommonRandomNumbers() throws {
        let scenario = Self.scenario() + """

        variants:
          - name: as-is
          - name: shares-all
            set:
              organisations.acute.concerns[0].withholding: 0
        """
        let f = try Fixture.load(pathway: Self.pathway(acute: "withholding: 0.3"), scenario: scenario)
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        XCTAssertEqual(summary.variants[1].value("withheld_per_100_patients"), 0)
        let d = try XCTUnwrap(summary.variants[1].difference("state_missing_per_100_patients", subject: "assess"))
        print("withholding lever: missing at the assessment changes by \(d.mean) per 100 patients")
        XCTAssertEqual(d.mean / 100, -0.3, accuracy: tolerance(0.3))
    }

    /// An effect's time is a lever too: doubling the recording time doubles the documentation hours.
    func testAnEffectsTimeIsALever() throws {
        let scenario = Self.scenario() + """

        variants:
          - name: as-is
          - name: slower-notes
            set:
              organisations.acute.concerns[0].recording-time: 1h
        """
        let f = try Fixture.load(pathway: Self.pathway(acute: "recording-time: 30m"), scenario: scenario)
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway)
        let before = summary.variants[0].value("documenting_hours_per_day", subject: "acute/ward")
        let after = summary.variants[1].value("documenting_hours_per_day", subject: "acute/ward")
        XCTAssertEqual(after, 2 * before, accuracy: 0.05 * before)
    }
}
