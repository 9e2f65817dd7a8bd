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

    /// The answer on the first screen of a laptop, nothing wider than the window, and a phone
    /// layout without sideways scrolling: measured by the browser itself. A script added to a copy
    /// of the page writes what it measures into the page, which the browser then dumps. The
    /// screenshots are kept beside the test's build products as artefacts.
    func testTheAnswerIsOnTheFirstScreenAndThePageFitsALaptopAndAPhone() throws {
        guard Self.chromium != nil else { throw XCTSkip("chromium is not installed") }
        let input = try Runs.discharge()
        let html = try HTMLReport.scenarioReport(input)
        let artefacts = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-report-screens")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        let measure = """
        <script>
        window.addEventListener("load", function () {
          var answer = document.getElementById("answer").getBoundingClientRect();
          var widest = 0;
          var all = document.querySelectorAll("body *");
          for (var i = 0; i !== all.length; i++) {
            var r = all[i].getBoundingClientRect();
            if (r.right > widest && !all[i].closest(".table-wrap, .diagram")) { widest = r.right; }
          }
          var content = [Math.round(answer.top), Math.round(widest), document.documentElement.scrollWidth, window.innerWidth].join(" ");
          var m = document.createElement("meta");
          m.setAttribute("name", "measured");
          m.setAttribute("content", content);
          document.head.appendChild(m);
          if (window.parent !== window) { window.parent.postMessage(content, "*"); }
        });
        </script>
        """
        let measured = html.replacingOccurrences(of: "</body>", with: measure + "</body>")
        let page = artefacts.appendingPathComponent("index.html")
        try measured.write(to: page, atomically: true, encoding: .utf8)
        // A browser window is at least 500 px wide: the phone's 390 px is a frame of that width.
        let phone = artefacts.appendingPathComponent("phone.html")
        try """
        <!DOCTYPE html><html><head><meta charset="utf-8" /><title>phone</title></head><body style="margin:0">
        <iframe src="index.html" style="width:390px;height:844px;border:0;display:block"></iframe>
        <script>window.addEventListener("message", function (e) {
          var m = document.createElement("meta"); m.setAttribute("name", "measured"); m.setAttribute("content", e.data); document.head.appendChild(m);
        });</script></body></html>
        """.write(to: phone, atomically: true, encoding: .utf8)
        for (name, url, width, height) in [("laptop", page, 1400, 900), ("phone", phone, 500, 844)] {
            let dom = try chromium(["--window-size=\(width),\(height)", "--virtual-time-budget=5000", "--dump-dom", url.absoluteString])
            XCTAssertEqual(dom.status, 0, dom.stderr)
            let text = String(decoding: dom.stdout, as: UTF8.self)
            guard let range = text.range(of: "name=\"measured\" content=\""),
                  let end = text[range.upperBound...].firstIndex(of: "\"") else { return XCTFail("\(name): nothing measured") }
            let values = text[range.upperBound..<end].split(separator: " ").compactMap { Int($0) }
            XCTAssertEqual(values.count, 4)
            guard values.count == 4 else { continue }
            print("\(name): answer top \(values[0]) px, widest element right edge \(values[1]) px, page width \(values[2]) px, window \(values[3]) px")
            XCTAssertLessThan(values[0], height, "\(name): the answer starts below the first screen")
            XCTAssertLessThanOrEqual(values[2], values[3], "\(name): the page scrolls sideways")
            XCTAssertLessThanOrEqual(values[1], values[3], "\(name): an element outside a scrolling table or diagram is wider than the window")
            let shot = artefacts.appendingPathComponent("first-screen-\(name).png")
            let run = try chromium(["--window-size=\(width),\(height)", "--virtual-time-budget=5000", "--screenshot=" + shot.path, url.absoluteString])
            XCTAssertEqual(run.status, 0, run.stderr)
            print("screenshot: \(shot.path)")
        }
    }
}
