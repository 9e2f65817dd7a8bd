/// The bytes of an event log being written: names and ids are escaped once, up front, and numbers
/// and timestamps are written digit by digit, so that writing an event allocates nothing and
/// goes through no formatter.
///
/// The bytes live in a buffer of our own rather than an array: appending a few bytes to an array
/// goes through a generic out-of-line call that cost more than the bytes (callgrind: about 90
/// instructions an append, a third of the XES writer). A copy of a `LogBytes` is a value like any
/// other: the buffer is copied before it is changed while shared.
struct LogBytes {
    final class Storage {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            base = .allocate(capacity: self.capacity)
        }
        deinit { base.deallocate() }
    }

    private var storage: Storage
    private(set) var count = 0
    /// The last date written, as `YYYY-MM-DD`, and its day since the epoch.
    private var dateDay = Int64.min
    private var date: (UInt64, UInt64) = (0, 0)

    init(capacity: Int = 1 << 16) { storage = Storage(capacity: capacity) }

    /// A copy of the bytes (for what is kept: ids, prepared fragments).
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.base, count: count)) }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: count))
    }

    /// Empties the buffer and keeps its room.
    mutating func removeAll() { count = 0 }

    /// Room for `n` more bytes, in a buffer this value alone holds; returns where they go.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if _slowPath(count &+ n > storage.capacity || !isKnownUniquelyReferenced(&storage)) { grow(n) }
        return storage.base + count
    }

    @inline(never)
    mutating func grow(_ n: Int) {
        let bigger = Storage(capacity: max(storage.capacity * 2, count + n))
        bigger.base.update(from: storage.base, count: count)
        storage = bigger
    }

    @inline(__always)
    mutating func append(raw: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n).update(from: raw, count: n)
        count &+= n
    }

    @inline(__always) mutating func append(_ text: StaticString) {
        append(raw: text.utf8Start, text.utf8CodeUnitCount)
    }

    @inline(__always) mutating func append(_ other: [UInt8]) {
        other.withUnsafeBufferPointer { if let base = $0.baseAddress { append(raw: base, $0.count) } }
    }

    @inline(__always) mutating func append(contentsOf slice: ArraySlice<UInt8>) {
        slice.withUnsafeBufferPointer { if let base = $0.baseAddress { append(raw: base, $0.count) } }
    }

    @inline(__always) mutating func append(byte: UInt8) {
        reserve(1).pointee = byte
        count &+= 1
    }

    /// Text that needs no escaping here (ids built from digits and escaped names).
    @inline(__always) mutating func append(text: String) {
        var text = text
        text.withUTF8 { if let base = $0.baseAddress { append(raw: base, $0.count) } }
    }

    mutating func append(_ value: Int) {
        if value < 0 {
            append(byte: UInt8(ascii: "-"))
            append(unsigned: UInt64(value.magnitude))
        } else {
            append(unsigned: UInt64(value))
        }
    }

    mutating func append(unsigned value: UInt64) {
        var digits = 1, n = value
        while n >= 10 { n /= 10; digits &+= 1 }
        let out = reserve(digits)
        n = value
        var i = digits
        repeat {
            i &-= 1
            out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
        } while i > 0
        count &+= digits
    }

    /// `width` digits, zero-padded (timestamps).
    @inline(__always) mutating func append(padded value: Int, width: Int) {
        let out = reserve(width)
        var v = value
        var i = width
        while i > 0 {
            i &-= 1
            out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        }
        count &+= width
    }

    /// A figure in hours with at most six decimals (3.6 ms), trailing zeros dropped: `2`, `0.25`,
    /// `-1.5`. Callers leave out figures that are not finite.
    mutating func append(decimal x: Double) {
        let scaled = (abs(x) * 1_000_000).rounded()
        guard scaled < 9e18 else { append(text: String(x)); return }
        var micro = UInt64(scaled)
        if x < 0 && micro > 0 { append(byte: UInt8(ascii: "-")) }
        append(unsigned: micro / 1_000_000)
        micro %= 1_000_000
        guard micro > 0 else { return }
        append(byte: UInt8(ascii: "."))
        var width = 6
        while micro % 10 == 0 { micro /= 10; width -= 1 }
        append(padded: Int(micro), width: width)
    }

    /// `2024-01-01T09:30:00.000+00:00` (`iso`, XES) or `2024-01-01 09:30:00.000` (OCEL, CSV); the
    /// same digits as `LogClock.iso` and `LogClock.sql`. The date is worked out once a day of
    /// simulated time (a patient's events come in runs of days) and the time of day from a table
    /// of two-digit pairs, written straight into the buffer.
    mutating func append(time hours: Double, clock: LogClock, iso: Bool) {
        let total = clock.milliseconds(hours)
        var ms = total % 1000
        if ms < 0 { ms += 1000 }
        let seconds = (total - ms) / 1000
        var days = seconds / 86400
        var rest = seconds - days * 86400
        if rest < 0 { rest += 86400; days -= 1 }
        if days != dateDay {
            let (y, m, d) = LogClock.civilFromDays(days)
            guard y >= 0 && y <= 9999 else {
                append(text: iso ? clock.iso(hours) : clock.sql(hours))
                return
            }
            dateDay = days
            withUnsafeMutableBytes(of: &date) { raw in
                let out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                Self.pair(out, 0, y / 100); Self.pair(out, 2, y % 100); out[4] = UInt8(ascii: "-")
                Self.pair(out, 5, m); out[7] = UInt8(ascii: "-"); Self.pair(out, 8, d)
            }
        }
        let r = Int(rest), milli = Int(ms)
        let length = iso ? 29 : 23
        let out = reserve(length)
        Swift.withUnsafeBytes(of: date) { out.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 10) }
        out[10] = iso ? UInt8(ascii: "T") : UInt8(ascii: " ")
        Self.pair(out, 11, r / 3600); out[13] = UInt8(ascii: ":")
        Self.pair(out, 14, r % 3600 / 60); out[16] = UInt8(ascii: ":")
        Self.pair(out, 17, r % 60); out[19] = UInt8(ascii: ".")
        out[20] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: milli / 100)
        Self.pair(out, 21, milli % 100)
        if iso {
            out[23] = UInt8(ascii: "+"); out[24] = UInt8(ascii: "0"); out[25] = UInt8(ascii: "0")
            out[26] = UInt8(ascii: ":"); out[27] = UInt8(ascii: "0"); out[28] = UInt8(ascii: "0")
        }
        count &+= length
    }

    /// Two digits of `value` (0...99) at `offset`.
    @inline(__always)
    static func pair(_ out: UnsafeMutablePointer<UInt8>, _ offset: Int, _ value: Int) {
        let tens = value / 10
        out[offset] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tens)
        out[offset + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value &- tens &* 10)
    }
}

extension XMLText {
    /// `text` escaped for an XML attribute, as bytes to copy.
    static func attributeBytes(_ text: String) -> [UInt8] { Array(attribute(text).utf8) }
}
