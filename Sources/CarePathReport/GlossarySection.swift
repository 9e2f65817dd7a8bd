import CarePathMetrics

/// Definitions one click away: figure labels link to the glossary, which lists the definitions
/// the page links to, from the same table as docs/simulation.md's glossary (`MetricGlossary`).
extension ReportBuilder {
    /// `label` linked to the definition of metric (or derived figure) `name`, which the glossary
    /// will then list; the label alone when the glossary has no entry for it.
    func defined(_ label: HTML, _ name: String) -> HTML {
        guard let entry = MetricGlossary.entry(for: name) else { return label }
        glossaryTerms.insert(entry.pattern)
        return "<a class=\"defined\" href=\"#\(entry.anchor)\">\(label)</a>"
    }

    /// The glossary anchor of metric `name` (for a chart's axis title), which the glossary will then list.
    func glossaryAnchor(_ name: String) -> String? {
        guard let entry = MetricGlossary.entry(for: name) else { return nil }
        glossaryTerms.insert(entry.pattern)
        return entry.anchor
    }

    func defined(_ label: String, _ name: String) -> HTML {
        let escaped: HTML = "\(label)"
        return defined(escaped, name)
    }

    /// The glossary's Markdown code spans (`proceed`) as code, the rest as text; both escaped.
    static func withCode(_ text: String) -> HTML {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { i, part -> HTML in
            i % 2 == 1 ? "<code>\(part)</code>" : "\(part)"
        }.joined()
    }

    /// Build after every other section, so that it holds every definition they link to.
    func glossarySection() -> HTML {
        var parts: [HTML] = []
        for family in MetricGlossary.families {
            let used = family.entries.filter { glossaryTerms.contains($0.pattern) }
            guard !used.isEmpty else { continue }
            let items = used.map { e -> HTML in
                let values: HTML = e.placeholder.isEmpty ? .empty
                    : " <span class=\"ci\">(\(e.placeholder): \(e.values.joined(separator: ", ")))</span>"
                return """
                <dt id="\(e.anchor)"><code>\(e.pattern)</code>\(values)</dt>
                <dd>\(Self.withCode(e.definition)) <span class="glossary-how">How: \(Self.withCode(e.computed)) Subject: \(e.subject). Unit: \(e.unit).</span></dd>
                """
            }
            parts.append("<h4>\(family.title)</h4>\n<dl class=\"glossary\">\n\(items.joined(separator: "\n"))\n</dl>")
        }
        guard !parts.isEmpty else { return "<p>No figure on this page links to a definition.</p>" }
        let intro: HTML = "<p>What each figure on this page means and how it is computed, by its name in the JSON summary and the results store (a pattern\u{2019}s upper-case word stands for each value listed). The same text is the glossary of docs/simulation.md. Each figure is per replication; the page shows means over the replications with 95% intervals.</p>"
        return intro + folded("Definitions of the figures on this page", parts.joined(separator: "\n"))
    }
}
