import Foundation

/// CarePath names (lower-case words joined by `-`) made from the free text of other tools.
public enum CarePathName {
    /// The longest name made from a label; longer labels are cut at a word boundary.
    public static let maximumLength = 48
    /// Names kept as written stay short enough for a `-2` suffix.
    static let maximumKeptLength = 90

    /// A name given explicitly (`carepath:id`), when usable.
    static func given(_ name: String?) -> String? {
        guard let name, isValid(name), name.count <= maximumKeptLength else { return nil }
        return name
    }

    /// `Assess care needs (Team A)` -> `assess-care-needs-team-a`; accents are dropped
    /// (`Überprüfung` -> `uberprufung`); nil when nothing usable is left. A name must start with a
    /// letter, so `2nd review` becomes `step-2nd-review`.
    public static func from(_ text: String) -> String? {
        // Already a CarePath name in lower case (a round trip through BPMN): kept as it is.
        if text.count <= maximumKeptLength, let first = text.unicodeScalars.first, ("a"..."z").contains(first),
           text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) {
            return text
        }
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .replacingOccurrences(of: "ß", with: "ss")
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if ("A"..."Z").contains(scalar) {
                current += String(scalar).lowercased()
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        guard !words.isEmpty else { return nil }
        var name = ""
        for word in words {
            let next = name.isEmpty ? word : name + "-" + word
            if next.count > maximumLength {
                if name.isEmpty { name = String(word.prefix(maximumLength)) }
                break
            }
            name = next
        }
        if let first = name.unicodeScalars.first, !("a"..."z").contains(first) { name = "step-" + name }
        return name
    }

    /// Whether `name` is usable as written (the file format's rule: a letter, then letters, digits, `-`, `_`).
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, name.count <= 100 else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}

/// Hands out unique names: a second `review` becomes `review-2`.
struct NameAllocator {
    private var used: Set<String> = []

    init(reserved: [String] = []) { used = Set(reserved) }

    mutating func unique(_ base: String) -> String {
        if used.insert(base).inserted { return base }
        var n = 2
        while !used.insert("\(base)-\(n)").inserted { n += 1 }
        return "\(base)-\(n)"
    }

    func contains(_ name: String) -> Bool { used.contains(name) }
}
