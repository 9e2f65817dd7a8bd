import CarePathModel
import Yams

/// Reads a value that depends on patient attributes: a list of alternatives tried in order, the
/// first whose `when` holds wins, the last (without `when`) is the default.
///
///     - { when: "age >= 85", is: VALUE }
///     - { is: VALUE }
///
/// Durations, branch shares and cohort attributes use the same form (see `Alternative`).
enum AlternativesReader {
    static let keys = ["when", "is"]

    /// What could be read: the alternatives whose condition and value were readable, the default
    /// (the last value, even if it wrongly has a `when`), and whether everything was right (every
    /// problem is reported). The parts read let the model checks find the other problems too.
    struct Read<V: Hashable & Sendable> {
        var cases: [Alternative<V>] = []
        var otherwise: V?
        var ok = true
    }

    /// `value` reads one `is`; `check`, when given, checks a parsed condition further and
    /// reports its own problems (false: unusable).
    static func read<V: Hashable & Sendable>(
        _ node: Node, _ path: DocumentPath, _ r: inout NodeReader, what: String, example: String,
        value: (Node, DocumentPath, inout NodeReader) -> V?,
        check: ((Condition, Node, DocumentPath, inout NodeReader) -> Bool)? = nil
    ) -> Read<V> {
        guard let items = r.sequence(node, path, what: "a list of alternatives such as \(example)") else { return Read(ok: false) }
        guard !items.isEmpty else {
            r.error(node, path, "expected \(what) or a list of alternatives such as \(example), found an empty list")
            return Read(ok: false)
        }
        var cases: [Alternative<V>] = []
        var otherwise: V?
        var ok = true
        for (position, (item, itemPath)) in items.enumerated() {
            let last = position == items.count - 1
            guard let entries = r.mapping(item, itemPath, allowed: keys,
                                          what: "an alternative { when: CONDITION, is: VALUE } (the last { is: VALUE } only)") else {
                ok = false; continue
            }
            r.require(["is"], in: entries, of: item, itemPath)
            var condition: Condition?, read: V?, hasWhen = false
            for (key, entryValue, entryPath) in entries {
                if key == "is" {
                    read = value(entryValue, entryPath, &r)
                    if read == nil { ok = false }
                    continue
                }
                hasWhen = true
                if last {
                    r.error(entryValue, entryPath, "the last alternative is the default for the patients no condition matches: "
                            + "leave out its 'when', or add { is: VALUE } after it")
                    ok = false
                    continue
                }
                guard let text = r.string(entryValue, entryPath, what: "a condition") else { ok = false; continue }
                do throws(ConditionError) {
                    let parsed = try Condition.parse(text)
                    if let check, !check(parsed, entryValue, entryPath, &r) { ok = false }
                    condition = parsed
                } catch {
                    r.locatedInText(entryValue, entryPath, error)
                    ok = false
                }
            }
            if !last && !hasWhen {
                r.error(item, itemPath, "only the last alternative may leave out 'when' (it is the default); "
                        + "this one would hide the \(items.count - 1 - position) after it")
                ok = false
            }
            guard let read else { continue }
            if last { otherwise = read } else if let condition { cases.append(Alternative(when: condition, read)) }
        }
        return Read(cases: cases, otherwise: otherwise, ok: ok && otherwise != nil)
    }
}

extension PathwayFile {
    static let durationExample = "[{ when: \"age >= 85\", is: \"lognormal(mean=7d, sd=5d)\" }, { is: \"lognormal(mean=4d, sd=3.5d)\" }]"
    static let shareExample = "[{ when: \"lives_alone\", is: 0.4 }, { is: 0.2 }]"

    /// `duration: DISTRIBUTION`, or alternatives by patient attributes.
    static func readDuration(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, into state: inout State) {
        guard case .sequence = node else {
            state.duration = r.distribution(node, path) ?? state.duration
            return
        }
        let read = AlternativesReader.read(node, path, &r, what: "a distribution", example: durationExample,
                                           value: { n, p, r in r.distribution(n, p) })
        state.durationCases = read.cases
        state.duration = read.otherwise ?? state.duration
    }

    /// `p: 0.3`, or alternatives by patient attributes: the default share and the others.
    static func readShare(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> (Double?, [Alternative<Double>]) {
        let what = "a probability between 0 and 1"
        guard case .sequence = node else { return (r.number(node, path, what: what), []) }
        let read = AlternativesReader.read(node, path, &r, what: what, example: shareExample,
                                           value: { n, p, r in r.number(n, p, what: what) })
        // A default that could not be read is still a share (the problem is reported), so that
        // the branch is not taken for a default branch.
        return (read.otherwise ?? .nan, read.cases)
    }
}
