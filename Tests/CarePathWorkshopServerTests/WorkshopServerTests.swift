import CarePathWorkshopServer
import Foundation
import XCTest

/// The real server, started from the built binary on the shipped discharge scenario, spoken to
/// over HTTP on loopback.
final class WorkshopServerTests: XCTestCase {
    static let scenario = "Scenarios/discharge-architectures.yaml"

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-workshop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func start(_ extra: [String] = [], replications: Int = 3) throws -> WorkshopProcess {
        let db = try temporaryDirectory().appendingPathComponent("store.sqlite").path
        let server = try WorkshopProcess([Self.scenario, "--db", db, "--replications", String(replications)] + extra)
        addTeardownBlock { server.stop() }
        return server
    }

    func levers(_ server: WorkshopProcess) throws -> [[String: Any]] {
        let setup = try server.request("/api/setup")
        XCTAssertEqual(setup.status, 200, setup.text)
        return (try setup.json()["setup"] as? [String: Any])?["levers"] as? [[String: Any]] ?? []
    }

    /// An integer lever with a range: a role's capacity.
    func capacityLever(_ server: WorkshopProcess) throws -> (id: String, baseline: Int, maximum: Int) {
        let all = try levers(server)
        guard let lever = all.first(where: { ($0["kind"] as? String) == "integer" && $0["maximum"] != nil }),
              let id = lever["id"] as? String, let baseline = Int(lever["baseline"] as? String ?? ""),
              let maximum = lever["maximum"] as? Double else {
            throw XCTSkip("no integer lever with a range in \(all)")
        }
        return (id, baseline, Int(maximum))
    }

    func testThePageIsServedWholeWithItsDiagramAndNothingFromElsewhere() throws {
        let server = try start()
        XCTAssertTrue(server.stdout.contains("this machine only"), server.stdout)
        let page = try server.request("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.headers["content-type"]?.hasPrefix("text/html") == true)
        let policy = try XCTUnwrap(page.headers["content-security-policy"])
        XCTAssertTrue(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"), policy)
        let html = page.text
        XCTAssertTrue(html.contains("<svg"), "the diagram is in the page")
        XCTAssertTrue(html.contains("id=\"state&#45;inpatient&#45;treatment\""), "states keep the diagram's ids")
        XCTAssertTrue(html.contains("id=\"org&#45;council\""), "organisations are clusters with ids")
        XCTAssertFalse(html.contains("<?xml"), "the SVG's prolog is not inline")
        for external in ["<script src", "<link", "@import", "url(http", "src=\"http", "href=\"http"] {
            XCTAssertFalse(html.contains(external), "the page loads \(external) from elsewhere")
        }
        // The nonce in the policy is the one on the script.
        guard let range = policy.range(of: "'nonce-") else { return XCTFail(policy) }
        let nonce = policy[range.upperBound...].prefix { $0 != "'" }
        XCTAssertTrue(html.contains("<script nonce=\"\(nonce)\">"))

        let levers = try levers(server)
        XCTAssertGreaterThan(levers.count, 3)
        for lever in levers {
            XCTAssertNotNil(lever["id"] as? String); XCTAssertNotNil(lever["label"] as? String)
            XCTAssertTrue(["integer", "number", "choice", "toggle", "text"].contains(lever["kind"] as? String ?? ""), "\(lever)")
        }
    }

    func testAValueOutsideItsRangeIsRefusedWithA400NamingTheLever() throws {
        let server = try start()
        let lever = try capacityLever(server)
        let fine = try server.request("/api/check", method: "POST", json: ["lever": lever.id, "value": String(lever.baseline)])
        XCTAssertEqual(fine.status, 200, fine.text)
        for value in [String(lever.maximum + 1), "lots", "-1"] {
            let refused = try server.request("/api/check", method: "POST", json: ["lever": lever.id, "value": value])
            XCTAssertEqual(refused.status, 400, value)
            let body = try refused.json()
            XCTAssertEqual(body["lever"] as? String, lever.id, refused.text)
            XCTAssertFalse((body["error"] as? String ?? "").isEmpty, refused.text)
            // The run is refused the same way, before anything runs.
            let run = try server.request("/api/run", method: "POST", json: ["client": "page-one-1234", "settings": [lever.id: value]])
            XCTAssertEqual(run.status, 400, run.text)
            XCTAssertEqual(try run.json()["lever"] as? String, lever.id)
        }
        let unknown = try server.request("/api/run", method: "POST", json: ["client": "page-one-1234", "settings": ["no.such.place": "1"]])
        XCTAssertEqual(unknown.status, 400, unknown.text)
        XCTAssertEqual(try unknown.json()["lever"] as? String, "no.such.place")
        let malformed = try server.request("/api/run", method: "POST", body: Data("{\"client\": 3".utf8))
        XCTAssertEqual(malformed.status, 400, malformed.text)
    }

    func testABodyOverTheLimitIsRefusedWith413() throws {
        let server = try start()
        let big = Data(("{\"lever\": \"x\", \"value\": \"" + String(repeating: "9", count: 100_000) + "\"}").utf8)
        let refused = try server.request("/api/check", method: "POST", body: big)
        XCTAssertEqual(refused.status, 413, refused.text)
        XCTAssertTrue(refused.text.contains("limit"), refused.text)
        // The server is still there.
        XCTAssertEqual(try server.request("/api/board").status, 200)
    }

    func testARunStreamsAFirstEstimateThenTheFinalAnswerAndIsStored() throws {
        let server = try start(replications: 4)
        let lever = try capacityLever(server)
        let run = try server.request("/api/run", method: "POST",
                                     json: ["client": "page-one-1234", "settings": [lever.id: String(max(1, lever.baseline - 1))]])
        XCTAssertEqual(run.status, 200, run.text)
        XCTAssertTrue(run.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let events = try WorkshopProcess.events(run.text)
        let updates = events.filter { $0.name == "update" }.map(\.data)
        XCTAssertEqual(updates.count, 4, "one update a replication: \(run.text.prefix(400))")
        XCTAssertEqual(updates.first?["replicationsDone"] as? Int, 1)
        XCTAssertEqual(updates.first?["final"] as? Bool, false)
        XCTAssertEqual(updates.last?["replicationsDone"] as? Int, 4)
        XCTAssertEqual(updates.last?["final"] as? Bool, true)
        XCTAssertNotNil(updates.last?["storedRun"] as? Int, "the finished run is in the store")
        XCTAssertEqual(events.last?.name, "end")
        XCTAssertEqual(events.last?.data["reason"] as? String, "done")
        // The first estimate has no interval (one replication); the final one has.
        let first = try XCTUnwrap((updates.first?["headlines"] as? [[String: Any]])?.first)
        let last = try XCTUnwrap((updates.last?["headlines"] as? [[String: Any]])?.first)
        XCTAssertNil((first["difference"] as? [String: Any])?["low"])
        XCTAssertNotNil((last["difference"] as? [String: Any])?["low"])
        XCTAssertFalse((last["sentence"] as? String ?? "").isEmpty)
        XCTAssertFalse((updates.last?["states"] as? [[String: Any]] ?? []).isEmpty, "figures by state for the diagram")
    }

    /// Two browsers: a page's new run replaces its own run in flight (its stream closed), not the
    /// other page's, which goes on to its answer.
    func testANewRunOfAPageReplacesItsOwnRunInFlightButNotAnotherPages() throws {
        let server = try start(replications: 3)
        let lever = try capacityLever(server)
        let settings = [lever.id: String(lever.baseline + 1)]
        let first = try RunStream(server, client: "page-one-1234", settings: settings)
        XCTAssertTrue(first.wait { $0.text.contains("event: update") }, "the first run sent its first estimate: \(first.text)")
        let other = try RunStream(server, client: "page-two-5678", settings: settings)
        let second = try server.request("/api/run", method: "POST", json: ["client": "page-one-1234", "settings": [:] as [String: String]])
        XCTAssertTrue(first.wait { $0.finished }, "the replaced run's stream was closed")
        XCTAssertTrue(other.wait { $0.finished })
        let a = try WorkshopProcess.events(first.text), b = try WorkshopProcess.events(other.text), c = try WorkshopProcess.events(second.text)
        XCTAssertEqual(a.last?.data["reason"] as? String, "superseded", first.text)
        XCTAssertFalse(a.contains { $0.name == "update" && $0.data["final"] as? Bool == true })
        XCTAssertEqual(b.last?.data["reason"] as? String, "done", "the other page's run went on")
        XCTAssertEqual(b.filter { $0.name == "update" }.last?.data["final"] as? Bool, true)
        XCTAssertEqual(c.last?.data["reason"] as? String, "done")
    }

    /// A client that disconnects mid-stream costs nothing: a page that closes its connection after
    /// the first estimate has its run stopped at once (the server's CPU time, read from
    /// /proc/PID/stat, stops growing within seconds, where the 20 replications left would keep both
    /// cores busy for many more), nothing of it is stored, and the server answers at once.
    func testAClientThatDisconnectsMidStreamHasItsRunStopped() throws {
        let db = try temporaryDirectory().appendingPathComponent("store.sqlite").path
        let server = try WorkshopProcess([Self.scenario, "--db", db, "--replications", "20"])
        addTeardownBlock { server.stop() }
        let cpu = ProcessCPU(pid: server.process.processIdentifier)
        XCTAssertNotNil(cpu.seconds(), "the server's CPU time is readable")
        let lever = try capacityLever(server)
        let gone = try RunStream(server, client: "page-gone-1234", settings: [lever.id: String(lever.baseline + 1)])
        XCTAssertTrue(gone.wait { $0.text.contains("event: update") }, "the first estimate arrived: \(gone.text)")
        // The measure sees the run working: CPU time grows while it streams.
        let working = cpu.used(over: 1)
        XCTAssertFalse(gone.text.contains("\"final\":true"), "the run ended before it could be dropped")
        gone.drop()
        let dropped = Date()
        let quiet = cpu.quiet(within: 10, window: 0.5)
        print("workshop: CPU while streaming \(working) s in 1 s; dropped run quiet after \(quiet.map { String(format: "%.2f", $0) } ?? "never") s")
        // Even on a loaded machine a run's two threads get a share of the cores.
        XCTAssertGreaterThan(working, 0.05, "the run was using the CPU before the drop")
        let stoppedAfter = try XCTUnwrap(quiet, "the server kept computing after its client went away")
        XCTAssertLessThan(stoppedAfter, 3, "the run stopped within seconds of the drop")
        // The server stays responsive, and nothing of the dropped run is stored.
        let asked = Date()
        XCTAssertEqual(try server.request("/api/board").status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(asked), 2)
        XCTAssertLessThan(Date().timeIntervalSince(dropped), 15)
        let runs = Process(), out = Pipe()
        runs.executableURL = WorkshopProcess.binary
        runs.arguments = ["runs", "--db", db]
        runs.standardOutput = out; runs.standardError = out
        try runs.run()
        let listing = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        runs.waitUntilExit()
        XCTAssertFalse(listing.contains("discharge-architectures"), "the dropped run was stored:\n\(listing)")
    }

    func testOffLoopbackEveryRequestNeedsTheToken() throws {
        let server = try start(["--host", "0.0.0.0"])
        let token = try XCTUnwrap(server.token, server.stdout)
        XCTAssertEqual(token.count, 64)
        XCTAssertTrue(server.stdout.contains("requests without it are refused (401)"), server.stdout)
        XCTAssertTrue(server.stdout.contains("generated"), server.stdout)
        for path in ["/", "/api/setup", "/api/board"] {
            XCTAssertEqual(try server.request(path).status, 401, path)
            XCTAssertEqual(try server.request(path, token: String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")).status, 401, path)
            XCTAssertEqual(try server.request(path, token: token).status, 200, path)
        }
        XCTAssertEqual(try server.request("/?token=\(token)").status, 200)
        let run = try server.request("/api/run", method: "POST", json: ["client": "page-one-1234", "settings": [:] as [String: String]])
        XCTAssertEqual(run.status, 401)
        XCTAssertEqual(try server.request("/api/run?token=\(token)", method: "POST",
                                          json: ["client": "page-one-1234", "settings": [:] as [String: String]]).status, 200)
    }

    func testAGivenTokenIsUsedAndABadOneRefusedAtStart() throws {
        let server = try start(["--host", "0.0.0.0", "--token", "room-7-token-abcdef"])
        XCTAssertEqual(server.token, "room-7-token-abcdef")
        XCTAssertFalse(server.stdout.contains("generated"))
        XCTAssertEqual(try server.request("/", token: "room-7-token-abcdef").status, 200)
        let short = Process()
        short.executableURL = WorkshopProcess.binary
        short.arguments = ["workshop", Self.scenario, "--host", "0.0.0.0", "--token", "short", "--port", "0"]
        short.currentDirectoryURL = WorkshopProcess.root
        short.standardOutput = Pipe(); short.standardError = Pipe()
        try short.run()
        short.waitUntilExit()
        XCTAssertEqual(short.terminationStatus, 2, "a token too short to protect anything is a usage error")
    }

    /// Nothing the room decided is lost: an option and a note saved through the page come back
    /// after the server is killed (SIGKILL) and started again, and "save" writes a scenario that
    /// `validate` accepts, never over an existing file without the explicit overwrite.
    func testTheBoardSurvivesAKillAndBecomesAScenarioThatValidates() throws {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        for folder in ["Scenarios", "Pathways"] { try fm.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true) }
        try fm.copyItem(at: WorkshopProcess.root.appendingPathComponent(Self.scenario), to: dir.appendingPathComponent(Self.scenario))
        try fm.copyItem(at: WorkshopProcess.root.appendingPathComponent("Pathways/discharge-to-assess.yaml"),
                        to: dir.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
        let arguments = [Self.scenario, "--db", "store.sqlite", "--replications", "2"]
        var server = try WorkshopProcess(arguments, in: dir)
        let lever = try capacityLever(server)
        let saved = try server.request("/api/options", method: "POST", json: ["name": "Two more <b>coordinators</b>", "settings": [lever.id: String(lever.baseline + 2)]])
        XCTAssertEqual(saved.status, 200, saved.text)
        let refused = try server.request("/api/options", method: "POST", json: ["name": "Too many", "settings": [lever.id: String(lever.maximum + 5)]])
        XCTAssertEqual(refused.status, 400, refused.text)
        XCTAssertEqual(try refused.json()["lever"] as? String, lever.id)
        let note = try server.request("/api/notes", method: "POST", json: ["subject": ["organisation": "council"], "text": "Weekend cover is \"assumed\" & unproven"])
        XCTAssertEqual(note.status, 200, note.text)
        server.stop(signal: SIGKILL)

        server = try WorkshopProcess(arguments, in: dir)
        defer { server.stop() }
        let board = try server.request("/api/board").json()
        let options = board["options"] as? [[String: Any]] ?? []
        XCTAssertEqual(options.first?["name"] as? String, "Two more <b>coordinators</b>", "the option came back: \(board)")
        XCTAssertEqual((options.first?["settings"] as? [String: String])?[lever.id], String(lever.baseline + 2))
        XCTAssertEqual((board["notes"] as? [[String: Any]])?.first?["text"] as? String, "Weekend cover is \"assumed\" & unproven")

        let written = try server.request("/api/scenario", method: "POST", json: ["file": "room-options.yaml"])
        XCTAssertEqual(written.status, 200, written.text)
        let file = dir.appendingPathComponent("Scenarios/room-options.yaml")
        XCTAssertTrue(fm.fileExists(atPath: file.path))
        let again = try server.request("/api/scenario", method: "POST", json: ["file": "room-options.yaml"])
        XCTAssertEqual(again.status, 409, "an existing file is not replaced without confirmation")
        XCTAssertEqual(try server.request("/api/scenario", method: "POST", json: ["file": "room-options.yaml", "overwrite": true]).status, 200)
        for outside in ["../outside.yaml", "/tmp/x.yaml", ".hidden.yaml", "notes.txt"] {
            XCTAssertEqual(try server.request("/api/scenario", method: "POST", json: ["file": outside]).status, 400, outside)
        }
        let validate = Process()
        validate.executableURL = WorkshopProcess.binary
        validate.arguments = ["validate", "Scenarios/room-options.yaml"]
        validate.currentDirectoryURL = dir
        let out = Pipe(); validate.standardOutput = out; validate.standardError = out
        try validate.run()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        validate.waitUntilExit()
        XCTAssertEqual(validate.terminationStatus, 0, said)
        XCTAssertTrue(said.contains("valid"), said)
        XCTAssertFalse(said.lowercased().contains("warning"), said)
    }
}
