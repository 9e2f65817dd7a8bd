import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Benchmark {
    /// Workshop latency over HTTP (issue 14), as the page sees it: the release `carepath workshop`
    /// started on a free port (the binary beside this one: `swift build -c release`), then for each
    /// run a lever request (`POST /api/run`, the architecture set to the shared record, 20
    /// replications of baseline and option, stored) timed from sending it to the first update's
    /// bytes and to the final update's. Each run is a new page (client id); the runs follow each
    /// other, as a room's lever moves do.
    static func workshopHTTP() {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("carepath")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            print("\nWorkshop over HTTP: no carepath beside carepath-bench (\(binary.path)): build both, `swift build -c release`")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bench-workshop-http-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let server: WorkshopServerProcess
        do {
            server = try WorkshopServerProcess(binary: binary, arguments: [
                root.appendingPathComponent("Scenarios/discharge-architectures.yaml").path,
                "--db", folder.appendingPathComponent("store.sqlite").path, "--replications", "20", "--port", "0",
            ])
        } catch {
            print("\nWorkshop over HTTP: the server did not start: \(error)")
            return
        }
        defer { server.stop() }
        var first: [Double] = [], last: [Double] = []
        for i in 0..<runs {
            let body = #"{"client":"bench-page-\#(i)-\#(getpid())","settings":{"architecture.option":"shared-record"}}"#
            let timing = StreamTiming.post(server.base.appendingPathComponent("api/run"), body: Data(body.utf8))
            guard let f = timing.first, let l = timing.final else {
                print("\nWorkshop over HTTP: run \(i + 1) gave no final update: \(timing.problem ?? String(timing.text.suffix(300)))")
                return
            }
            first.append(f); last.append(l)
        }
        let f = median(first), l = median(last)
        print("Workshop over HTTP (release server, loopback), discharge, 20 replications of baseline and option, from the lever request")
        print("  first update received               median \(f3(f)) s  (runs: \(first.map(f3).joined(separator: ", ")))")
        print("  final update received (stored)      median \(f3(l)) s  (runs: \(last.map(f3).joined(separator: ", ")))")
        emit(Figure(benchmark: "workshop-http", figures: ["first_update_s": f, "final_update_s": l, "runs": Double(runs)]))
        verdicts.append(Verdict(benchmark: "Workshop over HTTP, first estimate", figure: "\(f3(f)) s", target: "<= 0.3 s", met: f <= 0.3))
        verdicts.append(Verdict(benchmark: "Workshop over HTTP, full answer", figure: "\(f3(l)) s", target: "<= 2 s", met: l <= 2))
    }
}

/// `carepath workshop` run for the benchmark; its address read from what it prints at start.
final class WorkshopServerProcess: @unchecked Sendable {
    let process = Process()
    private(set) var base: URL!
    private let lock = NSLock()
    private var printed = Data()

    init(binary: URL, arguments: [String], timeout: TimeInterval = 60) throws {
        process.executableURL = binary
        process.arguments = ["workshop"] + arguments
        process.currentDirectoryURL = Benchmark.root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        out.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock(); self.printed.append(d); self.lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            lock.lock(); let text = String(decoding: printed, as: UTF8.self); lock.unlock()
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Open http://") }) {
                base = URL(string: String(line.dropFirst("Open ".count)))
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop()
        throw NSError(domain: "carepath-bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "no address printed"])
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// One streamed request: when the first `event: update` and the update with `"final":true`
/// arrived, in seconds from sending it.
final class StreamTiming: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var received = Data()
    private let done = DispatchSemaphore(value: 0)
    private(set) var first: Double?
    private(set) var final: Double?
    private(set) var problem: String?
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: received, as: UTF8.self) }

    static func post(_ url: URL, body: Data, timeout: TimeInterval = 120) -> StreamTiming {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let timing = StreamTiming()
        let session = URLSession(configuration: .ephemeral, delegate: timing, delegateQueue: nil)
        session.dataTask(with: request).resume()
        _ = timing.done.wait(timeout: .now() + timeout)
        session.invalidateAndCancel()
        return timing
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let now = Date().timeIntervalSince(start)
        lock.lock(); defer { lock.unlock() }
        received.append(data)
        let text = String(decoding: received, as: UTF8.self)
        if first == nil, text.contains("event: update") { first = now }
        if final == nil, text.contains("\"final\":true") { final = now }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock(); problem = error.map { String(describing: $0) }; lock.unlock()
        done.signal()
    }
}
