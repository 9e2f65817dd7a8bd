@testable import CarePathFormat
import CarePathModel
import Foundation
import PropertyBased
import Testing

/// Rates of arrivals as written (`20/d`, `1.5/h`, `100/w`) over generated numbers and texts.
@Suite struct RateTextProperties {
    static func rate(_ text: String) -> Double? {
        if case .success(let r) = RateText.perHour(text) { return r }
        return nil
    }

    @Test func aRateIsTheNumberOverItsUnit() async {
        let number = Gen.int(in: 1...10_000_000).map { Double($0) / 1000 }
        await propertyCheck(count: 500, input: number) { x in
            #expect(Self.rate("\(x)/h") == x)
            #expect(Self.rate("\(x)/d") == x / 24)
            #expect(Self.rate(" \(x) / w ") == x / 168)
        }
    }

    @Test func readingKeepsTheOrderOfTheNumbersWritten() async {
        let number = Gen.int(in: 1...1_000_000).map { Double($0) / 100 }
        await propertyCheck(count: 300, input: number, number, pick(["h", "d", "w"])) { a, b, unit in
            let x = try #require(Self.rate("\(min(a, b))/\(unit)")), y = try #require(Self.rate("\(max(a, b))/\(unit)"))
            #expect(x <= y)
        }
    }

    /// What a lever or a report shows of a rate reads back as the same rate (to the ninth decimal shown).
    @Test func aRateShownReadsBack() async {
        let rates = Gen.double(in: -4...4).map { pow(10, $0) }
        await propertyCheck(count: 500, input: rates) { perHour in
            let text = LeverValue.ratePerHour(perHour).text(as: .rate)
            let back = try #require(Self.rate(text), "\(perHour)/h shown as '\(text)' does not read back")
            #expect(abs(back - perHour) <= 1e-6 * perHour, "\(perHour)/h -> '\(text)' -> \(back)/h")
        }
    }

    /// Any text: refused, or a finite rate above zero.
    @Test func anyTextReadsAsNothingOrAFinitePositiveRate() async {
        let characters = pick(Array("0123456789./hdwe+-_ \tinfa"))
        await propertyCheck(count: 2000, input: characters.string(of: 0...16)) { text in
            if let r = Self.rate(text) { #expect(r.isFinite && r > 0, "'\(text)' -> \(r)") }
        }
        for text in ["inf/h", "nan/d", "-1/d", "0/d", "1e309/h", "1/y", "1//d", "/d", "1/d/d", "1e-320/w"] {
            if let r = Self.rate(text) { #expect(r.isFinite && r > 0, "'\(text)' -> \(r)") }
        }
    }
}
