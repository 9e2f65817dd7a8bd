import Foundation
import XCTest

/// `carepath glossary`: prints the glossary section of docs/simulation.md and rewrites it in place.
final class GlossaryCLITests: XCTestCase {
    func testPrintsTheDocsSectionAndUpdatesAStaleCopy() throws {
        let docsURL = CLITests.root.appendingPathComponent("docs/simulation.md")
        let docs = try String(contentsOf: docsURL, encoding: .utf8)
        let printed = try CLITests.run(["glossary", "--markdown"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.hasPrefix("<!-- glossary:begin"))
        XCTAssertTrue(docs.contains(printed.stdout), "docs/simulation.md's glossary is not what `carepath glossary` prints")

        // A copy whose glossary is out of date is brought back to the docs' text, the rest untouched.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-glossary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let begin = try XCTUnwrap(docs.range(of: "<!-- glossary:begin"))
        let end = try XCTUnwrap(docs.range(of: "<!-- glossary:end -->\n"))
        let stale = String(docs[..<begin.lowerBound]) + String(docs[begin.lowerBound..<docs.index(begin.lowerBound, offsetBy: 200)])
            + "\n| `old_figure` | none | x | gone | gone |\n" + String(docs[end.lowerBound...])
        let copy = dir.appendingPathComponent("simulation.md")
        try stale.write(to: copy, atomically: true, encoding: .utf8)
        let updated = try CLITests.run(["glossary", "--update", copy.path])
        XCTAssertEqual(updated.status, 0, updated.stderr)
        XCTAssertEqual(try String(contentsOf: copy, encoding: .utf8), docs)

        // A file without the markers is refused by name, and left as it was.
        let plain = dir.appendingPathComponent("plain.md")
        try "# Notes\n".write(to: plain, atomically: true, encoding: .utf8)
        let refused = try CLITests.run(["glossary", "--update", plain.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains(plain.path) && refused.stderr.contains("glossary:begin"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: plain, encoding: .utf8), "# Notes\n")

        // A link is not rewritten (only regular files are replaced), nor what it points to.
        let link = dir.appendingPathComponent("link.md")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: copy)
        try stale.write(to: copy, atomically: true, encoding: .utf8)
        let linked = try CLITests.run(["glossary", "--update", link.path])
        XCTAssertEqual(linked.status, 1)
        XCTAssertTrue(linked.stderr.contains("symbolic link"), linked.stderr)
        XCTAssertEqual(try String(contentsOf: copy, encoding: .utf8), stale)
    }
}
