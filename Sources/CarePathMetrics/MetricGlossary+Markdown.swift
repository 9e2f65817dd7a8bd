import Foundation

/// The glossary as the Markdown section of docs/simulation.md, between its marker comments.
extension MetricGlossary {
    public static let beginMarker = "<!-- glossary:begin (generated from Sources/CarePathMetrics/MetricGlossary.swift by `carepath glossary --update docs/simulation.md`: edit there, not here) -->"
    public static let endMarker = "<!-- glossary:end -->"

    /// The whole section, markers included, ending with a newline.
    public static func markdown() -> String {
        var lines = [beginMarker, "## Glossary of figures", "",
                     "Every figure CarePath prints, by its name in the JSON summary and the results store; a pattern's",
                     "upper-case word stands for each of the values listed. Subject: what the figure is of (none: the",
                     "whole pathway; `role` is `organisation/role`; `role|destination` a role and the state its patients",
                     "moved on to; `role|item` a role and an information item; `group` a breakdown's group, kept beside",
                     "the subject). Every figure is per replication; across replications each gets a mean and a 95%",
                     "Student t interval, and for variants the paired difference from the first. The HTML report's",
                     "glossary shows the same text."]
        for family in families {
            lines += ["", "### " + family.title, "", "| figure | subject | unit | definition | how it is computed |", "|---|---|---|---|---|"]
            for e in family.entries {
                var figure = "`\(e.pattern)`"
                if !e.placeholder.isEmpty { figure += " (\(e.placeholder): " + e.values.map { "`\($0)`" }.joined(separator: ", ") + ")" }
                lines.append("| " + [figure, e.subject, e.unit, e.definition, e.computed].map(cell).joined(separator: " | ") + " |")
            }
        }
        lines.append(endMarker)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A table cell: a pipe would end it.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }

    public struct SectionError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// `text` with its glossary section (from the begin marker's line to the end marker's) replaced by `markdown()`.
    public static func replacingSection(in text: String, file: String) throws(SectionError) -> String {
        guard let begin = text.range(of: beginMarker) else {
            throw SectionError(description: "\(file): no line '\(beginMarker)' to start the glossary section")
        }
        guard let end = text.range(of: endMarker, range: begin.upperBound..<text.endIndex) else {
            throw SectionError(description: "\(file): no line '\(endMarker)' after the glossary's begin marker")
        }
        var after = end.upperBound
        if after < text.endIndex, text[after] == "\n" { after = text.index(after: after) }
        return String(text[..<begin.lowerBound]) + markdown() + String(text[after...])
    }

    /// The section as it stands in `text`, markers included (nil without both markers).
    public static func section(in text: String) -> String? {
        guard let begin = text.range(of: beginMarker),
              let end = text.range(of: endMarker, range: begin.upperBound..<text.endIndex) else { return nil }
        var after = end.upperBound
        if after < text.endIndex, text[after] == "\n" { after = text.index(after: after) }
        return String(text[begin.lowerBound..<after])
    }
}
