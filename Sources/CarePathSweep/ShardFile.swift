import CarePathFiles
import CarePathMetrics
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// One shard's output, DIR/shards/I.sqlite: a row per unit with its replication result and its
/// patients' outcomes, and one row saying which plan it ran, with which CarePath, and whether it
/// finished (`complete`) or failed (with the message). It is written to a temporary file beside
/// it and renamed into place once that row is in: the file is there complete, or not at all.
///
/// Results and outcomes are kept as binary property lists of the very values the run produced
/// (`ReplicationResult`, `[PatientOutcome]`): doubles as their 8 bytes, so that the merge computes
/// the summary from bit-identical figures.
public enum ShardFile {
    public static let complete = "complete", failed = "failed"

    public static func url(_ directory: URL, shard: Int) -> URL {
        directory.appendingPathComponent("shards").appendingPathComponent("\(shard).sqlite")
    }

    /// What a shard's file says about it.
    public struct Record: Sendable, Equatable {
        public var shard: Int
        public var plan: String
        public var carepathVersion: String
        public var status: String
        public var message: String?
        public var units: Int
        public var finishedAt: String
    }

    public struct StoredUnit: Sendable {
        public var unit: SweepManifest.Unit
        public var seed: UInt64
        public var result: ReplicationResult
    }

    static let schema = """
        CREATE TABLE shard (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            shard INTEGER NOT NULL,
            plan_sha256 TEXT NOT NULL,
            carepath_version TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('complete', 'failed')),
            message TEXT,
            units INTEGER NOT NULL,
            finished_at TEXT NOT NULL
        );
        CREATE TABLE units (
            variant INTEGER NOT NULL,
            replication INTEGER NOT NULL,
            seed TEXT NOT NULL,
            result BLOB NOT NULL,
            outcomes BLOB NOT NULL,
            PRIMARY KEY (variant, replication)
        );
        """

    /// Writes a shard's file; `add` may be called from any thread.
    public final class Writer: @unchecked Sendable {
        let destination: URL
        let temporary: String
        private let queue: DatabaseQueue
        private let lock = NSLock()
        private var count = 0
        private var closed = false

        public init(_ destination: URL) throws {
            self.destination = destination
            try OutputPath.prepare([destination.path])
            temporary = TemporaryFiles.path(beside: destination)
            TemporaryFiles.register(temporary)
            do {
                queue = try DatabaseQueue(path: temporary)
                try queue.write { db in try db.execute(sql: ShardFile.schema) }
            } catch {
                unlink(temporary)
                TemporaryFiles.unregister(temporary)
                throw SweepError("\(destination.path): cannot write the shard: \(error)")
            }
        }

        deinit { discard() }

        public func add(_ unit: SweepManifest.Unit, seed: UInt64, result: ReplicationResult, outcomes: [PatientOutcome]) throws {
            let encoder = PropertyListEncoder()
            encoder.outputFormat = .binary
            let resultData = try encoder.encode(result), outcomeData = try encoder.encode(outcomes)
            lock.lock(); defer { lock.unlock() }
            try queue.write { db in
                try db.execute(sql: "INSERT INTO units (variant, replication, seed, result, outcomes) VALUES (?, ?, ?, ?, ?)",
                               arguments: [unit.variant, unit.replication, String(seed), resultData, outcomeData])
            }
            count += 1
        }

        /// Adds the shard's row and renames the file into place, replacing this shard's earlier
        /// output (a regular file only). A failed shard keeps no units: only its message.
        public func finish(shard: Int, plan: String, version: String, status: String, message: String?, at time: String) throws {
            lock.lock(); defer { lock.unlock() }
            do {
                try queue.write { db in
                    if status != ShardFile.complete { try db.execute(sql: "DELETE FROM units") }
                    try db.execute(sql: """
                        INSERT INTO shard (id, shard, plan_sha256, carepath_version, status, message, units, finished_at)
                        VALUES (1, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [shard, plan, version, status, message, status == ShardFile.complete ? count : 0, time])
                }
                try queue.close()
                closed = true
                try OutputPath.check(destination.path)
                guard rename(temporary, destination.path) == 0 else {
                    throw SweepError("cannot rename into place: \(String(cString: strerror(errno)))")
                }
                TemporaryFiles.unregister(temporary)
            } catch {
                discardLocked()
                throw SweepError("\(destination.path): the shard could not be written: \(error)")
            }
        }

        func discard() {
            lock.lock(); defer { lock.unlock() }
            discardLocked()
        }

        private func discardLocked() {
            if !closed { try? queue.close(); closed = true }
            if FileManager.default.fileExists(atPath: temporary) { unlink(temporary) }
            TemporaryFiles.unregister(temporary)
        }
    }

    /// The shard's row, or nil when its file is not there; throws when the file is there but is
    /// not a finished shard (another file, damaged).
    public static func record(at url: URL) throws -> Record? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let queue = try openReadOnly(url)
            defer { try? queue.close() }
            return try queue.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM shard WHERE id = 1") else {
                    throw SweepError("no shard row")
                }
                return Record(shard: try value(row, "shard"), plan: try value(row, "plan_sha256"),
                              carepathVersion: try value(row, "carepath_version"), status: try value(row, "status"),
                              message: String.fromDatabaseValue(row["message"] as DatabaseValue),
                              units: try value(row, "units"), finishedAt: try value(row, "finished_at"))
            }
        } catch {
            throw SweepError("\(url.path): not a finished shard file: \(error)")
        }
    }

    /// Every unit's seed and result, in (variant, replication) order.
    public static func units(at url: URL) throws -> [StoredUnit] {
        let decoder = PropertyListDecoder()
        do {
            let queue = try openReadOnly(url)
            defer { try? queue.close() }
            return try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT variant, replication, seed, result FROM units ORDER BY variant, replication").map { row in
                    let seedText: String = try value(row, "seed")
                    guard let seed = UInt64(seedText) else { throw SweepError("a unit's seed is '\(seedText.prefix(30))'") }
                    return StoredUnit(unit: SweepManifest.Unit(variant: try value(row, "variant"), replication: try value(row, "replication")),
                                      seed: seed, result: try decoder.decode(ReplicationResult.self, from: try value(row, "result") as Data))
                }
            }
        } catch {
            throw SweepError("\(url.path): cannot read the shard's results: \(error)")
        }
    }

    /// One unit's patient outcomes (read one unit at a time, so that a merge holds one in memory).
    public static func outcomes(at url: URL, _ unit: SweepManifest.Unit) throws -> [PatientOutcome] {
        do {
            let queue = try openReadOnly(url)
            defer { try? queue.close() }
            let data = try queue.read { db in
                try Data.fetchOne(db, sql: "SELECT outcomes FROM units WHERE variant = ? AND replication = ?",
                                  arguments: [unit.variant, unit.replication])
            }
            guard let data else { throw SweepError("no unit (\(unit.variant), \(unit.replication))") }
            return try PropertyListDecoder().decode([PatientOutcome].self, from: data)
        } catch {
            throw SweepError("\(url.path): cannot read the outcomes of variant \(unit.variant + 1), replication \(unit.replication + 1): \(error)")
        }
    }

    /// A column's value, or an error naming it: a damaged file is refused, never trapped on.
    static func value<T: DatabaseValueConvertible>(_ row: Row, _ column: String) throws -> T {
        guard let value = T.fromDatabaseValue(row[column] as DatabaseValue) else {
            throw SweepError("column \(column) holds \(String(describing: row[column] as DatabaseValue).prefix(40)), not a \(T.self)")
        }
        return value
    }

    static func openReadOnly(_ url: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: url.path, configuration: configuration)
    }
}
