import CarePathReport
import Foundation
import XCTest

/// A real browser opens the report: Debian's chromium, headless, as CI installs it.
final class BrowserTests: XCTestCase {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Run { var status: Int32; var stdout: Data; var stderr: String }

    func chromium(_ arguments: [String]) throws -> Run {
        guard let binary = Self.chromium else { throw XCTSkip("chromium is not installed: the browser test is skipped (.ci/run installs it)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
                             "--v=0", "--user-data-dir=" + FileManager.default.temporaryDirectory.appendingPathComponent("carepath-chromium-\(UUID().uuidString)").path]
            + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testReportOpensInABrowserRendersAndRunsItsScriptWithoutErrors() throws {
        guard Self.chromium != nil else {
            print("note: chromium is not installed: the browser test is skipped (.ci/run installs it)")
            throw XCTSkip("chromium is not installed")
        }
        let input = try Runs.discharge()
        let html = try HTMLReport.scenarioReport(input)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("index.html")
        try html.write(to: page, atomically: true, encoding: .utf8)

        // The DOM after scripts ran: the sorting script marks headers, the diagram gets its button.
        let dom = try chromium(["--dump-dom", page.absoluteString])
        XCTAssertEqual(dom.status, 0, dom.stderr)
        let text = String(decoding: dom.stdout, as: UTF8.self)
        XCTAssertTrue(text.contains("data-sortable=\"\""), "the table-sorting script did not run")
        XCTAssertTrue(text.contains("Show the diagram at full size"), "the diagram script did not run")
        for line in dom.stderr.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Uncaught") {
            XCTAssertFalse(line.contains("Uncaught") || line.contains("Error"), "the page logged: \(line)")
        }

        // A screenshot that is not blank: compared with a blank page taken the same way.
        let shot = dir.appendingPathComponent("report.png"), blank = dir.appendingPathComponent("blank.png")
        let a = try chromium(["--window-size=1280,2000", "--screenshot=" + shot.path, page.absoluteString])
        let b = try chromium(["--window-size=1280,2000", "--screenshot=" + blank.path, "about:blank"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        let report = try Data(contentsOf: shot), empty = try Data(contentsOf: blank)
        XCTAssertEqual(Array(report.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertGreaterThan(report.count, 20 * empty.count, "the screenshot looks blank (\(report.count) bytes against \(empty.count) for a blank page)")
    }
}
