@testable import CarePathMetrics
import XCTest

/// Student t critical values against a printed table, and remembered ones the same bits as new.
final class StudentTTests: XCTestCase {
    func testCriticalValuesAreTheTablesAndRememberedOnesTheSameBits() {
        // Two-sided 95% (t at 0.975), from any t table: df 1, 2, 9, 19, 30, 120.
        let table: [(Int, Double)] = [(1, 12.706), (2, 4.303), (9, 2.262), (19, 2.093), (30, 2.042), (120, 1.980)]
        for (df, t) in table {
            XCTAssertEqual(StudentT.critical(degreesOfFreedom: df), t, accuracy: 0.0005, "df \(df)")
        }
        // 99% two-sided with 9 degrees of freedom: 3.250.
        XCTAssertEqual(StudentT.critical(level: 0.99, degreesOfFreedom: 9), 3.250, accuracy: 0.0005)
        for level in [0.95, 0.99, 1 - 0.05 / 6] {
            for df in [1, 4, 9, 39, 999] {
                let first = StudentT.critical(level: level, degreesOfFreedom: df), again = StudentT.critical(level: level, degreesOfFreedom: df)
                XCTAssertEqual(first.bitPattern, StudentT.bisected(level: level, degreesOfFreedom: df).bitPattern)
                XCTAssertEqual(again.bitPattern, first.bitPattern)
            }
        }
        XCTAssertTrue(StudentT.critical(degreesOfFreedom: 0).isNaN)
    }
}
