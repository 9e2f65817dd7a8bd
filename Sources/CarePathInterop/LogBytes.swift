/// The bytes of an event log being written: names and ids are escaped once, up front, and numbers
/// and timestamps are written digit by digit, so that writing an event allocates nothing and
/// goes through no formatter.
struct LogBytes {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    @inline(__always) mutating func append(byte: UInt8) { bytes.append(byte) }

    /// Text that needs no escaping here (ids built from digits and escaped names).
    @inline(__always) mutating func append(text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            append(unsigned: UInt64(value.magnitude))
        } else {
            append(unsigned: UInt64(value))
        }
    }

    mutating func append(unsigned value: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value, count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[19 - count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            } while n > 0
            bytes.append(contentsOf: raw[(20 - count)...])
        }
    }

    /// `width` digits, zero-padded (timestamps).
    @inline(__always) mutating func append(padded value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

    /// A figure in hours with at most six decimals (3.6 ms), trailing zeros dropped: `2`, `0.25`,
    /// `-1.5`. Callers leave out figures that are not finite.
    mutating func append(decimal x: Double) {
        let scaled = (abs(x) * 1_000_000).rounded()
        guard scaled < 9e18 else { append(text: String(x)); return }
        var micro = UInt64(scaled)
        if x < 0 && micro > 0 { bytes.append(UInt8(ascii: "-")) }
        append(unsigned: micro / 1_000_000)
        micro %= 1_000_000
        guard micro > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var width = 6
        while micro % 10 == 0 { micro /= 10; width -= 1 }
        append(padded: Int(micro), width: width)
    }

    /// `2024-01-01T09:30:00.000+00:00` (`iso`, XES) or `2024-01-01 09:30:00.000` (OCEL, CSV); the
    /// same digits as `LogClock.iso` and `LogClock.sql`.
    mutating func append(time hours: Double, clock: LogClock, iso: Bool) {
        let total = clock.milliseconds(hours)
        let ms = Int((total % 1000 + 1000) % 1000)
        let seconds = (total - Int64(ms)) / 1000
        var days = seconds / 86400
        var rest = seconds - days * 86400
        if rest < 0 { rest += 86400; days -= 1 }
        let (y, m, d) = LogClock.civilFromDays(days)
        if y < 0 || y > 9999 {
            append(text: iso ? clock.iso(hours) : clock.sql(hours))
            return
        }
        append(padded: y, width: 4); bytes.append(UInt8(ascii: "-"))
        append(padded: m, width: 2); bytes.append(UInt8(ascii: "-"))
        append(padded: d, width: 2); bytes.append(iso ? UInt8(ascii: "T") : UInt8(ascii: " "))
        append(padded: Int(rest / 3600), width: 2); bytes.append(UInt8(ascii: ":"))
        append(padded: Int(rest % 3600 / 60), width: 2); bytes.append(UInt8(ascii: ":"))
        append(padded: Int(rest % 60), width: 2); bytes.append(UInt8(ascii: "."))
        append(padded: ms, width: 3)
        if iso { append("+00:00") }
    }
}

extension XMLText {
    /// `text` escaped for an XML attribute, as bytes to copy.
    static func attributeBytes(_ text: String) -> [UInt8] { Array(attribute(text).utf8) }
}
