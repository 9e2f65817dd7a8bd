import CarePathMetrics
import Foundation

/// Where each shard of a plan stands, from its file alone.
public enum ShardState: Equatable, Sendable {
    case done
    case missing
    /// The run failed; its message.
    case failed(String)
    /// Made from other inputs, another plan or another CarePath: why.
    case stale(String)

    public var word: String {
        switch self {
        case .done: "done"
        case .missing: "missing"
        case .failed: "failed"
        case .stale: "stale"
        }
    }

    public var line: String {
        switch self {
        case .done, .missing: word
        case .failed(let why), .stale(let why): "\(word): \(why)"
        }
    }
}

public enum SweepStatus {
    /// Each shard's state, by index.
    public static func shards(_ directory: URL, _ manifest: SweepManifest, planSHA256: String) -> [ShardState] {
        manifest.shards.map { shard in
            let url = ShardFile.url(directory, shard: shard.index)
            let record: ShardFile.Record?
            do { record = try ShardFile.record(at: url) } catch { return .failed("\(error)") }
            guard let record else { return .missing }
            if record.plan != planSHA256 {
                return .stale("made for another plan (manifest sha256 \(record.plan.prefix(12))..., this plan's is \(planSHA256.prefix(12))...); run it again")
            }
            if record.carepathVersion != manifest.carepathVersion {
                return .stale("made by CarePath \(record.carepathVersion), the plan's is \(manifest.carepathVersion); run it again")
            }
            if record.status != ShardFile.complete { return .failed(record.message ?? "no message") }
            if record.shard != shard.index || record.units != shard.units.count {
                return .stale("holds shard \(record.shard)'s \(record.units) units, the plan gives shard \(shard.index) \(shard.units.count); run it again")
            }
            return .done
        }
    }
}
