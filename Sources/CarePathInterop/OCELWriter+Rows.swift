import CarePathModel
import CarePathStore
import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// The rows of one run's patients, written through statements prepared once per run: ids,
/// timestamps and figures are composed as bytes in reused buffers and bound as they are, so a
/// row costs SQLite's insert and nothing else (no SQL text built, no statement looked up, no
/// string formatted per event).
struct OCELRows {
    /// A prepared statement, bound through SQLite's own calls.
    struct Insert {
        let statement: Statement
        var handle: SQLiteStatement { statement.sqliteStatement }
        init(_ db: Database, _ sql: String) throws { statement = try db.makeStatement(sql: sql) }

        @inline(__always) func bind(_ i: Int32, _ value: Int) { sqlite3_bind_int64(handle, i, Int64(value)) }
        @inline(__always) func bind(_ i: Int32, finite value: Double) {
            // OCEL readers expect NULL, not infinity or NaN, for a figure that has none.
            if value.isFinite { sqlite3_bind_double(handle, i, value) } else { sqlite3_bind_null(handle, i) }
        }
        @inline(__always) func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
        /// Text copied by SQLite (the buffer is reused for the next row).
        @inline(__always) func bind(_ i: Int32, _ bytes: [UInt8]) {
            bytes.withUnsafeBytes { bind(i, raw: $0) }
        }
        @inline(__always) func bind(_ i: Int32, _ bytes: LogBytes) {
            bytes.withUnsafeBytes { bind(i, raw: $0) }
        }
        @inline(__always) func bind(_ i: Int32, raw: UnsafeRawBufferPointer) {
            if let base = raw.baseAddress {
                _ = sqlite3_bind_text(handle, i, base.assumingMemoryBound(to: CChar.self), Int32(raw.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, i, "", 0, Self.transient)  // empty text, not NULL
            }
        }
        @inline(__always) func bind(_ i: Int32, _ text: String) {
            var text = text
            text.withUTF8 { b in
                if let base = b.baseAddress {
                    base.withMemoryRebound(to: CChar.self, capacity: b.count) { _ = sqlite3_bind_text(handle, i, $0, Int32(b.count), Self.transient) }
                } else {
                    _ = sqlite3_bind_text(handle, i, "", 0, Self.transient)  // empty text, not NULL
                }
            }
        }
        static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        /// Inserts one row with the current bindings.
        @inline(__always) func step(_ db: Database) throws {
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            if code != SQLITE_DONE {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
        }
    }

    /// What a state's event row needs, resolved once per run.
    struct StateRow {
        var type: String
        /// The statement inserting into its `event_<Type>` table; nil for a state without one.
        var insert: Insert?
        var organisation: String
        var role: String
        /// `organisation-<id>`, or nil when the state has no owner.
        var organisationID: [UInt8]?
        var organisationIndex: Int
        var produces: [Int]
    }

    let object, event, eventObject, objectObject: Insert
    let patientRow: Insert?
    let itemRow: Insert?
    let arrivalRow: Insert?
    let handoffRow: Insert?
    let states: [StateRow]
    /// Per item: its name, title and category.
    let items: [(name: String, title: String, category: String)]
    let itemKeys: [[UInt8]]
    let attributes: [PatientAttribute]
    let clock: LogClock
    let variantName: String
    let replication: Int
    let run: [UInt8]
    var nextEvent = 0
    // Reused buffers: ids and timestamps as bytes.
    var patientID = LogBytes(capacity: 64)
    var eventID = LogBytes(capacity: 64)
    var time = LogBytes(capacity: 32)
    var itemIDs: [Int: [UInt8]] = [:]
    var patient = 0
    var events = 0
    var objects = 0

    static let patientType = OCELWriter.patientType, itemType = OCELWriter.itemType
    static let epoch = OCELWriter.epoch

    init(_ db: Database, writer w: OCELWriter, names: LogNames, variantName: String, replication: Int, variant: Int) throws {
        object = try Insert(db, "INSERT INTO object (ocel_id, ocel_type) VALUES (?, ?)")
        event = try Insert(db, "INSERT INTO event (ocel_id, ocel_type) VALUES (?, ?)")
        eventObject = try Insert(db, "INSERT OR IGNORE INTO event_object (ocel_event_id, ocel_object_id, ocel_qualifier) VALUES (?, ?, ?)")
        objectObject = try Insert(db, "INSERT OR IGNORE INTO object_object (ocel_source_id, ocel_target_id, ocel_qualifier) VALUES (?, ?, ?)")
        patientRow = try w.objectTables[OCELWriter.patientType].map { table in
            let extra = w.attributeColumns.map { ", " + $0.sql }.joined(), marks = String(repeating: ", ?", count: w.attributeColumns.count)
            return try Insert(db, "INSERT INTO \"object_\(table)\" (ocel_id, ocel_time, ocel_changed_field, variant, replication, patient, arrival, cohort_group, terminal, counted, time_in_pathway_h\(extra)) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?\(marks))")
        }
        itemRow = try w.objectTables[OCELWriter.itemType].map {
            try Insert(db, "INSERT INTO \"object_\($0)\" (ocel_id, ocel_time, ocel_changed_field, item, title, category, patient, variant, replication) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)")
        }
        arrivalRow = try w.eventTables[OCELWriter.arrives].map {
            try Insert(db, "INSERT INTO \"event_\($0)\" (ocel_id, ocel_time, variant, replication) VALUES (?, ?, ?, ?)")
        }
        handoffRow = try w.eventTables[OCELWriter.handoff].map {
            try Insert(db, "INSERT INTO \"event_\($0)\" (ocel_id, ocel_time, from_state, to_state, latency_h, lost_referrals, variant, replication) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        }
        let itemIndex = Dictionary(names.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        states = try names.states.indices.map { s in
            let type = names.states[s]
            let insert = try w.eventTables[type].map { table -> Insert in
                if names.terminal[s] {
                    return try Insert(db, "INSERT INTO \"event_\(table)\" (ocel_id, ocel_time, organisation, role, variant, replication) VALUES (?, ?, ?, ?, ?, ?)")
                }
                return try Insert(db, "INSERT INTO \"event_\(table)\" (ocel_id, ocel_time, completed, organisation, role, waited_h, duration_h, items_needed, gaps, handoff_delay_h, variant, replication) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            }
            let organisation = names.organisation(ofState: s)
            let produces = s < w.pathway.states.count ? w.pathway.states[s].produces.compactMap { itemIndex[$0] } : []
            return StateRow(type: type, insert: insert, organisation: organisation ?? "", role: names.role(ofState: s) ?? "",
                            organisationID: organisation.map { Array("organisation-\($0)".utf8) },
                            organisationIndex: names.stateOrganisation[s], produces: produces)
        }
        items = names.items.map { item in
            let model = w.pathway.item(item)
            return (item, model?.title ?? item, model?.category.rawValue ?? "")
        }
        itemKeys = names.items.map { Array($0.utf8) }
        attributes = names.attributes
        clock = w.clock
        self.variantName = variantName
        self.replication = replication
        run = Array("v\(variant)-r\(replication)".utf8)
    }

    // MARK: Ids and times as bytes

    @inline(__always)
    mutating func timeText(_ hours: Double) -> LogBytes {
        time.removeAll()
        time.append(time: hours, clock: clock, iso: false)
        return time
    }

    /// `<prefix><run>-<n>`: `event-v0-r1-42`.
    static func compose(_ out: inout LogBytes, _ prefix: StaticString, _ run: [UInt8], _ n: Int) {
        out.removeAll()
        out.append(prefix); out.append(run); out.append(byte: UInt8(ascii: "-")); out.append(n)
    }

    // MARK: Rows

    mutating func write(_ j: PatientJourney, names: LogNames, _ db: Database) throws {
        patient = j.patient
        Self.compose(&patientID, "patient-", run, j.patient)
        itemIDs.removeAll(keepingCapacity: true)

        // The patient.
        try newObject(patientID, Self.patientType, db)
        if let row = patientRow {
            row.bind(1, patientID); row.bind(2, Self.epoch); row.bind(3, variantName); row.bind(4, replication); row.bind(5, j.patient)
            row.bind(6, timeText(j.arrival)); row.bind(7, names.group(j.group))
            row.bind(8, j.terminal >= 0 ? names.states[j.terminal] : ""); row.bind(9, j.counted ? 1 : 0); row.bind(10, finite: j.left - j.arrival)
            for (a, attribute) in attributes.enumerated() {
                let column = Int32(11 + a)
                guard a < j.attributes.count, j.attributes[a].isFinite else { row.bindNull(column); continue }
                let value = j.attributes[a]
                switch attribute.type {
                case .number: sqlite3_bind_double(row.handle, column, value)
                case .boolean: row.bind(column, value != 0 ? 1 : 0)
                case .categorical(let levels):
                    if let level = Int(exactly: value), level >= 0, level < levels.count { row.bind(column, levels[level]) } else { row.bindNull(column) }
                }
            }
            try row.step(db)
        }

        // Arrival.
        if let row = arrivalRow {
            try newEvent(OCELWriter.arrives, db)
            row.bind(1, eventID); row.bind(2, timeText(j.arrival)); row.bind(3, variantName); row.bind(4, replication)
            try row.step(db)
            try link(patientID, "patient", db)
        }
        var handoffIndex = 0
        let handoffs = j.handoffs.filter(\.crossOrganisation)
        var seenBy: [Int] = []
        for visit in j.visits {
            // Handoffs that happened before this visit started, in time order with the visits.
            while handoffIndex < handoffs.count, handoffs[handoffIndex].time <= visit.start {
                try writeHandoff(handoffs[handoffIndex], names: names, db)
                handoffIndex += 1
            }
            let state = states[visit.state]
            // A terminal state's event is the leaving one, below.
            guard !names.terminal[visit.state], let row = state.insert else { continue }
            try newEvent(state.type, db)
            row.bind(1, eventID); row.bind(2, timeText(visit.start))
            if visit.end.isFinite { row.bind(3, timeText(visit.end)) } else { row.bindNull(3) }
            row.bind(4, state.organisation); row.bind(5, state.role)
            row.bind(6, finite: visit.waited); row.bind(7, finite: visit.end - visit.start); row.bind(8, visit.checks.count)
            var gaps = 0
            for check in visit.checks where check.gap != .available { gaps += 1 }
            row.bind(9, gaps); row.bind(10, finite: visit.handoffDelay)
            row.bind(11, variantName); row.bind(12, replication)
            try row.step(db)
            try link(patientID, "patient", db)
            if let org = state.organisationID {
                try link(org, "performed by", db)
                if !seenBy.contains(state.organisationIndex) {
                    seenBy.append(state.organisationIndex)
                    objectObject.bind(1, patientID); objectObject.bind(2, org); objectObject.bind(3, "seen by")
                    try objectObject.step(db)
                }
            }
            for check in visit.checks { try link(try item(check.item, db), Self.needs[check.gap.rawValue], db) }
            for produced in state.produces { try link(try item(produced, db), "produces", db) }
        }
        while handoffIndex < handoffs.count {
            try writeHandoff(handoffs[handoffIndex], names: names, db)
            handoffIndex += 1
        }
        // Leaving.
        if j.terminal >= 0, let row = states[j.terminal].insert {
            try newEvent(states[j.terminal].type, db)
            // Performed by the terminal state's owner if it has one, else by the state the patient left from.
            let by = states[j.terminal].organisationID != nil ? j.terminal : j.visits.last?.state
            row.bind(1, eventID); row.bind(2, timeText(j.left))
            row.bind(3, by.map { states[$0].organisation } ?? ""); row.bind(4, by.map { states[$0].role } ?? "")
            row.bind(5, variantName); row.bind(6, replication)
            try row.step(db)
            try link(patientID, "patient", db)
            if let by, let org = states[by].organisationID { try link(org, "performed by", db) }
        }
    }

    static let needs = GapKind.allCases.map { "needs (\($0.name))" }

    @inline(__always)
    mutating func newObject(_ id: LogBytes, _ type: String, _ db: Database) throws {
        object.bind(1, id); object.bind(2, type)
        try object.step(db)
        objects += 1
    }

    @inline(__always)
    mutating func newObject(_ id: [UInt8], _ type: String, _ db: Database) throws {
        object.bind(1, id); object.bind(2, type)
        try object.step(db)
        objects += 1
    }

    @inline(__always)
    mutating func newEvent(_ type: String, _ db: Database) throws {
        nextEvent += 1
        Self.compose(&eventID, "event-", run, nextEvent)
        event.bind(1, eventID); event.bind(2, type)
        try event.step(db)
        events += 1
    }

    /// Links the current event to an object.
    @inline(__always)
    func link(_ objectID: LogBytes, _ qualifier: String, _ db: Database) throws {
        eventObject.bind(1, eventID); eventObject.bind(2, objectID); eventObject.bind(3, qualifier)
        try eventObject.step(db)
    }

    @inline(__always)
    func link(_ objectID: [UInt8], _ qualifier: String, _ db: Database) throws {
        eventObject.bind(1, eventID); eventObject.bind(2, objectID); eventObject.bind(3, qualifier)
        try eventObject.step(db)
    }

    /// The patient's object for item `i`, made the first time it is needed.
    mutating func item(_ i: Int, _ db: Database) throws -> [UInt8] {
        if let id = itemIDs[i] { return id }
        var itemID = LogBytes(capacity: 64)
        Self.compose(&itemID, "item-", run, patient)
        itemID.append(byte: UInt8(ascii: "-")); itemID.append(itemKeys[i])
        let id = itemID.bytes
        itemIDs[i] = id
        try newObject(id, Self.itemType, db)
        if let row = itemRow {
            row.bind(1, id); row.bind(2, Self.epoch); row.bind(3, items[i].name); row.bind(4, items[i].title)
            row.bind(5, items[i].category); row.bind(6, patientID); row.bind(7, variantName); row.bind(8, replication)
            try row.step(db)
        }
        objectObject.bind(1, id); objectObject.bind(2, patientID); objectObject.bind(3, "about")
        try objectObject.step(db)
        return id
    }

    mutating func writeHandoff(_ h: PatientJourney.Handoff, names: LogNames, _ db: Database) throws {
        guard let row = handoffRow else { return }
        try newEvent(OCELWriter.handoff, db)
        row.bind(1, eventID); row.bind(2, timeText(h.time)); row.bind(3, names.states[h.from]); row.bind(4, names.states[h.to])
        row.bind(5, finite: h.latency); row.bind(6, h.lost); row.bind(7, variantName); row.bind(8, replication)
        try row.step(db)
        try link(patientID, "patient", db)
        if let from = states[h.from].organisationID { try link(from, "from", db) }
        if let to = states[h.to].organisationID { try link(to, "to", db) }
        for i in h.carried { try link(try item(i, db), "carries", db) }
    }
}
