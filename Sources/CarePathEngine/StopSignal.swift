import Synchronization

/// A request, from any thread, that a run in progress stop at its next check. Domain-free: the
/// simulation polls it every few thousand events, so a caller (a cancelled live run) can end a
/// long replication promptly without slowing the event loop.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks every run that watches this signal to stop. Idempotent.
    public func stop() { flag.store(true, ordering: .relaxed) }

    public var isStopped: Bool { flag.load(ordering: .relaxed) }
}
