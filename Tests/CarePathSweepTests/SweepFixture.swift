import Foundation
import GRDB
import XCTest

/// The built `carepath` run as a user runs it, in a folder holding a small copy of a shipped
/// scenario and its pathway (the same files, a smaller cohort and fewer replications).
struct SweepFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static var binary: URL {
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        return products.appendingPathComponent("carepath")
    }

    let folder: URL
    /// The scenario, relative to `folder`.
    let scenario = "Scenarios/discharge-small.yaml"

    /// A new folder with the shipped discharge-architectures scenario cut to `patients` patients,
    /// `replications` replications and a warm-up of 10% of them, beside a copy of its pathway.
    init(patients: Int = 150, replications: Int = 3, test: XCTestCase) throws {
        let fm = FileManager.default
        folder = fm.temporaryDirectory.appendingPathComponent("carepath-sweep-\(UUID().uuidString)")
        try fm.createDirectory(at: folder.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        try fm.createDirectory(at: folder.appendingPathComponent("Pathways"), withIntermediateDirectories: true)
        try fm.copyItem(at: Self.root.appendingPathComponent("Pathways/discharge-to-assess.yaml"),
                        to: folder.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
        var text = try String(contentsOf: Self.root.appendingPathComponent("Scenarios/discharge-architectures.yaml"), encoding: .utf8)
        for (from, to) in [("  patients: 3000\n", "  patients: \(patients)\n"), ("\nreplications: 20\n", "\nreplications: \(replications)\n"),
                           ("\nwarm-up: 4w ", "\nwarm-up: 10% ")] {
            XCTAssertTrue(text.contains(from), "the shipped scenario has changed: \(from)")
            text = text.replacingOccurrences(of: from, with: to)
        }
        try text.write(to: folder.appendingPathComponent(scenario), atomically: true, encoding: .utf8)
        let folder = self.folder
        test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    }

    func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try Self.run(arguments, in: folder, environment: environment)
    }

    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:], executable: URL? = nil,
                    unsetting: [String] = []) throws -> Output {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        // The scheduler's variables only when a test sets them.
        for name in ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"] { env[name] = nil }
        env.merge(environment) { _, new in new }
        for name in unsetting { env[name] = nil }
        process.environment = env
        // Standard error to a file, standard output to a pipe read while it runs: two pipes
        // read one after the other could block the process on the second.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-sweep-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let stderr = try Data(contentsOf: errURL)
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Every table's rows, each as text, sorted (row order in a table is not content); `runs`
    /// without the columns named in `leaving`.
    static func tableContents(_ path: URL, leaving: [String: [String]] = [:]) throws -> [String: [String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path.path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var out: [String: [String]] = [:]
            for table in tables {
                let columns = try db.columns(in: table).map(\.name).filter { !(leaving[table] ?? []).contains($0) }
                let sql = "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \"\(table)\""
                out[table] = try Row.fetchAll(db, sql: sql).map { row in
                    columns.map { name -> String in
                        let value: DatabaseValue = row[name]
                        // Doubles by their bits: equal text could hide a different value.
                        if case .double(let d) = value.storage { return "\(name)=double:\(d.bitPattern)" }
                        return "\(name)=\(value)"
                    }.joined(separator: "|")
                }.sorted()
            }
            return out
        }
    }
}
