import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation
import GRDB

/// One run being written to a results store, inside one SQLite transaction that began with
/// `BEGIN IMMEDIATE` in `ResultsStore.beginRun` and ends with `finish` (COMMIT) or `abandon`
/// (ROLLBACK). Replications are streamed in as the runner finishes them, so their outcomes and
/// event logs need not be held in memory; nothing is visible to any other connection until the
/// commit, and a process that dies before it (Ctrl-C, kill, power loss) leaves SQLite a hot journal
/// that the next connection rolls back: the store is as it was before the run.
///
/// Any failed write abandons the whole run. Calls may come from any thread, one at a time or not
/// (they are serialised here), as from `ScenarioRunner.run`'s `finished` callback.
public final class RunWriter: @unchecked Sendable {
    /// The run's id in `runs`.
    public let id: Int64
    public let variantCount: Int
    public let replications: Int

    private let store: ResultsStore
    private let lock = NSLock()
    private var open = true
    private var written: Set<Int> = []
    private var namesWritten = false
    private var firstError: (any Error)?
    private var stagingCreated = false

    init(store: ResultsStore, id: Int64, variantCount: Int, replications: Int) {
        self.store = store; self.id = id; self.variantCount = variantCount; self.replications = replications
    }

    deinit { abandon() }

    /// The first error that abandoned the run, if any: what `record` met, or a failed write.
    public var failure: (any Error)? {
        lock.lock(); defer { lock.unlock() }
        return firstError
    }

    /// Writes one replication: its row, its metrics, and the patients' outcomes and event log if
    /// given. `plan` names the states and items of the event log (any replication's will do: the
    /// pathway is the same in every variant); it is required with events.
    /// `outcomesWritten` and `eventsStaged` count the rows this replication already sent in
    /// batches (`appendOutcomes`, `stageEvents`); staged events are copied in before `events`.
    public func addReplication(variant: Int, replication: Int, seed: UInt64, result: ReplicationResult,
                               outcomes: [PatientOutcome] = [], events: [EventRecord] = [], plan: SimulationPlan? = nil,
                               outcomesWritten: Int = 0, eventsStaged: Int = 0) throws {
        lock.lock(); defer { lock.unlock() }
        guard open else { throw firstError ?? StoreError.runClosed }
        guard (0..<variantCount).contains(variant), (0..<replications).contains(replication) else {
            throw StoreError.unknownReplication(variant: variant, replication: replication)
        }
        guard (events.isEmpty && eventsStaged == 0) || plan != nil else { throw StoreError.eventsWithoutPlan }
        guard written.insert(variant * replications + replication).inserted else {
            throw StoreError.duplicateReplication(variant: variant, replication: replication)
        }
        do {
            try store.queue.writeWithoutTransaction { db in
                if let plan, !namesWritten {
                    try writeNames(db, plan)
                    namesWritten = true
                }
                let eventIDs: ClosedRange<Int64>?
                if eventsStaged > 0 {
                    // The earlier batches wait in the staging table: the rest joins them, and all
                    // are copied in order, so that the replication's rows have consecutive ids.
                    _ = try writeEvents(db, variant: variant, replication: replication, events, into: "temp.staged_events")
                    eventIDs = try copyStagedEvents(db, variant: variant, replication: replication, count: eventsStaged + events.count)
                } else {
                    eventIDs = try writeEvents(db, variant: variant, replication: replication, events)
                }
                try db.execute(sql: """
                    INSERT INTO replications (run, variant, replication, seed, events, patients_stored, events_stored, first_event, last_event)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, variant, replication, String(seed), result.events, outcomesWritten + outcomes.count,
                                     eventsStaged + events.count, eventIDs?.lowerBound, eventIDs?.upperBound])
                try writeMetrics(db, variant: variant, replication: replication, result.metrics)
                try writeOutcomes(db, variant: variant, replication: replication, outcomes)
            }
        } catch {
            failLocked(error)
            throw error
        }
    }

    /// `addReplication` with what a `ReplicationRecorder` kept.
    public func addReplication(variant: Int, replication: Int, seed: UInt64, result: ReplicationResult,
                               recorder: ReplicationRecorder) throws {
        try addReplication(variant: variant, replication: replication, seed: seed, result: result,
                           outcomes: recorder.outcomes.outcomes, events: recorder.events?.records ?? [], plan: recorder.plan,
                           outcomesWritten: recorder.outcomesWritten, eventsStaged: recorder.eventsStaged)
    }

    /// A batch of a replication's outcomes, written while it runs (see `ReplicationRecorder`).
    /// For an observer, which cannot throw: a failure abandons the run, and `finish` throws it.
    public func appendOutcomes(variant: Int, replication: Int, _ outcomes: [PatientOutcome]) {
        streamBatch { db in try writeOutcomes(db, variant: variant, replication: replication, outcomes) }
    }

    /// A batch of a replication's event log, kept in a temporary staging table until the
    /// replication is added (see `ReplicationRecorder`); failures as for `appendOutcomes`.
    public func stageEvents(variant: Int, replication: Int, _ events: [EventRecord], plan: SimulationPlan) {
        streamBatch { db in
            if !stagingCreated {
                try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS staged_events (\(EventBatch.columnList))")
                try db.execute(sql: "CREATE INDEX IF NOT EXISTS temp.staged_replication ON staged_events (variant, replication)")
                stagingCreated = true
            }
            _ = try writeEvents(db, variant: variant, replication: replication, events, into: "temp.staged_events")
        }
    }

    private func streamBatch(_ write: (Database) throws -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard open else { return }
        do {
            try store.queue.writeWithoutTransaction { db in try write(db) }
        } catch {
            failLocked(error)
        }
    }

    /// `addReplication` for callbacks that cannot throw, such as the runner's `finished`: the first
    /// error abandons the run and is kept; later calls do nothing, and `finish` throws it.
    public func record(variant: Int, replication: Int, seed: UInt64, result: ReplicationResult, recorder: ReplicationRecorder) {
        if failure != nil { return }
        do {
            try addReplication(variant: variant, replication: replication, seed: seed, result: result, recorder: recorder)
        } catch {
            lock.lock(); defer { lock.unlock() }
            failLocked(error)
        }
    }

    /// Writes the summary (metrics, paired differences and the JSON `carepath report` rebuilds the
    /// report from), marks the run complete and commits. Every replication must have been written.
    public func finish(summary: RunSummary) throws {
        lock.lock(); defer { lock.unlock() }
        guard open else { throw firstError ?? StoreError.runClosed }
        do {
            guard summary.variants.count == variantCount else {
                throw StoreError.incomplete("the summary has \(summary.variants.count) variants, the run \(variantCount)")
            }
            guard summary.replications == replications else {
                throw StoreError.incomplete("the summary has \(summary.replications) replications per variant, the run \(replications)")
            }
            guard written.count == variantCount * replications else {
                throw StoreError.incomplete("\(written.count) of \(variantCount * replications) replications written")
            }
            let json = String(decoding: try summary.json(), as: UTF8.self)
            try store.queue.writeWithoutTransaction { db in
                for (v, variant) in summary.variants.enumerated() {
                    try writeSummary(db, table: "metrics", variant: v, variant.metrics)
                    try writeSummary(db, table: "differences", variant: v, variant.differences)
                }
                try db.execute(sql: "INSERT INTO run_summaries (run, json) VALUES (?, ?)", arguments: [id, json])
                try db.execute(sql: "UPDATE runs SET status = ? WHERE id = ?", arguments: [RunRecord.complete, id])
                try db.commit()
            }
            open = false
            store.runEnded()
        } catch {
            failLocked(error)
            throw error
        }
    }

    /// Rolls the run back: the store is left as it was before `beginRun`. Safe to call twice.
    public func abandon() {
        lock.lock(); defer { lock.unlock() }
        closeLocked()
    }

    // MARK: - Writing

    private func failLocked(_ error: any Error) {
        if firstError == nil { firstError = error }
        closeLocked()
    }

    private func closeLocked() {
        guard open else { return }
        open = false
        store.queue.writeWithoutTransaction { db in
            // After `ResultsStore.close()` the connection is gone, and SQLite rolled back on closing.
            if db.sqliteConnection != nil && db.isInsideTransaction { try? db.rollback() }
        }
        store.runEnded()
    }

    private func writeNames(_ db: Database, _ plan: SimulationPlan) throws {
        let state = try db.cachedStatement(sql: """
            INSERT INTO pathway_states (run, state, name, organisation, role, terminal) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (i, s) in plan.states.enumerated() {
            let organisation = plan.organisationIDs.indices.contains(s.organisation) ? plan.organisationIDs[s.organisation] : nil
            let role = plan.roles.indices.contains(s.role) ? plan.roles[s.role].reference.description : nil
            try state.execute(arguments: [id, i, s.id, organisation, role, s.isTerminal])
        }
        let item = try db.cachedStatement(sql: "INSERT INTO pathway_items (run, item, name) VALUES (?, ?, ?)")
        for (i, name) in plan.itemIDs.enumerated() {
            try item.execute(arguments: [id, i, name])
        }
    }

    private func writeMetrics(_ db: Database, variant: Int, replication: Int, _ metrics: [Metric]) throws {
        let insert = try PreparedInsert(db, sql: """
            INSERT INTO replication_metrics (run, variant, replication, metric, subject, cohort_group, value)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        defer { insert.done() }
        insert.bind(1, id); insert.bind(2, variant); insert.bind(3, replication)
        for m in metrics {
            insert.bind(4, m.name); insert.bind(5, m.subject); insert.bind(6, m.group); insert.bind(7, m.value)
            try insert.step()
        }
    }

    private func writeOutcomes(_ db: Database, variant: Int, replication: Int, _ outcomes: [PatientOutcome]) throws {
        guard !outcomes.isEmpty else { return }
        let insert = try PreparedInsert(db, sql: """
            INSERT INTO patient_outcomes (run, variant, replication, patient, arrival_h, time_in_pathway_h, terminal,
                cross_handoffs, internal_handoffs, delayed_transfer_h, cohort_group, counted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { insert.done() }
        insert.bind(1, id); insert.bind(2, variant); insert.bind(3, replication)
        for o in outcomes {
            insert.bind(4, o.patient); insert.bind(5, o.arrival); insert.bind(6, o.timeInPathway); insert.bind(7, o.terminal)
            insert.bind(8, o.crossOrganisationHandoffs); insert.bind(9, o.internalHandoffs); insert.bind(10, o.delayedTransfer)
            insert.bind(11, o.group); insert.bind(12, o.counted ? 1 : 0)
            try insert.step()
        }
    }

    /// Appends the event log and returns its ids (nil when there is none). SQLite gives each row
    /// the table's largest id plus one, so one replication's rows have consecutive ids (checked).
    /// Rows go in `EventBatch.rows` to a statement, the rest one by one.
    private func writeEvents(_ db: Database, variant: Int, replication: Int, _ events: [EventRecord],
                             into table: String = "events") throws -> ClosedRange<Int64>? {
        guard !events.isEmpty else { return nil }
        let first = table != "events" ? 1 : (try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0) + 1
        let batch = try PreparedInsert(db, sql: EventBatch.sql(rows: EventBatch.rows, into: table))
        let single = try PreparedInsert(db, sql: EventBatch.sql(rows: 1, into: table))
        defer { batch.done(); single.done() }
        for (insert, rows) in [(batch, EventBatch.rows), (single, 1)] {
            for row in 0..<rows {
                let base = Int32(row * EventBatch.columns)
                insert.bind(base + 1, id); insert.bind(base + 2, variant); insert.bind(base + 3, replication)
            }
        }
        let gaps = StoreCodes.gapByRawValue
        @inline(__always) func bind(_ insert: PreparedInsert, _ row: Int, _ e: EventRecord) {
            let base = Int32(row * EventBatch.columns)
            insert.bind(base + 4, e.patient)
            insert.bind(base + 5, e.time)
            insert.bind(base + 6, StoreCodes.lifecycle(e.lifecycle))
            if e.state >= 0 { insert.bind(base + 7, Int64(e.state)) } else { insert.bindNull(base + 7) }
            if e.item >= 0 { insert.bind(base + 8, Int64(e.item)) } else { insert.bindNull(base + 8) }
            if e.gap >= 0 && Int(e.gap) < gaps.count { insert.bind(base + 9, gaps[Int(e.gap)]) } else { insert.bindNull(base + 9) }
        }
        var next = 0
        while events.count - next >= EventBatch.rows {
            for row in 0..<EventBatch.rows { bind(batch, row, events[next + row]) }
            try batch.step()
            next += EventBatch.rows
        }
        while next < events.count {
            bind(single, 0, events[next])
            try single.step()
            next += 1
        }
        guard table == "events" else { return nil }
        let last = first + Int64(events.count) - 1
        guard db.lastInsertedRowID == last else {
            throw StoreError.incomplete("event ids \(first)...\(last) expected, the last was \(db.lastInsertedRowID)")
        }
        return first...last
    }

    /// Copies a replication's staged events into `events` in the order they were staged, and
    /// drops them from the staging table; returns their ids there.
    private func copyStagedEvents(_ db: Database, variant: Int, replication: Int, count: Int) throws -> ClosedRange<Int64> {
        let first = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0) + 1
        try db.execute(sql: """
            INSERT INTO events (\(EventBatch.columnList)) SELECT \(EventBatch.columnList) FROM temp.staged_events
            WHERE variant = ? AND replication = ? ORDER BY rowid
            """, arguments: [variant, replication])
        let last = first + Int64(count) - 1
        guard db.changesCount == count, db.lastInsertedRowID == last else {
            throw StoreError.incomplete("staged events: \(count) expected with ids \(first)...\(last), \(db.changesCount) copied")
        }
        try db.execute(sql: "DELETE FROM temp.staged_events WHERE variant = ? AND replication = ?", arguments: [variant, replication])
        return first...last
    }

    private func writeSummary(_ db: Database, table: String, variant: Int, _ metrics: [SummaryMetric]) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO \(table) (run, variant, position, metric, subject, cohort_group, mean, half_width, low, high)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, m) in metrics.enumerated() {
            try insert.execute(arguments: [id, variant, position, m.name, m.subject, m.group, m.mean, m.halfWidth, m.low, m.high])
        }
    }
}

/// The multi-row INSERT the event log is written with (one statement per 64 rows: fewer steps,
/// and SQLite's cursor stays at the table's end between rows).
enum EventBatch {
    static let columns = 9
    static let rows = 64
    static let columnList = "run, variant, replication, patient, time_h, lifecycle, state, item, gap"
    static func sql(rows: Int, into table: String = "events") -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columnList)) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }
}
