import CarePathFormat
import CarePathModel
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

enum Support {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fixture, read from the source tree (they are also declared as test resources).
    static func fixture(_ name: String) throws -> URL {
        let local = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: local.path) else { throw XCTSkip("fixture \(name) not found") }
        return local
    }

    static let publicFixtures = [
        "collaboration-message-flows.bpmn", "C.1.0-export-camunda-modeler.bpmn", "C.2.0-reference-trisotech.bpmn", "dsf-pong.bpmn",
    ]

    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A scenario on a shipped pathway with a small cohort, for event-log tests.
    static func smallScenario(in dir: URL, patients: Int = 120) throws -> (Scenario, Pathway) {
        let source = try String(contentsOf: root.appendingPathComponent("Scenarios/frailty-fall.yaml"), encoding: .utf8)
        var text = source.replacingOccurrences(of: "patients: 2000", with: "patients: \(patients)")
        text = text.replacingOccurrences(of: "pathway: ../Pathways/frailty-fall.yaml",
                                         with: "pathway: \(root.appendingPathComponent("Pathways/frailty-fall.yaml").path)")
        XCTAssertNotEqual(text, source)
        let url = dir.appendingPathComponent("small.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        do throws(FormatErrors) {
            let (scenario, pathway, _) = try ScenarioFile.load(url)
            return (scenario, pathway)
        } catch {
            XCTFail(error.description)
            throw error
        }
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs, so neither fills up and blocks it.
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let group = DispatchGroup()
        group.enter()
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            box.data = errHandle.readDataToEndOfFile()
            group.leave()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let stderrData = box.data
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// The built `carepath` next to the test bundle.
    static func carepath() throws -> URL {
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        let url = products.appendingPathComponent("carepath")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("the carepath binary is not built next to the tests (\(url.path)); run `swift build` first")
        }
        return url
    }

    /// `python3` that can import pm4py, or nil.
    static func python() -> URL? {
        for candidate in ["/usr/bin/env"] {
            let url = URL(fileURLWithPath: candidate)
            guard let output = try? run(url, ["python3", "-c", "import pm4py"]) else { continue }
            if output.status == 0 { return url }
        }
        return nil
    }

    /// Counts how a well-formed XML file's elements are named; throws when it is not well-formed.
    static func elementCounts(_ url: URL) throws -> [String: Int] {
        final class Counter: NSObject, XMLParserDelegate {
            var counts: [String: Int] = [:]
            var error: Error?
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes: [String: String] = [:]) {
                counts[elementName, default: 0] += 1
            }
            func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { if error == nil { error = parseError } }
        }
        let parser = XMLParser(contentsOf: url)
        let counter = Counter()
        parser?.delegate = counter
        let ok = parser?.parse() ?? false
        if let error = counter.error ?? (ok ? nil : parser?.parserError) {
            throw NSError(domain: "XML", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(url.lastPathComponent) is not well-formed XML: \(error) at line \(parser?.lineNumber ?? 0)"])
        }
        return counter.counts
    }
}
