import CarePathFormat
import CarePathMetrics
import CarePathModel

/// The figure an experiment studies: a metric of the summary (`delayed_transfer_mean_h`), of one
/// subject where the metric is given per role, state, item, organisation or channel
/// (`wait_p90_h at council/social-worker`), for the whole cohort. Read from that text, checked
/// against the metric glossary and the pathway, and evaluated on a replication's figures or on
/// a variant's summary, so that sensitivity analysis and capacity search name figures alike.
public struct Outcome: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var metric: String
    /// The subject as the metrics name it (`council/social-worker`, a state id); empty for none.
    public var subject: String

    public init(metric: String, subject: String = "") { self.metric = metric; self.subject = subject }

    /// `wait_p90_h at council/social-worker`, as written in a scenario.
    public var description: String { subject.isEmpty ? metric : "\(metric) at \(subject)" }

    public static func < (a: Outcome, b: Outcome) -> Bool { (a.metric, a.subject) < (b.metric, b.subject) }

    public static let example = "delayed_transfer_mean_h, or wait_p90_h at council/social-worker"

    /// Reads `METRIC` or `METRIC at SUBJECT` and checks the metric exists in a run's summary and
    /// takes that subject in `pathway`; the error says what was expected.
    public static func read(_ text: String, pathway: Pathway) -> Result<Outcome, OutcomeProblem> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let outcome: Outcome
        switch words.count {
        case 1: outcome = Outcome(metric: words[0])
        case 3 where words[1] == "at": outcome = Outcome(metric: words[0], subject: words[2])
        default:
            let shown = text.isEmpty ? "an empty text" : "'\(text.prefix(80))'"
            return .failure(OutcomeProblem("expected an outcome, METRIC or METRIC at SUBJECT (such as \(example)), found \(shown)"))
        }
        if let problem = outcome.problem(in: pathway) { return .failure(OutcomeProblem(problem)) }
        return .success(outcome)
    }

    /// Reads an outcome as written in a scenario file; the problem carries its file and line.
    public static func read(_ written: WrittenText, pathway: Pathway) -> Result<Outcome, FormatProblem> {
        read(written.text, pathway: pathway).mapError {
            FormatProblem(.error, file: written.at.file, line: written.at.line, column: written.at.column, path: written.at.path, message: $0.message)
        }
    }

    /// The glossary's definition of the metric.
    public var definition: GlossaryEntry? { MetricGlossary.entry(for: metric) }

    /// This outcome's figure among one replication's (for the whole cohort); nil when not measured.
    public func value(in metrics: [Metric]) -> Double? {
        metrics.first { $0.name == metric && $0.subject == subject && $0.group.isEmpty }?.value
    }

    /// This outcome over a variant's replications: mean and 95% interval; nil when not measured.
    public func value(in summary: VariantSummary) -> SummaryMetric? { summary.metric(metric, subject: subject) }

    /// The variant's paired difference from the first variant; nil for the first or when not measured.
    public func difference(in summary: VariantSummary) -> SummaryMetric? { summary.difference(metric, subject: subject) }

    // MARK: Checking

    /// The kinds of subject the metric takes, read from the glossary's `subject` column.
    struct Subjects {
        var none = false, role = false, state = false, item = false, organisation = false, channel = false, pair = false
        init(_ text: String) {
            for part in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if part.hasPrefix("none") { none = true }
                if part.hasPrefix("role|") { pair = true } else if part.hasPrefix("role") { role = true }
                if part.hasPrefix("state") { state = true }
                if part.hasPrefix("item") { item = true }
                if part.hasPrefix("organisation") { organisation = true }
                if part.hasPrefix("channel") { channel = true }
                if part.hasPrefix("as the") { none = true; role = true; pair = true }
            }
        }
        var words: String {
            [(role, "a role (ORGANISATION/ROLE)"), (pair, "a role and a destination or item (ORGANISATION/ROLE|NAME)"), (state, "a state"),
             (item, "an information item"), (organisation, "an organisation"), (channel, "a channel")]
                .filter(\.0).map(\.1).joined(separator: " or ")
        }
    }

    func problem(in pathway: Pathway) -> String? {
        guard let entry = definition, entry.inSummary else {
            let names = MetricGlossary.entries.filter(\.inSummary).flatMap(\.names)
            var message = "unknown metric '\(metric.prefix(80))'"
            if let close = Suggestion.closest(metric, in: names) { message += "; did you mean '\(close)'?" }
            return message + " (`carepath glossary` lists the metrics and their subjects)"
        }
        let kinds = Subjects(entry.subject)
        let roles = pathway.roles.map(\.reference.description)
        if subject.isEmpty {
            if kinds.none { return nil }
            return "\(metric) is given per \(kinds.words): write '\(metric) at SUBJECT'\(Suggestion.list(kinds.role ? roles : []))"
        }
        guard !kinds.words.isEmpty else { return "\(metric) is a figure of the whole run: write '\(metric)' alone, without 'at \(subject.prefix(80))'" }
        let states = pathway.states.map(\.id), items = pathway.information.map(\.id), organisations = pathway.organisations.map(\.id)
        let channels = ArchitectureOption.allCases.map(\.rawValue)
        if kinds.role && roles.contains(subject) { return nil }
        if kinds.state && states.contains(subject) { return nil }
        if kinds.item && items.contains(subject) { return nil }
        if kinds.organisation && organisations.contains(subject) { return nil }
        if kinds.channel && channels.contains(subject) { return nil }
        if kinds.pair, let bar = subject.firstIndex(of: "|"), roles.contains(String(subject[..<bar])),
           (states + items).contains(String(subject[subject.index(after: bar)...])) { return nil }
        let candidates = (kinds.role ? roles : []) + (kinds.state ? states : []) + (kinds.item ? items : [])
            + (kinds.organisation ? organisations : []) + (kinds.channel ? channels : [])
        var message = "\(metric) is given per \(kinds.words); '\(subject.prefix(80))' is not one in pathway \(pathway.id)"
        if let close = Suggestion.closest(subject, in: candidates) { message += "; did you mean '\(close)'?" }
        return message + Suggestion.list(candidates)
    }
}

/// What is wrong with an outcome's text.
public struct OutcomeProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Suggestions for a mistyped name.
enum Suggestion {
    /// The candidate within a third of the word's length in edits, if one is.
    static func closest(_ word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        return candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
    }

    static func list(_ names: [String]) -> String {
        guard !names.isEmpty else { return "" }
        let shown = names.prefix(12).joined(separator: ", ")
        return " (\(names.count > 12 ? "some of them: " : "")\(shown))"
    }

    /// Levenshtein distance on characters, bounded inputs (names).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(200)), b = Array(b.prefix(200))
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let substitution = previous + (a[i - 1] == b[j - 1] ? 0 : 1)
                previous = row[j]
                row[j] = min(substitution, row[j] + 1, row[j - 1] + 1)
            }
        }
        return row[b.count]
    }
}
