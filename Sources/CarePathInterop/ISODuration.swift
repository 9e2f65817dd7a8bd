import CarePathModel
import Foundation

/// ISO 8601 durations as BPMN timers write them (`PT20S`, `P3D`, `P1DT12H`, `PT0.5H`, `P2W`), in hours.
public enum ISODuration {
    public struct Parsed: Equatable, Sendable {
        public var hours: Double
        /// Years or months were converted at 365 and 30 days: not exact.
        public var approximate: Bool
    }

    public static func parse(_ text: String) -> Parsed? {
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard s.first == "P" || s.first == "p" else { return nil }
        s = s.dropFirst()
        guard !s.isEmpty else { return nil }
        var hours = 0.0, approximate = false, inTime = false, sawComponent = false
        var number = ""
        let dateUnits: [Character: Double] = ["Y": 365 * 24, "M": 30 * 24, "W": 7 * 24, "D": 24]
        let timeUnits: [Character: Double] = ["H": 1, "M": 1.0 / 60, "S": 1.0 / 3600]
        for c in s {
            if c == "T" || c == "t" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            if c.isASCII && (c.isNumber || c == "." || c == ",") {
                number.append(c == "," ? "." : c)
                continue
            }
            let unit = Character(c.uppercased())
            guard let factor = (inTime ? timeUnits : dateUnits)[unit], !number.isEmpty,
                  let value = Double(number), value.isFinite, value >= 0 else { return nil }
            if !inTime && (unit == "Y" || unit == "M") { approximate = true }
            hours += value * factor
            number = ""
            sawComponent = true
        }
        guard number.isEmpty, sawComponent, hours.isFinite else { return nil }
        return Parsed(hours: hours, approximate: approximate)
    }

    /// Hours as an ISO 8601 duration, for BPMN timers: `PT4H`, `P2DT6H`, `PT30M`, `PT0S`.
    public static func format(hours: Double) -> String {
        guard hours.isFinite, hours > 0 else { return "PT0S" }
        var seconds = (hours * 3600).rounded()
        let days = (seconds / 86400).rounded(.down)
        seconds -= days * 86400
        let h = (seconds / 3600).rounded(.down)
        seconds -= h * 3600
        let m = (seconds / 60).rounded(.down)
        seconds -= m * 60
        var out = "P"
        // Pathway times are within Bounds.maximumHours; clamped rather than trapped all the same.
        if days > 0 { out += "\(Int(clampingFloor: days))D" }
        if h > 0 || m > 0 || seconds > 0 {
            out += "T"
            if h > 0 { out += "\(Int(clampingFloor: h))H" }
            if m > 0 { out += "\(Int(clampingFloor: m))M" }
            if seconds > 0 { out += "\(Int(clampingFloor: seconds))S" }
        }
        return out == "P" ? "PT0S" : out
    }
}
