import CarePathModel

/// Working calendars as written in files: `always`, `weekdays 09:00-17:00`,
/// `every day 08:00-20:00`, `mon,wed,fri 09:00-13:00`.
public enum CalendarText {
    public static func parse(_ text: String) -> WorkingCalendar? {
        let t = text.trimming(" \t").lowercased()
        if t == "always" || t == "24/7" { return .always }
        guard let space = t.lastIndex(of: " ") else { return nil }
        let dayPart = t[..<space].trimming(" "), hourPart = String(t[t.index(after: space)...])
        let days: Set<Int>
        switch dayPart {
        case "weekdays": days = Set(0..<5)
        case "every day", "daily", "all week": days = Set(0..<7)
        case "weekends": days = [5, 6]
        default:
            var set = Set<Int>()
            for name in dayPart.split(separator: ",") {
                guard let d = WorkingCalendar.dayNames.firstIndex(of: name.trimming(" ")) else { return nil }
                set.insert(d)
            }
            days = set
        }
        let range = hourPart.split(separator: "-")
        guard range.count == 2, let opens = minutes(String(range[0])), let closes = minutes(String(range[1])),
              opens < closes, !days.isEmpty else { return nil }
        return WorkingCalendar(days: days, opens: opens, closes: closes)
    }

    private static func minutes(_ clock: String) -> Int? {
        let parts = clock.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }
}

extension Substring {
    func trimming(_ set: String) -> String { String(self).trimming(set) }
}
