import CarePathExperiments
import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation
import XCTest

/// Outcomes are read from `METRIC` or `METRIC at SUBJECT`, checked against the metrics and the
/// pathway with a located error, and evaluated on a replication's figures and a summary.
final class OutcomeTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func discharge() throws -> Pathway {
        let result = PathwayFile.check(text: try String(contentsOf: Self.root.appendingPathComponent("Pathways/discharge-to-assess.yaml"), encoding: .utf8),
                                       file: "Pathways/discharge-to-assess.yaml")
        return try XCTUnwrap(result.pathway)
    }

    func message(_ text: String, _ pathway: Pathway) -> String {
        if case .failure(let problem) = Outcome.read(text, pathway: pathway) { return problem.message }
        return ""
    }

    func testOutcomesAreReadWithAndWithoutASubject() throws {
        let p = try discharge()
        XCTAssertEqual(try Outcome.read("delayed_transfer_mean_h", pathway: p).get(), Outcome(metric: "delayed_transfer_mean_h"))
        XCTAssertEqual(try Outcome.read("wait_p90_h at council/social-worker", pathway: p).get(),
                       Outcome(metric: "wait_p90_h", subject: "council/social-worker"))
        XCTAssertEqual(try Outcome.read("state_visits_per_patient at hub-triage", pathway: p).get().subject, "hub-triage")
        XCTAssertEqual(Outcome(metric: "wait_p90_h", subject: "council/social-worker").description, "wait_p90_h at council/social-worker")
    }

    func testMistakesAreNamedWithWhatWasExpected() throws {
        let p = try discharge()
        XCTAssertTrue(message("delayed_transfer_mean", p).contains("unknown metric 'delayed_transfer_mean'; did you mean 'delayed_transfer_mean_h'?"))
        XCTAssertTrue(message("wait_p90_h", p).contains("wait_p90_h is given per a role (ORGANISATION/ROLE): write 'wait_p90_h at SUBJECT'"))
        XCTAssertTrue(message("wait_p90_h at council/social-workers", p).contains("did you mean 'council/social-worker'?"))
        XCTAssertTrue(message("delayed_transfer_mean_h at council/social-worker", p).contains("figure of the whole run"))
        XCTAssertTrue(message("wait_p90_h of council/social-worker", p).contains("expected an outcome, METRIC or METRIC at SUBJECT"))
        // A figure only the report derives is not in a summary: not an outcome.
        XCTAssertTrue(message("utilisation_mean", p).contains("unknown metric"))
    }

    func testOutcomesAreEvaluatedOnAReplicationsFigures() {
        let o = Outcome(metric: "wait_p90_h", subject: "council/social-worker")
        let figures = [Metric("wait_p90_h", subject: "council/social-worker", 30), Metric("wait_p90_h", subject: "council/social-worker", group: "deprivation=1", 50),
                       Metric("wait_p90_h", subject: "hub/coordinator", 10)]
        XCTAssertEqual(o.value(in: figures), 30)
        XCTAssertNil(Outcome(metric: "wait_p90_h", subject: "acute/ward").value(in: figures))
    }
}
