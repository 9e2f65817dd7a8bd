import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one rule for every file CarePath writes (reports, diagrams, JSON, CSV, event logs, BPMN,
/// pathway files, the results store): the path must name a regular file or nothing yet. A device,
/// a FIFO, a socket, a directory or a symbolic link (whatever it points to) is refused, so that
/// no rename ever replaces `/dev/null` or a link into `/dev`. Commands call `prepare` for all
/// their outputs before any work, so a bad path fails in a second rather than after a long run;
/// `AtomicFile` and `StreamingFile` check again just before they rename.
public enum OutputPath {
    /// Why a path cannot be written, naming it.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Throws unless `path` is a regular file or does not exist. Links are not followed: a link is
    /// refused, saying where it points.
    public static func check(_ path: String) throws(Refusal) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw Refusal(path: path, reason: String(cString: strerror(errno)))
        }
        let kind = info.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        if kind == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            throw Refusal(path: path, reason: "it is a symbolic link (to \(target)); CarePath replaces only regular files: give the real path")
        }
        throw Refusal(path: path, reason: "it is \(describe(kind)), not a regular file; CarePath replaces only regular files")
    }

    /// Checks every output, creates the folders they go in, and sweeps those folders of temporary
    /// files left by CarePath processes that have gone (`TemporaryFiles.sweep`). Nothing is written
    /// when any path is refused.
    public static func prepare(_ paths: [String]) throws(Refusal) {
        for path in paths { try check(path) }
        for path in paths {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try createFolder(folder, for: path)
            TemporaryFiles.sweep(folder.path)
        }
    }

    /// Creates `folder` and its parents, refusing a non-folder in the way.
    static func createFolder(_ folder: URL, for path: String) throws(Refusal) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw Refusal(path: path, reason: "\(folder.path) is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Refusal(path: path, reason: "cannot create the folder \(folder.path): \(reason(error))")
        }
    }

    /// The store's file and SQLite's journals beside it (`-journal`, `-wal`, `-shm`): SQLite
    /// creates them next to the database, so a device at any of them is refused as well.
    public static func checkDatabase(_ path: String) throws(Refusal) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try check(path + suffix) }
    }

    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a folder"
        default: "not a regular file"
        }
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
