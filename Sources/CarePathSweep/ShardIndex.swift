import Foundation

/// Which shard this process runs: `--shard`, else the index a scheduler gives each task of an
/// array (Slurm's `SLURM_ARRAY_TASK_ID`, Kubernetes' Indexed Job `JOB_COMPLETION_INDEX`).
public enum ShardIndex {
    public static let environmentVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]

    /// The index and where it came from (`--shard`, or the variable's name), checked against the
    /// plan's shards.
    public static func resolve(given: Int?, environment: [String: String], shards: Int) throws -> (index: Int, source: String) {
        let index: Int, source: String
        if let given {
            (index, source) = (given, "--shard")
        } else if let name = environmentVariables.first(where: { environment[$0] != nil }), let text = environment[name] {
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw SweepError("\(name) is '\(text.prefix(40))': expected a whole number, the shard's index from 0 to \(shards - 1)")
            }
            (index, source) = (value, name)
        } else {
            throw SweepError("which shard? give --shard I (0 to \(shards - 1)), or run under a job array that sets "
                             + environmentVariables.joined(separator: " or "))
        }
        guard (0..<shards).contains(index) else {
            throw SweepError("shard \(index) (from \(source)) does not exist: the plan has shards 0 to \(shards - 1)"
                             + (source == "SLURM_ARRAY_TASK_ID" ? "; submit the array as --array=0-\(shards - 1)" : ""))
        }
        return (index, source)
    }
}
