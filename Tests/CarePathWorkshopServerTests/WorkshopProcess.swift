import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `carepath workshop` started as the room starts it: the built binary, a free port (`--port 0`),
/// its own results store. The address (and token) are read from what it prints at start.
final class WorkshopProcess: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        return products.appendingPathComponent("carepath")
    }

    let process = Process()
    private let lock = NSLock()
    private var printed = Data()
    private var errors = Data()
    /// `http://127.0.0.1:PORT` (no trailing slash), and the token when the server asks for one.
    private(set) var base: URL!
    private(set) var token: String?

    var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: printed, as: UTF8.self) }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: errors, as: UTF8.self) }

    /// Starts `carepath workshop ARGUMENTS --port 0` in `directory` and waits for its address.
    init(_ arguments: [String], in directory: URL = WorkshopProcess.root, timeout: TimeInterval = 120) throws {
        process.executableURL = Self.binary
        process.arguments = ["workshop"] + arguments + ["--port", "0"]
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock(); self.printed.append(d); self.lock.unlock()
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock(); self.errors.append(d); self.lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("Open http://") }) {
                var address = String(line.dropFirst("Open ".count))
                if let q = address.range(of: "/?token=") {
                    token = String(address[q.upperBound...])
                    address = String(address[..<q.lowerBound])
                }
                if address.hasSuffix("/") { address.removeLast() }
                base = URL(string: address)
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw NSError(domain: "WorkshopProcess", code: 1, userInfo: [NSLocalizedDescriptionKey:
            "the workshop did not print its address (status \(process.isRunning ? "running" : String(process.terminationStatus))): \(stdout) \(stderr)"])
    }

    /// Waits for the process to end by itself (a refusal at start); its exit status.
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func stop(signal: Int32 = SIGTERM) {
        if process.isRunning {
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    struct Reply {
        var status: Int
        var body: Data
        var headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw NSError(domain: "not an object", code: 2) }
            return object
        }
    }

    /// One HTTP request to the server; `token` is sent as a bearer token when given.
    func request(_ path: String, method: String = "GET", json: Any? = nil, body: Data? = nil, token: String? = nil,
                 timeout: TimeInterval = 120) throws -> Reply {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!, timeoutInterval: timeout)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let body { request.httpBody = body }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Reply, Error>!
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
                result = .success(Reply(status: http.statusCode, body: data ?? Data(), headers: headers))
            } else {
                result = .failure(NSError(domain: "WorkshopProcess", code: 3, userInfo: [NSLocalizedDescriptionKey: "not an HTTP response"]))
            }
            done.signal()
        }.resume()
        done.wait()
        return try result.get()
    }

    /// The events of a streamed run body: (name, JSON object).
    static func events(_ body: String) throws -> [(name: String, data: [String: Any])] {
        try body.components(separatedBy: "\n\n").filter { !$0.isEmpty && !$0.hasPrefix(":") }.map { block in
            var name = "message", data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data += line.dropFirst(6) }
            }
            let object = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] ?? [:]
            return (name, object)
        }
    }
}

/// A streamed run read as it arrives (a browser's view of it), which the test can drop mid-stream.
final class RunStream: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var received = Data()
    private var ended = false
    private var session: URLSession!
    private var task: URLSessionDataTask!

    init(_ server: WorkshopProcess, client: String, settings: [String: String]) throws {
        super.init()
        var request = URLRequest(url: URL(string: "/api/run", relativeTo: server.base)!, timeoutInterval: 300)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["client": client, "settings": settings])
        session = URLSession(configuration: .default, delegate: self, delegateQueue: nil)
        task = session.dataTask(with: request)
        task.resume()
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: received, as: UTF8.self) }
    var finished: Bool { lock.lock(); defer { lock.unlock() }; return ended }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock(); received.append(data); lock.unlock()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock(); ended = true; lock.unlock()
    }

    /// Waits until `condition` holds of what arrived (true) or `timeout` passes (false).
    func wait(timeout: TimeInterval = 240, until condition: (RunStream) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(self) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(self)
    }

    /// Closes the connection, as a browser tab closed mid-run.
    func drop() {
        task.cancel()
        session.invalidateAndCancel()
    }
}
