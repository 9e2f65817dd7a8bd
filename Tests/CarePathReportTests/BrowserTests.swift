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
        XCTAssertTrue(text.contains("aria-label=\"Zoom the diagram\""), "the diagram script did not run")
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

    /// A definition one click away: opened at a figure's definition (a link from the page or from
    /// elsewhere), the folded glossary opens; opened plainly, it stays folded.
    func testOpeningTheReportAtADefinitionOpensTheFoldedGlossary() throws {
        guard Self.chromium != nil else { throw XCTSkip("chromium is not installed") }
        let html = try HTMLReport.scenarioReport(try Runs.discharge())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("index.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let folded = "<details class=\"more\"><summary><h3>Definitions of the figures on this page</h3>"
        let opened = "<details class=\"more\" open=\"\"><summary><h3>Definitions of the figures on this page</h3>"
        XCTAssertTrue(html.contains(folded), "the glossary is folded in the file")
        let plain = try chromium(["--dump-dom", page.absoluteString])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(String(decoding: plain.stdout, as: UTF8.self).contains(folded))
        let atDefinition = try chromium(["--dump-dom", page.absoluteString + "#glossary-utilisation"])
        XCTAssertEqual(atDefinition.status, 0, atDefinition.stderr)
        XCTAssertTrue(String(decoding: atDefinition.stdout, as: UTF8.self).contains(opened), "the glossary did not open at a definition")
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
          var grid = document.querySelector("#answer .answer-grid").getBoundingClientRect();
          var options = document.querySelector("#answer ul.answer").getBoundingClientRect();
          var struggles = document.querySelector("#answer .answer-side h3").getBoundingClientRect();
          var smallest = 1000, inAnswer = document.querySelectorAll("#answer *");
          for (var j = 0; j !== inAnswer.length; j++) {
            var size = parseFloat(getComputedStyle(inAnswer[j]).fontSize);
            if (size < smallest && inAnswer[j].textContent.trim() !== "") { smallest = size; }
          }
          var widest = 0;
          var all = document.querySelectorAll("body *");
          for (var i = 0; i !== all.length; i++) {
            var r = all[i].getBoundingClientRect();
            if (r.right > widest && !all[i].closest(".table-wrap, .diagram")) { widest = r.right; }
          }
          var content = [Math.round(answer.top), Math.round(widest), document.documentElement.scrollWidth, window.innerWidth,
                         Math.round(answer.bottom), document.documentElement.scrollHeight, Math.round(options.bottom), Math.round(struggles.top),
                         Math.round(grid.bottom), Math.round(smallest * 10)].join(" ");
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
            XCTAssertEqual(values.count, 10)
            guard values.count == 10 else { continue }
            print("\(name): answer top \(values[0]) px, what the options do ends at \(values[6]) px, where it struggles starts at \(values[7]) px, its struggles and caveats end at \(values[8]) px, the whole answer section ends at \(values[4]) px, smallest answer text \(Double(values[9]) / 10) px, widest element right edge \(values[1]) px, page width \(values[2]) px, window \(values[3]) px, page height \(values[5]) px")
            XCTAssertLessThan(values[0], height, "\(name): the answer starts below the first screen")
            if name == "laptop" {
                // The whole answer on the first screen: the question, what the options do, where the
                // pathway struggles and what to read with care, side by side.
                XCTAssertLessThanOrEqual(values[6], height, "laptop: what the options do does not fit the first screen")
                XCTAssertLessThan(values[7], values[6], "laptop: where the pathway struggles is not beside what the options do")
                XCTAssertLessThanOrEqual(values[4], height, "laptop: the answer section ends below the first screen")
            }
            XCTAssertGreaterThanOrEqual(values[9], 140, "\(name): text in the answer is smaller than 14 px")
            XCTAssertLessThanOrEqual(values[2], values[3], "\(name): the page scrolls sideways")
            XCTAssertLessThanOrEqual(values[1], values[3], "\(name): an element outside a scrolling table or diagram is wider than the window")
            let shot = artefacts.appendingPathComponent("first-screen-\(name).png")
            let run = try chromium(["--window-size=\(width),\(height)", "--virtual-time-budget=5000", "--screenshot=" + shot.path, url.absoluteString])
            XCTAssertEqual(run.status, 0, run.stderr)
            print("screenshot: \(shot.path)")
        }
    }

    /// The diagram opens fitted to the page and zooms: the buttons and the keyboard change the
    /// size the browser draws it at, "100%" is its natural size (Graphviz's points at 4/3 px, where
    /// its smallest text is 12 px), and "0" fits it again.
    func testTheDiagramZoomsFromFitToItsNaturalSizeAndBack() throws {
        guard Self.chromium != nil else { throw XCTSkip("chromium is not installed") }
        let html = try HTMLReport.scenarioReport(try Runs.discharge())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let measure = """
        <script>
        window.addEventListener("load", function () {
          var box = document.querySelector(".diagram"), svg = box.querySelector("svg");
          function width() { return Math.round(svg.getBoundingClientRect().width); }
          function press(label) { document.querySelector(".diagram-zoom button[aria-label='" + label + "']").click(); return width(); }
          function key(k) { box.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })); return width(); }
          var fitted = width(), status = document.querySelector(".diagram-zoom-status");
          var zoomedIn = press("Zoom in"), natural = press("Natural size: text at 12 px or more"), naturalStatus = status.textContent;
          var zoomedOut = press("Zoom out"), refitted = key("0"), byKey = key("+");
          var m = document.createElement("meta");
          m.setAttribute("name", "measured");
          m.setAttribute("content", [fitted, zoomedIn, natural, zoomedOut, refitted, byKey, parseFloat(svg.getAttribute("width"))].join(" ") + "|" + naturalStatus);
          document.head.appendChild(m);
        });
        </script>
        """
        let page = dir.appendingPathComponent("index.html")
        try html.replacingOccurrences(of: "</body>", with: measure + "</body>").write(to: page, atomically: true, encoding: .utf8)
        let dom = try chromium(["--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom", page.absoluteString])
        XCTAssertEqual(dom.status, 0, dom.stderr)
        let text = String(decoding: dom.stdout, as: UTF8.self)
        guard let range = text.range(of: "name=\"measured\" content=\""), let end = text[range.upperBound...].firstIndex(of: "\"") else {
            return XCTFail("nothing measured")
        }
        let parts = text[range.upperBound..<end].split(separator: "|", maxSplits: 1)
        let w = parts[0].split(separator: " ").compactMap { Double($0) }
        XCTAssertEqual(w.count, 7)
        guard w.count == 7, parts.count == 2 else { return }
        print("diagram width: fitted \(w[0]) px, zoomed in \(w[1]) px, 100% \(w[2]) px (\(w[6]) pt), zoomed out \(w[3]) px, fitted again \(w[4]) px, + key \(w[5]) px; at 100%: \(parts[1])")
        XCTAssertLessThan(w[0], 1400, "fitted inside the window")
        XCTAssertEqual(w[1], w[0] * 1.25, accuracy: 3, "zoom in: a quarter larger")
        XCTAssertEqual(w[2], w[6] * 4 / 3, accuracy: 2, "100%: the natural size, a point 4/3 px")
        XCTAssertEqual(w[3], w[2] / 1.25, accuracy: 3)
        XCTAssertEqual(w[4], w[0], accuracy: 1, "0 fits it again")
        XCTAssertEqual(w[5], w[0] * 1.25, accuracy: 3, "+ zooms in from the keyboard")
        XCTAssertTrue(parts[1].hasPrefix("100%, smallest text 12.0 px"), String(parts[1]))
    }
}
