import Foundation
import GRDB

/// An option a workshop room saved: a name, its settings (lever id: value) and a note.
public struct StoredWorkshopOption: Hashable, Sendable {
    public var name: String
    public var settings: [String: String]
    public var note: String
    public var savedAt: String
    public init(name: String, settings: [String: String], note: String, savedAt: String) {
        self.name = name; self.settings = settings; self.note = note; self.savedAt = savedAt
    }
}

/// A note a workshop room typed against a part of the pathway.
public struct StoredWorkshopNote: Hashable, Sendable {
    public var id: Int64
    public var subjectKind: String
    public var subject: String
    public var concern: String
    public var text: String
    public var savedAt: String
    public init(id: Int64 = 0, subjectKind: String, subject: String, concern: String, text: String, savedAt: String) {
        self.id = id; self.subjectKind = subjectKind; self.subject = subject; self.concern = concern; self.text = text; self.savedAt = savedAt
    }
}

/// The workshop board's tables (schema v4): each change its own short transaction, committed
/// before the call returns, so that a server killed afterwards loses nothing saved.
extension ResultsStore {
    /// Saves an option, replacing one of the same name for the scenario.
    public func saveWorkshopOption(scenario: String, _ option: StoredWorkshopOption) throws {
        let json = try JSONEncoder.sortedKeys.encode(option.settings)
        try boardWrite { db in
            try db.execute(sql: """
                INSERT INTO workshop_options (scenario, name, settings, note, saved_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (scenario, name) DO UPDATE SET settings = excluded.settings, note = excluded.note, saved_at = excluded.saved_at
                """, arguments: [scenario, option.name, String(decoding: json, as: UTF8.self), option.note, option.savedAt])
        }
    }

    public func deleteWorkshopOption(scenario: String, name: String) throws {
        try boardWrite { db in
            try db.execute(sql: "DELETE FROM workshop_options WHERE scenario = ? AND name = ?", arguments: [scenario, name])
        }
    }

    /// The scenario's saved options, in the order saved.
    public func workshopOptions(scenario: String) throws -> [StoredWorkshopOption] {
        try boardRead { db in
            try Row.fetchAll(db, sql: "SELECT name, settings, note, saved_at FROM workshop_options WHERE scenario = ? ORDER BY id",
                             arguments: [scenario]).map { row in
                let text: String = row["settings"]
                let settings = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
                return StoredWorkshopOption(name: row["name"], settings: settings, note: row["note"], savedAt: row["saved_at"])
            }
        }
    }

    /// Adds a note; its id.
    @discardableResult
    public func addWorkshopNote(scenario: String, _ note: StoredWorkshopNote) throws -> Int64 {
        try boardWrite { db in
            try db.execute(sql: "INSERT INTO workshop_notes (scenario, subject_kind, subject, concern, text, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [scenario, note.subjectKind, note.subject, note.concern, note.text, note.savedAt])
            return db.lastInsertedRowID
        }
    }

    public func deleteWorkshopNote(scenario: String, id: Int64) throws {
        try boardWrite { db in
            try db.execute(sql: "DELETE FROM workshop_notes WHERE scenario = ? AND id = ?", arguments: [scenario, id])
        }
    }

    /// The scenario's notes, in the order typed.
    public func workshopNotes(scenario: String) throws -> [StoredWorkshopNote] {
        try boardRead { db in
            try Row.fetchAll(db, sql: "SELECT id, subject_kind, subject, concern, text, saved_at FROM workshop_notes WHERE scenario = ? ORDER BY id",
                             arguments: [scenario]).map { row in
                StoredWorkshopNote(id: row["id"], subjectKind: row["subject_kind"], subject: row["subject"], concern: row["concern"],
                                   text: row["text"], savedAt: row["saved_at"])
            }
        }
    }

    private func boardWrite<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        try translatingBusy { try queue.write(body) }
    }

    private func boardRead<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        try translatingBusy { try queue.read(body) }
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
