import Foundation
import XCTest

/// The `carepath` binary as a user runs it: exit codes, located messages, files written or not.
final class CLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// The built `carepath` next to the test bundle.
    static var binary: URL {
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        return products.appendingPathComponent("carepath")
    }

    func run(_ arguments: [String]) throws -> Output { try Self.run(arguments) }

    /// Runs `carepath` in `directory` (the package's root unless given).
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func shipped(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
    }

    func testEveryShippedPathwayAndScenarioValidates() throws {
        let files = try shipped("Pathways") + shipped("Scenarios") + shipped("Scenarios/reference")
        XCTAssertGreaterThanOrEqual(try shipped("Pathways").count, 4)
        let output = try run(["validate"] + files)
        XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
        for file in files { XCTAssertTrue(output.stdout.contains("\(file): valid"), file) }
    }

    func testFiveMistakesGiveFiveLocatedMessagesAndExitOne() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("five.yaml")
        try """
        pathway: five
        organisations:
          acute:
            sector: acute
            maturity: integratd
            roles:
              ward: { capacity: 0 }
        information:
          summary: { category: health }
        states:
          admit:
            owner: acute/ward
            duraton: 2h
            next:
              - { to: home, p: 0.5 }
              - { to: nowhere, p: 0.5 }
          home: { terminal: true }
        """.write(to: file, atomically: true, encoding: .utf8)
        let output = try run(["validate", file.path])
        XCTAssertEqual(output.status, 1)
        let located = output.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        XCTAssertEqual(located.count, 4, output.stdout)
        // maturity typo (line 5), capacity 0 (line 7), unknown key (line 13), unknown state (line 16)
        for line in ["five.yaml:5:", "five.yaml:7:", "five.yaml:13:", "five.yaml:16:"] {
            XCTAssertTrue(output.stdout.contains(line), "expected a problem at \(line) in:\n\(output.stdout)")
        }
        // Five: add a state nobody reaches.
        try (String(contentsOf: file, encoding: .utf8) + "\n  island: { owner: acute/ward, next: [{ to: home }] }\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let five = try run(["validate", file.path])
        XCTAssertEqual(five.status, 1)
        XCTAssertEqual(five.stdout.split(separator: "\n").filter { $0.contains(": error: ") }.count, 5, five.stdout)
        XCTAssertTrue(five.stdout.contains("five.yaml:18:3: error: states.island"), five.stdout)
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try run(["validate"]).status, 2)
        XCTAssertEqual(try run(["simulate", "Scenarios/frailty-fall.yaml", "--replications", "0"]).status, 2)
        XCTAssertEqual(try run(["no-such-command"]).status, 2)
    }

    func testRenderWritesAnSVGWithOneClusterPerOrganisation() throws {
        let dir = try temporaryDirectory()
        let svg = dir.appendingPathComponent("d2a.svg")
        let output = try run(["render", "Pathways/discharge-to-assess.yaml", "-o", svg.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        let text = try String(contentsOf: svg, encoding: .utf8)
        XCTAssertTrue(text.contains("<svg"))
        // Six organisations and the legend.
        XCTAssertEqual(text.components(separatedBy: "class=\"cluster\"").count - 1, 7)
        XCTAssertTrue(text.contains("City General Hospital"))
    }

    func testRenderOfAnInvalidPathwayKeepsTheExistingFile() throws {
        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.yaml")
        try "pathway: bad\nstates: {}\n".write(to: bad, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.svg")
        try "previous".write(to: out, atomically: true, encoding: .utf8)
        let output = try run(["render", bad.path, "-o", out.path])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("bad.yaml:"), output.stderr)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "previous")
    }

    func writeScenario(_ dir: URL, _ body: String) throws -> URL {
        try """
        pathway: small
        organisations:
          clinic:
            sector: acute
            maturity: integrated
            roles:
              desk: { capacity: 2 }
        states:
          service:
            owner: clinic/desk
            duration: exponential(mean=1h)
            next: [{ to: left }]
          left: { terminal: true }
        """.write(to: dir.appendingPathComponent("small.yaml"), atomically: true, encoding: .utf8)
        let url = dir.appendingPathComponent("scenario.yaml")
        try body.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testBadScenariosGetLocatedErrorsAndWriteNothing() throws {
        let cases: [(String, String)] = [
            ("scenario: s\npathway: missing.yaml\ncohort: { patients: 10, arrivals: 1/h }\n", "scenario.yaml:2:"),
            ("scenario: s\npathway: small.yaml\ncohort: { patients: 10, arrivals: 1/h }\ncapacities:\n  nowhere/desk: 3\n", "scenario.yaml:5:"),
            ("scenario: s\npathway: small.yaml\ncohort: { patients: 10, arrivals: -1/h }\n", "scenario.yaml:3:"),
        ]
        for (text, location) in cases {
            let dir = try temporaryDirectory()
            let scenario = try writeScenario(dir, text)
            let json = dir.appendingPathComponent("out.json")
            let output = try run(["simulate", scenario.path, "--json", json.path])
            XCTAssertEqual(output.status, 1, text)
            XCTAssertTrue(output.stderr.contains(location), "expected \(location) in:\n\(output.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: json.path), "nothing may be written for a bad scenario")
        }
    }

    func testSimulateWritesTheSameJSONWhateverTheThreads() throws {
        let dir = try temporaryDirectory()
        let scenario = try writeScenario(dir, "scenario: s\npathway: small.yaml\ncohort: { patients: 2000, arrivals: 1.5/h }\nreplications: 4\nseed: 9\n")
        let one = dir.appendingPathComponent("one.json"), four = dir.appendingPathComponent("four.json")
        let a = try run(["simulate", scenario.path, "--threads", "1", "--json", one.path, "--no-store"])
        let b = try run(["simulate", scenario.path, "--threads", "4", "--json", four.path, "--no-store"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try Data(contentsOf: one), try Data(contentsOf: four))
        XCTAssertTrue(a.stdout.contains("clinic/desk"))
    }

    func testEveryShippedScenarioRuns() throws {
        for scenario in try shipped("Scenarios") {
            let output = try run(["simulate", scenario, "--replications", "2", "--no-store"])
            XCTAssertEqual(output.status, 0, "\(scenario): \(output.stderr)")
            XCTAssertTrue(output.stdout.contains("Headline"), scenario)
        }
    }
}

/// The results store from the command line: runs appended, read back, and safe from Ctrl-C.
final class StoreCLITests: XCTestCase {
    func testARunInterruptedWithCtrlCLeavesTheStoreAsItWas() throws {
        let cli = CLITests.self
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("runs.sqlite").path

        let first = try cli.run(["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Stored as run 1"))

        // A long run with its event log, interrupted as a user would: SIGINT mid-run.
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["simulate", "Scenarios/discharge-architectures.yaml", "--replications", "400", "--threads", "1",
                             "--events", "--db", db]
        process.currentDirectoryURL = CLITests.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 2)
        XCTAssertTrue(process.isRunning, "the run finished before it could be interrupted")
        process.interrupt()
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0)

        let after = try cli.run(["runs", "--db", db, "--check"])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertTrue(after.stdout.contains("integrity: ok"), after.stdout)
        let rows = after.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }
        XCTAssertEqual(rows.count, 1, after.stdout)
        XCTAssertTrue(rows.first?.contains("frailty-fall") == true)

        // The store still takes new runs, and a stored run's report is re-created without simulating.
        let again = try cli.run(["simulate", "Scenarios/frailty-fall.yaml", "--replications", "2", "--db", db,
                                 "--json", dir.appendingPathComponent("a.json").path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("Stored as run 2"), again.stdout)
        let report = try cli.run(["report", "2", "--db", db, "-o", dir.appendingPathComponent("r.html").path,
                                  "--json", dir.appendingPathComponent("b.json").path])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("a.json")), try Data(contentsOf: dir.appendingPathComponent("b.json")))
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8).contains("<svg"))
    }
}
