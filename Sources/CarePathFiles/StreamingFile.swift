import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A large output file written as it is produced, through a buffer, into a temporary file beside
/// the destination that is renamed over it once complete: a reader never sees half a log, and an
/// interrupted export leaves the old file as it was. Write errors are kept and reported by
/// `finish()`, so the simulation's observers need not throw.
public final class StreamingFile {
    public let destination: URL
    public let temporary: String
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    public private(set) var error: Error?
    private var finished = false
    static let bufferSize = 1 << 20

    public init(_ url: URL) throws {
        destination = url.standardizedFileURL
        let name = destination.lastPathComponent
        guard !name.isEmpty, name != "/" else { throw StreamingFileError(path: destination.path, message: "not a file path") }
        do throws(OutputPath.Refusal) { try OutputPath.check(destination.path) } catch {
            throw StreamingFileError(path: destination.path, message: error.reason)
        }
        temporary = TemporaryFiles.path(beside: destination)
        TemporaryFiles.register(temporary)
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            TemporaryFiles.unregister(temporary)
            throw StreamingFileError(path: destination.path, message: "creating a temporary file: " + String(cString: strerror(errno)))
        }
        buffer.reserveCapacity(Self.bufferSize + 4096)
    }

    deinit { abort() }

    @inline(__always)
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in buffer.append(contentsOf: bytes) }
        if buffer.count >= Self.bufferSize { flush() }
    }

    @inline(__always)
    public func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { flush() }
    }

    /// Bytes from a caller's own buffer: copied into the buffer if small, written straight to
    /// the file (after what is buffered) if large, so that a big chunk is not copied twice.
    public func write(raw: UnsafeRawBufferPointer) {
        if raw.count < Self.bufferSize / 4 {
            // As typed bytes: the array then copies them in one go, not one by one.
            buffer.append(contentsOf: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
            if buffer.count >= Self.bufferSize { flush() }
            return
        }
        flush()
        writeAll(raw)
    }

    public func flush() {
        guard error == nil, fd >= 0, !buffer.isEmpty else { buffer.removeAll(keepingCapacity: true); return }
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) {
        guard error == nil, fd >= 0, let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            #if canImport(Glibc)
            let n = Glibc.write(fd, base + offset, raw.count - offset)
            #else
            let n = Darwin.write(fd, base + offset, raw.count - offset)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                error = StreamingFileError(path: destination.path, message: "writing: " + String(cString: strerror(errno)))
                return
            }
            offset += n
        }
    }

    /// Flushes, syncs and renames the file into place; throws the first error met.
    public func finish() throws {
        guard !finished else { return }
        flush()
        if let error { abort(); throw error }
        guard fsync(fd) == 0 else {
            let e = StreamingFileError(path: destination.path, message: "flushing: " + String(cString: strerror(errno)))
            abort()
            throw e
        }
        close(fd)
        fd = -1
        do throws(OutputPath.Refusal) { try OutputPath.check(destination.path) } catch {
            abort()
            throw StreamingFileError(path: destination.path, message: error.reason)
        }
        defer { TemporaryFiles.unregister(temporary) }
        guard rename(temporary, destination.path) == 0 else {
            let e = StreamingFileError(path: destination.path, message: "renaming into place: " + String(cString: strerror(errno)))
            unlink(temporary)
            finished = true
            throw e
        }
        finished = true
        let dir = open(destination.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }

    /// Drops the temporary file (a failed or abandoned export).
    public func abort() {
        guard !finished else { return }
        finished = true
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
    }
}

public struct StreamingFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public init(path: String, message: String) { self.path = path; self.message = message }
    public var description: String { "cannot write \(path): \(message)" }
}
