import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a results store, and waiting for it with a word to the person at the terminal.
///
/// SQLite locks a database with POSIX advisory locks on fixed bytes of the file (the lock bytes
/// at 1 GiB: PENDING at 0x40000000, RESERVED after it, then 510 SHARED bytes; see "File Locking
/// And Concurrency In SQLite Version 3" and os_unix.c), so the writer holding the store is found by
/// asking the kernel which process holds those bytes (fcntl F_GETLK): no lock file to go stale,
/// nothing to clean after a crash.
public enum StoreLock {
    static let pendingByte: off_t = 0x4000_0000

    /// The process holding a lock on the store that keeps others out (a writer first), if any.
    public static func holder(of path: String) -> pid_t? {
        guard let fd = descriptor(for: path) else { return nil }
        // RESERVED (a run being written), then PENDING and SHARED (a commit in progress).
        for (start, length) in [(pendingByte + 1, off_t(1)), (pendingByte, off_t(1)), (pendingByte + 2, off_t(510))] {
            var query = flock()
            query.l_type = Int16(F_WRLCK)
            query.l_whence = Int16(SEEK_SET)
            query.l_start = start
            query.l_len = length
            if fcntl(fd, F_GETLK, &query) == 0, query.l_type != Int16(F_UNLCK), query.l_pid > 0 { return query.l_pid }
        }
        return nil
    }

    /// `process 4242 (carepath simulate Scenarios/x.yaml --events)`, the command where the system says it.
    public static func describe(_ pid: pid_t) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return "process \(pid)" }
        var words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        if let first = words.first { words[0] = (first as NSString).lastPathComponent }
        let command = words.joined(separator: " ")
        let printable = String(command.unicodeScalars.map { $0.value >= 0x20 && $0.value != 0x7F ? Character($0) : "?" })
        return "process \(pid) (\(printable.count > 100 ? printable.prefix(100) + "..." : printable))"
    }

    /// Descriptors opened to ask about locks, one per file, kept open for the process's life:
    /// closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's own
    /// included.
    nonisolated(unsafe) private static var descriptors: [String: Int32] = [:]
    private static let descriptorsLock = NSLock()

    private static func descriptor(for path: String) -> Int32? {
        descriptorsLock.lock(); defer { descriptorsLock.unlock() }
        if let fd = descriptors[path] { return fd }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        descriptors[path] = fd
        return fd
    }

    /// A busy handler for GRDB: waits up to `seconds` for the store, polling every 20 ms, and on the
    /// first wait of each episode tells `notify` who holds it.
    static func waiter(path: String, seconds: TimeInterval, notify: (@Sendable (String) -> Void)?) -> @Sendable (Int) -> Bool {
        let started = Started()
        return { tries in
            if tries == 0 {
                started.reset()
                if let notify {
                    let who = holder(of: path).map(describe) ?? "another process"
                    notify("\(path): waiting for the store, held by \(who); giving up after \(Self.seconds(seconds)) (--wait SECONDS to change)")
                }
            }
            guard started.elapsed < seconds else { return false }
            usleep(20_000)
            return true
        }
    }

    static func seconds(_ s: TimeInterval) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    private final class Started: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date()
        func reset() { lock.lock(); time = Date(); lock.unlock() }
        var elapsed: TimeInterval { lock.lock(); defer { lock.unlock() }; return Date().timeIntervalSince(time) }
    }
}
