import CarePathFiles
import CarePathModel
import Crypto
import Foundation

/// What `carepath sweep plan` writes to DIR/manifest.json and every other sweep command reads: the
/// CarePath version, the inputs (their paths as given, hashes, and the copies in DIR/inputs/ that
/// shards run, wherever they are), the work units and which shard runs each.
public struct SweepManifest: Codable, Equatable, Sendable {
    public static let format = "carepath-sweep 1"
    public static let fileName = "manifest.json"

    /// One input file: its role in the run (scenario, pathway, calendar), the path the plan was
    /// given it by (what a single-machine run's report and store show), its hash, and its copy.
    public struct Input: Codable, Equatable, Sendable {
        public var role: String
        public var path: String
        public var sha256: String
        /// The copy shards read, relative to DIR.
        public var copy: String
    }

    /// One replication of one variant: the unit of work a shard runs.
    public struct Unit: Codable, Hashable, Comparable, Sendable {
        public var variant: Int
        public var replication: Int
        public init(variant: Int, replication: Int) { self.variant = variant; self.replication = replication }
        public static func < (a: Unit, b: Unit) -> Bool { (a.variant, a.replication) < (b.variant, b.replication) }
    }

    public struct Shard: Codable, Equatable, Sendable {
        public var index: Int
        /// In (variant, replication) order.
        public var units: [Unit]
        /// The state entries its units imply (expected visits x patients, as `WorkEstimate` counts them).
        public var estimatedStateEntries: Double
    }

    public var format: String
    public var carepathVersion: String
    /// When the plan was made (ISO 8601, UTC): the merged run's `started_at`.
    public var plannedAt: String
    public var scenario: String
    public var variants: [String]
    public var seed: UInt64
    /// Whether the seed was given to `plan` (`--seed`), so the single-machine command names it.
    public var seedGiven: Bool
    public var replications: Int
    public var inputs: [Input]
    public var shards: [Shard]
    /// Set when the plan is a stage of a capacity search (`carepath optimise --stages`): its
    /// "variants" are then configurations and its units only the replications the stage needs.
    public var search: SearchStage?

    /// A stage of a capacity search: the configurations (capacities in the decisions' order) that
    /// `variants` names, in the same order; a unit's `variant` is a configuration's position.
    public struct SearchStage: Codable, Equatable, Sendable {
        /// From 1, in the order the stages were planned.
        public var stage: Int
        public var configurations: [[Int]]
        public init(stage: Int, configurations: [[Int]]) { self.stage = stage; self.configurations = configurations }
    }

    public var unitCount: Int { search == nil ? variants.count * replications : shards.reduce(0) { $0 + $1.units.count } }

    /// The same plan: everything but the time it was made.
    public func samePlan(as other: SweepManifest) -> Bool {
        var a = self, b = other
        a.plannedAt = ""; b.plannedAt = ""
        return a == b
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads DIR/manifest.json, with a message naming the file when it cannot.
    public static func load(_ directory: URL) throws -> (manifest: SweepManifest, sha256: String) {
        let url = directory.appendingPathComponent(fileName)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SweepError("\(url.path): cannot read the sweep's manifest (\(error.localizedDescription)); is \(directory.path) a folder made by `carepath sweep plan`?")
        }
        let manifest: SweepManifest
        do { manifest = try JSONDecoder().decode(SweepManifest.self, from: data) } catch {
            throw SweepError("\(url.path): not a sweep manifest: \(SweepError.describe(error))")
        }
        guard manifest.format == format else {
            throw SweepError("\(url.path): expected format '\(format)', found '\(manifest.format.prefix(60))'")
        }
        if let problem = manifest.problem { throw SweepError("\(url.path): \(problem)") }
        return (manifest, Self.sha256(data))
    }

    /// What makes the manifest unusable (edited by hand, damaged), or nil: every unit of the
    /// variants x replications once, in shards numbered in order.
    var problem: String? {
        guard !variants.isEmpty, (1...Bounds.maximumReplications).contains(replications), !shards.isEmpty else {
            return "expected at least one variant and one shard, and from 1 to \(Bounds.maximumReplications) replications"
        }
        var seen = Set<Unit>()
        for (i, shard) in shards.enumerated() {
            guard shard.index == i else { return "shard \(i) is numbered \(shard.index)" }
            for unit in shard.units {
                guard variants.indices.contains(unit.variant), (0..<replications).contains(unit.replication) else {
                    return "shard \(i) names variant \(unit.variant + 1) replication \(unit.replication + 1), beyond the \(variants.count) variant(s) x \(replications) replication(s)"
                }
                guard seen.insert(unit).inserted else { return "variant \(unit.variant + 1) replication \(unit.replication + 1) is in two shards" }
            }
        }
        if let search {
            guard search.stage >= 1, search.configurations.count == variants.count else {
                return "the search stage names \(search.configurations.count) configuration(s) for \(variants.count) variant(s)"
            }
            return nil
        }
        guard seen.count == unitCount else { return "the shards hold \(seen.count) of the \(unitCount) units" }
        return nil
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// A sweep command's failure, in words for the user.
public struct SweepError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(path(context))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        default:
            return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the top" : context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
