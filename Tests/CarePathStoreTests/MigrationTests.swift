import CarePathMetrics
import Foundation
import GRDB
import XCTest
@testable import CarePathStore

/// Result files outlive the CarePath that wrote them: a store written under the first schema
/// version opens in this one, migrated, with its runs readable.
final class MigrationTests: XCTestCase {
    /// What the first schema's writer put in a store for a run: the rows of the v1 tables, written
    /// here as plain SQL so that this test does not change when the current writer does.
    func writeAsVersion1(_ db: Database, _ summary: RunSummary, _ f: StoreFixture) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO runs (started_at, carepath_version, command, scenario, title, pathway, seed, replications, status)
            VALUES ('2026-11-20T08:00:00Z', '0.1.0', 'carepath simulate small.yaml', ?, ?, ?, ?, ?, 'complete')
            """, arguments: [summary.scenario, summary.title, summary.pathway, String(summary.seed), summary.replications])
        let run = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO run_summaries (run, json) VALUES (?, ?)",
                       arguments: [run, String(decoding: try summary.json(), as: UTF8.self)])
        for input in f.inputs {
            try db.execute(sql: "INSERT INTO inputs (run, role, path, sha256, text) VALUES (?, ?, ?, ?, ?)",
                           arguments: [run, input.role.rawValue, input.file.path, input.file.sha256, input.file.text])
        }
        for (v, variant) in summary.variants.enumerated() {
            try db.execute(sql: "INSERT INTO variants (run, variant, name, title, architecture) VALUES (?, ?, ?, ?, ?)",
                           arguments: [run, v, variant.name, variant.title, variant.architecture])
            for r in 0..<summary.replications {
                try db.execute(sql: """
                    INSERT INTO replications (run, variant, replication, seed, events, patients_stored, events_stored)
                    VALUES (?, ?, ?, ?, 0, 0, 0)
                    """, arguments: [run, v, r, String(ScenarioRunner.replicationSeed(summary.seed, r))])
            }
            for (position, m) in variant.metrics.enumerated() {
                try db.execute(sql: """
                    INSERT INTO metrics (run, variant, position, metric, subject, cohort_group, mean, half_width, low, high)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [run, v, position, m.name, m.subject, m.group, m.mean, m.halfWidth, m.low, m.high])
            }
        }
        return run
    }

    func testAStoreWrittenByTheFirstSchemaVersionOpensAfterMigration() throws {
        let f = try StoreFixture()
        let path = f.path("old/carepath.sqlite")
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(threads: 2))

        let old = try ResultsStore(path: path, create: true, migrateUpTo: "v1")
        XCTAssertEqual(try old.schemaVersions(), ["v1"])
        let run = try old.queue.write { db in
            XCTAssertFalse(try db.tableExists("differences"))
            return try writeAsVersion1(db, summary, f)
        }
        try old.close()

        let store = try ResultsStore(path: path, create: false)
        XCTAssertEqual(try store.schemaVersions(), ["v1", "v2"])
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
        XCTAssertEqual(try store.runs().map(\.id), [run])
        XCTAssertEqual(try store.runs().first?.variants, ["point-to-point", "shared-record"])
        XCTAssertEqual(try store.summary(run: run).json(), try summary.json())
        XCTAssertEqual(try store.inputs(run: run), f.inputs)
        XCTAssertEqual(try store.metrics(run: run).count, summary.variants.reduce(0) { $0 + $1.metrics.count })

        // v2 filled in the paired differences of runs stored before it, from their JSON summaries.
        let differences = try store.differences(run: run)
        let expected = summary.variants.enumerated().flatMap { v, variant in variant.differences.map { (v, $0) } }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(differences.count, expected.count)
        for (row, (v, d)) in zip(differences, expected) {
            XCTAssertEqual(row.variant, v)
            XCTAssertEqual([row.metric, row.subject, row.group], [d.name, d.subject, d.group])
            XCTAssertTrue(same(row.mean, d.mean) && same(row.halfWidth, d.halfWidth) && same(row.low, d.low), d.name)
        }
        // ... and its views work on old runs.
        let roles = try store.queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM role_statistics WHERE run = ?", arguments: [run])
        }
        XCTAssertEqual(roles, 2 * 4)

        // New runs go in beside the old one.
        let (_, writer) = try f.run(into: store)
        XCTAssertEqual(try store.runs().map(\.id), [run, writer.id])
    }

    func testMigrationsAreNamedInOrderFromTheFirstVersion() {
        XCTAssertEqual(StoreSchema.versions, ["v1", "v2"])
    }
}
