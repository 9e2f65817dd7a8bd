import GRDB

extension StoreSchema {
    /// A workshop room's board, kept so that a restarted server restores it: the options the room
    /// saved (their settings as JSON, lever id: value) and the notes it typed against a part of
    /// the pathway, each by the scenario they belong to (its `scenario:` id and file).
    static func v4(_ db: Database) throws {
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
}
