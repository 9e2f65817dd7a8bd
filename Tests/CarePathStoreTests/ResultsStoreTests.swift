import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation
import GRDB
import XCTest
@testable import CarePathStore

/// A run written to a store reads back as it was written: `carepath report RUN_ID` rebuilds the
/// report from the stored summary, and analysts' SQL sees the same figures as the JSON summary.
final class ResultsStoreTests: XCTestCase {
    func testRunReadsBackWithTheSummaryWrittenByteForByte() throws {
        let f = try StoreFixture()
        let store = try ResultsStore(path: f.path("nested/folders/carepath.sqlite"))
        let (summary, writer) = try f.run(into: store)

        XCTAssertEqual(try store.summaryJSON(run: writer.id), try summary.json())
        XCTAssertEqual(try store.summary(run: writer.id).json(), try summary.json())
        XCTAssertEqual(try store.integrityCheck(), ["ok"])
        XCTAssertEqual(try store.schemaVersions(), ["v1", "v2", "v3", "v4", "v5", "v6"])
    }

    func testMetricsRowsAreTheSummarysMetrics() throws {
        let f = try StoreFixture()
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        let (summary, writer) = try f.run(into: store)

        let rows = try store.metrics(run: writer.id)
        let expected = summary.variants.enumerated().flatMap { v, variant in variant.metrics.map { (v, $0) } }
        XCTAssertEqual(rows.count, expected.count)
        XCTAssertGreaterThan(rows.count, 100, "the fixture should measure roles, states, items and groups")
        for (row, (v, m)) in zip(rows, expected) {
            XCTAssertEqual(row.variant, v)
            XCTAssertEqual([row.metric, row.subject, row.group], [m.name, m.subject, m.group])
            XCTAssertTrue(same(row.mean, m.mean), "\(m.name) [\(m.subject)] mean \(row.mean) vs \(m.mean)")
            XCTAssertTrue(same(row.halfWidth, m.halfWidth), "\(m.name) [\(m.subject)] half-width")
            XCTAssertTrue(same(row.low, m.low) && same(row.high, m.high), "\(m.name) [\(m.subject)] interval")
        }
        // The breakdown appears in the group column.
        XCTAssertTrue(rows.contains { $0.metric == "time_in_pathway_mean_h" && $0.group == "deprivation=3" })

        let differences = try store.differences(run: writer.id)
        let expectedDifferences = summary.variants.enumerated().flatMap { v, variant in variant.differences.map { (v, $0) } }
        XCTAssertEqual(differences.count, expectedDifferences.count)
        XCTAssertFalse(differences.isEmpty)
        XCTAssertTrue(differences.allSatisfy { $0.variant == 1 }, "only the second variant has differences from the first")
        for (row, (v, d)) in zip(differences, expectedDifferences) {
            XCTAssertEqual(row.variant, v)
            XCTAssertEqual([row.metric, row.subject, row.group], [d.name, d.subject, d.group])
            XCTAssertTrue(same(row.mean, d.mean) && same(row.halfWidth, d.halfWidth), d.name)
        }
    }

    func testNonFiniteFiguresSurviveTheStore() throws {
        let f = try StoreFixture(patients: 40, replications: 2)
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        let (summary, writer) = try f.run(into: store, commit: false)
        var odd = summary
        odd.variants[0].metrics[0].mean = .nan
        odd.variants[0].metrics[1].mean = .infinity
        odd.variants[0].metrics[1].halfWidth = .infinity
        odd.variants[1].differences[0].mean = -.infinity
        try writer.finish(summary: odd)
        XCTAssertEqual(try store.summaryJSON(run: writer.id), try odd.json())
        let rows = try store.metrics(run: writer.id)
        XCTAssertTrue(rows[0].mean.isNaN, "NaN is kept as NULL and read back as NaN")
        XCTAssertEqual(rows[1].mean, .infinity)
        XCTAssertEqual(rows[1].halfWidth, .infinity)
        XCTAssertEqual(try store.differences(run: writer.id).first?.mean, -.infinity)
        XCTAssertTrue(CSVExport.metrics(odd).contains(",nan,"))
    }

    func testRunsListInputsVariantsAndOutcomesAreStored() throws {
        let f = try StoreFixture()
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        let (_, first) = try f.run(into: store)
        let (summary, second) = try f.run(into: store)
        XCTAssertEqual(second.id, first.id + 1)

        let runs = try store.runs()
        XCTAssertEqual(runs.map(\.id), [first.id, second.id])
        let run = runs[1]
        XCTAssertEqual(run.record.status, RunRecord.complete)
        XCTAssertEqual(run.record.seed, 20261124)
        XCTAssertEqual(run.record.scenario, "small-discharge")
        XCTAssertEqual(run.record.title, f.scenario.title)
        XCTAssertEqual(run.record.replications, 3)
        XCTAssertEqual(run.record.startedAt, "2026-11-24T09:30:00Z")
        XCTAssertEqual(run.variants, ["point-to-point", "shared-record"])
        XCTAssertEqual(run.eventsStored, 0, "no event log unless asked for")
        XCTAssertEqual(run.patientsStored, 2 * 3 * 150, "every patient of every replication of every variant")

        XCTAssertEqual(try store.inputs(run: run.id), f.inputs)
        XCTAssertEqual(try store.inputs(run: run.id).map(\.file.sha256), f.inputs.map(\.file.sha256))
        let variants = try store.variants(run: run.id)
        XCTAssertEqual(variants.map(\.architecture), ["point-to-point", "shared-record"])
        XCTAssertEqual(variants.map(\.title), [nil, "Shared record, nightly batch"])

        // Outcomes agree with the replication's own counts.
        let outcomes = try store.outcomes(run: run.id, variant: 1, replication: 2)
        XCTAssertEqual(outcomes.count, 150)
        XCTAssertEqual(Set(outcomes.map(\.patient)).count, 150)
        XCTAssertTrue(Set(outcomes.map(\.terminal)).isSubset(of: ["home", "care-home"]))
        XCTAssertTrue(outcomes.allSatisfy { $0.group.hasPrefix("deprivation=") })
        let counted = outcomes.filter(\.counted)
        let meanTime = counted.map(\.timeInPathway).reduce(0, +) / Double(counted.count)
        let seeds = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT seed FROM replications WHERE run = ? AND variant = 1 ORDER BY replication", arguments: [run.id])
        }
        XCTAssertEqual(seeds, (0..<3).map { String(ScenarioRunner.replicationSeed(20261124, $0)) })
        let stored = try store.queue.read { db in
            try Double.fetchOne(db, sql: """
                SELECT value FROM replication_metrics
                WHERE run = ? AND variant = 1 AND replication = 2 AND metric = 'time_in_pathway_mean_h' AND cohort_group = ''
                """, arguments: [run.id])
        }
        XCTAssertEqual(try XCTUnwrap(stored), meanTime, accuracy: 1e-9 * meanTime, "the same patients' mean, summed in another order")
        let patients = try store.queue.read { db in
            try Double.fetchOne(db, sql: """
                SELECT value FROM replication_metrics
                WHERE run = ? AND variant = 1 AND replication = 2 AND metric = 'patients' AND cohort_group = ''
                """, arguments: [run.id])
        }
        XCTAssertEqual(patients, Double(counted.count))
        XCTAssertEqual(try store.summary(run: run.id).json(), try summary.json())
    }

    func testEventLogIsStoredWithNamesWhenAskedFor() throws {
        let f = try StoreFixture(patients: 60, replications: 2)
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        let (summary, writer) = try f.run(into: store, events: true)
        let run = try store.run(writer.id)
        XCTAssertGreaterThan(run.eventsStored, 60 * 2 * 2 * 4, "at least arrive, start, complete and leave per patient")
        XCTAssertEqual(try store.summary(run: run.id).json(), try summary.json())

        try store.queue.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE run = ?", arguments: [run.id]), run.eventsStored)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM event_log WHERE run = ?", arguments: [run.id]), run.eventsStored)
            // One arrival and one leaving per patient per replication.
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM event_log WHERE lifecycle = 'arrive'"), 60 * 2 * 2)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM event_log WHERE lifecycle = 'leave'"), 60 * 2 * 2)
            let leaves = try String.fetchSet(db, sql: "SELECT state FROM event_log WHERE lifecycle = 'leave'")
            XCTAssertEqual(leaves, ["home", "care-home"])
            // Checks name the item and the gap kind; states name their organisation and role.
            let checks = try Row.fetchAll(db, sql: """
                SELECT DISTINCT state, organisation, role, item, gap_kind FROM event_log WHERE lifecycle = 'check' ORDER BY state, gap_kind
                """)
            XCTAssertFalse(checks.isEmpty)
            for row in checks {
                XCTAssertNotNil(row["item"] as String?)
                XCTAssertTrue(GapKind.allCases.map(\.name).contains(row["gap_kind"] as String? ?? ""))
            }
            let review = try Row.fetchOne(db, sql: "SELECT organisation, role FROM pathway_states WHERE run = ? AND name = 'social-worker-review'", arguments: [run.id])
            XCTAssertEqual(review?["organisation"], "council")
            XCTAssertEqual(review?["role"], "council/social-worker")
            // The checks the event log holds at a state add up to the summary's gap counts there
            // (per 100 counted patients; the log also holds the warm-up's patients, so compare
            // with the checks of counted patients only).
            let missing = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM event_log e JOIN patient_outcomes o
                  ON o.run = e.run AND o.variant = e.variant AND o.replication = e.replication AND o.patient = e.patient
                WHERE e.run = ? AND e.variant = 0 AND e.state = 'social-worker-review' AND e.gap_kind = 'missing' AND o.counted
                """, arguments: [run.id]) ?? -1
            // Replication 0 of variant 0, run again alone with the same seed, logs the same events
            // that the store holds for it, in the same order.
            let (_, again) = try f.oneReplication(events: true)
            let records = try XCTUnwrap(again.events).records
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.patient, e.time_h, l.name AS lifecycle, e.state, e.item, g.name AS gap
                FROM replications r JOIN events e ON e.id BETWEEN r.first_event AND r.last_event
                JOIN lifecycles l ON l.code = e.lifecycle LEFT JOIN gap_kinds g ON g.code = e.gap
                WHERE r.run = ? AND r.variant = 0 AND r.replication = 0 ORDER BY e.id
                """, arguments: [run.id])
            XCTAssertEqual(rows.count, records.count)
            for (row, e) in zip(rows, records) {
                XCTAssertEqual(row["patient"], e.patient)
                XCTAssertEqual(row["time_h"], e.time)
                XCTAssertEqual(row["lifecycle"], e.lifecycle.name)
                XCTAssertEqual(row["state"] as Int?, e.state >= 0 ? Int(e.state) : nil)
                XCTAssertEqual(row["item"] as Int?, e.item >= 0 ? Int(e.item) : nil)
                XCTAssertEqual(row["gap"] as String?, e.gap >= 0 ? GapKind(rawValue: Int(e.gap))?.name : nil)
            }

            let patients = try XCTUnwrap(summary.variants[0].metric("patients")).mean * 2
            let perHundred = try XCTUnwrap(summary.variants[0].metric("state_missing_per_100_patients", subject: "social-worker-review")).mean
            XCTAssertEqual(Double(missing), perHundred * patients / 100, accuracy: 1e-6)
        }
    }

    func testStatisticsViewsPivotTheMetrics() throws {
        let f = try StoreFixture()
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        let (summary, writer) = try f.run(into: store)
        try store.queue.read { db in
            let roles = try Row.fetchAll(db, sql: "SELECT * FROM role_statistics WHERE run = ? ORDER BY variant, role", arguments: [writer.id])
            XCTAssertEqual(roles.count, 2 * 4)
            for row in roles {
                let v: Int = row["variant"], role: String = row["role"]
                XCTAssertEqual(row["wait_p90_h"] as Double?, summary.variants[v].metric("wait_p90_h", subject: role)?.mean)
                XCTAssertEqual(row["utilisation"] as Double?, summary.variants[v].metric("utilisation", subject: role)?.mean)
                XCTAssertEqual(row["organisation"] as String?, String(role.split(separator: "/")[0]))
                XCTAssertEqual(row["wait_p90_h_at_least"] as Double?, 0, "no wait fell past the range")
            }
            let states = try Row.fetchAll(db, sql: "SELECT * FROM state_statistics WHERE run = ? AND state = 'social-worker-review' ORDER BY variant", arguments: [writer.id])
            XCTAssertEqual(states.map { $0["variant_name"] as String? }, ["point-to-point", "shared-record"])
            for (v, row) in states.enumerated() {
                XCTAssertEqual(row["late_per_100_patients"] as Double?, summary.variants[v].metric("state_late_per_100_patients", subject: "social-worker-review")?.mean)
            }
        }
    }

    func testRoleStatisticsSaysWhichWaitPercentilesAreLowerBounds() throws {
        let f = try StoreFixture()
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        let (_, writer) = try f.run(into: store)
        // As the summary writes it when 1 replication in 4 had the 90th percentile past the range.
        try store.queue.write { db in
            try db.execute(sql: """
                INSERT INTO metrics (run, variant, position, metric, subject, cohort_group, mean)
                SELECT run, variant, 100000, 'wait_p90_h_at_least', subject, '', 0.25 FROM metrics
                WHERE run = ? AND variant = 1 AND metric = 'wait_p90_h' AND cohort_group = '' LIMIT 1
                """, arguments: [writer.id])
        }
        try store.queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT variant, wait_p90_h_at_least, wait_p95_h_at_least FROM role_statistics WHERE run = ?", arguments: [writer.id])
            XCTAssertEqual(rows.filter { ($0["wait_p90_h_at_least"] as Double?) == 0.25 }.map { $0["variant"] as Int }, [1])
            XCTAssertEqual(rows.filter { ($0["wait_p90_h_at_least"] as Double?) == 0 }.count, rows.count - 1)
            XCTAssertTrue(rows.allSatisfy { ($0["wait_p95_h_at_least"] as Double?) == 0 })
        }
    }

    func testTheSchemaDocumentsQueriesRunAsWritten() throws {
        // SCHEMA.md's example queries are run against a real store: they must parse and answer.
        let f = try StoreFixture()
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        try f.run(into: store)
        let schema = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/CarePathStore/SCHEMA.md").standardizedFileURL, encoding: .utf8)
        let queries = schema.components(separatedBy: "```sql\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        XCTAssertGreaterThanOrEqual(queries.count, 2)
        try store.queue.read { db in
            for query in queries {
                XCTAssertFalse(try Row.fetchAll(db, sql: query).isEmpty, query)
            }
        }
    }

    func testAStoreThatDoesNotExistIsNotCreatedForReading() throws {
        let f = try StoreFixture()
        XCTAssertThrowsError(try ResultsStore(path: f.path("none.sqlite"), create: false)) { error in
            XCTAssertEqual(error as? StoreError, .notFound(path: f.path("none.sqlite")))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.path("none.sqlite")))
        let store = try ResultsStore(path: f.path("carepath.sqlite"))
        XCTAssertThrowsError(try store.summary(run: 42)) { XCTAssertEqual($0 as? StoreError, .noSuchRun(42)) }
    }

    func testAStoreFromANewerCarePathIsRefused() throws {
        let f = try StoreFixture()
        let path = f.path("carepath.sqlite")
        try ResultsStore(path: path).close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        try queue.close()
        XCTAssertThrowsError(try ResultsStore(path: path)) { error in
            XCTAssertEqual(error as? StoreError, .newerSchema(path: path, unknown: ["v99"]))
        }
    }

    func testDeletingARunRemovesEverythingStoredForIt() throws {
        let f = try StoreFixture(patients: 40, replications: 2)
        let path = f.path("carepath.sqlite")
        let store = try ResultsStore(path: path)
        try f.run(into: store)
        try store.close()
        let before = try contents(of: path)
        let again = try ResultsStore(path: path)
        let (_, writer) = try f.run(into: again, events: true)
        try again.deleteRun(writer.id)
        try again.close()
        var after = try contents(of: path)
        // AUTOINCREMENT remembers the highest id ever used; everything else is as before.
        after["sqlite_sequence"] = before["sqlite_sequence"]
        XCTAssertEqual(after, before)
    }
}
