import CarePathExperiments
import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation
import XCTest

/// OAT and Morris on a pathway whose figure is a known function of its levers: two states in
/// series with room for everyone, so a patient's time in the pathway is the sum of the two
/// durations and its mean is the sum of the two means.
final class KnownPathwayTests: XCTestCase {
    static let pathway = """
    pathway: series
    organisations:
      clinic:
        sector: acute
        maturity: integrated
        roles:
          first: { capacity: 1000 }
          second: { capacity: 1000 }
    states:
      a:
        owner: clinic/first
        duration: exponential(mean=2h)
        next: [{ to: b }]
      b:
        owner: clinic/second
        duration: exponential(mean=3h)
        next: [{ to: left }]
      left: { terminal: true }
    """

    func study(method: SensitivityMethod) throws -> SensitivityStudy {
        let text = """
        scenario: series
        pathway: series.yaml
        cohort: { patients: 400, arrivals: 2/h }
        replications: 5
        seed: 7
        experiments:
          sensitivity:
            outcomes: [time_in_pathway_mean_h]
            parameters:
              - { place: states.a.duration, low: 1h, high: 3h }
              - { place: states.b.duration, low: 2h, high: 5h }
            trajectories: 4
        """
        let result = ScenarioFile.check(text: text, file: "series-scenario.yaml", baseDirectory: FileManager.default.temporaryDirectory,
                                        pathwayText: Self.pathway)
        let scenario = try XCTUnwrap(result.scenario, result.errors.description), pathway = try XCTUnwrap(result.pathway)
        return try SensitivityStudy.prepare(scenario, pathway: pathway, method: method).get()
    }

    func run(_ study: SensitivityStudy) throws -> SensitivityResult {
        let design = study.design()
        let scenario = try study.scenario(of: design).get()
        let run = SensitivityRunner.run(study, design: design, scenario: scenario, options: ScenarioRunner.Options(threads: 2))
        return study.analyse(design, run.outcomes)
    }

    func testOATDifferencesAreTheHandValuesWithinTheirIntervals() throws {
        let result = try run(try study(method: .oat))
        XCTAssertEqual(result.designPoints, 4)
        let rows = try XCTUnwrap(result.oat)
        // Mean durations moved from 2h to 1h and 3h, and from 3h to 2h and 5h: the time in the
        // pathway moves by as much, within the paired interval (the sampled durations scale
        // exactly with the mean on common random numbers, so the interval is narrow).
        let expected: [(Double, Double)] = [(-1, 1), (-1, 2)]
        for (row, (low, high)) in zip(rows, expected) {
            let lh = try XCTUnwrap(row.lowDifference.halfWidth), hh = try XCTUnwrap(row.highDifference.halfWidth)
            XCTAssertEqual(row.lowDifference.mean, low, accuracy: max(lh, 0.05), row.parameter)
            XCTAssertEqual(row.highDifference.mean, high, accuracy: max(hh, 0.05), row.parameter)
        }
        XCTAssertEqual(result.baseline[0].mean, 5, accuracy: max(result.baseline[0].halfWidth ?? 0, 0.3))
    }

    func testAnOutcomeReadsTheSameFigureFromTheReplicationsAndFromTheSummary() throws {
        let study = try study(method: .oat)
        let design = study.design()
        let run = SensitivityRunner.run(study, design: design, scenario: try study.scenario(of: design).get(), options: ScenarioRunner.Options(threads: 2))
        let outcome = study.outcomes[0]
        XCTAssertEqual(run.summary.variants.map(\.name), ["baseline", "p1-low", "p1-high", "p2-low", "p2-high"])
        // The summary's mean and paired difference are those of the replications' figures.
        let analysed = study.analyse(design, run.outcomes)
        XCTAssertEqual(try XCTUnwrap(outcome.value(in: run.summary.variants[0])).mean, analysed.baseline[0].mean, accuracy: 1e-9)
        let low = try XCTUnwrap(outcome.difference(in: run.summary.variants[1]))
        XCTAssertEqual(low.mean, try XCTUnwrap(analysed.oat?[0].lowDifference.mean), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(low.halfWidth), try XCTUnwrap(analysed.oat?[0].lowDifference.halfWidth), accuracy: 1e-9)
        XCTAssertNil(outcome.difference(in: run.summary.variants[0]))
    }

    func testMorrisMuStarIsTheSlopeTimesTheRange() throws {
        let result = try run(try study(method: .morris))
        XCTAssertEqual(result.designPoints, 4 * 3)
        let rows = try XCTUnwrap(result.morris)
        // d(time)/d(mean) = 1, so mu* = the range: 2h for a, 3h for b; the model is linear, so
        // sigma is only the sampling noise of the durations.
        for (row, range) in zip(rows, [2.0, 3.0]) {
            XCTAssertEqual(row.muStar, range, accuracy: 0.05 * range, row.parameter)
            XCTAssertEqual(row.mu, range, accuracy: 0.05 * range)
            XCTAssertLessThan(row.sigma, 0.1 * range)
            XCTAssertFalse(row.withinNoise)
        }
    }

    /// Design points and replications run together on any number of threads: the analysis and
    /// the run's summary are the same bytes with one thread as with three.
    func testMorrisGivesTheSameBytesWhateverTheThreads() throws {
        let study = try study(method: .morris)
        let design = study.design()
        let scenario = try study.scenario(of: design).get()
        func bytes(_ threads: Int) throws -> (Data, Data) {
            let run = SensitivityRunner.run(study, design: design, scenario: scenario, options: ScenarioRunner.Options(threads: threads))
            return (try study.analyse(design, run.outcomes).json(), try run.summary.json())
        }
        let one = try bytes(1), three = try bytes(3)
        XCTAssertEqual(one.0, three.0, "the analysis")
        XCTAssertEqual(one.1, three.1, "the summary")
    }
}
