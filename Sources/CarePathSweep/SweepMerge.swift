import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// Gathers every shard's results, in (variant, replication) order, into the summary and the
/// store run a single-machine `simulate` of the same inputs makes: the summary by the same code
/// (`ScenarioRunner.summarise`) from the same values, the store by the same writer.
public enum SweepMerge {
    /// Every unit's result in (variant, replication) order, after checking that every shard is
    /// done and that together they hold each unit of the plan exactly once.
    public static func results(_ directory: URL, _ manifest: SweepManifest, planSHA256: String) throws -> [ShardFile.StoredUnit] {
        if let search = manifest.search {
            throw SweepError("\(directory.path): is stage \(search.stage) of a capacity search, not a run to merge: "
                             + "`carepath optimise SCENARIO --stages FOLDER` reads its shards once they are done")
        }
        let states = SweepStatus.shards(directory, manifest, planSHA256: planSHA256)
        let notDone = states.enumerated().filter { $0.element != .done }
        guard notDone.isEmpty else {
            throw SweepError("\(directory.path): cannot merge: "
                             + notDone.map { "shard \($0.offset) is \($0.element.line)" }.joined(separator: "; ")
                             + " (`carepath sweep status \(directory.path)` lists them)")
        }
        var byUnit: [SweepManifest.Unit: ShardFile.StoredUnit] = [:]
        for shard in manifest.shards {
            let url = ShardFile.url(directory, shard: shard.index)
            let stored = try ShardFile.units(at: url)
            guard stored.map(\.unit) == shard.units else {
                throw SweepError("\(url.path): holds other units than the plan gives shard \(shard.index); run it again")
            }
            for unit in stored {
                let expected = ScenarioRunner.replicationSeed(manifest.seed, unit.unit.replication)
                guard unit.seed == expected else {
                    throw SweepError("\(url.path): variant \(unit.unit.variant + 1) replication \(unit.unit.replication + 1) ran with seed \(unit.seed), the plan's is \(expected)")
                }
                guard byUnit.updateValue(unit, forKey: unit.unit) == nil else {
                    throw SweepError("\(url.path): variant \(unit.unit.variant + 1) replication \(unit.unit.replication + 1) is in two shards")
                }
            }
        }
        let all = (0..<manifest.unitCount).map { SweepManifest.Unit(variant: $0 / manifest.replications, replication: $0 % manifest.replications) }
        let missing = all.filter { byUnit[$0] == nil }
        guard missing.isEmpty else {
            throw SweepError("\(directory.path): the shards hold no result for \(missing.count) unit(s), the first variant \(missing[0].variant + 1) replication \(missing[0].replication + 1); plan again")
        }
        return all.map { byUnit[$0]! }
    }

    /// The run's summary, as `ScenarioRunner.run` makes it on one machine.
    public static func summary(_ inputs: SweepInputs, _ manifest: SweepManifest, _ units: [ShardFile.StoredUnit]) -> RunSummary {
        ScenarioRunner.summarise(inputs.scenario, pathway: inputs.pathway, results: units.map(\.result),
                                 replications: manifest.replications, seed: manifest.seed)
    }

    /// Writes the merged run to `store` as one run, replication by replication in order, with
    /// its patients' outcomes read a unit at a time; returns the run's id.
    public static func store(_ directory: URL, _ manifest: SweepManifest, _ inputs: SweepInputs, units: [ShardFile.StoredUnit],
                             summary: RunSummary, command: String, into store: ResultsStore,
                             progress: (@Sendable (_ done: Int, _ of: Int) -> Void)? = nil) throws -> Int64 {
        let scenario = inputs.scenario
        let writer = try store.beginRun(
            RunRecord(startedAt: manifest.plannedAt, carepathVersion: manifest.carepathVersion, command: command,
                      scenario: scenario.id, title: scenario.title, pathway: inputs.pathway.id, seed: manifest.seed,
                      replications: manifest.replications),
            inputs: inputs.files, variants: VariantRecord.variants(of: scenario))
        // The names of states and items, as a single-machine run writes them from its first
        // replication's plan (the same in every variant: levers change numbers, not states).
        let first = scenario.effectiveVariants[0]
        let plan = SimulationPlan(pathway: first.pathway(over: inputs.pathway), settings: first.settings, breakdowns: scenario.breakdowns)
        var shardOf: [SweepManifest.Unit: Int] = [:]
        for shard in manifest.shards { for unit in shard.units { shardOf[unit] = shard.index } }
        do {
            for (i, unit) in units.enumerated() {
                let outcomes = try ShardFile.outcomes(at: ShardFile.url(directory, shard: shardOf[unit.unit] ?? 0), unit.unit)
                try writer.addReplication(variant: unit.unit.variant, replication: unit.unit.replication, seed: unit.seed,
                                          result: unit.result, outcomes: outcomes, plan: plan)
                progress?(i + 1, units.count)
            }
            try writer.finish(summary: summary)
        } catch {
            writer.abandon()
            throw error
        }
        return writer.id
    }
}
