import CarePathFormat
import CarePathMetrics
import Foundation
import GRDB
import XCTest
@testable import CarePathStore

/// Result files outlive the CarePath that wrote them: a store written under an earlier schema
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
        XCTAssertEqual(try store.schemaVersions(), ["v1", "v2", "v3", "v4", "v5", "v6"])
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
        XCTAssertEqual(StoreSchema.versions, ["v1", "v2", "v3", "v4", "v5", "v6"])
    }

    /// v3 rebuilds `inputs` to let a run keep its bank holiday file: a store written under v2
    /// keeps every row of every table, the key and the rules of `inputs`, and takes calendar rows.
    func testAStoreWrittenUnderVersion2MigratesWithItsRowsIntact() throws {
        let f = try StoreFixture()
        let path = f.path("v2/carepath.sqlite")
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(threads: 2))

        // A run written under v1, then the store brought to v2 (which fills in `differences`).
        let first = try ResultsStore(path: path, create: true, migrateUpTo: "v1")
        let run = try first.queue.write { db in try writeAsVersion1(db, summary, f) }
        try first.close()
        let old = try ResultsStore(path: path, create: false, migrateUpTo: "v2")
        XCTAssertEqual(try old.schemaVersions(), ["v1", "v2"])
        // Under v2 a run could not keep a bank holiday file: the CHECK constraint refused it.
        XCTAssertThrowsError(try old.queue.write { db in
            try db.execute(sql: "INSERT INTO inputs (run, role, path, sha256, text) VALUES (?, 'calendar', 'c.yaml', '', '')", arguments: [run])
        })
        try old.close()
        let before = try contents(of: path)
        XCTAssertFalse(before["differences", default: []].isEmpty)

        let store = try ResultsStore(path: path, create: false)
        XCTAssertEqual(try store.schemaVersions(), ["v1", "v2", "v3", "v4", "v5", "v6"])
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
        try store.close()
        var after = try contents(of: path)
        XCTAssertEqual(after.removeValue(forKey: "grdb_migrations")?.count, 6)
        // The capacity searches' tables are new and empty.
        for table in ["searches", "search_configurations", "search_capacities", "search_figures"] {
            XCTAssertEqual(after.removeValue(forKey: table)?.count, 0, table)
        }
        // v5 adds the workshop board's tables, empty.
        XCTAssertEqual(after.removeValue(forKey: "workshop_options"), [])
        XCTAssertEqual(after.removeValue(forKey: "workshop_notes"), [])
        var expected = before
        expected["grdb_migrations"] = nil
        // v6 adds each variant's levers: unknown (NULL) for runs stored before it.
        expected["variants"] = expected["variants"]?.map { $0 + [DatabaseValue.null] }
        XCTAssertEqual(Set(after.keys), Set(expected.keys))
        for (table, rows) in expected { XCTAssertEqual(after[table], rows, "table \(table) changed in the migration") }
        XCTAssertEqual(after["inputs"]?.count, 2)

        let reopened = try ResultsStore(path: path, create: false)
        XCTAssertEqual(try reopened.inputs(run: run), f.inputs)
        try reopened.queue.read { db in
            // Same key, same foreign key to runs, nothing dangling.
            let key = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info('inputs') WHERE pk > 0 ORDER BY pk").map { $0[0] as String }
            XCTAssertEqual(key, ["run", "role", "path"])
            let parents = try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list('inputs')")
            XCTAssertEqual(parents, ["runs"])
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
            XCTAssertFalse(try db.tableExists("inputs_v3"))
        }
        try reopened.queue.write { db in
            try db.execute(sql: "INSERT INTO inputs (run, role, path, sha256, text) VALUES (?, 'calendar', 'c.yaml', '', '')", arguments: [run])
        }
        // ... and still refuses other roles and a second row for the same file.
        XCTAssertThrowsError(try reopened.queue.write { db in
            try db.execute(sql: "INSERT INTO inputs (run, role, path, sha256, text) VALUES (?, 'weather', 'w.yaml', '', '')", arguments: [run])
        })
        XCTAssertThrowsError(try reopened.queue.write { db in
            try db.execute(sql: "INSERT INTO inputs (run, role, path, sha256, text) VALUES (?, 'calendar', 'c.yaml', '', '')", arguments: [run])
        })
        XCTAssertEqual(try reopened.inputs(run: run).map(\.role), [.scenario, .pathway, .calendar])
        // Deleting the run still takes its inputs with it.
        try reopened.deleteRun(run)
        XCTAssertEqual(try reopened.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM inputs") }, 0)
    }

    /// A run's bank holiday file goes into the store and comes back as written, after the pathway.
    func testARunKeepsItsBankHolidayFile() throws {
        let f = try StoreFixture(replications: 1)
        let store = try ResultsStore(path: f.path("calendar.sqlite"))
        let holidays = InputFile(path: "Scenarios/calendars/england-bank-holidays.yaml", text: "bank-holidays:\n  2025-12-25: Christmas Day\n")
        let (_, writer) = try f.run(into: store, inputs: [RunInput(.calendar, holidays)] + f.inputs)
        XCTAssertEqual(try store.inputs(run: writer.id), f.inputs + [RunInput(.calendar, holidays)])
        XCTAssertEqual(try store.inputs(run: writer.id).last?.file.sha256, holidays.sha256)
    }

    /// A store from a development build that kept the workshop board as its v4 (before the
    /// capacity searches took that name) is refused with the file named and what to do, not
    /// SQLite's "table workshop_options already exists"; and left as it was.
    func testAStoreWithTheWorkshopBoardAsV4IsRefusedWithWhatToDo() throws {
        let f = try StoreFixture()
        let path = f.path("old-workshop.sqlite")
        let old = try ResultsStore(path: path, create: true, migrateUpTo: "v3")
        try old.queue.write { db in
            try StoreSchema.workshopBoard(db)
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v4')")
        }
        try old.close()
        let before = try contents(of: path)
        XCTAssertThrowsError(try ResultsStore(path: path)) { error in
            XCTAssertEqual(error as? StoreError, .workshopBoardAsV4(path: path))
            let said = String(describing: error)
            XCTAssertTrue(said.hasPrefix(path), said)
            XCTAssertTrue(said.contains("move the file aside, or give another --db"), said)
        }
        XCTAssertEqual(try contents(of: path), before, "the refused file is left as it was")
    }
}
