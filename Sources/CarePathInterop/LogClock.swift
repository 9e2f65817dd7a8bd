import Foundation

/// Simulation hours as calendar time for event logs: hours after a start date (a Monday at
/// 00:00 UTC, since the simulation's week starts on Monday), written without Foundation's date
/// formatters so the output is fast and the same everywhere.
public struct LogClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z of simulation hour 0.
    public let epochSeconds: Int64

    /// 2024-01-01, a Monday.
    public static let defaultStart = LogClock(epochSeconds: 1_704_067_200)

    init(epochSeconds: Int64) { self.epochSeconds = epochSeconds }

    /// nil unless the date exists.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day), (1...9999).contains(year) else { return nil }
        let days = Self.daysFromCivil(year, month, day)
        guard Self.civilFromDays(days) == (year, month, day) else { return nil }
        epochSeconds = days * 86400
    }

    /// `2024-01-01`; nil when it is not a date.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// 0 = Monday ... 6 = Sunday.
    public var weekday: Int { Int(((epochSeconds / 86400) % 7 + 7 + 3) % 7) }

    /// Milliseconds since the epoch of simulation time `hours`.
    @inline(__always)
    func milliseconds(_ hours: Double) -> Int64 {
        let ms = (hours * 3_600_000).rounded()
        guard ms.isFinite, abs(ms) < 2e14 else { return epochSeconds * 1000 }
        return epochSeconds * 1000 + Int64(ms)
    }

    /// `2024-01-01T09:30:00.000+00:00` (XES).
    public func iso(_ hours: Double) -> String { format(hours, separator: "T", zone: "+00:00") }

    /// `2024-01-01 09:30:00.000` (OCEL 2.0 SQLite, CSV).
    public func sql(_ hours: Double) -> String { format(hours, separator: " ", zone: "") }

    func format(_ hours: Double, separator: String, zone: String) -> String {
        let total = milliseconds(hours)
        let ms = Int((total % 1000 + 1000) % 1000)
        let seconds = (total - Int64(ms)) / 1000
        var days = seconds / 86400
        var rest = seconds - days * 86400
        if rest < 0 { rest += 86400; days -= 1 }
        let (y, m, d) = Self.civilFromDays(days)
        let h = Int(rest / 3600), mi = Int(rest % 3600 / 60), s = Int(rest % 60)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))\(separator)\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))\(zone)"
    }

    @inline(__always)
    func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
