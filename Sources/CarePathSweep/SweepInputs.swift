import CarePathFormat
import CarePathModel
import CarePathStore
import Foundation

/// The scenario and pathway a sweep runs, read from the copies in its folder after checking each
/// against the manifest's hash: every shard runs the very inputs that were planned.
public struct SweepInputs: Sendable {
    public var scenario: Scenario
    public var pathway: Pathway
    /// The files as the plan was given them (paths as given, texts as copied): what the merged
    /// run's report and store record, as a single-machine run would.
    public var files: [RunInput]
    /// What each unit's `variant` runs: the scenario's variants, or a search stage's configurations.
    public var variants: [Variant]

    /// Reads and checks the copies; a changed or missing copy, or a scenario that no longer
    /// checks, is refused with a message naming the file.
    public static func load(_ directory: URL, _ manifest: SweepManifest) throws -> SweepInputs {
        var files: [RunInput] = []
        for input in manifest.inputs {
            guard let role = RunInput.Role(rawValue: input.role) else {
                throw SweepError("\(directory.appendingPathComponent(SweepManifest.fileName).path): unknown input role '\(input.role.prefix(40))'")
            }
            let url = directory.appendingPathComponent(input.copy)
            guard let data = try? Data(contentsOf: url) else {
                throw SweepError("\(url.path): the copy of \(input.path) is missing or unreadable: the sweep's folder is incomplete")
            }
            let file = InputFile(path: input.path, text: String(decoding: data, as: UTF8.self))
            guard file.sha256 == input.sha256, Data(file.text.utf8) == data else {
                throw SweepError("\(url.path): changed since the plan (sha256 \(file.sha256.prefix(12))..., the manifest says \(input.sha256.prefix(12))...): "
                                 + "refused, shards must run the inputs that were planned; plan again to run other inputs")
            }
            files.append(RunInput(role, file))
        }
        guard let stored = StoredScenario(files) else {
            throw SweepError("\(directory.appendingPathComponent(SweepManifest.fileName).path): expected a scenario and a pathway among the inputs")
        }
        let result = stored.checked, scenarioFile = stored.scenarioFile
        guard let scenario = result.scenario, let pathway = result.pathway else {
            let problems = result.errors.prefix(5).map(\.description).joined(separator: "\n")
            throw SweepError("\(scenarioFile.path) (copy in \(directory.path)/inputs): does not check:\n\(problems)")
        }
        guard scenario.id == manifest.scenario else {
            throw SweepError("\(scenarioFile.path): its scenario differs from the manifest's")
        }
        guard let stage = manifest.search else {
            guard scenario.effectiveVariants.map(\.name) == manifest.variants else {
                throw SweepError("\(scenarioFile.path): its scenario or variants differ from the manifest's")
            }
            return SweepInputs(scenario: scenario, pathway: pathway, files: files, variants: scenario.effectiveVariants)
        }
        return SweepInputs(scenario: scenario, pathway: pathway, files: files,
                           variants: try searchVariants(stage, scenario: scenario, pathway: pathway, names: manifest.variants, file: scenarioFile.path))
    }

    /// A search stage's configurations as the search runs them, each checked against the
    /// scenario's decisions and the manifest's name for it.
    static func searchVariants(_ stage: SweepManifest.SearchStage, scenario: Scenario, pathway: Pathway, names: [String],
                               file: String) throws -> [Variant] {
        guard let spec = scenario.experiments.optimise else {
            throw SweepError("\(file): the plan is a stage of a capacity search, and the scenario has no experiments: { optimise: ... }")
        }
        return try zip(stage.configurations, names).map { capacities, name in
            guard spec.contains(capacities), spec.describe(capacities) == name else {
                throw SweepError("\(file): the stage's configuration '\(name.prefix(80))' is not one of the scenario's search")
            }
            switch spec.variant(capacities, scenario: scenario, pathway: pathway) {
            case .success(let variant): return variant
            case .failure(let problems): throw SweepError("\(file): the model refuses \(name): \(problems)")
            }
        }
    }
}
