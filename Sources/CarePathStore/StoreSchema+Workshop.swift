import GRDB

extension StoreSchema {
    /// A workshop room's board, kept so that a restarted server restores it: the options the room
    /// saved (their settings as JSON, lever id: value) and the notes it typed against a part of
    /// the pathway, each by the scenario they belong to (its `scenario:` id and file).
    static func workshopBoard(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE workshop_options (
                id INTEGER PRIMARY KEY,
                scenario TEXT NOT NULL,
                name TEXT NOT NULL,
                settings TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                saved_at TEXT NOT NULL,
                UNIQUE (scenario, name)
            );
            CREATE TABLE workshop_notes (
                id INTEGER PRIMARY KEY,
                scenario TEXT NOT NULL,
                subject_kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                concern TEXT NOT NULL,
                text TEXT NOT NULL,
                saved_at TEXT NOT NULL
            );
            CREATE INDEX workshop_notes_by_scenario ON workshop_notes (scenario, id);
            """)
    }

    /// A store from a development build that recorded the board as `v4`: v4 applied, v5 not,
    /// the board's table present and the searches' absent (migrating it would fail on SQLite's
    /// "table workshop_options already exists").
    static func hasWorkshopBoardAsV4(_ db: Database) throws -> Bool {
        let applied = try migrator.appliedIdentifiers(db)
        guard applied.contains("v4"), !applied.contains("v5") else { return false }
        return try db.tableExists("workshop_options") && !db.tableExists("searches")
    }
}
