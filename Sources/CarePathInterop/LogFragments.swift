/// Bytes prepared once per run (escaped names, whole event openings), appended by the million.
/// A fragment is a pointer and a length into memory its `LogFragments` owns: copying one into a
/// `LogBytes` touches no reference count and checks no array bounds, which an `[UInt8]` taken out
/// of an array of arrays does (callgrind: a retain and a release, atomic, per append).
struct LogFragment {
    let start: UnsafePointer<UInt8>?
    let count: Int
}

/// The memory behind a writer's fragments; they are valid while it lives, so the writer keeps it.
final class LogFragments {
    private var blocks: [UnsafeMutablePointer<UInt8>] = []

    init() {}

    func make(_ bytes: [UInt8]) -> LogFragment {
        guard !bytes.isEmpty else { return LogFragment(start: nil, count: 0) }
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        block.initialize(from: bytes, count: bytes.count)
        blocks.append(block)
        return LogFragment(start: block, count: bytes.count)
    }

    func make(_ text: String) -> LogFragment { make(Array(text.utf8)) }

    deinit { for block in blocks { block.deallocate() } }
}

extension LogBytes {
    @inline(__always) mutating func append(_ fragment: LogFragment) {
        if let start = fragment.start { append(raw: start, fragment.count) }
    }
}
