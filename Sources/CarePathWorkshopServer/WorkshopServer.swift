import Foundation
import Hummingbird
import Logging
import NIOCore

/// The workshop's local web server: one page, its JSON API and the streamed runs.
///
/// Loopback only unless told otherwise; off loopback every request (the page, the API and the
/// stream) must carry the access token. Request bodies are limited to `maximumBody` bytes.
public struct WorkshopServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// Required on every request when set; `WorkshopServer` refuses to start off loopback without it.
        public var token: AccessToken?
        public var maximumBody: Int
        /// Runs streaming at once (one per browser); more are refused with 503 until one ends.
        public var maximumRuns: Int

        public init(host: String = "127.0.0.1", port: Int = 8080, token: AccessToken? = nil,
                    maximumBody: Int = 64 * 1024, maximumRuns: Int = 16) {
            self.host = host; self.port = port; self.token = token; self.maximumBody = maximumBody; self.maximumRuns = maximumRuns
        }
    }

    public enum StartError: Error, CustomStringConvertible {
        case tokenRequired(host: String)
        public var description: String {
            switch self {
            case .tokenRequired(let host):
                return "--host \(host) reaches beyond this machine: an access token is required (give --token, or let one be generated)"
            }
        }
    }

    public let service: any WorkshopService
    public let page: WorkshopPage
    public let configuration: Configuration

    public init(service: any WorkshopService, page: WorkshopPage, configuration: Configuration) throws(StartError) {
        if !Loopback.contains(configuration.host) && configuration.token == nil {
            throw .tokenRequired(host: configuration.host)
        }
        self.service = service; self.page = page; self.configuration = configuration
    }

    /// Serves until the process ends; `started` gets the port actually bound (for `--port 0`).
    public func run(started: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router(context: WorkshopContext.self)
        router.add(middleware: GuardMiddleware(token: configuration.token, maximumBody: configuration.maximumBody))
        WorkshopRoutes(service: service, page: page, registry: RunRegistry(limit: configuration.maximumRuns),
                       maximumBody: configuration.maximumBody).add(to: router)
        var logger = Logger(label: "carepath-workshop")
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in started(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        // The process's own signal handlers (CarePathFiles.TemporaryFiles) end it on SIGINT/SIGTERM;
        // everything the room saved is already in the store by then.
        try await app.runService(gracefulShutdownSignals: [])
    }
}

/// Request context: Hummingbird's, with the body limit the API enforces.
struct WorkshopContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection, watched by a streamed run for its client going away.
    let channel: any Channel
    init(source: ApplicationRequestContextSource) { coreContext = .init(source: source); channel = source.channel }
    var maxUploadSize: Int { 64 * 1024 }
}

/// Refuses a request before any route sees it: no token (when one is set) -> 401; a declared body
/// over the limit -> 413; on loopback without a token, a Host header naming another machine -> 403
/// (a web page elsewhere cannot reach the server through DNS rebinding).
struct GuardMiddleware: RouterMiddleware {
    typealias Context = WorkshopContext
    let token: AccessToken?
    let maximumBody: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let token {
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let query = request.uri.queryParameters["token"].map(String.init)
            // Both compared, so the time taken does not tell which was tried.
            let viaHeader = token.matches(bearer), viaQuery = token.matches(query)
            guard viaHeader || viaQuery else {
                return JSONReply.error(.unauthorized, message: "this workshop needs its access token: open the address printed when the server started")
            }
        } else if let host = request.head.authority {
            let name = Self.hostName(host)
            guard Loopback.contains(name) else {
                return JSONReply.error(.forbidden, message: "this workshop serves this machine only (Host \(name) refused)")
            }
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBody {
            return JSONReply.error(.contentTooLarge, message: "request body of \(length) bytes is over the limit of \(maximumBody) bytes")
        }
        return try await next(request, context)
    }

    /// `127.0.0.1:8080` -> `127.0.0.1`; `[::1]:8080` -> `::1`.
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }
}

/// JSON responses, always through JSONEncoder.
enum JSONReply {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    struct Failure: Encodable {
        var error: String
        var lever: String?
        var file: String?
    }

    static func ok(_ value: some Encodable) -> Response {
        do {
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
        } catch {
            return self.error(.internalServerError, message: "cannot encode the reply: \(error)")
        }
    }

    static func error(_ status: HTTPResponse.Status, message: String, lever: String? = nil, file: String? = nil) -> Response {
        let data = (try? encoder.encode(Failure(error: message, lever: lever, file: file))) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static var headers: HTTPFields {
        [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
    }
}
