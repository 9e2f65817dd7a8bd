/// Escaping for everything CarePath writes as XML or HTML (Graphviz HTML labels, the HTML report,
/// XES and BPMN files): the five XML specials become entities and characters XML 1.0 forbids
/// (controls, U+FFFE, U+FFFF) and C1 controls are replaced. What happens to tabs and line breaks is
/// the caller's: kept in HTML text, character references in XML attributes, `<BR/>` in a label.
public enum XMLEscape {
    public enum Whitespace: Sendable {
        /// Tabs and line breaks stay as they are (element content).
        case keep
        /// `&#9;`, `&#10;`, `&#13;`: kept through attribute-value normalisation.
        case characterReferences
        /// Each line break (CR LF, CR or LF) becomes `lineBreak`, a tab a space.
        case replace(lineBreak: String)
    }

    public static func escape(_ text: String, whitespace: Whitespace, forbidden replacement: String = "\u{FFFD}") -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r":
                switch whitespace {
                case .keep: out.unicodeScalars.append(scalar)
                case .characterReferences: out += "&#\(scalar.value);"
                case .replace(let lineBreak):
                    if scalar == "\t" { out += " " } else if !(scalar == "\n" && previousWasCR) { out += lineBreak }
                }
            default:
                let v = scalar.value
                if v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0xFFFE || v == 0xFFFF {
                    out += replacement
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
