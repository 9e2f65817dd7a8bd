import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing output files so that a reader (a browser reloading a report, a workshop projector)
/// never sees a half-written file, and an interrupted run never leaves one behind.
public enum AtomicFile {
    /// A write that failed, with the path and the system's reason.
    public struct WriteError: Error, Hashable, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public init(path: String, message: String) { self.path = path; self.message = message }
        public var description: String { "cannot write \(path): \(message)" }
    }

    /// Writes `data` to a new temporary file in the destination's directory, flushes it to disk,
    /// then renames it over `url` with rename(2), which replaces the destination in one step
    /// (the temporary file is in the same directory so the rename never crosses file systems).
    /// The directory must exist (`OutputPath.prepare` creates it). Only a regular file is replaced:
    /// anything else at `url`, a symbolic link included, is refused (`OutputPath.check`). On
    /// failure, or on SIGINT/SIGTERM, the temporary file is removed and the destination is left as it was.
    public static func write(_ data: Data, to url: URL) throws {
        let destination = url.standardizedFileURL
        let path = destination.path
        let directory = destination.deletingLastPathComponent().path
        let name = destination.lastPathComponent
        guard !name.isEmpty, name != "/" else { throw WriteError(path: path, message: "not a file path") }

        do throws(OutputPath.Refusal) { try OutputPath.check(path) } catch { throw WriteError(path: path, message: error.reason) }
        // Hidden, unique, and recognisably ours if a crash ever leaves one behind.
        let temporary = TemporaryFiles.path(beside: destination)
        TemporaryFiles.register(temporary)
        defer { TemporaryFiles.unregister(temporary) }
        // 0666 minus the umask, like any newly created file; keep an existing file's permissions.
        var mode: mode_t = 0o666
        var existing = stat()
        let keepMode = lstat(path, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG
        if keepMode { mode = existing.st_mode & 0o7777 }

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError(path: path, message: systemMessage("creating a temporary file")) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }

        do {
            try writeAll(data, to: fd, path: path)
            if keepMode { _ = fchmod(fd, mode) }  // open() applied the umask
            guard fsync(fd) == 0 else { throw WriteError(path: path, message: systemMessage("flushing")) }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw WriteError(path: path, message: systemMessage("closing")) }
        do throws(OutputPath.Refusal) { try OutputPath.check(path) } catch { throw WriteError(path: path, message: error.reason) }
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, message: systemMessage("renaming into place")) }
        renamed = true

        // Make the rename itself durable; a failure here does not undo a completed write.
        let dirFD = open(directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }

    /// UTF-8 text, written atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            guard let base = raw.baseAddress else { return }  // empty data: nothing to write
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, message: systemMessage("writing"))
                }
                offset += n
            }
        }
    }

    private static func systemMessage(_ doing: String) -> String {
        "\(doing): " + String(cString: strerror(errno))
    }
}

// `write` inside AtomicFile would resolve to the static method; this names the system call.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
