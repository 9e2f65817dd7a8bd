import CarePathExperiments
import Foundation
import XCTest

/// The designs and estimators that run on pathways, run on standard test functions whose indices
/// are known in closed form (the values SALib documents for them).
final class MethodsAgainstPublishedResultsTests: XCTestCase {
    /// Ishigami and Homma (1990), a = 7, b = 0.1, each x uniform on [-pi, pi]: S1 = 0.314, 0.442,
    /// 0; ST = 0.558, 0.442, 0.244 (analytic; SALib's documented example).
    func testSobolIndicesOfTheIshigamiFunction() {
        let design = SobolDesign(parameters: 3, samples: 8192, seed: 11)
        XCTAssertEqual(design.points.count, 8192 * 5)
        let y = design.points.map { u -> Double in
            let x = u.map { -Double.pi + 2 * Double.pi * $0 }
            return sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0])
        }
        let s = design.indices(outputs: y, resamples: 100)
        // Monte Carlo with N = 8192: the estimators' standard errors here are about 0.01 (the
        // bootstrap intervals below say so), so 0.04 is four of them.
        let first = [0.3139, 0.4424, 0.0], total = [0.5576, 0.4424, 0.2437]
        for i in 0..<3 {
            XCTAssertEqual(s[i].first, first[i], accuracy: 0.04, "S1 of x\(i + 1)")
            XCTAssertEqual(s[i].total, total[i], accuracy: 0.04, "ST of x\(i + 1)")
            XCTAssertLessThan(s[i].firstLow, s[i].first); XCTAssertGreaterThan(s[i].firstHigh, s[i].first)
            XCTAssertLessThan(s[i].totalHigh - s[i].totalLow, 0.1, "the interval of ST of x\(i + 1)")
        }
    }

    /// A linear function y = sum c_i x_i over ranges of width w_i: every elementary effect is
    /// c_i w_i, so mu* = |c_i| w_i and sigma = 0 exactly, whatever the trajectories.
    func testMorrisOfALinearFunctionGivesCoefficientTimesRange() {
        let c = [3.0, -2.0, 0.5, 0.0], low = [0.0, 10.0, -1.0, 5.0], high = [2.0, 14.0, 1.0, 6.0]
        let design = MorrisDesign(parameters: 4, trajectories: 10, levels: 4, seed: 3)
        XCTAssertEqual(design.points.count, 10 * 5)
        XCTAssertEqual(design.delta, 4.0 / 6.0, accuracy: 1e-12)
        func linear(_ u: [Double]) -> Double {
            var sum = 0.0
            for i in 0..<4 { let x: Double = low[i] + u[i] * (high[i] - low[i]); sum += c[i] * x }
            return sum
        }
        let y = design.points.map(linear)
        let m = design.indices(outputs: y, positions: design.points)
        for i in 0..<4 {
            XCTAssertEqual(m[i].effects.count, 10)
            XCTAssertEqual(m[i].muStar, abs(c[i]) * (high[i] - low[i]), accuracy: 1e-9)
            XCTAssertEqual(m[i].mu, c[i] * (high[i] - low[i]), accuracy: 1e-9)
            XCTAssertEqual(m[i].sigma, 0, accuracy: 1e-9)
        }
        // Each step moves one parameter by Delta up or down, on the grid.
        for t in 0..<10 {
            for j in 1...4 {
                let a = design.points[t * 5 + j - 1], b = design.points[t * 5 + j]
                let changed = (0..<4).filter { a[$0] != b[$0] }
                XCTAssertEqual(changed.count, 1)
                XCTAssertEqual(abs(b[changed[0]] - a[changed[0]]), design.delta, accuracy: 1e-12)
            }
        }
    }

    /// Sobol's G function (Saltelli and Sobol 1995) with a = (0, 1, 9, 99): mu* ranks the
    /// parameters as their analytic first-order indices do (0.59, 0.26, 0.0073, 0.0001), and
    /// the sigma of an interacting parameter is not 0.
    func testMorrisRanksTheSobolGFunctionLikeItsIndices() {
        let a = [0.0, 1.0, 9.0, 99.0]
        let design = MorrisDesign(parameters: 4, trajectories: 20, levels: 4, seed: 5)
        func g(_ x: [Double]) -> Double {
            var product = 1.0
            for i in 0..<4 { let factor: Double = (abs(4 * x[i] - 2) + a[i]) / (1 + a[i]); product *= factor }
            return product
        }
        let y = design.points.map(g)
        let m = design.indices(outputs: y, positions: design.points)
        XCTAssertGreaterThan(m[0].muStar, m[1].muStar)
        XCTAssertGreaterThan(m[1].muStar, m[2].muStar)
        XCTAssertGreaterThan(m[2].muStar, m[3].muStar)
        XCTAssertGreaterThan(m[0].sigma, 0.1)
    }
}
