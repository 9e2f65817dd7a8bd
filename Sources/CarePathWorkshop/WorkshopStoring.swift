import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation

/// A finished live run written to the results store as a normal run: the baseline and the option
/// as its two variants, the scenario stored as a text that reads back to them (the option's
/// levers in `set:`), so that `carepath report RUN` re-creates it.
enum WorkshopStoring {
    /// One write at a time per store (`ResultsStore.beginRun` holds a transaction open): two rooms'
    /// runs, and the board's changes, wait their turn.
    static let turn = NSLock()

    /// A live run: `results` by job (replication r's baseline at 2r, its option at 2r + 1); the
    /// run's id.
    static func store(_ run: WorkshopRun, results: [ReplicationResult], in store: ResultsStore) throws -> Int64 {
        let n = run.replications
        let ordered = (0..<2).flatMap { v in (0..<n).map { r in results[2 * r + v] } }
        let option = run.scenario.effectiveVariants[1]
        let command = "carepath workshop \(run.setup.scenarioFile.path) (option \(option.name): "
            + (run.levers.isEmpty ? "no change" : run.levers.map(\.description).joined(separator: "; ")) + ")"
        return try self.store(run.scenario, options: [.init(name: option.name, title: option.title ?? option.name, levers: run.levers)],
                              results: ordered, setup: run.setup, command: command, in: store)
    }

    /// A run of `scenario` (the baseline, then `options` as its variants): `results` variant by
    /// variant (`results[v * replications + r]`); the run's id.
    static func store(_ scenario: Scenario, options: [WorkshopScenarioText.Option], results: [ReplicationResult], setup: WorkshopSetup,
                      command: String, in store: ResultsStore) throws -> Int64 {
        let n = scenario.replications
        let text = try WorkshopScenarioText.make(setup, options: options, replications: n)
        let scenarioFile = InputFile(path: setup.scenarioFile.path, text: text)
        // The stored text must give back what ran, or `report` would show something else.
        let base = URL(fileURLWithPath: scenarioFile.path).absoluteURL.deletingLastPathComponent()
        let included = setup.bankHolidays.map { [$0.path: $0.text] }
        let checked = ScenarioFile.check(text: text, file: scenarioFile.path, baseDirectory: base, pathwayText: setup.pathwayFile.text,
                                         includedTexts: included)
        guard let reread = checked.scenario, reread == scenario else {
            throw WorkshopScenarioText.Failure(description: "the options' scenario text does not read back to what ran"
                + (checked.errors.isEmpty ? "" : ": " + checked.errors.map(\.description).joined(separator: "; ")))
        }
        let inputs = [RunInput(.scenario, scenarioFile), RunInput(.pathway, setup.pathwayFile)]
            + (setup.bankHolidays.map { [RunInput(.calendar, $0)] } ?? [])
        turn.lock(); defer { turn.unlock() }
        let writer = try store.beginRun(
            RunRecord(startedAt: RunRecord.timestamp(Date()), carepathVersion: ScenarioRunner.version, command: command,
                      scenario: scenario.id, title: scenario.title, pathway: setup.pathway.id, seed: scenario.seed, replications: n),
            inputs: inputs, variants: VariantRecord.variants(of: scenario))
        do {
            for (i, result) in results.enumerated() {
                try writer.addReplication(variant: i / n, replication: i % n, seed: ScenarioRunner.replicationSeed(scenario.seed, i % n), result: result)
            }
            let summary = ScenarioRunner.summarise(scenario, pathway: setup.pathway, seed: scenario.seed, replications: n, results: results)
            try writer.finish(summary: summary)
        } catch {
            writer.abandon()
            throw error
        }
        return writer.id
    }
}
