import CarePathFormat
import CarePathMetrics
import CarePathModel
@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The package's root, found from this file's path (Tests/CarePathReportTests/Fixtures.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Every shipped scenario, Scenarios/*.yaml, sorted by name.
func shippedScenarios() throws -> [URL] {
    let folder = packageRoot.appendingPathComponent("Scenarios")
    return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "yaml" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
}

/// Real runs, made once per test process: loading a scenario through the file format and running
/// the simulator is what takes time, and several tests look at the same reports.
enum Runs {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: ReportInput] = [:]

    /// A shipped scenario run with a smaller cohort (300 patients, warm-up 10% of them) and two
    /// replications on two threads, as a report input with its real input files.
    static func input(_ url: URL, patients: Int = 300, threads: Int = 2) throws -> ReportInput {
        let key = url.path + "|\(patients)|\(threads)"
        lock.lock()
        if let cached = cache[key] { lock.unlock(); return cached }
        lock.unlock()
        let loaded: (Scenario, Pathway, URL)
        do throws(FormatErrors) {
            loaded = try ScenarioFile.load(url)
        } catch {
            XCTFail("\(url.lastPathComponent) does not load: \(error.problems.map(\.message))")
            throw error
        }
        var (scenario, pathway, pathwayURL) = loaded
        scenario.cohort.size = .patients(patients)
        scenario.warmUp = .fraction(0.1)
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 2, threads: threads))
        let relative = "Scenarios/" + url.lastPathComponent
        let inputs = [try InputFile.read(url, as: relative),
                      try InputFile.read(pathwayURL, as: "Pathways/" + pathwayURL.lastPathComponent)]
        let input = ReportInput(scenario: scenario, pathway: pathway, summary: summary, inputs: inputs,
                                commandLine: "carepath simulate \(relative) --replications 2 --report",
                                generatedBy: "CarePath \(ScenarioRunner.version)")
        lock.lock()
        cache[key] = input
        lock.unlock()
        return input
    }

    static func discharge() throws -> ReportInput {
        try input(packageRoot.appendingPathComponent("Scenarios/discharge-architectures.yaml"))
    }
}

/// Checks shared by every report test.
enum ReportChecks {
    /// Parses the page as XML (the report is written to be XHTML-compatible); fails the test otherwise.
    static func parse(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws -> XMLDocument {
        do {
            return try XMLDocument(data: Data(html.utf8), options: [])
        } catch {
            XCTFail("the report does not parse as XML: \(error)", file: file, line: line)
            throw error
        }
    }

    static func nodes(_ document: XMLDocument, _ xpath: String) throws -> [XMLNode] {
        try document.nodes(forXPath: xpath)
    }

    /// Every `src`/`href` value (in any element, SVG's `xlink:href` too) from the raw text.
    static func references(_ html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "(?:\\s|^)(?:[A-Za-z]+:)?(?:src|href)\\s*=\\s*(\"[^\"]*\"|'[^']*')", options: [.caseInsensitive])
        let ns = html as NSString
        return pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)).map {
            let v = ns.substring(with: $0.range(at: 1))
            return String(v.dropFirst().dropLast())
        }
    }

    /// Fails when any reference leaves the page.
    static func assertNoExternalReferences(_ html: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for ref in references(html) {
            let lower = ref.lowercased().trimmingCharacters(in: .whitespaces)
            XCTAssertTrue(lower.hasPrefix("#"), "\(name): reference leaves the page: \(ref)", file: file, line: line)
            for bad in ["http:", "https:", "//", "file:"] {
                XCTAssertFalse(lower.contains(bad), "\(name): external reference \(ref)", file: file, line: line)
            }
        }
        for tag in ["<img", "<link", "<iframe", "<object", "<embed", "@import", "url("] {
            XCTAssertFalse(html.contains(tag), "\(name): the page loads something with \(tag)", file: file, line: line)
        }
        let scripts = html.components(separatedBy: "<script").count - 1
        XCTAssertEqual(scripts, 1, "\(name): exactly one (inline) script expected", file: file, line: line)
    }

    /// Section ids of the page, in order.
    static func sectionIDs(_ document: XMLDocument) throws -> [String] {
        try nodes(document, "//*[local-name()='section']/@id").compactMap(\.stringValue)
    }
}
