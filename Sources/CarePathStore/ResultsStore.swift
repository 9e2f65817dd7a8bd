import CarePathFormat
import CarePathMetrics
import Foundation
import GRDB

/// The SQLite results store analysts query: every run's inputs, variants, replications, metrics in
/// long form, per-patient outcomes and, when asked for, the event log (the tables are described in
/// SCHEMA.md beside this file). One file, opened through GRDB and brought up to the current schema
/// by its migrator, so that stores written by earlier CarePath versions stay readable.
///
/// ```swift
/// let store = try ResultsStore(path: "Reports/carepath.sqlite")
/// let writer = try store.beginRun(record, inputs: inputs, variants: VariantRecord.variants(of: scenario))
/// let summary = ScenarioRunner.run(scenario, pathway: pathway, options: options,
///     watch: { _, _ in ReplicationRecorder(events: false) },
///     finished: { v, r, result, recorder in
///         writer.record(variant: v, replication: r, seed: ScenarioRunner.replicationSeed(seed, r), result: result, recorder: recorder) })
/// try writer.finish(summary: summary)   // one COMMIT; writer.abandon() rolls back instead
/// ```
public final class ResultsStore: @unchecked Sendable {
    public let path: String
    let wait: TimeInterval
    let queue: DatabaseQueue
    private let lock = NSLock()
    private var writing = false

    /// Opens the store at `path`, creating it and its folders if needed (unless `create` is false),
    /// and migrates it to the current schema.
    /// When another process holds the store (writing a run), waits up to `wait` seconds, telling
    /// `onWait` who holds it, then throws `StoreError.busy` naming that process.
    public convenience init(path: String, create: Bool = true, wait: TimeInterval = ResultsStore.defaultWait,
                            onWait: (@Sendable (String) -> Void)? = nil) throws {
        try self.init(path: path, create: create, migrateUpTo: nil, busyTimeout: wait, onWait: onWait)
    }

    /// How long a command waits for a store another process holds, unless told (`--wait`).
    public static let defaultWait: TimeInterval = 10

    /// `migrateUpTo` stops at an older schema version, and a small `cacheKiB` makes SQLite spill a
    /// run's pages to the file early: for tests of migrations and crash recovery only.
    init(path: String, create: Bool, migrateUpTo version: String?, cacheKiB: Int = 65536, busyTimeout: TimeInterval = 10,
         onWait: (@Sendable (String) -> Void)? = nil) throws {
        self.path = path
        self.wait = busyTimeout
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: url.path) {
            guard create else { throw StoreError.notFound(path: path) }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        var config = Configuration()
        // A run's transaction spans many database accesses (one per replication).
        config.allowsUnsafeTransactions = true
        // Another process writing a run holds the write lock until it commits.
        config.busyMode = .callback(StoreLock.waiter(path: path, seconds: busyTimeout, notify: onWait))
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // Rollback journal (SQLite's default), so the store stays one file when no run is
            // being written. A larger page cache spills a long run's pages to the file less often.
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw Self.busy(path, waited: busyTimeout)
        }
        try translatingBusy {
            try queue.read { db in
                let known = Set(StoreSchema.versions)
                let unknown = try StoreSchema.migrator.appliedIdentifiers(db).filter { !known.contains($0) }
                if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknown: unknown.sorted()) }
                if try StoreSchema.hasWorkshopBoardAsV4(db) { throw StoreError.workshopBoardAsV4(path: path) }
            }
            if let version {
                try StoreSchema.migrator.migrate(queue, upTo: version)
            } else {
                try StoreSchema.migrator.migrate(queue)
            }
        }
    }

    /// The store is held by another process beyond the wait: say which.
    func busy() -> StoreError { Self.busy(path, waited: wait) }

    static func busy(_ path: String, waited: TimeInterval) -> StoreError {
        .busy(path: path, holder: StoreLock.holder(of: path).map(StoreLock.describe), waited: waited)
    }

    /// SQLite's "database is locked" (after the wait) as `StoreError.busy`.
    func translatingBusy<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw busy()
        }
    }

    /// Closes the connection; any run still being written is rolled back.
    public func close() throws {
        try queue.close()
    }

    // MARK: - Writing

    /// Begins a run: `BEGIN IMMEDIATE` (taking the store's write lock for the whole run), then the
    /// run's row, its inputs and its variants. Only one run at a time per store.
    public func beginRun(_ run: RunRecord, inputs: [RunInput], variants: [VariantRecord]) throws -> RunWriter {
        lock.lock()
        defer { lock.unlock() }
        guard !writing else { throw StoreError.runInProgress }
        let id: Int64 = try queue.writeWithoutTransaction { db in
            do {
                try db.beginTransaction(.immediate)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                throw busy()
            }
            do {
                var row = run
                row.id = nil
                row.status = RunRecord.writing
                try row.insert(db)
                guard let id = row.id else { throw StoreError.incomplete("the run was given no id") }
                for input in inputs {
                    try db.execute(sql: "INSERT INTO inputs (run, role, path, sha256, text) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [id, input.role.rawValue, input.file.path, input.file.sha256, input.file.text])
                }
                for variant in variants {
                    var v = variant
                    v.run = id
                    try v.insert(db)
                }
                return id
            } catch {
                try? db.rollback()
                throw error
            }
        }
        writing = true
        return RunWriter(store: self, id: id, variantCount: variants.count, replications: run.replications)
    }

    func runEnded() {
        lock.lock(); defer { lock.unlock() }
        writing = false
    }

    // MARK: - Reading

    /// Reads in a snapshot; while a run is being written through this store, reads see it too.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        lock.lock()
        let busy = writing
        lock.unlock()
        return try translatingBusy { busy ? try queue.unsafeRead(body) : try queue.read(body) }
    }

    /// Every stored run, oldest first.
    public func runs() throws -> [StoredRun] {
        try read { db in
            let records = try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id")
            return try records.map { try storedRun(db, $0) }
        }
    }

    public func run(_ id: Int64) throws -> StoredRun {
        try read { db in
            guard let record = try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else {
                throw StoreError.noSuchRun(id)
            }
            return try storedRun(db, record)
        }
    }

    private func storedRun(_ db: Database, _ record: RunRecord) throws -> StoredRun {
        let id = record.id ?? 0
        let names = try String.fetchAll(db, sql: "SELECT name FROM variants WHERE run = ? ORDER BY variant", arguments: [id])
        let counts = try Row.fetchOne(db, sql: """
            SELECT coalesce(sum(patients_stored), 0) AS patients, coalesce(sum(events_stored), 0) AS events
            FROM replications WHERE run = ?
            """, arguments: [id])
        return StoredRun(record: record, variants: names, patientsStored: counts?["patients"] ?? 0, eventsStored: counts?["events"] ?? 0)
    }

    /// The run's JSON summary, byte for byte as it was written.
    public func summaryJSON(run id: Int64) throws -> Data {
        try read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT json FROM run_summaries WHERE run = ?", arguments: [id]) else {
                throw StoreError.noSuchRun(id)
            }
            return Data(json.utf8)
        }
    }

    /// The run's summary, equal to the one `finish` was given: what `carepath report RUN_ID` rebuilds
    /// the report from.
    public func summary(run id: Int64) throws -> RunSummary {
        try RunSummary.decode(summaryJSON(run: id))
    }

    public func variants(run id: Int64) throws -> [VariantRecord] {
        try read { db in
            try VariantRecord.fetchAll(db, sql: "SELECT * FROM variants WHERE run = ? ORDER BY variant", arguments: [id])
        }
    }

    /// The run's input files (scenario, pathway, then bank holiday file), with the text and hash
    /// they had when it ran.
    public func inputs(run id: Int64) throws -> [RunInput] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT role, path, text FROM inputs WHERE run = ?
                ORDER BY CASE role WHEN 'scenario' THEN 0 WHEN 'pathway' THEN 1 ELSE 2 END, path
                """, arguments: [id])
            return try rows.map { row in
                let roleText: String = row["role"]
                guard let role = RunInput.Role(rawValue: roleText) else {
                    throw StoreError.incomplete("input of unknown role \(roleText)")
                }
                return RunInput(role, InputFile(path: row["path"], text: row["text"]))
            }
        }
    }

    /// The run's summarised metrics, variant by variant in summary order.
    public func metrics(run id: Int64) throws -> [MetricRow] {
        try read { db in
            try MetricRow.fetchAll(db, sql: "SELECT * FROM metrics WHERE run = ? ORDER BY variant, position", arguments: [id])
        }
    }

    /// Each variant's paired differences from the first, in summary order.
    public func differences(run id: Int64) throws -> [MetricRow] {
        try read { db in
            try MetricRow.fetchAll(db, sql: "SELECT * FROM differences WHERE run = ? ORDER BY variant, position", arguments: [id])
        }
    }

    /// Per-patient outcomes of one replication, in order of leaving.
    public func outcomes(run id: Int64, variant: Int, replication: Int) throws -> [PatientOutcome] {
        try read { db in
            // Column names as PatientOutcome's Codable keys, decoded by its own Decodable init.
            try OutcomeRow.fetchAll(db, sql: """
                SELECT patient, arrival_h AS arrival, time_in_pathway_h AS timeInPathway, terminal,
                       cross_handoffs AS crossOrganisationHandoffs, internal_handoffs AS internalHandoffs,
                       delayed_transfer_h AS delayedTransfer, cohort_group AS "group", counted
                FROM patient_outcomes WHERE run = ? AND variant = ? AND replication = ? ORDER BY rowid
                """, arguments: [id, variant, replication]).map(\.outcome)
        }
    }

    /// Deletes a run and everything stored for it.
    public func deleteRun(_ id: Int64) throws {
        try translatingBusy { try deleteRunHolding(id) }
    }

    private func deleteRunHolding(_ id: Int64) throws {
        try queue.write { db in
            // The event log has no foreign key (see StoreSchema): its rows go by their id ranges.
            try db.execute(sql: """
                DELETE FROM events WHERE id IN (
                    SELECT e.id FROM replications r JOIN events e ON e.id BETWEEN r.first_event AND r.last_event WHERE r.run = ?)
                """, arguments: [id])
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StoreError.noSuchRun(id) }
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound file.
    public func integrityCheck() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Schema versions applied to this file, oldest first.
    public func schemaVersions() throws -> [String] {
        try read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }
}

/// A `patient_outcomes` row read as the metrics module's `PatientOutcome`.
private struct OutcomeRow: Decodable, FetchableRecord {
    var outcome: PatientOutcome
    init(from decoder: any Decoder) throws { outcome = try PatientOutcome(from: decoder) }
}
