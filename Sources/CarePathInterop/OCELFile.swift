import Foundation
import GRDB

/// Reads back an OCEL 2.0 SQLite file: its counts, and whether it keeps the layout's strict keys
/// (the checks of the reference validator, `pm4py`'s `ocel20_rel_validation`, done here in SQL).
public enum OCELFile {
    public struct Summary: Sendable {
        public var events = 0
        public var objects = 0
        public var eventsByType: [String: Int] = [:]
        public var objectsByType: [String: Int] = [:]
        public var eventObjectLinks = 0
        public var objectObjectLinks = 0
        /// Links by qualifier (`carries`, `needs (late)`...).
        public var qualifiers: [String: Int] = [:]
        /// What breaks the layout or its keys; empty for a valid file.
        public var problems: [String] = []
    }

    public static func summary(_ url: URL) throws -> Summary {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: url.path, configuration: config)
        defer { try? queue.close() }
        return try queue.read { db in
            var s = Summary()
            s.events = try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0
            s.objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM object") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT ocel_type, count(*) AS n FROM event GROUP BY ocel_type") {
                s.eventsByType[row["ocel_type"] ?? ""] = row["n"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT ocel_type, count(*) AS n FROM object GROUP BY ocel_type") {
                s.objectsByType[row["ocel_type"] ?? ""] = row["n"]
            }
            s.eventObjectLinks = try Int.fetchOne(db, sql: "SELECT count(*) FROM event_object") ?? 0
            s.objectObjectLinks = try Int.fetchOne(db, sql: "SELECT count(*) FROM object_object") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT ocel_qualifier, count(*) AS n FROM event_object GROUP BY ocel_qualifier") {
                s.qualifiers[row["ocel_qualifier"] ?? ""] = row["n"]
            }
            s.problems = try problems(db)
            return s
        }
    }

    static func problems(_ db: Database) throws -> [String] {
        var problems: [String] = []
        let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        for fixed in ["event_map_type", "object_map_type", "event", "object", "event_object", "object_object"] where !tables.contains(fixed) {
            problems.append("missing table \(fixed)")
        }
        func primaryKey(_ table: String) throws -> [String] {
            try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table]).map { $0["name"] ?? "" }
        }
        func foreignKeys(_ table: String) throws -> [String] {
            try Row.fetchAll(db, sql: "SELECT \"table\" AS t, \"from\" AS f, \"to\" AS o FROM pragma_foreign_key_list(?)", arguments: [table])
                .map { "\($0["f"] ?? "")->\($0["t"] ?? "").\($0["o"] ?? "")" }
        }
        func columnType(_ table: String, _ column: String) throws -> String? {
            try String.fetchOne(db, sql: "SELECT type FROM pragma_table_info(?) WHERE name = ?", arguments: [table, column])
        }
        let expectedKeys: [(String, [String], [String])] = [
            ("event_map_type", ["ocel_type"], []),
            ("object_map_type", ["ocel_type"], []),
            ("event", ["ocel_id"], ["ocel_type->event_map_type.ocel_type"]),
            ("object", ["ocel_id"], ["ocel_type->object_map_type.ocel_type"]),
            ("event_object", ["ocel_event_id", "ocel_object_id", "ocel_qualifier"], ["ocel_event_id->event.ocel_id", "ocel_object_id->object.ocel_id"]),
            ("object_object", ["ocel_source_id", "ocel_target_id", "ocel_qualifier"], ["ocel_source_id->object.ocel_id", "ocel_target_id->object.ocel_id"]),
        ]
        for (table, pk, fks) in expectedKeys where tables.contains(table) {
            if try primaryKey(table) != pk { problems.append("\(table): primary key is not (\(pk.joined(separator: ", ")))") }
            let present = Set(try foreignKeys(table))
            for fk in fks where !present.contains(fk) { problems.append("\(table): no foreign key \(fk)") }
        }
        for (kind, map) in [("event", "event_map_type"), ("object", "object_map_type")] {
            let suffixes = try String.fetchAll(db, sql: "SELECT ocel_type_map FROM \(map)")
            for suffix in suffixes {
                let table = "\(kind)_\(suffix)"
                guard tables.contains(table) else { problems.append("\(map) names \(table), which does not exist"); continue }
                if try columnType(table, "ocel_time") != "TIMESTAMP" { problems.append("\(table): ocel_time is not declared TIMESTAMP") }
                if !(try foreignKeys(table)).contains("ocel_id->\(kind).ocel_id") { problems.append("\(table): no foreign key ocel_id->\(kind).ocel_id") }
                if kind == "event", try primaryKey(table) != ["ocel_id"] { problems.append("\(table): primary key is not (ocel_id)") }
            }
            let mapped = Set(suffixes.map { "\(kind)_\($0)".lowercased() })
            let fixed: Set<String> = kind == "event" ? ["event_object", "event_map_type"] : ["object_object", "object_map_type"]
            for table in tables where table.lowercased().hasPrefix(kind + "_") && !fixed.contains(table) && !mapped.contains(table.lowercased()) {
                problems.append("\(table) is not in \(map)")
            }
        }
        let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
        if violations > 0 { problems.append("\(violations) row(s) refer to missing rows (PRAGMA foreign_key_check)") }
        let untyped = try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE ocel_type NOT IN (SELECT ocel_type FROM event_map_type)") ?? 0
        if untyped > 0 { problems.append("\(untyped) event(s) of a type not in event_map_type") }
        return problems
    }
}
