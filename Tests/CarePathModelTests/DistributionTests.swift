import Foundation
import XCTest
import CarePathModel

final class DistributionTests: XCTestCase {
    func testMeanOfEachForm() {
        XCTAssertEqual(Distribution.fixed(2).mean, 2)
        XCTAssertEqual(Distribution.exponential(mean: 4).mean, 4)
        XCTAssertEqual(Distribution.uniform(min: 1, max: 3).mean, 2)
        XCTAssertEqual(Distribution.triangular(min: 1, mode: 2, max: 4).mean, 7.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(Distribution.normal(mean: 2, sd: 0.5).mean, 2)
        XCTAssertEqual(Distribution.lognormal(mean: 144, sd: 96).mean, 144)
        XCTAssertEqual(Distribution.gamma(shape: 2, scale: 3).mean, 6)
    }

    func testWeibullMeanUsesTheGammaFunction() {
        // shape 1 is the exponential: mean = scale.
        XCTAssertEqual(Distribution.weibull(shape: 1, scale: 5).mean, 5, accuracy: 1e-12)
        // shape 2 (Rayleigh): mean = scale * sqrt(pi) / 2.
        XCTAssertEqual(Distribution.weibull(shape: 2, scale: 1).mean, Double.pi.squareRoot() / 2, accuracy: 1e-12)
        // shape 1.5, scale 4: 4 * Gamma(5/3) = 4 * 0.902745292950934.
        XCTAssertEqual(Distribution.weibull(shape: 1.5, scale: 4).mean, 3.610981171803736, accuracy: 1e-9)
    }

    func testEmpiricalMeanIsWeighted() {
        XCTAssertEqual(Distribution.empirical(values: [24, 48], weights: [3, 5]).mean, 39)
        XCTAssertEqual(Distribution.empirical(values: [24, 48, 120], weights: [3, 5, 2]).mean, 55.2, accuracy: 1e-12)
    }

    func testEmpiricalMeanWithZeroTotalWeightIsZero() {
        XCTAssertEqual(Distribution.empirical(values: [24, 48], weights: [0, 0]).mean, 0)
    }

    func testNamesMatchTheFileForms() {
        let all: [Distribution] = [.fixed(1), .exponential(mean: 1), .uniform(min: 0, max: 1),
                                   .triangular(min: 0, mode: 1, max: 2), .normal(mean: 1, sd: 1),
                                   .lognormal(mean: 1, sd: 1), .gamma(shape: 1, scale: 1),
                                   .weibull(shape: 1, scale: 1), .empirical(values: [1], weights: [1])]
        XCTAssertEqual(all.map(\.name), ["fixed", "exponential", "uniform", "triangular", "normal",
                                         "lognormal", "gamma", "weibull", "empirical"])
    }

    func testValidParametersHaveNoProblems() {
        let valid: [Distribution] = [.fixed(0), .fixed(2), .exponential(mean: 4), .uniform(min: 1, max: 1),
                                     .triangular(min: 1, mode: 1, max: 4), .triangular(min: 1, mode: 4, max: 4),
                                     .normal(mean: 2, sd: 0), .lognormal(mean: 144, sd: 96),
                                     .gamma(shape: 2, scale: 3), .weibull(shape: 1.5, scale: 96),
                                     .empirical(values: [0, 24], weights: [0, 1])]
        for d in valid { XCTAssertEqual(d.parameterProblems, [], "\(d)") }
    }

    func testNegativeStandardDeviationIsAProblem() {
        XCTAssertEqual(Distribution.normal(mean: 2, sd: -1).parameterProblems,
                       ["normal needs mean > 0 and sd >= 0, found mean 2.0, sd -1.0"])
        XCTAssertEqual(Distribution.lognormal(mean: 2, sd: -1).parameterProblems,
                       ["lognormal needs mean > 0 and sd >= 0, found mean 2.0, sd -1.0"])
    }

    func testNonPositiveMeanIsAProblem() {
        XCTAssertEqual(Distribution.exponential(mean: 0).parameterProblems, ["exponential needs a mean > 0, found 0.0"])
        XCTAssertEqual(Distribution.lognormal(mean: 0, sd: 1).parameterProblems.count, 1)
        XCTAssertEqual(Distribution.normal(mean: -2, sd: 1).parameterProblems.count, 1)
    }

    func testUniformMinAboveMaxIsAProblem() {
        XCTAssertEqual(Distribution.uniform(min: 3, max: 1).parameterProblems,
                       ["uniform needs 0 <= min <= max, found min 3.0, max 1.0"])
        XCTAssertEqual(Distribution.uniform(min: -1, max: 1).parameterProblems.count, 1)
    }

    func testTriangularModeOutsideTheRangeIsAProblem() {
        XCTAssertEqual(Distribution.triangular(min: 1, mode: 5, max: 4).parameterProblems,
                       ["triangular needs 0 <= min <= mode <= max with min < max, found (1.0, 5.0, 4.0)"])
        XCTAssertEqual(Distribution.triangular(min: 2, mode: 1, max: 4).parameterProblems.count, 1)
    }

    func testTriangularWithNoWidthIsAProblem() {
        XCTAssertEqual(Distribution.triangular(min: 2, mode: 2, max: 2).parameterProblems.count, 1)
    }

    func testGammaAndWeibullNeedPositiveShapeAndScale() {
        XCTAssertEqual(Distribution.gamma(shape: 0, scale: 3).parameterProblems,
                       ["gamma needs shape > 0 and scale > 0, found shape 0.0, scale 3.0"])
        XCTAssertEqual(Distribution.gamma(shape: 2, scale: 0).parameterProblems.count, 1)
        XCTAssertEqual(Distribution.weibull(shape: 0, scale: 4).parameterProblems,
                       ["weibull needs shape > 0 and scale > 0, found shape 0.0, scale 4.0"])
        XCTAssertEqual(Distribution.weibull(shape: 1.5, scale: -1).parameterProblems.count, 1)
    }

    func testFixedValueMustBeFiniteAndNotNegative() {
        XCTAssertEqual(Distribution.fixed(-1).parameterProblems, ["a fixed value must be a finite number >= 0, found -1.0"])
        XCTAssertEqual(Distribution.fixed(.infinity).parameterProblems.count, 1)
        XCTAssertEqual(Distribution.fixed(.nan).parameterProblems.count, 1)
        XCTAssertEqual(Distribution.exponential(mean: .nan).parameterProblems.count, 1)
        XCTAssertEqual(Distribution.uniform(min: 0, max: .infinity).parameterProblems.count, 1)
    }

    func testEmpiricalWithAllZeroWeightsIsAProblem() {
        XCTAssertEqual(Distribution.empirical(values: [24, 48], weights: [0, 0]).parameterProblems,
                       ["empirical weights must not all be zero"])
    }

    func testEmpiricalStructuralProblemsAreEachListed() {
        XCTAssertEqual(Distribution.empirical(values: [], weights: []).parameterProblems,
                       ["empirical needs at least one value"])
        XCTAssertEqual(Distribution.empirical(values: [1, 2], weights: [1]).parameterProblems,
                       ["empirical needs one weight per value"])
        XCTAssertEqual(Distribution.empirical(values: [-1], weights: [1]).parameterProblems,
                       ["empirical values must be finite and >= 0"])
        XCTAssertEqual(Distribution.empirical(values: [1, 2], weights: [-1, 2]).parameterProblems,
                       ["empirical weights must be finite and >= 0"])
    }
}
