import Foundation
import Hummingbird
import NIOCore

/// The page and its API. Every body is JSON of at most `maximumBody` bytes; every refusal is JSON
/// `{"error": ..., "lever"?: ..., "file"?: ...}` with the status that says why.
struct WorkshopRoutes: Sendable {
    let service: any WorkshopService
    let page: WorkshopPage
    let registry: RunRegistry
    let maximumBody: Int

    struct CheckRequest: Decodable { var lever: String; var value: String }
    struct RunRequest: Decodable { var client: String; var settings: [String: String] }
    struct OptionRequest: Decodable { var name: String; var settings: [String: String] }
    struct NoteRequest: Decodable { var subject: WireSubject; var text: String }
    struct CompareRequest: Decodable { var options: [String] }
    struct ScenarioRequest: Decodable { var file: String; var overwrite: Bool? }
    struct Checked: Encodable { var lever: String; var ok: Bool }
    struct Saved: Encodable { var file: String }
    struct SetupReply: Encodable { var setup: WireSetup; var board: WireBoard }

    func add(to router: Router<WorkshopContext>) {
        router.get("/") { _, _ in page.response() }
        router.get("/api/setup") { _, _ in
            reply { SetupReply(setup: service.setup, board: try service.board()) }
        }
        router.get("/api/board") { _, _ in reply { try service.board() } }
        router.post("/api/check") { request, _ in
            await withBody(request, CheckRequest.self) { body in
                if let message = service.check(lever: body.lever, value: body.value) {
                    return JSONReply.error(.badRequest, message: message, lever: body.lever)
                }
                return JSONReply.ok(Checked(lever: body.lever, ok: true))
            }
        }
        router.post("/api/run") { request, context in
            await withBody(request, RunRequest.self) { body in await run(body, channel: context.channel) }
        }
        router.post("/api/options") { request, _ in
            await withBody(request, OptionRequest.self) { body in
                if let refused = refusal(of: body.settings) { return refused }
                return reply { try service.saveOption(name: body.name, settings: body.settings) }
            }
        }
        router.post("/api/notes") { request, _ in
            await withBody(request, NoteRequest.self) { body in reply { try service.addNote(subject: body.subject, text: body.text) } }
        }
        router.post("/api/compare") { request, _ in
            await withBody(request, CompareRequest.self) { body in
                do { return JSONReply.ok(try await service.compare(options: body.options)) } catch { return refusal(error) }
            }
        }
        router.post("/api/scenario") { request, _ in
            await withBody(request, ScenarioRequest.self) { body in
                reply { Saved(file: try service.writeScenario(named: body.file, overwrite: body.overwrite ?? false)) }
            }
        }
    }

    // MARK: Runs

    /// A client id is what the page made up at load: letters, digits and dashes, 8 to 64 of them.
    static func validClient(_ id: String) -> Bool {
        (8...64).contains(id.utf8.count) && id.utf8.allSatisfy { $0 == UInt8(ascii: "-") || ($0 < 0x80 && Character(Unicode.Scalar($0)).isLetter) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// The first lever value refused, as the 400 the page shows at that control.
    func refusal(of settings: [String: String]) -> Response? {
        for id in settings.keys.sorted() {
            if let message = service.check(lever: id, value: settings[id] ?? "") {
                return JSONReply.error(.badRequest, message: message, lever: id)
            }
        }
        return nil
    }

    /// Streams the run's updates as server-sent events in the response body. The run stops when it
    /// finishes, when the same client starts another run, or when the client goes away (its
    /// connection's input closes or the connection ends: `ClientGone`; or a write fails).
    func run(_ body: RunRequest, channel: any Channel) async -> Response {
        guard Self.validClient(body.client) else {
            return JSONReply.error(.badRequest, message: "client must be 8 to 64 letters, digits or dashes")
        }
        if let refused = refusal(of: body.settings) { return refused }
        let updates: AsyncThrowingStream<WireUpdate, any Error>
        do {
            updates = try service.run(settings: body.settings, client: body.client)
        } catch {
            return refusal(error)
        }
        let (events, sink) = AsyncStream.makeStream(of: RunEvent.self)
        let task = Task {
            do {
                for try await update in updates { sink.yield(.update(update)) }
                sink.yield(.end(reason: Task.isCancelled ? "cancelled" : "done", message: nil))
            } catch is CancellationError {
            } catch {
                sink.yield(.end(reason: "failed", message: String(describing: error)))
            }
            sink.finish()
        }
        guard let generation = await registry.begin(client: body.client, cancel: {
            task.cancel()
            sink.yield(.end(reason: "superseded", message: "a newer run of this page replaced it"))
            sink.finish()
        }) else {
            task.cancel()
            return JSONReply.error(.serviceUnavailable, message: "too many runs at once: try again in a moment")
        }
        let registry = self.registry, client = body.client
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { task.cancel() }
            do {
                try await ClientGone.watching(channel, gone: { task.cancel(); sink.finish() }) {
                    try await withTaskCancellationHandler {
                        for await event in events {
                            try await writer.write(ByteBuffer(string: event.text))
                        }
                    } onCancel: {
                        task.cancel()
                    }
                }
                try await writer.finish(nil)
            } catch {
                // The client went away: the run is cancelled by the deferred cancel.
                await registry.end(client: client, generation: generation)
                throw error
            }
            await registry.end(client: client, generation: generation)
        })
    }

    // MARK: Bodies and replies

    /// Collects at most `maximumBody` bytes and decodes them; 413 over the limit, 400 when not the JSON expected.
    func withBody<T: Decodable>(_ request: Request, _ type: T.Type, _ handle: (T) async -> Response) async -> Response {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBody)
        } catch is NIOTooManyBytesError {
            return JSONReply.error(.contentTooLarge, message: "request body over the limit of \(maximumBody) bytes")
        } catch {
            return JSONReply.error(.badRequest, message: "request body could not be read: \(error)")
        }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            return JSONReply.error(.badRequest, message: "request body is not the JSON expected: \(Self.explain(error))")
        }
        return await handle(value)
    }

    static func explain(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return "\(key.stringValue) is missing"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?:
            return "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        case .dataCorrupted(let c)?: return c.debugDescription
        default: return String(describing: error)
        }
    }

    func reply(_ make: () throws -> some Encodable) -> Response {
        do {
            return JSONReply.ok(try make())
        } catch {
            return refusal(error)
        }
    }

    /// A thrown error as the reply that says what to correct, or 500 with the error's words.
    func refusal(_ error: any Error) -> Response {
        switch error {
        case let refusal as WorkshopServiceError:
            switch refusal {
            case .lever(let id, let message): return JSONReply.error(.badRequest, message: message, lever: id)
            case .exists(let file): return JSONReply.error(.conflict, message: refusal.description, file: file)
            case .invalid(let message): return JSONReply.error(.badRequest, message: message)
            }
        default:
            return JSONReply.error(.internalServerError, message: String(describing: error))
        }
    }
}
