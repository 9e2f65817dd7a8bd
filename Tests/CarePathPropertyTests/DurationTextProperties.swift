import CarePathModel
import Foundation
import PropertyBased
import Testing

/// `DurationText` over generated durations and texts: what it writes reads back, reading keeps the
/// order of the numbers written, and no text or number makes it trap.
@Suite struct DurationTextProperties {
    /// Durations from a second's fraction to a million years, spread evenly over the exponent.
    static let durations = Gen.double(in: -6...10).map { pow(10, $0) }

    /// The unit a formatted duration is written in, in hours.
    static func unitHours(_ text: String) -> Double {
        DurationText.unitsInHours.first { text.hasSuffix($0.suffix) }?.hours ?? 1
    }

    @Test func formattedDurationsReadBackWithinTheRoundingShown() async {
        await propertyCheck(count: 500, input: Self.durations) { hours in
            let text = DurationText.format(hours: hours)
            let back = try #require(DurationText.hours(text), "'\(text)' (from \(hours) h) does not read back")
            // Two decimals of the unit shown: at most half a hundredth of it off.
            #expect(abs(back - hours) <= 0.005 * Self.unitHours(text) * (1 + 1e-12), "\(hours) h -> '\(text)' -> \(back) h")
        }
    }

    @Test func readingKeepsTheOrderOfTheNumbersWritten() async {
        let number = Gen.int(in: 0...1_000_000).map { Double($0) / 1000 }
        await propertyCheck(count: 500, input: number, number, pick(DurationText.unitsInHours.map(\.suffix))) { a, b, unit in
            let (low, high) = (min(a, b), max(a, b))
            let x = try #require(DurationText.hours("\(low)\(unit)")), y = try #require(DurationText.hours("\(high)\(unit)"))
            #expect(x <= y, "\(low)\(unit) read as \(x) h, \(high)\(unit) as \(y) h")
        }
    }

    @Test func unitsAgree() async {
        func same(_ a: String, _ b: String) -> Bool {
            guard let x = DurationText.hours(a), let y = DurationText.hours(b) else { return false }
            return abs(x - y) <= 1e-12 * max(x, y)
        }
        await propertyCheck(count: 200, input: Gen.int(in: 0...100_000)) { n in
            let x = Double(n)
            #expect(same("\(x * 7)d", "\(x)w"))
            #expect(same("\(x * 24)h", "\(x)d"))
            #expect(same("\(x * 60)m", "\(x)h"))
            #expect(same("\(x * 60)s", "\(x)m"))
        }
    }

    /// Any text of the characters durations are made of, and others: nil or a finite time >= 0.
    @Test func anyTextReadsAsNothingOrAFiniteTime() async {
        let characters = pick(Array("0123456789.smhdwe+-_ \t\u{0663}\u{00BD}x"))
        await propertyCheck(count: 2000, input: characters.string(of: 0...24)) { text in
            if let hours = DurationText.hours(text) { #expect(hours.isFinite && hours >= 0, "'\(text)' -> \(hours)") }
        }
    }

    @Test func numbersTooLargeForTheirUnitAreRefused() {
        let nines = String(repeating: "9", count: 308)
        #expect(DurationText.hours(nines + "h") != nil, "about 1e308 h is a finite number of hours")
        #expect(DurationText.hours(nines + "w") == nil, "about 1e308 weeks is more hours than a Double holds")
        #expect(DurationText.hours(String(repeating: "9", count: 400) + "s") == nil)
    }

    /// Every number, however large, small or not finite, is written without a trap.
    @Test func everyNumberFormats() async {
        let edges: [Double] = [.infinity, -.infinity, .nan, .greatestFiniteMagnitude, 1e19, 9.3e18 * 168, 1e300, -1, -1e300,
                               .leastNonzeroMagnitude, 4.2e15, 2.0e17]
        for hours in edges { #expect(!DurationText.format(hours: hours).isEmpty) }
        await propertyCheck(count: 500, input: Gen.double(in: 0...308)) { exponent in
            let hours = pow(10, exponent)
            #expect(!DurationText.format(hours: hours).isEmpty)
        }
    }
}
