import CarePathFiles
@testable import CarePathInterop
import Foundation
import XCTest

/// The byte buffer the event logs are written through: its timestamps against Foundation's own
/// ISO 8601 formatter, its value semantics, and the streaming file's large writes.
final class EventLogBytesTests: XCTestCase {
    /// One buffer takes timestamps in and out of order across days, months, years and before the
    /// start (the date is cached a day at a time): each must read as Foundation writes it.
    func testTimestampsInOneBufferMatchFoundation() {
        let clock = LogClock.defaultStart
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var hours: [Double] = [0, 0.25, 23.999_999, 24, 24.000_001, 1.5, 8_783.9, 8_784.1, -0.001, -24.5, 250_000.123, 3.25, 3.75]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 { hours.append(Double.random(in: -10_000...400_000, using: &rng)) }
        var iso = LogBytes(capacity: 0), sql = LogBytes(capacity: 0)
        var expectedISO = "", expectedSQL = ""
        for h in hours {
            iso.append(time: h, clock: clock, iso: true)
            sql.append(time: h, clock: clock, iso: false)
            // Whole milliseconds; Foundation writes the date and time of the whole seconds.
            let total = clock.epochSeconds * 1000 + Int64((h * 3_600_000).rounded())
            let ms = (total % 1000 + 1000) % 1000
            let text = formatter.string(from: Date(timeIntervalSince1970: Double((total - ms) / 1000)))
            XCTAssertTrue(text.hasSuffix("Z"), text)
            let fraction = "." + String(String(ms + 1000).dropFirst())
            expectedISO += text.dropLast() + fraction + "+00:00"
            expectedSQL += text.dropLast().replacingOccurrences(of: "T", with: " ") + fraction
        }
        XCTAssertEqual(String(decoding: iso.bytes, as: UTF8.self), expectedISO)
        XCTAssertEqual(String(decoding: sql.bytes, as: UTF8.self), expectedSQL)
    }

    func testACopyIsAValueAndTheBufferGrows() {
        var a = LogBytes(capacity: 0)
        a.append("ab")
        var b = a
        b.append(byte: UInt8(ascii: "c"))
        a.append(12)
        XCTAssertEqual(String(decoding: a.bytes, as: UTF8.self), "ab12")
        XCTAssertEqual(String(decoding: b.bytes, as: UTF8.self), "abc")
        b.removeAll()
        XCTAssertEqual(String(decoding: a.bytes, as: UTF8.self), "ab12")
        var big = LogBytes(capacity: 0)
        for i in 0..<20_000 { big.append(i); big.append(byte: UInt8(ascii: ",")) }
        XCTAssertEqual(String(decoding: big.bytes, as: UTF8.self), (0..<20_000).map(String.init).joined(separator: ",") + ",")
    }

    /// Small writes are buffered and large ones go straight to the file, in order.
    func testStreamingFileKeepsTheOrderOfSmallAndLargeWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.txt")
        let file = try StreamingFile(url)
        let large = [UInt8](repeating: UInt8(ascii: "L"), count: 1 << 19)
        var expected: [UInt8] = []
        for chunk in [Array("first".utf8), large, Array("middle".utf8), large, Array("last".utf8)] {
            chunk.withUnsafeBytes { file.write(raw: $0) }
            expected += chunk
        }
        try file.finish()
        XCTAssertEqual(try [UInt8](Data(contentsOf: url)), expected)
    }
}
