import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files outputs are written to before they are renamed into place, named so that
/// they can be recognised and cleaned up: `.report.html.carepath-4242-9F3A61C2.tmp` is a
/// temporary of `report.html` made by process 4242.
///
/// Every temporary is registered while it exists. `installSignalHandlers()` makes SIGINT, SIGTERM
/// and SIGHUP remove the registered files before the process exits (with 128 + the signal's
/// number: 130 for Ctrl-C, 143 for `kill`); what only SIGKILL or a power cut can leave behind is
/// swept by the next command writing to the same folder (`sweep`), once the process that made it
/// is gone.
public enum TemporaryFiles {
    static let tag = ".carepath-"
    static let suffix = ".tmp"

    /// A new temporary's path beside `destination`, hidden and unique, naming this process.
    public static func path(beside destination: URL) -> String {
        let folder = destination.deletingLastPathComponent().path
        let random = UUID().uuidString.prefix(8)
        return (folder as NSString).appendingPathComponent(".\(destination.lastPathComponent)\(tag)\(getpid())-\(random)\(suffix)")
    }

    /// Registers a temporary before it is created, so that a signal arriving from then on removes it.
    public static func register(_ path: String) { registry.insert(path) }

    /// The temporary was renamed into place or removed.
    public static func unregister(_ path: String) { registry.remove(path) }

    /// Removes every registered temporary; the count removed.
    @discardableResult
    public static func removeAll() -> Int {
        registry.drain().reduce(0) { $0 + (unlink($1) == 0 ? 1 : 0) }
    }

    /// The process that made a temporary, from its name; nil for a name that is not CarePath's.
    static func owner(of name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(suffix), let tagRange = name.range(of: tag, options: .backwards) else { return nil }
        let rest = name[tagRange.upperBound...].dropLast(suffix.count)
        let parts = rest.split(separator: "-")
        guard parts.count == 2, parts[1].count == 8, parts[1].allSatisfy(\.isHexDigit), let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }

    /// Removes from `folder` the temporaries of CarePath's naming whose process no longer runs; the
    /// names removed. A temporary of a running process (this one included) is left alone; so is one
    /// whose process number has since been reused, until that process ends too.
    @discardableResult
    public static func sweep(_ folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let pid = owner(of: name), pid != getpid(), !isRunning(pid) else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    // MARK: - Signals

    /// Makes SIGINT, SIGTERM and SIGHUP remove the registered temporaries, say so on standard
    /// error and exit with 128 + the signal. The handlers run on a queue of their own (not in
    /// signal context), so they may take the registry's lock; the simulation threads are simply
    /// stopped by the exit. Safe to call more than once.
    public static func installSignalHandlers() {
        signalSetup.lock()
        defer { signalSetup.unlock() }
        guard signalSources.isEmpty else { return }
        let queue = DispatchQueue(label: "carepath.signals")
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            signal(number, SIG_IGN)  // delivered to the source instead of ending the process
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let removed = removeAll()
                let note = "carepath: interrupted (\(name))" + (removed > 0 ? "; \(removed) unfinished file(s) removed" : "") + "\n"
                _ = note.withCString { standardErrorWrite(STDERR_FILENO, $0, strlen($0)) }
                _exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    nonisolated(unsafe) private static var signalSources: [DispatchSourceSignal] = []
    private static let signalSetup = NSLock()
    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var paths = Set<String>()
        func insert(_ path: String) { lock.lock(); paths.insert(path); lock.unlock() }
        func remove(_ path: String) { lock.lock(); paths.remove(path); lock.unlock() }
        func drain() -> Set<String> {
            lock.lock(); defer { lock.unlock() }
            let all = paths
            paths.removeAll()
            return all
        }
    }
}

@inline(__always)
private func standardErrorWrite(_ fd: Int32, _ buffer: UnsafePointer<CChar>, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
