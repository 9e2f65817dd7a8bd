import CarePathFiles
import CarePathModel
import CarePathSimulation
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OCELJSONWriter {
    /// Flushed at this size: a write this large goes straight to the file, past its buffer.
    static let chunk = 1 << 20

    func journey(_ j: PatientJourney) {
        guard encoder != nil else { return }
        // The whole journey inside the encoder, a value: its buffers are then checked for
        // exclusive access once, not at every append.
        encoder!.write(j)
        if encoder!.eventsOut.count >= Self.chunk || encoder!.objectsOut.count >= Self.chunk { flush() }
    }

    /// Events to the file, objects to the spill file.
    func flush() {
        if encoder != nil {
            encoder!.eventsOut.withUnsafeBytes { file.write(raw: $0) }
            encoder!.eventsOut.removeAll()
            encoder!.objectsOut.withUnsafeBytes { spill.write($0) }
            encoder!.objectsOut.removeAll()
        } else {
            carried.eventsOut.withUnsafeBytes { file.write(raw: $0) }
            carried.eventsOut.removeAll()
            carried.objectsOut.withUnsafeBytes { spill.write($0) }
            carried.objectsOut.removeAll()
        }
    }

    func finish() throws {
        flush()
        file.write("\n],\"objects\":[")
        do {
            try spill.copy { file.write(raw: $0) }
        } catch {
            abort()
            throw StreamingFileError(path: file.destination.path, message: "\(error)")
        }
        file.write("\n]}\n")
        spill.abort()
        try file.finish()
    }

    func abort() {
        file.abort()
        spill.abort()
    }
}

/// A temporary file beside an output, written and read back once, then removed.
final class SpillFile {
    let path: String
    private var fd: Int32
    private(set) var error: String?

    init(beside url: URL) throws {
        let destination = url.standardizedFileURL
        // Named and registered like every temporary, so that a signal or a later sweep removes it.
        path = TemporaryFiles.path(beside: destination)
        TemporaryFiles.register(path)
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            TemporaryFiles.unregister(path)
            throw StreamingFileError(path: destination.path, message: "creating a temporary file: " + String(cString: strerror(errno)))
        }
    }

    deinit { abort() }

    func write(_ raw: UnsafeRawBufferPointer) {
        guard error == nil, fd >= 0 else { return }
        do {
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                #else
                let n = Darwin.write(fd, base + offset, raw.count - offset)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    error = "writing \(path): " + String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
    }

    /// Hands the file's bytes, from the start, to `sink` in chunks.
    func copy(_ sink: (UnsafeRawBufferPointer) -> Void) throws {
        if let error { throw StreamingFileError(path: path, message: error) }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw StreamingFileError(path: path, message: "rewinding: " + String(cString: strerror(errno))) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StreamingFileError(path: path, message: "reading back: " + String(cString: strerror(errno)))
            }
            if n == 0 { break }
            chunk.withUnsafeBytes { sink(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    func abort() {
        if fd >= 0 { close(fd); fd = -1; unlink(path); TemporaryFiles.unregister(path) }
    }
}
