import ArgumentParser
import CarePathExperiments
import CarePathMetrics
import CarePathModel
import CarePathStore
import CarePathSweep
import Foundation

/// `carepath optimise SCENARIO --stages FOLDER --shards N`: the search with its replications run
/// as sweeps, stage by stage (docs/simulation.md, "Capacity search in stages"). Each run replays
/// the search over the shards of the stages so far and either finishes it, writing what a
/// single-machine `optimise` writes, or plans the next stage in FOLDER/stage-K.
extension Optimise {
    static let defaultWidth = 4

    func runStage(_ search: CapacitySearch, inputs: [RunInput], folder: URL) throws {
        // The outputs are checked at every stage, so a bad path is refused before a cluster runs anything.
        let paths = outputPaths(search.scenario.id)
        try Outputs.prepare(paths, database: noStore ? nil : db)
        try announce(search)
        let known = try Sweep.sweepFailure {
            try SearchStages.known(folder, inputs: inputs, seed: search.seed, version: ScenarioRunner.version)
        }
        if known.stages > 0 {
            print("Read \(known.stages) stage(s) in \(folder.path): \(known.replications) replication(s)")
        }
        switch search.replay(width: width ?? Self.defaultWidth, known: known.result) {
        case .finished(let result):
            let command = singleMachineCommand(folder: (paths[0] as NSString).deletingLastPathComponent)
            print("The search is finished: it used \(result.replicationsRun) of the \(known.replications) replication(s) the stages ran "
                  + "(the others were run ahead for configurations it did not reach or decided sooner)")
            print("The same outputs on one machine: \(command)")
            try finish(result, inputs: inputs, paths: paths, startedAt: known.plannedAt ?? RunRecord.timestamp(Date()), command: command)
        case .waiting(let needs):
            try plan(needs, search: search, inputs: inputs, stage: known.stages + 1, folder: folder)
            throw ExitCode(Self.stagePlanned)
        }
    }

    /// Writes stage `stage`'s plan and says what it holds and what to do next.
    func plan(_ needs: [SearchNeed], search: CapacitySearch, inputs: [RunInput], stage: Int, folder: URL) throws {
        let named = try needs.map { need -> SearchStages.Need in
            // The replay waits only on configurations the model accepts; refused ones are decided without a run.
            guard case .success(let variant) = search.variant(need.capacities) else {
                throw Failure("\(scenario): error: the model refuses \(search.describe(need.capacities))")
            }
            return SearchStages.Need(capacities: need.capacities, name: search.describe(need.capacities), variant: variant,
                                     replications: need.replications)
        }
        let manifest = try Sweep.sweepFailure {
            try SearchStages.plan(stage: stage, needs: named, scenario: search.scenario, pathway: search.pathway, inputs: inputs,
                                  seed: search.seed, seedGiven: seed != nil, shards: shards ?? 1,
                                  plannedAt: RunRecord.timestamp(Date()), version: ScenarioRunner.version)
        }
        let url = SearchStages.folder(folder, stage: stage)
        try Sweep.sweepFailure { _ = try SweepPlanner.write(manifest, inputs: inputs, to: url) }
        print("Stage \(stage) planned in \(url.path): \(manifest.unitCount) replication(s) of \(needs.count) configuration(s) in \(manifest.shards.count) shard(s)")
        for (i, need) in named.enumerated() {
            print("  \(i == 0 ? "the search waits for" : "run ahead:") \(need.name), \(Self.describe(need.replications))")
        }
        for shard in manifest.shards {
            print("  shard \(shard.index): \(shard.units.count) replication(s), about \(Bounds.grouped(Int(clampingFloor: shard.estimatedStateEntries.rounded()))) state entries")
        }
        print("Next: carepath sweep run \(url.path) --shard I (I from 0 to \(manifest.shards.count - 1)), or a job array (deploy/); "
              + "then this command again")
    }

    /// `replications 11 to 20` (numbered from 1, as reports number them).
    static func describe(_ replications: [Int]) -> String {
        guard let first = replications.first, let last = replications.last else { return "no replications" }
        if replications.count == last - first + 1 {
            return first == last ? "replication \(first + 1)" : "replications \(first + 1) to \(last + 1)"
        }
        return "replications " + replications.map { String($0 + 1) }.joined(separator: ", ")
    }

    /// The single-machine `optimise` that writes the same outputs: the report names it as the way
    /// to reproduce the search, and the store keeps it as the search's command.
    func singleMachineCommand(folder: String) -> String {
        let arguments = ["carepath", "optimise", scenario] + (seed.map { ["--seed", String($0)] } ?? []) + ["-o", folder]
            + (noStore ? ["--no-store"] : ["--db", db]) + (yes ? ["--yes"] : [])
        return arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}
