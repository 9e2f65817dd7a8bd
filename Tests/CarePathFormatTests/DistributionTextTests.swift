import XCTest
import CarePathFormat
import CarePathModel

private func parse(_ text: String, durations: Bool = true) throws -> Distribution {
    try DistributionText.parse(text, durations: durations)
}

/// The message of the error parsing `text` throws.
private func parseError(_ text: String, durations: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        let d = try DistributionText.parse(text, durations: durations)
        XCTFail("expected \(text) to be refused, got \(d)", file: file, line: line)
        return nil
    } catch {
        return error.message
    }
}

final class DistributionTextTests: XCTestCase {
    // MARK: each form

    func testBareDurationIsAFixedTime() throws {
        XCTAssertEqual(try parse("2h"), .fixed(2))
        XCTAssertEqual(try parse("  30m "), .fixed(0.5))
        XCTAssertEqual(try parse("0"), .fixed(0))
    }

    func testFixedForm() throws {
        XCTAssertEqual(try parse("fixed(2h)"), .fixed(2))
        XCTAssertEqual(try parse("fixed(value=1d)"), .fixed(24))
    }

    func testExponentialNamedPositionalAndQuotedColonForms() throws {
        XCTAssertEqual(try parse("exponential(mean=4h)"), .exponential(mean: 4))
        XCTAssertEqual(try parse("exponential(4h)"), .exponential(mean: 4))
        XCTAssertEqual(try parse("exponential(mean: 4h)"), .exponential(mean: 4))
        XCTAssertEqual(try parse("exponential( mean = 4h )"), .exponential(mean: 4))
    }

    func testUniformPositionalAndNamed() throws {
        XCTAssertEqual(try parse("uniform(1h, 3h)"), .uniform(min: 1, max: 3))
        XCTAssertEqual(try parse("uniform(min=1h, max=3h)"), .uniform(min: 1, max: 3))
        XCTAssertEqual(try parse("uniform(max=3h, min=1h)"), .uniform(min: 1, max: 3))
    }

    func testTriangularPositionalAndNamed() throws {
        XCTAssertEqual(try parse("triangular(1h, 2h, 4h)"), .triangular(min: 1, mode: 2, max: 4))
        XCTAssertEqual(try parse("triangular(min=30m, mode=2h, max=1d)"), .triangular(min: 0.5, mode: 2, max: 24))
    }

    func testNormalAndLognormal() throws {
        XCTAssertEqual(try parse("normal(mean=2h, sd=30m)"), .normal(mean: 2, sd: 0.5))
        XCTAssertEqual(try parse("lognormal(mean=6d, sd=4d)"), .lognormal(mean: 144, sd: 96))
    }

    func testGammaByScaleOrByMean() throws {
        XCTAssertEqual(try parse("gamma(shape=2, scale=3h)"), .gamma(shape: 2, scale: 3))
        XCTAssertEqual(try parse("gamma(2, 3h)"), .gamma(shape: 2, scale: 3))
        XCTAssertEqual(try parse("gamma(shape=2, mean=6h)"), .gamma(shape: 2, scale: 3))
        XCTAssertEqual(try parse("gamma(shape=2, mean=6h)").mean, 6)
    }

    func testWeibull() throws {
        XCTAssertEqual(try parse("weibull(shape=1.5, scale=4d)"), .weibull(shape: 1.5, scale: 96))
    }

    func testEmpiricalValuesWithWeights() throws {
        XCTAssertEqual(try parse("empirical(1d=3, 2d=5)"), .empirical(values: [24, 48], weights: [3, 5]))
        XCTAssertEqual(try parse("empirical(1d=3, 2d=5, 5d=2)"), .empirical(values: [24, 48, 120], weights: [3, 5, 2]))
    }

    func testWithoutDurationsValuesArePlainNumbers() throws {
        XCTAssertEqual(try parse("80", durations: false), .fixed(80))
        XCTAssertEqual(try parse("normal(mean=80, sd=7.5)", durations: false), .normal(mean: 80, sd: 7.5))
        XCTAssertEqual(try parse("empirical(1=0.2, 2=0.8)", durations: false), .empirical(values: [1, 2], weights: [0.2, 0.8]))
        XCTAssertEqual(parseError("normal(mean=80h, sd=7)", durations: false),
                       "expected mean of normal as a number, found '80h'")
    }

    func testShapeIsANumberEvenWithDurations() {
        XCTAssertEqual(parseError("gamma(shape=2h, scale=3h)"), "expected shape of gamma as a number, found '2h'")
    }

    // MARK: errors

    func testUnknownDistributionSuggestsTheClosestName() {
        XCTAssertEqual(parseError("expnential(mean=4h)"),
                       "unknown distribution 'expnential'; did you mean 'exponential'? (expected one of: fixed, exponential, uniform, triangular, normal, lognormal, gamma, weibull, empirical)")
        XCTAssertEqual(parseError("lognormla(mean=6d, sd=4d)")?.contains("did you mean 'lognormal'?"), true)
    }

    func testUnknownDistributionFarFromAnyNameGetsNoSuggestion() {
        let message = parseError("poisson(3)")
        XCTAssertEqual(message?.hasPrefix("unknown distribution 'poisson' (expected one of:"), true, message ?? "")
    }

    func testMissingParameterIsNamed() {
        XCTAssertEqual(parseError("uniform(1h)"), "uniform needs 'max' (expected uniform(min=..., max=...))")
        XCTAssertEqual(parseError("lognormal(mean=6d)"), "lognormal needs 'sd' (expected lognormal(mean=..., sd=...))")
        XCTAssertEqual(parseError("gamma(mean=6h)"), "gamma needs 'shape' (expected gamma(shape=..., mean=...))")
    }

    func testExtraPositionalParameterIsRefused() {
        XCTAssertEqual(parseError("exponential(4h, 5h)"), "exponential takes 1 parameter(s): mean")
        XCTAssertEqual(parseError("uniform(1h, 2h, 3h)"), "uniform takes 2 parameter(s): min, max")
    }

    func testUnknownNamedParameterIsRefused() {
        XCTAssertEqual(parseError("normal(mean=2h, stdev=30m)"), "normal has no parameter 'stdev' (expected: mean, sd)")
    }

    func testMissingUnitIsRefused() {
        XCTAssertEqual(parseError("exponential(mean=4)"),
                       "expected mean of exponential as a duration with a unit (45s, 30m, 4h, 6d, 2w), found '4'")
        XCTAssertEqual(parseError("4"),
                       "expected a distribution such as exponential(mean=4h) or a fixed value as a duration with a unit (45s, 30m, 4h, 6d, 2w), found '4'")
        XCTAssertEqual(parseError("empirical(1=3)"),
                       "expected a value as a duration with a unit (45s, 30m, 4h, 6d, 2w), found '1'")
    }

    func testNegativeDurationIsRefusedAsNotADuration() {
        XCTAssertEqual(parseError("normal(mean=2h, sd=-1h)"),
                       "expected sd of normal as a duration with a unit (45s, 30m, 4h, 6d, 2w), found '-1h'")
    }

    func testDuplicateParameterIsRefused() {
        XCTAssertEqual(parseError("normal(mean=2h, mean=3h)"), "normal: 'mean' is given twice")
        XCTAssertEqual(parseError("uniform(1h, min=2h)"), "uniform: 'min' is given twice")
    }

    func testEmptyArgumentIsRefused() {
        XCTAssertEqual(parseError("uniform(1h,,3h)"), "uniform(...) has an empty argument")
        XCTAssertEqual(parseError("uniform(1h, )"), "uniform(...) has an empty argument")
    }

    func testMissingClosingParenthesisIsRefused() {
        XCTAssertEqual(parseError("exponential(mean=4h"), "'exponential(mean=4h' has no closing ')'")
    }

    func testEmpiricalNeedsValueWeightPairs() {
        XCTAssertEqual(parseError("empirical(1d, 2d)"),
                       "empirical takes 'value=weight' pairs, such as empirical(1d=3, 2d=5); found '1d'")
        XCTAssertEqual(parseError("empirical(1d=heavy)"), "expected a weight as a number, found 'heavy'")
    }

    func testInvalidParametersParseButReportProblems() throws {
        // Parsing checks the form; the parameters are checked by Distribution.parameterProblems.
        XCTAssertEqual(try parse("uniform(3h, 1h)").parameterProblems, ["uniform needs 0 <= min <= max, found min 3.0, max 1.0"])
        XCTAssertEqual(try parse("triangular(1h, 5h, 4h)").parameterProblems.count, 1)
        XCTAssertEqual(try parse("gamma(shape=0, scale=3h)").parameterProblems.count, 1)
        XCTAssertEqual(try parse("gamma(shape=0, mean=3h)").parameterProblems.count, 1)
        XCTAssertEqual(try parse("empirical(1d=0, 2d=0)").parameterProblems, ["empirical weights must not all be zero"])
        XCTAssertEqual(try parse("normal(mean=2, sd=-1)", durations: false).parameterProblems,
                       ["normal needs mean > 0 and sd >= 0, found mean 2.0, sd -1.0"])
    }

    // MARK: format

    func testFormatWritesEachFormAsAFileWouldHoldIt() {
        XCTAssertEqual(DistributionText.format(.fixed(2)), "2h")
        XCTAssertEqual(DistributionText.format(.exponential(mean: 4)), "exponential(mean=4h)")
        XCTAssertEqual(DistributionText.format(.uniform(min: 1, max: 3)), "uniform(1h, 3h)")
        XCTAssertEqual(DistributionText.format(.triangular(min: 1, mode: 2, max: 4)), "triangular(1h, 2h, 4h)")
        XCTAssertEqual(DistributionText.format(.normal(mean: 2, sd: 0.5)), "normal(mean=2h, sd=30m)")
        XCTAssertEqual(DistributionText.format(.lognormal(mean: 144, sd: 96)), "lognormal(mean=6d, sd=4d)")
        XCTAssertEqual(DistributionText.format(.gamma(shape: 2, scale: 3)), "gamma(shape=2, scale=3h)")
        XCTAssertEqual(DistributionText.format(.weibull(shape: 1.5, scale: 96)), "weibull(shape=1.5, scale=4d)")
        XCTAssertEqual(DistributionText.format(.empirical(values: [24, 48], weights: [3, 5])), "empirical(1d=3, 2d=5)")
    }

    func testFormatWithoutDurationsWritesPlainNumbers() {
        XCTAssertEqual(DistributionText.format(.normal(mean: 80, sd: 7.5), durations: false), "normal(mean=80, sd=7.5)")
        XCTAssertEqual(DistributionText.format(.fixed(3), durations: false), "3")
    }

    func testFormatThenParseGivesTheSameDistribution() throws {
        let all: [Distribution] = [.fixed(2), .exponential(mean: 4), .uniform(min: 1, max: 3),
                                   .triangular(min: 0.5, mode: 2, max: 24), .normal(mean: 2, sd: 0.5),
                                   .lognormal(mean: 144, sd: 96), .gamma(shape: 2, scale: 3),
                                   .weibull(shape: 1.5, scale: 96), .empirical(values: [24, 48, 120], weights: [3, 5, 2])]
        for d in all {
            let text = DistributionText.format(d)
            XCTAssertEqual(try parse(text), d, text)
        }
        for d: Distribution in [.normal(mean: 80, sd: 7.5), .empirical(values: [1, 2], weights: [0.25, 0.75])] {
            let text = DistributionText.format(d, durations: false)
            XCTAssertEqual(try parse(text, durations: false), d, text)
        }
    }

    func testNamesListEveryForm() {
        XCTAssertEqual(DistributionText.names, ["fixed", "exponential", "uniform", "triangular", "normal", "lognormal", "gamma", "weibull", "empirical"])
    }
}
