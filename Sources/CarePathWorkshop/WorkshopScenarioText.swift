import CarePathFormat
import CarePathModel
import Foundation
import Yams

/// A scenario file made from the workshop's: the same scenario, with the baseline and the room's
/// options as its variants (each the baseline plus its levers in `set:`). The text a workshop
/// run is stored with, and the file the board writes.
enum WorkshopScenarioText {
    struct Option {
        var name: String
        var title: String
        /// Place as the room's lever id, value as given (units added).
        var levers: [Lever]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `pathway`: the pathway's path as the new file should write it (nil: as the original does).
    /// `bankHolidays` rewrites the calendar's bank holiday file path for a file written elsewhere.
    /// `replications`, when given, replaces the file's (a run of fewer).
    static func make(_ setup: WorkshopSetup, options: [Option], pathway: String? = nil, replications: Int? = nil,
                     bankHolidays: ((String) -> String)? = nil) throws -> String {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: setup.scenarioFile.text) else { throw Failure(description: "the scenario is empty") }
            root = node
        } catch let f as Failure {
            throw f
        } catch {
            throw Failure(description: "\(setup.scenarioFile.path): cannot read the scenario again: \(error)")
        }
        guard let mapping = root.mapping else { throw Failure(description: "\(setup.scenarioFile.path): not a mapping") }
        // The baseline as the file gives it: its first variant, or the base settings alone.
        var baseline = Node.Mapping([(Node("name"), Node(setup.baseline.name)),
                                     (Node("title"), Node(setup.baseline.title ?? setup.baseline.name, .implicit, .doubleQuoted))])
        if let first = mapping["variants"]?.sequence?.first?.mapping { baseline = first }
        var pairs: [(Node, Node)] = []
        for (key, value) in mapping {
            switch key.string {
            case "variants": continue
            case "replications": pairs.append((key, replications.map { Node(String($0)) } ?? value))
            case "pathway": pairs.append((key, pathway.map { Node($0, .implicit, .doubleQuoted) } ?? value))
            case "calendar":
                // A bank holiday file is named relative to the scenario's folder.
                if let bankHolidays, var calendar = value.mapping, let file = calendar["bank-holidays"]?.scalar?.string {
                    calendar["bank-holidays"] = Node(bankHolidays(file), .implicit, .doubleQuoted)
                    pairs.append((key, .mapping(calendar)))
                } else {
                    pairs.append((key, value))
                }
            default: pairs.append((key, value))
            }
        }
        var variants: [Node] = [.mapping(baseline)]
        for option in options {
            variants.append(.mapping(optionNode(baseline, option, setup)))
        }
        if let replications, mapping["replications"] == nil { pairs.append((Node("replications"), Node(String(replications)))) }
        pairs.append((Node("variants"), .sequence(Node.Sequence(variants))))
        do {
            return try Yams.serialize(node: .mapping(Node.Mapping(pairs)), width: -1, allowUnicode: true)
        } catch {
            throw Failure(description: "cannot write the scenario: \(error)")
        }
    }

    /// The baseline's entry, renamed, with the option's levers after (or instead of) its own.
    static func optionNode(_ baseline: Node.Mapping, _ option: Option, _ setup: WorkshopSetup) -> Node.Mapping {
        var pairs: [(Node, Node)] = []
        var set: [(Node, Node)] = []
        for (key, value) in baseline {
            switch key.string {
            case "name", "title": continue
            case "set": set = value.mapping.map { Array($0) } ?? []
            default: pairs.append((key, value))
            }
        }
        for lever in option.levers {
            // The room's value replaces the baseline's own at the same place, however written.
            set.removeAll { key, _ in
                key.string.flatMap { try? LeverPlace.parse($0, pathway: setup.pathway).get() } == lever.place
            }
            set.append((Node(lever.place.description), Node(lever.text, .implicit, .doubleQuoted)))
        }
        var out: [(Node, Node)] = [(Node("name"), Node(option.name)), (Node("title"), Node(option.title, .implicit, .doubleQuoted))]
        out += pairs
        if !set.isEmpty { out.append((Node("set"), .mapping(Node.Mapping(set)))) }
        return Node.Mapping(out)
    }
}
