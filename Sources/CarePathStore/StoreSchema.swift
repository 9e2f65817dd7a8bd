import Foundation
import GRDB

/// The results store's schema, as named, ordered migrations from the first version on, so that a
/// store written by any earlier CarePath opens in a later one (GRDB's `DatabaseMigrator`).
///
/// Migrations are frozen once released: a change to the schema is a new migration, never an edit
/// of an old one. Each is plain SQL so that SCHEMA.md can quote it, and none uses the current
/// Swift model types (they change; a migration must not).
///
/// - `v1`: runs, their summaries and inputs, variants, replications, metrics per replication and
///   summarised, the pathway's names, per-patient outcomes and the event log.
/// - `v2`: paired differences between variants (filled in for runs stored before it from their
///   JSON summaries), per-role and per-state statistics views, and indexes for analysts' queries.
/// - `v3`: inputs may also be a run's bank holiday file (role `calendar`), which changes its dates.
/// - `v4`: capacity searches (`carepath optimise`), their configurations, capacities and figures.
/// - `v5`: a workshop room's board: its saved options and its notes, by scenario (StoreSchema+Workshop.swift).
/// - `v6`: each variant's levers, and which role wait percentiles are lower bounds (StoreSchema+V6.swift).
enum StoreSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3", migrate: v3)
        migrator.registerMigration("v4", migrate: searches)
        migrator.registerMigration("v5", migrate: workshopBoard)
        migrator.registerMigration("v6", migrate: v6)
        return migrator
    }()

    /// Names of all migrations, oldest first.
    static var versions: [String] { migrator.migrations }

    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at TEXT NOT NULL,
                carepath_version TEXT NOT NULL,
                command TEXT NOT NULL,
                scenario TEXT NOT NULL,
                title TEXT NOT NULL,
                pathway TEXT NOT NULL,
                seed TEXT NOT NULL,
                replications INTEGER NOT NULL,
                status TEXT NOT NULL
            );
            CREATE TABLE run_summaries (
                run INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
                json TEXT NOT NULL
            );
            CREATE TABLE inputs (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                role TEXT NOT NULL CHECK (role IN ('scenario', 'pathway')),
                path TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (run, role, path)
            );
            CREATE TABLE variants (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                variant INTEGER NOT NULL,
                name TEXT NOT NULL,
                title TEXT,
                architecture TEXT NOT NULL,
                PRIMARY KEY (run, variant)
            );
            CREATE TABLE replications (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                variant INTEGER NOT NULL,
                replication INTEGER NOT NULL,
                seed TEXT NOT NULL,
                events INTEGER NOT NULL,
                patients_stored INTEGER NOT NULL,
                events_stored INTEGER NOT NULL,
                first_event INTEGER,
                last_event INTEGER,
                PRIMARY KEY (run, variant, replication)
            );
            CREATE TABLE metrics (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                variant INTEGER NOT NULL,
                position INTEGER NOT NULL,
                metric TEXT NOT NULL,
                subject TEXT NOT NULL,
                cohort_group TEXT NOT NULL,
                mean REAL,
                half_width REAL,
                low REAL,
                high REAL,
                PRIMARY KEY (run, variant, metric, subject, cohort_group)
            );
            CREATE TABLE replication_metrics (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                variant INTEGER NOT NULL,
                replication INTEGER NOT NULL,
                metric TEXT NOT NULL,
                subject TEXT NOT NULL,
                cohort_group TEXT NOT NULL,
                value REAL
            );
            CREATE INDEX replication_metrics_by_replication ON replication_metrics (run, variant, replication);
            CREATE TABLE pathway_states (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                state INTEGER NOT NULL,
                name TEXT NOT NULL,
                organisation TEXT,
                role TEXT,
                terminal INTEGER NOT NULL,
                PRIMARY KEY (run, state)
            );
            CREATE TABLE pathway_items (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                item INTEGER NOT NULL,
                name TEXT NOT NULL,
                PRIMARY KEY (run, item)
            );
            CREATE TABLE lifecycles (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            INSERT INTO lifecycles (code, name) VALUES
                (0, 'arrive'), (1, 'start'), (2, 'complete'), (3, 'check'), (4, 'handoff'), (5, 'leave');
            CREATE TABLE gap_kinds (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            INSERT INTO gap_kinds (code, name) VALUES
                (0, 'available'), (1, 'late'), (2, 'missing'), (3, 'blocked'), (4, 'unavailable'), (5, 'stale');
            CREATE TABLE patient_outcomes (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                variant INTEGER NOT NULL,
                replication INTEGER NOT NULL,
                patient INTEGER NOT NULL,
                arrival_h REAL NOT NULL,
                time_in_pathway_h REAL NOT NULL,
                terminal TEXT NOT NULL,
                cross_handoffs INTEGER NOT NULL,
                internal_handoffs INTEGER NOT NULL,
                delayed_transfer_h REAL NOT NULL,
                cohort_group TEXT NOT NULL,
                counted INTEGER NOT NULL
            );
            CREATE INDEX patient_outcomes_by_replication ON patient_outcomes (run, variant, replication, patient);
            -- The event log has no foreign key and no secondary index, so that it is written at
            -- SQLite's append speed: a replication's events have the consecutive ids
            -- replications.first_event ... last_event, which is how event_log finds them.
            CREATE TABLE events (
                id INTEGER PRIMARY KEY,
                run INTEGER NOT NULL,
                variant INTEGER NOT NULL,
                replication INTEGER NOT NULL,
                patient INTEGER NOT NULL,
                time_h REAL NOT NULL,
                lifecycle INTEGER NOT NULL,
                state INTEGER,
                item INTEGER,
                gap INTEGER
            );
            CREATE VIEW event_log AS
                SELECT r.run, r.variant, r.replication, e.patient, e.time_h,
                       s.name AS state, s.organisation, s.role, l.name AS lifecycle,
                       i.name AS item, g.name AS gap_kind
                FROM replications r
                JOIN events e ON e.id BETWEEN r.first_event AND r.last_event
                JOIN lifecycles l ON l.code = e.lifecycle
                LEFT JOIN pathway_states s ON s.run = e.run AND s.state = e.state
                LEFT JOIN pathway_items i ON i.run = e.run AND i.item = e.item
                LEFT JOIN gap_kinds g ON g.code = e.gap;
            """)
    }

    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE differences (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                variant INTEGER NOT NULL,
                position INTEGER NOT NULL,
                metric TEXT NOT NULL,
                subject TEXT NOT NULL,
                cohort_group TEXT NOT NULL,
                mean REAL,
                half_width REAL,
                low REAL,
                high REAL,
                PRIMARY KEY (run, variant, metric, subject, cohort_group)
            );
            CREATE INDEX runs_by_scenario ON runs (scenario, started_at);
            CREATE INDEX metrics_by_metric ON metrics (metric, subject);
            CREATE INDEX metrics_by_subject ON metrics (subject, metric);
            CREATE INDEX differences_by_metric ON differences (metric, subject);
            CREATE INDEX replication_metrics_by_metric ON replication_metrics (metric, subject);
            CREATE INDEX patient_outcomes_by_terminal ON patient_outcomes (run, variant, terminal);
            CREATE VIEW role_statistics AS
                SELECT m.run, m.variant, v.name AS variant_name, m.subject AS role,
                       substr(m.subject, 1, instr(m.subject, '/') - 1) AS organisation,
                       max(CASE m.metric WHEN 'utilisation' THEN m.mean END) AS utilisation,
                       max(CASE m.metric WHEN 'queue_length_mean' THEN m.mean END) AS queue_length_mean,
                       max(CASE m.metric WHEN 'starts_per_day' THEN m.mean END) AS starts_per_day,
                       max(CASE m.metric WHEN 'wait_mean_h' THEN m.mean END) AS wait_mean_h,
                       max(CASE m.metric WHEN 'wait_p50_h' THEN m.mean END) AS wait_p50_h,
                       max(CASE m.metric WHEN 'wait_p90_h' THEN m.mean END) AS wait_p90_h,
                       max(CASE m.metric WHEN 'wait_p95_h' THEN m.mean END) AS wait_p95_h,
                       max(CASE m.metric WHEN 'chase_hours_per_day' THEN m.mean END) AS chase_hours_per_day,
                       max(CASE m.metric WHEN 'repeat_hours_per_day' THEN m.mean END) AS repeat_hours_per_day
                FROM metrics m JOIN variants v ON v.run = m.run AND v.variant = m.variant
                WHERE m.cohort_group = '' AND m.metric IN ('utilisation', 'queue_length_mean', 'starts_per_day',
                      'wait_mean_h', 'wait_p50_h', 'wait_p90_h', 'wait_p95_h', 'chase_hours_per_day', 'repeat_hours_per_day')
                GROUP BY m.run, m.variant, m.subject;
            CREATE VIEW state_statistics AS
                SELECT m.run, m.variant, v.name AS variant_name, m.subject AS state,
                       max(CASE m.metric WHEN 'state_visits_per_patient' THEN m.mean END) AS visits_per_patient,
                       max(CASE m.metric WHEN 'state_gap_rate' THEN m.mean END) AS gap_rate,
                       max(CASE m.metric WHEN 'state_available_per_100_patients' THEN m.mean END) AS available_per_100_patients,
                       max(CASE m.metric WHEN 'state_late_per_100_patients' THEN m.mean END) AS late_per_100_patients,
                       max(CASE m.metric WHEN 'state_missing_per_100_patients' THEN m.mean END) AS missing_per_100_patients,
                       max(CASE m.metric WHEN 'state_blocked_per_100_patients' THEN m.mean END) AS blocked_per_100_patients,
                       max(CASE m.metric WHEN 'state_unavailable_per_100_patients' THEN m.mean END) AS unavailable_per_100_patients,
                       max(CASE m.metric WHEN 'state_stale_per_100_patients' THEN m.mean END) AS stale_per_100_patients,
                       max(CASE m.metric WHEN 'state_duplicates_per_100_patients' THEN m.mean END) AS duplicates_per_100_patients,
                       max(CASE m.metric WHEN 'state_chases_per_100_patients' THEN m.mean END) AS chases_per_100_patients,
                       max(CASE m.metric WHEN 'state_overload_per_needed_item' THEN m.mean END) AS overload_per_needed_item
                FROM metrics m JOIN variants v ON v.run = m.run AND v.variant = m.variant
                WHERE m.cohort_group = '' AND m.metric LIKE 'state\\_%' ESCAPE '\\'
                GROUP BY m.run, m.variant, m.subject;
            """)
        try backfillDifferences(db)
    }

    /// Runs stored under v1 kept their paired differences only in their JSON summary: copy them
    /// into the new table. The JSON is read with a frozen, migration-local shape, not the current
    /// `RunSummary`, and with the same non-finite number spellings the summary is written with.
    static func backfillDifferences(_ db: Database) throws {
        struct Shape: Decodable {
            struct Variant: Decodable { var differences: [Figure]? }
            struct Figure: Decodable { var name: String; var subject: String; var group: String; var mean: Double; var halfWidth: Double? }
            var variants: [Variant]
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let insert = try db.makeStatement(sql: """
            INSERT INTO differences (run, variant, position, metric, subject, cohort_group, mean, half_width, low, high)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let rows = try Row.fetchAll(db, sql: "SELECT run, json FROM run_summaries ORDER BY run")
        for row in rows {
            let run: Int64 = row["run"]
            let json: String = row["json"]
            let shape = try decoder.decode(Shape.self, from: Data(json.utf8))
            for (v, variant) in shape.variants.enumerated() {
                for (position, d) in (variant.differences ?? []).enumerated() {
                    try insert.execute(arguments: [run, v, position, d.name, d.subject, d.group,
                                                   d.mean, d.halfWidth, d.halfWidth.map { d.mean - $0 }, d.halfWidth.map { d.mean + $0 }])
                }
            }
        }
    }

    /// SQLite cannot change a CHECK constraint, so `inputs` is rebuilt with the wider one and its
    /// rows copied (SQLite's "other kinds of table schema changes"). GRDB runs the migration with
    /// foreign keys off and checks them all before committing, so dropping the old table cascades
    /// nothing; nothing else (view, index, trigger) refers to `inputs`.
    static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE inputs_v3 (
                run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                role TEXT NOT NULL CHECK (role IN ('scenario', 'pathway', 'calendar')),
                path TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (run, role, path)
            );
            INSERT INTO inputs_v3 (run, role, path, sha256, text)
                SELECT run, role, path, sha256, text FROM inputs ORDER BY rowid;
            DROP TABLE inputs;
            ALTER TABLE inputs_v3 RENAME TO inputs;
            """)
    }
}
