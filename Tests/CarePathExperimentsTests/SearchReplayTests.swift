import CarePathExperiments
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathTestSupport
import Foundation
import XCTest

/// The search replayed over replications run elsewhere (as the shards of stages run them): stage
/// by stage it reaches the single-machine search's configurations and gives its very result.
final class SearchReplayTests: XCTestCase {
    /// Runs the needs as a shard does (the configuration's variant, the replication's seed, the
    /// metrics alone) into the table.
    func fill(_ needs: [SearchNeed], _ search: CapacitySearch, into table: inout [[Int]: [Int: ReplicationResult]]) throws {
        for need in needs {
            let variant = try search.variant(need.capacities).get()
            for r in need.replications {
                XCTAssertNil(table[need.capacities]?[r], "a replication is asked for twice")
                var stuck: StuckRun?
                var result = ScenarioRunner.replicate(search.scenario, pathway: search.pathway, variant: variant,
                                                      seed: ScenarioRunner.replicationSeed(search.seed, r), maximumStateEntries: nil,
                                                      observer: MetricsCollector(), stuck: &stuck).result()
                result.stuck = stuck
                table[need.capacities, default: [:]][r] = result
            }
        }
    }

    /// Stages until the replay finishes; the needs of each stage.
    func stages(_ search: CapacitySearch, width: Int) throws -> (CapacitySearchResult, [[SearchNeed]]) {
        var table: [[Int]: [Int: ReplicationResult]] = [:]
        var planned: [[SearchNeed]] = []
        while planned.count < 50 {
            switch search.replay(width: width, known: { table[$0]?[$1] }) {
            case .finished(let result): return (result, planned)
            case .waiting(let needs):
                XCTAssertLessThanOrEqual(needs.count, width)
                planned.append(needs)
                try fill(needs, search, into: &table)
            }
        }
        throw XCTSkip("the replay did not finish in 50 stages")
    }

    /// Two roles in tandem, monotone: with width 1 every stage is one look of the configuration
    /// the single-machine walk takes next, in its order; wider stages take fewer round trips.
    /// Both give the single-machine JSON byte for byte.
    func testReplayedStagesGiveTheSingleMachineResult() throws {
        let text = CapacitySearchTests.tandemStaffing(patients: 600)
        let checked = ScenarioFile.check(text: text, file: "s.yaml", baseDirectory: URL(fileURLWithPath: "/nonexistent"),
                                         pathwayText: CapacitySearchTests.tandem)
        let spec = try XCTUnwrap(checked.scenario?.experiments.optimise, "\(checked.problems)")
        let search = CapacitySearch(scenario: try XCTUnwrap(checked.scenario), pathway: try XCTUnwrap(checked.pathway), spec: spec, threads: 2)
        let alone = search.run()
        XCTAssertEqual(alone.chosenConfiguration?.capacities, [3, 2], "Erlang C: the team needs 3 (1.286 h at 2), the nurse 2 (1.5 h at 1)")

        let (narrow, narrowStages) = try stages(search, width: 1)
        XCTAssertEqual(try narrow.json(), try alone.json())
        // Each configuration run alone, look by look, in the walk's order.
        let run = alone.configurations.filter { $0.status != .pruned }
        XCTAssertEqual(narrowStages.map { $0[0].capacities }.reduce(into: [[Int]]()) { if $0.last != $1 { $0.append($1) } },
                       run.map(\.capacities))
        XCTAssertEqual(narrowStages.map { $0[0].replications.count }.reduce(0, +), alone.replicationsRun, "width 1 runs nothing ahead")

        let (wide, wideStages) = try stages(search, width: 4)
        XCTAssertEqual(try wide.json(), try alone.json())
        XCTAssertLessThan(wideStages.count, narrowStages.count, "wider stages, fewer round trips")
        XCTAssertGreaterThanOrEqual(wideStages.flatMap { $0 }.map(\.replications.count).reduce(0, +), alone.replicationsRun)
    }
}
