import XCTest
import CarePathModel

final class DurationTextTests: XCTestCase {
    func testEachUnitIsConvertedToHours() throws {
        XCTAssertEqual(try XCTUnwrap(DurationText.hours("45s")), 45.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(DurationText.hours("30m"), 0.5)
        XCTAssertEqual(DurationText.hours("4h"), 4)
        XCTAssertEqual(DurationText.hours("6d"), 144)
        XCTAssertEqual(DurationText.hours("2w"), 336)
    }

    func testDecimalsAreAllowed() {
        XCTAssertEqual(DurationText.hours("1.5h"), 1.5)
        XCTAssertEqual(DurationText.hours("2.5d"), 60)
        XCTAssertEqual(DurationText.hours("0.5w"), 84)
    }

    func testZeroNeedsNoUnit() {
        XCTAssertEqual(DurationText.hours("0"), 0)
        XCTAssertEqual(DurationText.hours("0h"), 0)
    }

    func testSurroundingSpacesAreIgnored() {
        XCTAssertEqual(DurationText.hours("  4h\t"), 4)
    }

    func testANumberWithoutUnitIsRejected() {
        XCTAssertNil(DurationText.hours("4"))
        XCTAssertNil(DurationText.hours("1.5"))
    }

    func testAnUnknownUnitIsRejected() {
        XCTAssertNil(DurationText.hours("4x"))
        XCTAssertNil(DurationText.hours("4y"))
        XCTAssertNil(DurationText.hours("4hh"))
    }

    func testAUnitWithoutNumberIsRejected() {
        XCTAssertNil(DurationText.hours("h"))
        XCTAssertNil(DurationText.hours(""))
        XCTAssertNil(DurationText.hours("h4"))
    }

    func testNegativeAndSignedDurationsAreRejected() {
        XCTAssertNil(DurationText.hours("-1h"))
        XCTAssertNil(DurationText.hours("+1h"))
    }

    func testMalformedNumbersAreRejected() {
        XCTAssertNil(DurationText.hours("4 h"))
        XCTAssertNil(DurationText.hours("1e3h"))
        XCTAssertNil(DurationText.hours("1.2.3h"))
        XCTAssertNil(DurationText.hours("infh"))
    }

    func testFormatChoosesTheLargestFittingUnit() {
        XCTAssertEqual(DurationText.format(hours: 0), "0")
        XCTAssertEqual(DurationText.format(hours: 45.0 / 3600), "45s")
        XCTAssertEqual(DurationText.format(hours: 0.5), "30m")
        XCTAssertEqual(DurationText.format(hours: 4), "4h")
        XCTAssertEqual(DurationText.format(hours: 1.5), "1.5h")
        XCTAssertEqual(DurationText.format(hours: 36), "1.5d")
        XCTAssertEqual(DurationText.format(hours: 144), "6d")
        XCTAssertEqual(DurationText.format(hours: 336), "2w")
    }

    func testOneWeekIsShownAsDaysAndWeeksOnlyFromTwoWholeWeeks() {
        XCTAssertEqual(DurationText.format(hours: 168), "7d")
        XCTAssertEqual(DurationText.format(hours: 504), "3w")
        XCTAssertEqual(DurationText.format(hours: 360), "15d")
    }

    func testFormatRoundsToTwoDecimals() {
        XCTAssertEqual(DurationText.format(hours: 100), "4.17d")
        XCTAssertEqual(DurationText.format(hours: 90.0 / 3600), "1.5m")
    }

    func testFormattedTextParsesBackToTheSameText() {
        for text in ["45s", "30m", "4h", "6d", "2w", "1.5h", "0", "2.5d", "15m", "3w"] {
            let hours = DurationText.hours(text)
            XCTAssertNotNil(hours, text)
            XCTAssertEqual(hours.map { DurationText.format(hours: $0) }, text)
        }
    }

    func testHoursSurviveAFormatAndParseRoundTrip() throws {
        for hours in [0.0125, 0.25, 0.5, 1.5, 4, 36, 144, 336, 504] {
            let text = DurationText.format(hours: hours)
            XCTAssertEqual(try XCTUnwrap(DurationText.hours(text), text), hours, accuracy: 1e-9, text)
        }
    }

    func testUnitsTableListsEveryUnitInHours() {
        XCTAssertEqual(DurationText.unitsInHours.map(\.suffix), ["s", "m", "h", "d", "w"])
        XCTAssertEqual(DurationText.unitsInHours.map(\.hours).last, 168)
    }
}
