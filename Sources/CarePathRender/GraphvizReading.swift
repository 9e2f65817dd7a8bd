import CGraphviz
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads DOT text into a cgraph graph whose layout and output do not depend on the heap.
///
/// `agmemread` uses cgraph's default ID discipline, which makes the ID of a named object the
/// address of its interned name. Subgraphs are kept (and laid out, and written) in ID order, so
/// with the default the order of clusters in the SVG, and potentially the layout, changes with
/// whatever malloc returned: two renders of the same text in one process were seen to differ.
/// This reader is `agmemread` with one change: named objects get IDs in order of first appearance.
///
/// Everything here must run with `GraphvizRenderer`'s lock held, from `read` until `agclose`.
final class DeterministicDOTReader {
    private let text: [CChar]
    private var cursor = 0
    private let disc: UnsafeMutablePointer<Agdisc_t>
    private let idDisc: UnsafeMutablePointer<Agiddisc_t>
    private let ioDisc: UnsafeMutablePointer<Agiodisc_t>

    init(_ dot: String) {
        text = Array(dot.utf8CString.dropLast())  // without the terminating NUL
        idDisc = .allocate(capacity: 1)
        idDisc.initialize(to: Agiddisc_t(
            open: { _, _ in
                // One table per root graph; released by `close` when the graph is closed.
                UnsafeMutableRawPointer(Unmanaged.passRetained(IDTable()).toOpaque())
            },
            map: { state, _, name, id, create in
                guard let state, let id else { return 0 }
                return IDTable.from(state).map(name, id, create != 0) ? 1 : 0
            },
            alloc: { _, _, _ in 0 },  // like the default: callers may not choose IDs
            free: { _, _, _ in },     // names are freed with the table
            print: { state, _, id in
                guard let state else { return nil }
                return IDTable.from(state).names[id]
            },
            close: { state in
                guard let state else { return }
                Unmanaged<IDTable>.fromOpaque(state).release()
            },
            idregister: { _, _, _ in }))
        ioDisc = .allocate(capacity: 1)
        ioDisc.initialize(to: Agiodisc_t(
            afread: { channel, buffer, size in
                guard let channel, let buffer else { return 0 }
                return Unmanaged<DeterministicDOTReader>.fromOpaque(channel).takeUnretainedValue()
                    .read(into: buffer, size: Int(size))
            },
            // As cgraph's AgIoDisc, for anything that writes through the graph's discipline.
            putstr: { channel, text in
                guard let channel, let text else { return EOF }
                return fputs(text, channel.assumingMemoryBound(to: FILE.self))
            },
            flush: { channel in
                guard let channel else { return EOF }
                return fflush(channel.assumingMemoryBound(to: FILE.self))
            }))
        disc = .allocate(capacity: 1)
        // mem nil: cgraph falls back to its default allocator (AgMemDisc).
        disc.initialize(to: Agdisc_t(mem: nil, id: idDisc, io: ioDisc))
    }

    deinit {
        // Only after agclose: the graph calls the disciplines until it is closed.
        disc.deallocate(); idDisc.deallocate(); ioDisc.deallocate()
    }

    /// The parsed graph, or nil on a syntax error (cgraph has recorded the message). The reader
    /// must outlive the graph.
    func read() -> UnsafeMutablePointer<Agraph_t>? {
        cursor = 0
        return withExtendedLifetime(self) {
            agread(Unmanaged.passUnretained(self).toOpaque(), disc)
        }
    }

    /// One line at a time, like agmemread's reader (the lexer reads through this).
    private func read(into buffer: UnsafeMutablePointer<CChar>, size: Int) -> Int32 {
        guard size > 0, cursor < text.count else { return 0 }
        var n = 0
        while n < size, cursor < text.count {
            let c = text[cursor]
            buffer[n] = c
            n += 1
            cursor += 1
            if c == 0x0A { break }
        }
        return Int32(n)
    }
}

/// Names to IDs in order of first appearance. Named IDs are even and anonymous ones odd, as in
/// cgraph's default, so the two never collide; 0 means "no such name" for a lookup.
private final class IDTable {
    private var ids: [[CChar]: IDTYPE] = [:]
    /// C copies of the names, returned by `print`, alive until the graph is closed.
    private(set) var names: [IDTYPE: UnsafeMutablePointer<CChar>] = [:]
    private var nextNamed: IDTYPE = 2
    private var nextAnonymous: IDTYPE = 1

    static func from(_ state: UnsafeMutableRawPointer) -> IDTable {
        Unmanaged<IDTable>.fromOpaque(state).takeUnretainedValue()
    }

    func map(_ name: UnsafeMutablePointer<CChar>?, _ id: UnsafeMutablePointer<IDTYPE>, _ create: Bool) -> Bool {
        guard let name else {
            id.pointee = nextAnonymous
            nextAnonymous += 2
            return true
        }
        let key = Array(UnsafeBufferPointer(start: name, count: strlen(name)))
        if let known = ids[key] {
            id.pointee = known
            return true
        }
        guard create else {
            id.pointee = 0
            return true
        }
        guard let copy = strdup(name) else { return false }
        let new = nextNamed
        nextNamed += 2
        ids[key] = new
        names[new] = copy
        id.pointee = new
        return true
    }

    deinit {
        for pointer in names.values { free(pointer) }
    }
}
