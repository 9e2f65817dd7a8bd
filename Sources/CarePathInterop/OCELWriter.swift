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
        #"CREATE TABLE "event" (ocel_id TEXT, ocel_type TEXT, PRIMARY KEY(ocel_id), FOREIGN KEY(ocel_type) REFERENCES event_map_type(ocel_type))"#,
        #"CREATE TABLE "object" (ocel_id TEXT, ocel_type TEXT, PRIMARY KEY(ocel_id), FOREIGN KEY(ocel_type) REFERENCES object_map_type(ocel_type))"#,
        #"CREATE TABLE "event_object" (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT, PRIMARY KEY(ocel_event_id, ocel_object_id, ocel_qualifier), FOREIGN KEY(ocel_event_id) REFERENCES event(ocel_id), FOREIGN KEY(ocel_object_id) REFERENCES object(ocel_id))"#,
        #"CREATE TABLE "object_object" (ocel_source_id TEXT, ocel_target_id TEXT, ocel_qualifier TEXT, PRIMARY KEY(ocel_source_id, ocel_target_id, ocel_qualifier), FOREIGN KEY(ocel_source_id) REFERENCES object(ocel_id), FOREIGN KEY(ocel_target_id) REFERENCES object(ocel_id))"#,
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
    var nextEvent = 0
    /// Event type -> table suffix.
    var eventTables: [String: String] = [:]
    var objectTables: [String: String] = [:]
    var journeysInTransaction = 0
    /// The patient's attributes as columns of the patient object table: quoted name and SQL type.
    var attributeColumns: [(sql: String, type: String)] = []
    var error: Error?
    private(set) var events = 0
    private(set) var objects = 0
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
            try db.execute(sql: "CREATE TABLE \"event_\(suffix)\" (ocel_id TEXT, ocel_time TIMESTAMP\(columns), PRIMARY KEY(ocel_id), FOREIGN KEY(ocel_id) REFERENCES event(ocel_id))")
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
            objects += 1
        }
    }

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        self.names = names
        self.variant = variant
        self.variantName = variantName
        self.replication = replication
        nextEvent = 0
    }

    // MARK: Rows

    func journey(_ j: PatientJourney) {
        guard error == nil, let queue, let names else { return }
        do {
            try queue.inDatabase { db in try write(j, names: names, db) }
            patients += 1
            journeysInTransaction += 1
            if journeysInTransaction >= 20_000 {
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

    func write(_ j: PatientJourney, names: LogNames, _ db: Database) throws {
        let run = "v\(variant)-r\(replication)"
        let patient = "patient-\(run)-\(j.patient)"
        let object = try PreparedInsert(db, sql: "INSERT INTO object (ocel_id, ocel_type) VALUES (?, ?)")
        let event = try PreparedInsert(db, sql: "INSERT INTO event (ocel_id, ocel_type) VALUES (?, ?)")
        let e2o = try PreparedInsert(db, sql: "INSERT OR IGNORE INTO event_object (ocel_event_id, ocel_object_id, ocel_qualifier) VALUES (?, ?, ?)")
        let o2o = try PreparedInsert(db, sql: "INSERT OR IGNORE INTO object_object (ocel_source_id, ocel_target_id, ocel_qualifier) VALUES (?, ?, ?)")
        func link(_ e: String, _ o: String, _ qualifier: String) throws {
            e2o.bind(1, e); e2o.bind(2, o); e2o.bind(3, qualifier)
            try e2o.step()
        }
        func newObject(_ id: String, _ type: String) throws {
            object.bind(1, id); object.bind(2, type)
            try object.step()
            objects += 1
        }
        func newEvent(_ type: String) throws -> String {
            nextEvent += 1
            let id = "event-\(run)-\(nextEvent)"
            event.bind(1, id); event.bind(2, type)
            try event.step()
            events += 1
            return id
        }

        // The patient.
        try newObject(patient, Self.patientType)
        if let table = objectTables[Self.patientType] {
            let extra = attributeColumns.map { ", " + $0.sql }.joined(), marks = String(repeating: ", ?", count: attributeColumns.count)
            let row = try PreparedInsert(db, sql: "INSERT INTO \"object_\(table)\" (ocel_id, ocel_time, ocel_changed_field, variant, replication, patient, arrival, cohort_group, terminal, counted, time_in_pathway_h\(extra)) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?\(marks))")
            row.bind(1, patient); row.bind(2, Self.epoch); row.bind(3, variantName); row.bind(4, replication); row.bind(5, j.patient)
            row.bind(6, clock.sql(j.arrival)); row.bind(7, names.group(j.group))
            row.bind(8, j.terminal >= 0 ? names.states[j.terminal] : ""); row.bind(9, j.counted ? 1 : 0); row.bind(10, finite: j.left - j.arrival)
            for (a, attribute) in names.attributes.enumerated() where a < attributeColumns.count {
                let column = Int32(11 + a)
                guard a < j.attributes.count, j.attributes[a].isFinite else { row.bindNull(column); continue }
                let value = j.attributes[a]
                switch attribute.type {
                case .number: row.bind(column, value)
                case .boolean: row.bind(column, value != 0 ? 1 : 0)
                case .categorical(let levels):
                    if let level = Int(exactly: value), level >= 0, level < levels.count { row.bind(column, levels[level]) } else { row.bindNull(column) }
                }
            }
            try row.step()
        }
        // Its items: needed, produced or carried.
        var itemIDs: [Int: String] = [:]
        func item(_ i: Int) throws -> String {
            if let id = itemIDs[i] { return id }
            let id = "item-\(run)-\(j.patient)-\(names.items[i])"
            itemIDs[i] = id
            try newObject(id, Self.itemType)
            if let table = objectTables[Self.itemType] {
                let row = try PreparedInsert(db, sql: "INSERT INTO \"object_\(table)\" (ocel_id, ocel_time, ocel_changed_field, item, title, category, patient, variant, replication) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)")
                let model = pathway.item(names.items[i])
                row.bind(1, id); row.bind(2, Self.epoch); row.bind(3, names.items[i]); row.bind(4, model?.title ?? names.items[i])
                row.bind(5, model?.category.rawValue ?? ""); row.bind(6, patient); row.bind(7, variantName); row.bind(8, replication)
                try row.step()
            }
            o2o.bind(1, id); o2o.bind(2, patient); o2o.bind(3, "about")
            try o2o.step()
            return id
        }
        let itemIndex = Dictionary(names.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })

        // Arrival.
        if let table = eventTables[Self.arrives] {
            let id = try newEvent(Self.arrives)
            let row = try PreparedInsert(db, sql: "INSERT INTO \"event_\(table)\" (ocel_id, ocel_time, variant, replication) VALUES (?, ?, ?, ?)")
            row.bind(1, id); row.bind(2, clock.sql(j.arrival)); row.bind(3, variantName); row.bind(4, replication)
            try row.step()
            try link(id, patient, "patient")
        }
        var handoffs = j.handoffs.filter(\.crossOrganisation).makeIterator()
        var nextHandoff = handoffs.next()
        var seenBy = Set<String>()
        for visit in j.visits {
            // Handoffs that happened before this visit started, in time order with the visits.
            while let h = nextHandoff, h.time <= visit.start {
                try writeHandoff(h, run: run, patient: patient, names: names, db: db, newEvent: newEvent, link: link, item: item)
                nextHandoff = handoffs.next()
            }
            let state = names.states[visit.state]
            guard let table = eventTables[state] else { continue }
            let id = try newEvent(state)
            let row = try PreparedInsert(db, sql: "INSERT INTO \"event_\(table)\" (ocel_id, ocel_time, completed, organisation, role, waited_h, duration_h, items_needed, gaps, handoff_delay_h, variant, replication) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            row.bind(1, id); row.bind(2, clock.sql(visit.start))
            if visit.end.isFinite { row.bind(3, clock.sql(visit.end)) } else { row.bindNull(3) }
            row.bind(4, names.organisation(ofState: visit.state) ?? ""); row.bind(5, names.role(ofState: visit.state) ?? "")
            row.bind(6, finite: visit.waited); row.bind(7, finite: visit.end - visit.start); row.bind(8, visit.checks.count)
            row.bind(9, visit.checks.filter { $0.gap != .available }.count); row.bind(10, finite: visit.handoffDelay)
            row.bind(11, variantName); row.bind(12, replication)
            try row.step()
            try link(id, patient, "patient")
            if let org = names.organisation(ofState: visit.state) {
                try link(id, "organisation-\(org)", "performed by")
                if seenBy.insert(org).inserted {
                    o2o.bind(1, patient); o2o.bind(2, "organisation-\(org)"); o2o.bind(3, "seen by")
                    try o2o.step()
                }
            }
            for check in visit.checks { try link(id, try item(check.item), "needs (\(check.gap.name))") }
            if visit.state < pathway.states.count {
                for produced in pathway.states[visit.state].produces {
                    if let i = itemIndex[produced] { try link(id, try item(i), "produces") }
                }
            }
        }
        while let h = nextHandoff {
            try writeHandoff(h, run: run, patient: patient, names: names, db: db, newEvent: newEvent, link: link, item: item)
            nextHandoff = handoffs.next()
        }
        // Leaving.
        if j.terminal >= 0, let table = eventTables[names.states[j.terminal]] {
            let id = try newEvent(names.states[j.terminal])
            // Performed by the terminal state's owner if it has one, else by the state the patient left from.
            let by = names.organisation(ofState: j.terminal) != nil ? j.terminal : j.visits.last?.state
            let org = by.flatMap { names.organisation(ofState: $0) }, role = by.flatMap { names.role(ofState: $0) }
            let row = try PreparedInsert(db, sql: "INSERT INTO \"event_\(table)\" (ocel_id, ocel_time, organisation, role, variant, replication) VALUES (?, ?, ?, ?, ?, ?)")
            row.bind(1, id); row.bind(2, clock.sql(j.left)); row.bind(3, org ?? ""); row.bind(4, role ?? "")
            row.bind(5, variantName); row.bind(6, replication)
            try row.step()
            try link(id, patient, "patient")
            if let org { try link(id, "organisation-\(org)", "performed by") }
        }
    }

    func writeHandoff(_ h: PatientJourney.Handoff, run: String, patient: String, names: LogNames, db: Database,
                      newEvent: (String) throws -> String, link: (String, String, String) throws -> Void,
                      item: (Int) throws -> String) throws {
        guard let table = eventTables[Self.handoff] else { return }
        let id = try newEvent(Self.handoff)
        let row = try PreparedInsert(db, sql: "INSERT INTO \"event_\(table)\" (ocel_id, ocel_time, from_state, to_state, latency_h, lost_referrals, variant, replication) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        row.bind(1, id); row.bind(2, clock.sql(h.time)); row.bind(3, names.states[h.from]); row.bind(4, names.states[h.to])
        row.bind(5, finite: h.latency); row.bind(6, h.lost); row.bind(7, variantName); row.bind(8, replication)
        try row.step()
        try link(id, patient, "patient")
        if let from = names.organisation(ofState: h.from) { try link(id, "organisation-\(from)", "from") }
        if let to = names.organisation(ofState: h.to) { try link(id, "organisation-\(to)", "to") }
        for i in h.carried { try link(id, try item(i), "carries") }
    }

    func finish() throws {
        guard !finished else { return }
        if let error { abort(); throw StreamingFileError(path: destination.path, message: "\(error)") }
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
        try? queue?.close()
        queue = nil
        unlink(temporary)
        for suffix in ["-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        TemporaryFiles.unregister(temporary)
    }
}

private extension PreparedInsert {
    /// OCEL readers expect NULL, not infinity or NaN, for a figure that has none.
    func bind(_ i: Int32, finite value: Double) { if value.isFinite { bind(i, value) } else { bindNull(i) } }
}
