import CarePathMetrics
import GRDB

extension ResultsStore {
    /// Compares one replication's stored event log with `records` (a fresh run's, as
    /// `EventLogRecorder` keeps them) row by row: nil when they are the same, else where they
    /// first differ. A stored run re-simulated from its stored inputs and seed gives the same
    /// rows; this is how `carepath export --run` makes sure that it did.
    public func differenceFromStoredEvents(run id: Int64, variant: Int, replication: Int, records: [EventRecord]) throws -> String? {
        try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT first_event, last_event, events_stored FROM replications WHERE run = ? AND variant = ? AND replication = ?
                """, arguments: [id, variant, replication]) else {
                return "variant \(variant) replication \(replication) is not stored"
            }
            let stored: Int = row["events_stored"] ?? 0
            guard stored == records.count else {
                return "variant \(variant) replication \(replication): \(stored) events stored, \(records.count) simulated"
            }
            guard stored > 0, let first: Int64 = row["first_event"], let last: Int64 = row["last_event"] else { return nil }
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT patient, time_h, lifecycle, state, item, gap FROM events WHERE id BETWEEN ? AND ? ORDER BY id
                """, arguments: [first, last])
            var i = 0
            let gaps = StoreCodes.gapByRawValue
            while let r = try cursor.next() {
                guard i < records.count else { return "variant \(variant) replication \(replication): more events stored than simulated" }
                let e = records[i]
                let state: Int64? = r["state"], item: Int64? = r["item"], gap: Int64? = r["gap"]
                let same = (r["patient"] as Int64? ?? -1) == Int64(e.patient)
                    && (r["time_h"] as Double? ?? .nan) == e.time
                    && (r["lifecycle"] as Int64? ?? -1) == StoreCodes.lifecycle(e.lifecycle)
                    && (state ?? -1) == Int64(e.state) && (item ?? -1) == Int64(e.item)
                    && (gap ?? -1) == (e.gap >= 0 && Int(e.gap) < gaps.count ? gaps[Int(e.gap)] : -1)
                if !same {
                    return "variant \(variant) replication \(replication): event \(i + 1) differs from the stored one "
                        + "(patient \(e.patient), \(e.lifecycle.name) at \(e.time) h)"
                }
                i += 1
            }
            return i == records.count ? nil : "variant \(variant) replication \(replication): \(i) events stored, \(records.count) simulated"
        }
    }
}
