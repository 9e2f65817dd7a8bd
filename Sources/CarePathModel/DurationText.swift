/// Durations in files carry a unit: `45s`, `30m`, `4h`, `6d`, `2w`, `1.5h`. CarePath's clock counts hours.
public enum DurationText {
    public static let unitsInHours: [(suffix: String, hours: Double)] = [
        ("s", 1.0 / 3600), ("m", 1.0 / 60), ("h", 1), ("d", 24), ("w", 168),
    ]

    /// Parses `4h`, `30m`, `1.5d`. Returns nil when the text is not a number followed by a unit;
    /// `0` alone is accepted since zero needs no unit.
    public static func hours(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces()
        if trimmed == "0" { return 0 }
        guard let last = trimmed.last, trimmed.count >= 2 else { return nil }
        guard let unit = unitsInHours.first(where: { $0.suffix == String(last) }) else { return nil }
        let number = trimmed.dropLast()
        guard number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number), value.isFinite else { return nil }
        // 1e308 weeks is a finite number but not a finite number of hours.
        let hours = value * unit.hours
        return hours.isFinite ? hours : nil
    }

    /// A short human form: `45m`, `4h`, `6d`, `2.5d`.
    public static func format(hours: Double) -> String {
        func trim(_ v: Double) -> String {
            let rounded = (v * 100).rounded() / 100
            // Whole numbers without a decimal point, as far as an Int holds them exactly.
            return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
        }
        if hours == 0 { return "0" }
        if hours >= 24 * 14 && (hours / 168).rounded() == hours / 168 { return trim(hours / 168) + "w" }
        if hours >= 24 { return trim(hours / 24) + "d" }
        if hours >= 1 { return trim(hours) + "h" }
        if hours * 60 >= 1 { return trim(hours * 60) + "m" }
        return trim(hours * 3600) + "s"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
