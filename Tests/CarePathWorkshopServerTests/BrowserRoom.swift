import Foundation
import XCTest

/// What the browser tests share: a server on the shipped discharge scenario (5 replications, its
/// own store), the lever a room would pull (a role's capacity cut to its least: its load, and the
/// pathway's waits, rise), a script run with python3, and the checks of what the room saw.
struct BrowserRoom {
    let test: XCTestCase
    let server: WorkshopProcess
    let folder: URL
    let lever: String
    let least: String
    var url: String { server.base.absoluteString + "/" }

    /// Where screenshots are kept after the test, to look at.
    static let screens: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-workshop-screens")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    init(_ test: XCTestCase) throws {
        self.test = test
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-workshop-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = try WorkshopProcess([WorkshopServerTests.scenario, "--db", folder.appendingPathComponent("store.sqlite").path,
                                          "--replications", "5"])
        let folder = self.folder
        test.addTeardownBlock {
            server.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        self.server = server
        let setup = try server.request("/api/setup").json()
        let levers = (setup["setup"] as? [String: Any])?["levers"] as? [[String: Any]] ?? []
        let lever = try XCTUnwrap(levers.first { ($0["kind"] as? String) == "integer" && ($0["subject"] as? [String: Any])?["role"] != nil
            && Int($0["baseline"] as? String ?? "") ?? 0 >= 3 }, "a role capacity lever")
        self.lever = try XCTUnwrap(lever["id"] as? String)
        least = String(max(1, Int((lever["minimum"] as? Double) ?? 1)))
    }

    /// Runs `script` with python3 and `arguments`; its standard output read as one JSON object.
    func run(script: String, arguments: [String]) throws -> [String: Any] {
        let file = folder.appendingPathComponent("room-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", file.path] + arguments
        let out = Pipe(), err = Pipe()
        python.standardOutput = out; python.standardError = err
        try python.run()
        // Standard error read beside standard output, so that neither pipe fills and blocks the script.
        let errors = ReadAll(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        let stderr = errors.wait()
        XCTAssertEqual(python.terminationStatus, 0, String(decoding: stderr, as: UTF8.self))
        guard let result = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] else {
            throw NSError(domain: "BrowserRoom", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "no result: \(String(decoding: stdout, as: UTF8.self)) \(String(decoding: stderr, as: UTF8.self))"])
        }
        return result
    }

    /// A headline figure and a state's colour changed, the run finished, the lever is listed as
    /// moved, Enter on a state showed its figures, nothing was logged, the text is large enough and
    /// nothing overflows the window's width, and a screenshot was saved.
    func assertTheRoomSawTheChange(_ result: [String: Any], screenshot: URL, file: StaticString = #filePath, line: UInt = #line) {
        let before = result["before"] as? [String] ?? [], after = result["after"] as? [String] ?? []
        XCTAssertFalse(before.isEmpty, "headline figures shown", file: file, line: line)
        XCTAssertEqual(before.count, after.count, file: file, line: line)
        XCTAssertNotEqual(before, after, "a headline figure changed", file: file, line: line)
        let fillsBefore = result["fillsBefore"] as? [String: String] ?? [:], fillsAfter = result["fillsAfter"] as? [String: String] ?? [:]
        XCTAssertFalse(fillsBefore.isEmpty, "states coloured after the baseline run", file: file, line: line)
        XCTAssertTrue(fillsAfter.contains { fillsBefore[$0.key] != $0.value }, "a state's colour changed: \(fillsBefore) -> \(fillsAfter)",
                      file: file, line: line)
        XCTAssertTrue((result["progress"] as? String ?? "").hasPrefix("Done: 5 of 5"), "\(result["progress"] ?? "")", file: file, line: line)
        XCTAssertTrue((result["summary"] as? String ?? "").contains("baseline"), "the moved lever is listed", file: file, line: line)
        XCTAssertFalse((result["details"] as? String ?? "").isEmpty, "Enter on a state shows its figures", file: file, line: line)
        XCTAssertEqual(result["console"] as? [String] ?? ["?"], [], "the page logged errors", file: file, line: line)
        // Legible from the back of a room at 1920 wide (body text at least 18 px), nothing cut off at the side.
        let layout = (result["layout"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
        XCTAssertEqual(layout.count, 3, file: file, line: line)
        if layout.count == 3 {
            XCTAssertGreaterThanOrEqual(layout[0], 18, "body text in px", file: file, line: line)
            XCTAssertLessThanOrEqual(layout[1], layout[2], "the page is no wider than the window", file: file, line: line)
        }
        let png = (try? Data(contentsOf: screenshot)) ?? Data()
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG screenshot", file: file, line: line)
    }
}

/// Reads a pipe to its end on another thread.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
