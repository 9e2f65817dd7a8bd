import CarePathFiles
import Foundation

/// Every command's outputs, checked and their folders created before any work is done: a path
/// that cannot be written fails in a second, not after a long simulation (`OutputPath` holds the rule).
enum Outputs {
    /// `database` is the results store, checked with the journals SQLite keeps beside it.
    static func prepare(_ paths: [String?], database: String? = nil) throws {
        do throws(OutputPath.Refusal) {
            if let database { try OutputPath.checkDatabase(database) }
            try OutputPath.prepare(paths.compactMap { $0 } + (database.map { [$0] } ?? []))
        } catch {
            throw Failure("\(error); nothing done")
        }
    }

    /// Writes a finished output (its folder was prepared), as a located failure.
    static func write(_ data: Data, to path: String) throws {
        do {
            try OutputPath.prepare([path])
            try AtomicFile.write(data, to: URL(fileURLWithPath: path))
        } catch {
            throw Failure("\(error)")
        }
    }
}
