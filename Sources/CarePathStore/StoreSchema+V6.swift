import GRDB

extension StoreSchema {
    /// What a reader of a variant or a role's waits could not tell before: the levers each
    /// variant pulls (`set:` in its scenario), and whether a wait percentile is only a lower bound
    /// (it fell past the histogram's range in some replication: `NAME_at_least` in `metrics`).
    /// `variants.levers` is one `place = value` a line, in the scenario's order, '' for none and
    /// NULL for runs stored before v6 (their scenario text, in `inputs`, still says).
    static func v6(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE variants ADD COLUMN levers TEXT;
            DROP VIEW role_statistics;
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
                       coalesce(max(CASE m.metric WHEN 'wait_p50_h_at_least' THEN m.mean END), 0) AS wait_p50_h_at_least,
                       coalesce(max(CASE m.metric WHEN 'wait_p90_h_at_least' THEN m.mean END), 0) AS wait_p90_h_at_least,
                       coalesce(max(CASE m.metric WHEN 'wait_p95_h_at_least' THEN m.mean END), 0) AS wait_p95_h_at_least,
                       max(CASE m.metric WHEN 'chase_hours_per_day' THEN m.mean END) AS chase_hours_per_day,
                       max(CASE m.metric WHEN 'repeat_hours_per_day' THEN m.mean END) AS repeat_hours_per_day
                FROM metrics m JOIN variants v ON v.run = m.run AND v.variant = m.variant
                WHERE m.cohort_group = '' AND m.metric IN ('utilisation', 'queue_length_mean', 'starts_per_day',
                      'wait_mean_h', 'wait_p50_h', 'wait_p90_h', 'wait_p95_h', 'wait_p50_h_at_least', 'wait_p90_h_at_least',
                      'wait_p95_h_at_least', 'chase_hours_per_day', 'repeat_hours_per_day')
                GROUP BY m.run, m.variant, m.subject;
            """)
    }
}
