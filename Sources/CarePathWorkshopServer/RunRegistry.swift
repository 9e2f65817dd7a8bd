import Foundation

/// The run each browser has in flight. A page load has its own client id; a new run from the same
/// client cancels its previous one (its stream is closed and its task cancelled), and a run from
/// another client is left alone. At most `limit` clients run at once.
actor RunRegistry {
    private struct Entry {
        var generation: Int
        var cancel: @Sendable () -> Void
    }

    private let limit: Int
    private var running: [String: Entry] = [:]
    private var generations = 0

    init(limit: Int) { self.limit = limit }

    /// Records a new run for `client`, cancelling its previous one; nil when too many clients run.
    func begin(client: String, cancel: @escaping @Sendable () -> Void) -> Int? {
        if let previous = running[client] {
            previous.cancel()
        } else if running.count >= limit {
            return nil
        }
        generations += 1
        running[client] = Entry(generation: generations, cancel: cancel)
        return generations
    }

    /// Forgets the run unless a newer one of the same client replaced it.
    func end(client: String, generation: Int) {
        if running[client]?.generation == generation { running[client] = nil }
    }

    var count: Int { running.count }
}

/// One event of a run's stream, as server-sent events framing (`event:` and one `data:` line of JSON).
enum RunEvent: Sendable {
    case update(WireUpdate)
    /// `done`, `superseded` (the same client started another run), or `failed` with a message.
    case end(reason: String, message: String?)

    struct End: Encodable { var reason: String; var message: String? }

    var text: String {
        switch self {
        case .update(let update):
            return Self.frame("update", update)
        case .end(let reason, let message):
            return Self.frame("end", End(reason: reason, message: message))
        }
    }

    /// JSONEncoder writes no raw newlines (they are escaped inside strings), so one `data:` line holds it.
    private static func frame(_ name: String, _ value: some Encodable) -> String {
        let json = (try? JSONReply.encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "event: \(name)\ndata: \(json)\n\n"
    }
}
