import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// A capacity search's stages on disk: FOLDER/stage-1, FOLDER/stage-2, ..., each a sweep plan
/// (`SweepManifest` with a `search` stage) whose units are (configuration, replication) pairs,
/// run by `carepath sweep run` like any other shard. `carepath optimise --stages FOLDER` reads
/// every stage's shards and either finishes the search or plans the next stage here.
public enum SearchStages {
    public static func folder(_ root: URL, stage: Int) -> URL {
        root.appendingPathComponent("stage-\(stage)")
    }

    /// Every replication the stages hold, by configuration and replication number.
    public struct Known: Sendable {
        public var results: [[Int]: [Int: ReplicationResult]] = [:]
        /// Stages read, and replications they ran.
        public var stages = 0
        public var replications = 0
        /// When the first stage was planned: when the search began (its `started_at` in the store).
        public var plannedAt: String?

        public func result(_ capacities: [Int], _ replication: Int) -> ReplicationResult? {
            results[capacities]?[replication]
        }
    }

    /// Reads the stages in `root` (stage-1, stage-2, ... until one is not there). Refused, with
    /// the reason: a stage planned from other inputs, another seed or another CarePath; a copy of
    /// an input changed since its plan; a shard missing, failed or stale (every shard of every
    /// stage must be done before the search can go on).
    public static func known(_ root: URL, inputs: [RunInput], seed: UInt64, version: String) throws -> Known {
        var known = Known()
        let expected = SweepPlanner.manifestInputs(inputs)
        while true {
            let stage = known.stages + 1, url = folder(root, stage: stage)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent(SweepManifest.fileName).path) else { break }
            let (manifest, sha) = try SweepManifest.load(url)
            guard let search = manifest.search, search.stage == stage else {
                throw SweepError("\(url.path): not stage \(stage) of a capacity search (planned by `carepath sweep plan`?); give the search its own --stages folder")
            }
            guard manifest.inputs == expected else {
                let differing = zip(expected, manifest.inputs).first { $0 != $1 }.map { " (\($0.0.path): sha256 \($0.0.sha256.prefix(12))..., the stage's \($0.1.path) \($0.1.sha256.prefix(12))...)" } ?? ""
                throw SweepError("\(url.path): planned from other inputs\(differing): refused, every stage of a search runs the same files; "
                                 + "give the same files, or a new --stages folder to search afresh")
            }
            guard manifest.seed == seed else {
                throw SweepError("\(url.path): planned with seed \(manifest.seed), this search's is \(seed); give the same --seed, or a new --stages folder")
            }
            guard manifest.carepathVersion == version else {
                throw SweepError("\(url.path): planned with CarePath \(manifest.carepathVersion), this is \(version): refused; use that version, or a new --stages folder")
            }
            // The copies the shards ran must still be the planned files.
            _ = try SweepInputs.load(url, manifest)
            let states = SweepStatus.shards(url, manifest, planSHA256: sha)
            let notDone = states.enumerated().filter { $0.element != .done }
            guard notDone.isEmpty else {
                throw SweepError("\(url.path): stage \(stage) is not finished: "
                                 + notDone.map { "shard \($0.offset) is \($0.element.line)" }.joined(separator: "; ")
                                 + "; run them (`carepath sweep run \(url.path) --shard I`, `carepath sweep status \(url.path)` lists them), then search again")
            }
            for shard in manifest.shards {
                let file = ShardFile.url(url, shard: shard.index)
                let stored = try ShardFile.units(at: file)
                guard stored.map(\.unit) == shard.units else {
                    throw SweepError("\(file.path): holds other units than the plan gives shard \(shard.index); run it again")
                }
                for unit in stored {
                    let expectedSeed = ScenarioRunner.replicationSeed(seed, unit.unit.replication)
                    guard unit.seed == expectedSeed else {
                        throw SweepError("\(file.path): replication \(unit.unit.replication + 1) ran with seed \(unit.seed), the search's is \(expectedSeed)")
                    }
                    // The search reads the whole cohort's figures only: the breakdowns by group are not kept.
                    var result = unit.result
                    result.metrics.removeAll { !$0.group.isEmpty }
                    known.results[search.configurations[unit.unit.variant], default: [:]][unit.unit.replication] = result
                    known.replications += 1
                }
            }
            known.stages = stage
            if stage == 1 { known.plannedAt = manifest.plannedAt }
        }
        return known
    }

    /// One need of a stage: a configuration and the replications it needs.
    public struct Need: Sendable {
        public var capacities: [Int]
        /// What the search calls it (`clinic/staff 5`): the stage's variant name.
        public var name: String
        public var variant: Variant
        public var replications: [Int]
        public init(capacities: [Int], name: String, variant: Variant, replications: [Int]) {
            self.capacities = capacities; self.name = name; self.variant = variant; self.replications = replications
        }
    }

    /// Stage `stage`'s plan: the needs' (configuration, replication) units in `shards` shards of
    /// about equal work. Always that many (a shard may have nothing to do), so that the same job
    /// array (`--array=0-(N-1)`) serves every stage.
    public static func plan(stage: Int, needs: [Need], scenario: Scenario, pathway: Pathway, inputs: [RunInput], seed: UInt64, seedGiven: Bool,
                            shards: Int, plannedAt: String, version: String) throws -> SweepManifest {
        let units = needs.enumerated().flatMap { v, need in need.replications.map { SweepManifest.Unit(variant: v, replication: $0) } }
        guard !units.isEmpty, shards >= 1 else { throw SweepError("a search stage needs at least one replication and one shard") }
        let weights = needs.map { SweepPlanner.unitWork(scenario, pathway: pathway, variant: $0.variant) }
        return SweepManifest(
            format: SweepManifest.format, carepathVersion: version, plannedAt: plannedAt, scenario: scenario.id,
            variants: needs.map(\.name), seed: seed, seedGiven: seedGiven, replications: (units.map(\.replication).max() ?? 0) + 1,
            inputs: SweepPlanner.manifestInputs(inputs),
            shards: SweepPlanner.balance(units, weights: weights, shards: shards),
            search: SweepManifest.SearchStage(stage: stage, configurations: needs.map(\.capacities)))
    }
}
