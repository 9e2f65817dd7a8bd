import CarePathModel
import Yams

/// A variant's `set:`: levers on the pathway's and the scenario's numbers, by place.
///
///     variants:
///       - name: shorter-stay
///         set:
///           states.inpatient-treatment.duration: lognormal(mean=3.5d, sd=3d)
///           roles.council/reablement-assessor.capacity: 8
///
/// Read with the one lever parser (`Lever.read`), then pulled once the whole scenario is read,
/// after the variant's other settings; every problem is located at the lever's key (a place, or
/// the model once pulled) or value.
extension ScenarioFile {
    /// One lever of a variant's `set:`, and where it is written.
    struct LeverEntry {
        var lever: Lever
        /// `variants[5].set.states.inpatient-treatment.duration`: its key and value are located by it.
        var path: DocumentPath
        var value: Node
    }

    /// A variant's levers as read; `complete` is false when some could not be read (reported),
    /// and the model is then not checked with the others alone.
    struct VariantLevers {
        var entries: [LeverEntry]
        var complete: Bool
    }

    static let setExample = "{ states.assessment.duration: lognormal(mean=2d, sd=1d), roles.council/social-worker.capacity: 6 }"

    /// The levers of a `set:` mapping that read, checked against the pathway (the others are
    /// reported); nil when the pathway could not be read: none is pulled then.
    static func readLevers(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> VariantLevers? {
        guard let entries = r.mapping(node, path, what: "a mapping of PLACE: VALUE, such as \(setExample)") else { return nil }
        // Without a pathway only the scenario's places can be checked.
        let pathway = c.pathway ?? Pathway(id: "", title: "", organisations: [], information: [], states: [], start: "")
        var levers: [LeverEntry] = [], ok = true
        var seen: [LeverPlace: String] = [:]
        for (written, value, p) in entries {
            if c.pathway == nil && LeverPlace.needsPathway(written) { continue }
            let place: LeverPlace
            switch LeverPlace.parse(written, pathway: pathway) {
            case .failure(let problem):
                report(problem, at: p, value: value, &r)
                ok = false
                continue
            case .success(let read): place = read
            }
            guard let text = r.scalar(value, p, what: "\(place.kind) for \(place)") else { ok = false; continue }
            switch LeverValue.parse(text, as: place.kind) {
            case .failure(let problem):
                report(problem, at: p, value: value, &r)
                ok = false
            case .success(let v):
                if let first = seen[place] {
                    let same = first == place.description ? "" : " (as '\(first)')"
                    r.report(.error, r.keyLocations[p], p, "\(place) is already set above\(same) in this variant; set each place once")
                    ok = false
                    continue
                }
                seen[place] = written
                levers.append(LeverEntry(lever: Lever(place: place, value: v, text: text.trimming(" \t")), path: p, value: value))
            }
        }
        return c.pathway == nil ? nil : VariantLevers(entries: levers, complete: ok)
    }

    /// Pulls each variant's levers on the pathway and the scenario as read (`scenario` holds the
    /// base settings and cohort), replacing the variants with their changed selves.
    static func pullLevers(_ variants: inout [Variant], _ levers: [Int: VariantLevers], pathway: Pathway, scenario: Scenario,
                           _ r: inout NodeReader) {
        for (v, list) in levers.sorted(by: { $0.key < $1.key }) where variants.indices.contains(v) && !list.entries.isEmpty {
            let entries = list.entries
            switch variants[v].pulling(entries.map(\.lever), pathway: pathway, scenario: scenario) {
            case .success(let pulled):
                variants[v] = pulled
            case .failure(let problems):
                // With some levers unread, the model's checks would judge a half-made change.
                for problem in problems.problems where list.complete || problem.part != .model {
                    let entry = entries[min(max(problem.lever ?? 0, 0), entries.count - 1)]
                    report(problem, at: entry.path, value: entry.value, &r)
                }
            }
        }
    }

    /// A value problem at the value; a place or model problem at the key.
    static func report(_ problem: LeverProblem, at path: DocumentPath, value: Node, _ r: inout NodeReader) {
        switch problem.part {
        case .value: r.error(value, path, problem.message)
        case .place, .model: r.report(.error, r.keyLocations[path], path, problem.message)
        }
    }
}
