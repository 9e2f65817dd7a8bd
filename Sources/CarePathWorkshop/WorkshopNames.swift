/// Names the room types, made into identifiers files accept (`two-more-coordinators`).
enum WorkshopNames {
    static func slug(_ name: String, avoiding taken: [String]) -> String {
        var out = ""
        for c in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(c) || ("0"..."9").contains(c) { out.unicodeScalars.append(c) }
            else if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
            if out.count >= 60 { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty || !(out.unicodeScalars.first.map { ("a"..."z").contains($0) } ?? false) { out = "option" + (out.isEmpty ? "" : "-" + out) }
        var candidate = out, k = 2
        while taken.contains(candidate) { candidate = "\(out)-\(k)"; k += 1 }
        return candidate
    }
}
