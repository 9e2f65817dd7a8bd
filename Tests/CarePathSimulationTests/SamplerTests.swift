import CarePathEngine
import CarePathModel
import Foundation
import XCTest

/// The engine's samplers against the distributions' known moments and tails.
final class SamplerTests: XCTestCase {
    /// Mean and variance of n draws; the tolerance is 5 standard errors of each estimate.
    func moments(_ d: Distribution, n: Int = 400_000, seed: UInt64 = 11) -> (mean: Double, variance: Double, draws: [Double]) {
        let sampler = Sampler(d)
        var rng = RandomStream(seed: seed)
        let draws = (0..<n).map { _ in sampler.sample(&rng) }
        let mean = draws.reduce(0, +) / Double(n)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        return (mean, variance, draws)
    }

    func testExponentialZigguratHasTheExponentialMeanVarianceAndTail() {
        let (mean, variance, draws) = moments(.exponential(mean: 2))
        let n = Double(draws.count)
        // Exp(mean 2): mean 2, variance 4; the standard error of the mean is 2/sqrt(n).
        XCTAssertEqual(mean, 2, accuracy: 5 * 2 / n.squareRoot())
        // Var of the sample variance for an exponential: (mu4 - sigma^4)/n = (9*16 - 16)/n.
        XCTAssertEqual(variance, 4, accuracy: 5 * (128 / n).squareRoot())
        // Tails: P(X > 2) = e^-1, P(X > 10) = e^-5, each within 5 binomial standard errors.
        for (x, p) in [(2.0, exp(-1.0)), (10.0, exp(-5.0)), (0.1, exp(-0.05))] {
            let share = Double(draws.filter { $0 > x }.count) / n
            XCTAssertEqual(share, p, accuracy: 5 * (p * (1 - p) / n).squareRoot(), "P(X > \(x))")
        }
        XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0.isFinite })
    }

    func testLognormalIsParameterisedByItsOwnMeanAndSD() {
        let (mean, variance, draws) = moments(.lognormal(mean: 6, sd: 4))
        XCTAssertEqual(mean, 6, accuracy: 5 * 4 / Double(draws.count).squareRoot())
        XCTAssertEqual(variance.squareRoot(), 4, accuracy: 0.1)
    }

    func testGammaWeibullTriangularAndTruncatedNormalMeans() {
        XCTAssertEqual(moments(.gamma(shape: 0.8, scale: 2)).mean, 1.6, accuracy: 0.02)
        XCTAssertEqual(moments(.gamma(shape: 3, scale: 2)).mean, 6, accuracy: 0.03)
        XCTAssertEqual(moments(.weibull(shape: 1.5, scale: 4)).mean, Distribution.weibull(shape: 1.5, scale: 4).mean, accuracy: 0.02)
        XCTAssertEqual(moments(.triangular(min: 1, mode: 2, max: 4)).mean, 7.0 / 3, accuracy: 0.01)
        let truncated = moments(.normal(mean: 1, sd: 1))
        XCTAssertTrue(truncated.draws.allSatisfy { $0 >= 0 })
        // E[X | X >= 0] for N(1, 1) = 1 + phi(1)/Phi(1) = 1.2876.
        XCTAssertEqual(truncated.mean, 1.2876, accuracy: 0.01)
    }
}
