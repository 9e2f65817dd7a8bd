import Foundation
import GRDB

/// A run as the caller describes it when it starts writing: one row of `runs`. The store assigns
/// `id` when the run begins and sets `status` (`writing`, then `complete` when it commits).
public struct RunRecord: Codable, Hashable, Sendable {
    /// Assigned by the store; nil until the run has begun.
    public var id: Int64?
    /// When the run started, as the caller wrote it (ISO 8601, see `timestamp(_:)`).
    public var startedAt: String
    public var carepathVersion: String
    /// The command line that made the run, as a person would type it again.
    public var command: String
    /// The scenario's id, its title, and the pathway's id.
    public var scenario: String
    public var title: String
    public var pathway: String
    public var seed: UInt64
    /// Replications per variant.
    public var replications: Int
    public var status: String

    public init(id: Int64? = nil, startedAt: String, carepathVersion: String, command: String, scenario: String, title: String,
                pathway: String, seed: UInt64, replications: Int, status: String = RunRecord.writing) {
        self.id = id; self.startedAt = startedAt; self.carepathVersion = carepathVersion; self.command = command
        self.scenario = scenario; self.title = title; self.pathway = pathway; self.seed = seed
        self.replications = replications; self.status = status
    }

    /// Status of a run whose transaction is still open (only its own connection ever sees it).
    public static let writing = "writing"
    /// Status of a committed run.
    public static let complete = "complete"

    /// `date` in UTC as ISO 8601 with seconds (`2026-11-24T09:30:00Z`): sorts as text.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: date)
    }

    enum CodingKeys: String, CodingKey {
        case id, startedAt, carepathVersion, command, scenario, title, pathway, seed, replications, status
    }

    // Seeds are unsigned 64-bit and SQLite integers signed: the seed is kept as decimal text.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int64.self, forKey: .id)
        startedAt = try c.decode(String.self, forKey: .startedAt)
        carepathVersion = try c.decode(String.self, forKey: .carepathVersion)
        command = try c.decode(String.self, forKey: .command)
        scenario = try c.decode(String.self, forKey: .scenario)
        title = try c.decode(String.self, forKey: .title)
        pathway = try c.decode(String.self, forKey: .pathway)
        let seedText = try c.decode(String.self, forKey: .seed)
        guard let seed = UInt64(seedText) else {
            throw DecodingError.dataCorruptedError(forKey: .seed, in: c, debugDescription: "seed \(seedText) is not an unsigned 64-bit number")
        }
        self.seed = seed
        replications = try c.decode(Int.self, forKey: .replications)
        status = try c.decode(String.self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(carepathVersion, forKey: .carepathVersion)
        try c.encode(command, forKey: .command)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(title, forKey: .title)
        try c.encode(pathway, forKey: .pathway)
        try c.encode(String(seed), forKey: .seed)
        try c.encode(replications, forKey: .replications)
        try c.encode(status, forKey: .status)
    }
}

extension RunRecord: FetchableRecord, MutablePersistableRecord {
    public static var databaseTableName: String { "runs" }
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
