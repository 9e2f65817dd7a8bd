import CarePathMetrics
import GRDB

extension ResultsStore {
    /// One replication's figures for the whole cohort (no group), as it measured them: what an
    /// experiment analyses when it reads a stored run (a sweep's merged store) instead of running it.
    public func replicationMetrics(run id: Int64, variant: Int, replication: Int) throws -> [Metric] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT metric, subject, value FROM replication_metrics
                WHERE run = ? AND variant = ? AND replication = ? AND cohort_group = '' ORDER BY rowid
                """, arguments: [id, variant, replication]).map { row in
                Metric(row["metric"], subject: row["subject"], (row["value"] as Double?) ?? .nan)
            }
        }
    }
}
