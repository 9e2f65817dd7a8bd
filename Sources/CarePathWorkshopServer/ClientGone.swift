import NIOCore

/// Tells a streaming response that its client went away. The server allows remote half-closure,
/// so a browser closing its socket shows first as an `inputClosed` event on an open channel (a
/// write only fails a round trip later, after the next update): watched at the head of the
/// pipeline, it cancels the run at once. Channel close is watched too (a reset, a full close).
final class ClientGone: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    private let gone: @Sendable () -> Void

    init(_ gone: @escaping @Sendable () -> Void) { self.gone = gone }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { gone() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        gone()
        context.fireChannelInactive()
    }

    /// Watches `channel` while `body` runs; `gone` may be called more than once.
    static func watching<T>(_ channel: any Channel, gone: @escaping @Sendable () -> Void,
                            _ body: () async throws -> T) async rethrows -> T {
        let watcher = ClientGone(gone)
        let added = (try? await channel.pipeline.addHandler(watcher, position: .first).get()) != nil
        // Gone before the watcher was in place: nothing will tell it again.
        if !added || !channel.isActive { gone() }
        defer { if added { channel.pipeline.removeHandler(watcher, promise: nil) } }
        return try await body()
    }
}
