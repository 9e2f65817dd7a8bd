import CarePathMetrics
import Foundation
import GRDB

/// Capacity searches (`carepath optimise`) in the results store: the search, every configuration
/// it reached with its capacities by role, and each constraint's figure (SCHEMA.md, "Capacity
/// searches"). Written in one transaction, so that an interrupted search leaves nothing.
extension ResultsStore {
    /// Stores a finished search and returns its id.
    @discardableResult
    public func storeSearch(_ result: CapacitySearchResult, startedAt: String, command: String) throws -> Int64 {
        let json = String(decoding: try result.json(), as: UTF8.self)
        return try translatingBusy {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO searches (started_at, carepath_version, command, scenario, pathway, seed, confidence, outcome, json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [startedAt, result.carepathVersion, command, result.scenario, result.pathway, String(result.seed),
                                     result.confidence, result.outcome.rawValue, json])
                let id = db.lastInsertedRowID
                for (position, c) in result.configurations.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO search_configurations (search, position, cost, status, replications, frontier, chosen, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, position, c.cost, c.status.rawValue, c.replications, c.frontier == true,
                                         result.chosen == position, c.reason])
                    for (d, capacity) in zip(result.decisions, c.capacities) {
                        try db.execute(sql: "INSERT INTO search_capacities (search, position, role, capacity) VALUES (?, ?, ?, ?)",
                                       arguments: [id, position, d.role, capacity])
                    }
                    for (k, f) in c.figures.enumerated() where k < result.constraints.count {
                        try db.execute(sql: """
                            INSERT INTO search_figures (search, position, constraint_index, figure, relation, limit_value, mean, half_width, bound, opposite, verdict)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [id, position, k, result.constraints[k].figure, result.constraints[k].relation,
                                             result.constraints[k].limit, f.mean, f.halfWidth, finite(f.bound), finite(f.opposite), f.verdict.rawValue])
                    }
                }
                return id
            }
        }
    }

    /// The searches stored, oldest first: id, scenario, outcome.
    public func searches() throws -> [(id: Int64, scenario: String, outcome: String)] {
        try translatingBusy {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, scenario, outcome FROM searches ORDER BY id").map { ($0["id"], $0["scenario"], $0["outcome"]) }
            }
        }
    }

    /// A bound of one replication is infinite: NULL in the store.
    private func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
}

extension StoreSchema {
    /// Capacity searches: their own tables, beside runs (a search is many short runs).
    static func searches(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE searches (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at TEXT NOT NULL,
                carepath_version TEXT NOT NULL,
                command TEXT NOT NULL,
                scenario TEXT NOT NULL,
                pathway TEXT NOT NULL,
                seed TEXT NOT NULL,
                confidence REAL NOT NULL,
                outcome TEXT NOT NULL,
                json TEXT NOT NULL
            );
            CREATE TABLE search_configurations (
                search INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                cost REAL NOT NULL,
                status TEXT NOT NULL,
                replications INTEGER NOT NULL,
                frontier INTEGER NOT NULL,
                chosen INTEGER NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (search, position)
            );
            CREATE TABLE search_capacities (
                search INTEGER NOT NULL,
                position INTEGER NOT NULL,
                role TEXT NOT NULL,
                capacity INTEGER NOT NULL,
                PRIMARY KEY (search, position, role),
                FOREIGN KEY (search, position) REFERENCES search_configurations(search, position) ON DELETE CASCADE
            );
            CREATE TABLE search_figures (
                search INTEGER NOT NULL,
                position INTEGER NOT NULL,
                constraint_index INTEGER NOT NULL,
                figure TEXT NOT NULL,
                relation TEXT NOT NULL,
                limit_value REAL NOT NULL,
                mean REAL NOT NULL,
                half_width REAL,
                bound REAL,
                opposite REAL,
                verdict TEXT NOT NULL,
                PRIMARY KEY (search, position, constraint_index),
                FOREIGN KEY (search, position) REFERENCES search_configurations(search, position) ON DELETE CASCADE
            );
            """)
    }
}
