import CarePathFiles
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation
import GRDB

/// OCEL 2.0 in its SQLite layout (ocel-standard.org/specification/formats/sqlite), with the
/// strict keys of the reference example: the six fixed tables with their primary and foreign
/// keys, one `event_<Type>` table per event type and one `object_<Type>` table per object type,
/// each keyed to `event` or `object`, with an `ocel_time` column declared `TIMESTAMP`.
///
/// Object types: `patient` (one per patient, variant and replication), `organisation`, and
/// `information item` (one per patient and item: that patient's discharge summary). Event types:
/// `patient arrives`, one per state (the service start, the point of care; linked to the
/// patient, the organisation, each needed item with how it was found — qualifier `needs
/// (late)` — and each item the state produces), `cross-organisation handoff` (linked to the
/// patient, the sending and receiving organisations and the items that travelled with the
/// referral: qualifier `carries`), and one per terminal state (leaving the pathway).
final class OCELWriter: JourneySink {
    static let fixedDDL = [
        #"CREATE TABLE "event_map_type" (ocel_type TEXT, ocel_type_map TEXT, PRIMARY KEY(ocel_type))"#,
        #"CREATE TABLE "object_map_type" (ocel_type TEXT, ocel_type_map TEXT, PRIMARY KEY(ocel_type))"#,
        #"CREATE TABLE "event" (ocel_id TEXT, ocel_type TEXT, PRIMARY KEY(ocel_id), FOREIGN KEY(ocel_type) REFERENCES event_map_type(ocel_type)) WITHOUT ROWID"#,
        #"CREATE TABLE "object" (ocel_id TEXT, ocel_type TEXT, PRIMARY KEY(ocel_id), FOREIGN KEY(ocel_type) REFERENCES object_map_type(ocel_type)) WITHOUT ROWID"#,
        #"CREATE TABLE "event_object" (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT, PRIMARY KEY(ocel_event_id, ocel_object_id, ocel_qualifier), FOREIGN KEY(ocel_event_id) REFERENCES event(ocel_id), FOREIGN KEY(ocel_object_id) REFERENCES object(ocel_id)) WITHOUT ROWID"#,
        #"CREATE TABLE "object_object" (ocel_source_id TEXT, ocel_target_id TEXT, ocel_qualifier TEXT, PRIMARY KEY(ocel_source_id, ocel_target_id, ocel_qualifier), FOREIGN KEY(ocel_source_id) REFERENCES object(ocel_id), FOREIGN KEY(ocel_target_id) REFERENCES object(ocel_id)) WITHOUT ROWID"#,
    ]
    static let arrives = "patient arrives"
    static let handoff = "cross-organisation handoff"
    static let patientType = "patient", organisationType = "organisation", itemType = "information item"
    static let epoch = "1970-01-01 00:00:00"

    let destination: URL
    let temporary: String
    var queue: DatabaseQueue?
    let clock: LogClock
    let pathway: Pathway
    var names: LogNames?
    var variantName = ""
    var variant = 0
    var replication = 0
    /// The current run's rows, made at its first patient.
    var rows: OCELRows?
    /// Event type -> table suffix.
    var eventTables: [String: String] = [:]
    var objectTables: [String: String] = [:]
    var journeysInTransaction = 0
    /// The patient's attributes as columns of the patient object table: quoted name and SQL type.
    var attributeColumns: [(sql: String, type: String)] = []
    var error: Error?
    /// Counts of the runs done, and of the current run's rows.
    private var eventsBefore = 0, objectsBefore = 0
    var events: Int { eventsBefore + (rows?.events ?? 0) }
    var objects: Int { objectsBefore + (rows?.objects ?? 0) }
    private(set) var patients = 0
    private var finished = false

    init(_ url: URL, clock: LogClock, pathway: Pathway, scenario: Scenario) throws {
        destination = url.standardizedFileURL
        do throws(OutputPath.Refusal) { try OutputPath.check(destination.path) } catch {
            throw StreamingFileError(path: destination.path, message: error.reason)
        }
        temporary = TemporaryFiles.path(beside: destination)
        TemporaryFiles.register(temporary)
        self.clock = clock
        self.pathway = pathway
        let fixed: Set = ["ocel_id", "ocel_time", "ocel_changed_field", "variant", "replication", "patient", "arrival", "cohort_group",
                          "terminal", "counted", "time_in_pathway_h"]
        attributeColumns = pathway.attributes.map { a in
            let name = fixed.contains(a.name.lowercased()) ? "attribute_" + a.name : a.name
            let type: String
            switch a.type {
            case .number: type = "REAL"
            case .boolean: type = "BOOLEAN"
            case .categorical: type = "TEXT"
            }
            return ("\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"", type)
        }
        var config = Configuration()
        config.foreignKeysEnabled = false
        // One transaction spans many accesses (a commit every 20,000 patients), for speed.
        config.allowsUnsafeTransactions = true
        config.label = "OCEL export"
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: config)
            self.queue = queue
            try queue.inDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA synchronous = OFF")
                // A fresh file only this process writes, renamed into place when complete.
                try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
                try db.execute(sql: "PRAGMA cache_size = -65536")
                try db.execute(sql: "BEGIN")
                for ddl in Self.fixedDDL { try db.execute(sql: ddl) }
                try createTypes(db, scenario: scenario)
            }
        } catch {
            abort()
            throw StreamingFileError(path: destination.path, message: "creating the OCEL database: \(error)")
        }
    }

    deinit { abort() }

    /// `inpatient-treatment` -> `InpatientTreatment`: letters and digits only, unique ignoring case,
    /// never one of the fixed tables' suffixes.
    static func tableSuffix(_ type: String, taken: inout Set<String>) -> String {
        var base = type.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if base.isEmpty { base = "Type" }
        var name = base, n = 2
        while taken.contains(name.lowercased()) || ["object", "maptype", "map_type"].contains(name.lowercased()) {
            name = "\(base)\(n)"
            n += 1
        }
        taken.insert(name.lowercased())
        return name
    }

    func createTypes(_ db: Database, scenario: Scenario) throws {
        var taken = Set<String>()
        func event(_ type: String, _ columns: String) throws {
            let suffix = Self.tableSuffix(type, taken: &taken)
            eventTables[type] = suffix
            try db.execute(sql: "INSERT INTO event_map_type (ocel_type, ocel_type_map) VALUES (?, ?)", arguments: [type, suffix])
            try db.execute(sql: "CREATE TABLE \"event_\(suffix)\" (ocel_id TEXT, ocel_time TIMESTAMP\(columns), PRIMARY KEY(ocel_id), FOREIGN KEY(ocel_id) REFERENCES event(ocel_id)) WITHOUT ROWID")
        }
        let run = ", variant TEXT, replication INTEGER"
        try event(Self.arrives, run)
        for state in pathway.states where !state.isTerminal {
            try event(state.id, ", completed TIMESTAMP, organisation TEXT, role TEXT, waited_h REAL, duration_h REAL, items_needed INTEGER, gaps INTEGER, handoff_delay_h REAL" + run)
        }
        try event(Self.handoff, ", from_state TEXT, to_state TEXT, latency_h REAL, lost_referrals INTEGER" + run)
        for state in pathway.states where state.isTerminal { try event(state.id, ", organisation TEXT, role TEXT" + run) }

        var objectTaken = Set<String>()
        func object(_ type: String, _ columns: String) throws {
            let suffix = Self.tableSuffix(type, taken: &objectTaken)
            objectTables[type] = suffix
            try db.execute(sql: "INSERT INTO object_map_type (ocel_type, ocel_type_map) VALUES (?, ?)", arguments: [type, suffix])
            try db.execute(sql: "CREATE TABLE \"object_\(suffix)\" (ocel_id TEXT, ocel_time TIMESTAMP, ocel_changed_field TEXT\(columns), FOREIGN KEY(ocel_id) REFERENCES object(ocel_id))")
        }
        try object(Self.patientType, ", variant TEXT, replication INTEGER, patient INTEGER, arrival TIMESTAMP, cohort_group TEXT, terminal TEXT, counted BOOLEAN, time_in_pathway_h REAL"
                   + attributeColumns.map { ", \($0.sql) \($0.type)" }.joined())
        try object(Self.organisationType, ", name TEXT, sector TEXT, maturity TEXT")
        try object(Self.itemType, ", item TEXT, title TEXT, category TEXT, patient TEXT" + run)

        guard let table = objectTables[Self.organisationType] else { return }
        for o in pathway.organisations {
            let id = "organisation-\(o.id)"
            try db.execute(sql: "INSERT INTO object (ocel_id, ocel_type) VALUES (?, ?)", arguments: [id, Self.organisationType])
            try db.execute(sql: "INSERT INTO \"object_\(table)\" (ocel_id, ocel_time, ocel_changed_field, name, sector, maturity) VALUES (?, ?, NULL, ?, ?, ?)",
                           arguments: [id, Self.epoch, o.name, o.sector.rawValue, o.maturity.rawValue])
            objectsBefore += 1
        }
    }

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        self.names = names
        self.variant = variant
        self.variantName = variantName
        self.replication = replication
        endRows()
    }

    func end() { endRows() }

    // MARK: Rows

    func journey(_ j: PatientJourney) {
        guard error == nil, let queue, let names else { return }
        do {
            try queue.inDatabase { db in
                if rows == nil {
                    rows = try OCELRows(db, writer: self, names: names, variantName: variantName, replication: replication, variant: variant)
                }
                try rows!.write(j, names: names, db)
            }
            patients += 1
            journeysInTransaction += 1
            if journeysInTransaction >= 100_000 {
                journeysInTransaction = 0
                try queue.inDatabase { db in
                    try db.execute(sql: "COMMIT")
                    try db.execute(sql: "BEGIN")
                }
            }
        } catch {
            self.error = error
        }
    }

    /// Counts the run's rows and lets go of its statements.
    func endRows() {
        guard let rows else { return }
        eventsBefore += rows.events
        objectsBefore += rows.objects
        self.rows = nil
    }

    func finish() throws {
        guard !finished else { return }
        if let error { abort(); throw StreamingFileError(path: destination.path, message: "\(error)") }
        endRows()
        do {
            try queue?.inDatabase { db in try db.execute(sql: "COMMIT") }
            try queue?.close()
            queue = nil
        } catch {
            abort()
            throw StreamingFileError(path: destination.path, message: "\(error)")
        }
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
        do throws(OutputPath.Refusal) { try OutputPath.check(destination.path) } catch {
            abort()
            throw StreamingFileError(path: destination.path, message: error.reason)
        }
        guard rename(temporary, destination.path) == 0 else {
            let message = String(cString: strerror(errno))
            abort()
            throw StreamingFileError(path: destination.path, message: "renaming into place: \(message)")
        }
        TemporaryFiles.unregister(temporary)
        finished = true
    }

    func abort() {
        guard !finished else { return }
        finished = true
        rows = nil
        try? queue?.close()
        queue = nil
        unlink(temporary)
        for suffix in ["-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        TemporaryFiles.unregister(temporary)
    }
}
