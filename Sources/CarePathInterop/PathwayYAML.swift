/// Writes a pathway draft as a pathway file, comments and all: the YAML library drops comments,
/// and the comments (TODOs, where each value came from) are the point of an import.
enum PathwayYAML {
    static func render(_ draft: PathwayDraft) -> String {
        var out: [String] = []
        for line in draft.header { out.append(line.isEmpty ? "#" : "# " + oneLine(line, limit: 400)) }
        out.append("")
        out.append("pathway: \(draft.id)")
        out.append("title: \(quoted(draft.title))")
        out.append("description: \(quoted(draft.description))")
        out.append("start: \(draft.start)")
        out.append("")
        out.append("organisations:")
        for org in draft.organisations {
            if let comment = org.comment { out.append("  # " + oneLine(comment)) }
            out.append("  \(org.id):")
            out.append("    name: \(quoted(org.name))")
            out.append("    sector: community          # TODO(planner): sector: acute, emergency, ambulance, primary, community, mental-health, social-care, care-home, hospice, voluntary, pharmacy, home")
            out.append("    maturity: basic            # TODO(planner): digital maturity: paper, basic or integrated")
            out.append("    connects: [messaging]      # TODO(planner): sharing services it is connected to: messaging, shared-record, federated-query")
            out.append("    roles:")
            for role in org.roles {
                out.append("      \(role.id):")
                out.append("        title: \(quoted(role.title))")
                out.append("        capacity: 1            # TODO(planner): staff or slots (\(oneLine(role.comment)))")
            }
        }
        out.append("")
        if !draft.items.isEmpty {
            out.append("information:")
            for item in draft.items {
                if item.existsAt.isEmpty {
                    out.append("  \(item.id): { category: administrative, title: \(quoted(item.title)) }   # TODO(planner): category: health, social-care, mental-health, safeguarding, administrative (\(oneLine(item.comment)))")
                } else {
                    out.append("  \(item.id):   # TODO(planner): category: health, social-care, mental-health, safeguarding, administrative (\(oneLine(item.comment)))")
                    out.append("    category: administrative")
                    out.append("    title: \(quoted(item.title))")
                    out.append("    exists:   # TODO(planner): the share of patients for whom it exists there when the pathway starts")
                    for org in item.existsAt { out.append("      - { at: \(org), p: 1 }") }
                }
            }
        }
        out.append("")
        out.append("states:")
        for state in draft.states {
            out.append("")
            for comment in state.comments { out.append("  # " + oneLine(comment, limit: 300)) }
            out.append("  \(state.id):")
            if let title = state.title { out.append("    title: \(quoted(title))") }
            if state.terminal {
                out.append("    terminal: true")
                continue
            }
            if let owner = state.owner { out.append("    owner: \(owner.organisation)/\(owner.role)") }
            out.append("    duration: \(plainOrQuoted(state.duration))" + (state.durationComment.map { "   # " + oneLine($0) } ?? ""))
            if !state.occupies { out.append("    occupies: false") }
            if !state.needs.isEmpty { out.append("    needs: [\(state.needs.joined(separator: ", "))]") }
            if !state.produces.isEmpty { out.append("    produces: [\(state.produces.joined(separator: ", "))]") }
            if !state.sends.isEmpty {
                out.append("    sends:   # sent without the patient moving (BPMN message flows from a step that carries on)")
                for send in state.sends { out.append("      - { item: \(send.item), to: \(send.organisation) }") }
            }
            out.append("    next:")
            for branch in state.branches {
                for note in branch.notes { out.append("      # " + oneLine(note, limit: 300)) }
                out.append("      - to: \(branch.to)")
                if let p = branch.p {
                    out.append("        p: \(p)   # TODO(planner): share of patients taking this branch (equal split until set; the shares add up to 1)")
                }
                if let carries = branch.carries { out.append("        carries: [\(carries.joined(separator: ", "))]") }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Distribution text as written in the shipped files when it is safe plain YAML, else quoted.
    static func plainOrQuoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "().,=_- ".unicodeScalars.contains($0) }
        return safe && !text.isEmpty && !text.hasPrefix("-") ? text : quoted(text)
    }

    /// A double-quoted YAML scalar: any text, escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0xFEFF || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text for a comment: one line, no control characters, bounded.
    static func oneLine(_ text: String, limit: Int = 240) -> String {
        var out = ""
        var lastSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF
            if isSpace {
                if !lastSpace && !out.isEmpty { out += " " }
                lastSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastSpace = false
            }
        }
        while out.hasSuffix(" ") { out.removeLast() }
        if out.count > limit { out = String(out.prefix(limit - 3)) + "..." }
        return out
    }
}
