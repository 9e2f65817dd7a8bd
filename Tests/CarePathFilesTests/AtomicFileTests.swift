@testable import CarePathFiles
import Foundation
import XCTest

final class AtomicFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testWritesAndReplacesLeavingNoTemporaryFiles() throws {
        let url = directory.appendingPathComponent("diagram.svg")
        try AtomicFile.write(Data("first".utf8), to: url)
        XCTAssertEqual(try Data(contentsOf: url), Data("first".utf8))
        try AtomicFile.write("second, longer", to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "second, longer")
        try AtomicFile.write(Data(), to: url)
        XCTAssertEqual(try Data(contentsOf: url).count, 0)
        XCTAssertEqual(try listing(), ["diagram.svg"])
    }

    func testKeepsThePermissionsOfTheFileItReplaces() throws {
        let url = directory.appendingPathComponent("private.html")
        try AtomicFile.write("v1", to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        try AtomicFile.write("v2", to: url)
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testMissingDirectoryFailsWithoutCreatingAnything() throws {
        let url = directory.appendingPathComponent("no-such-dir").appendingPathComponent("out.png")
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: url)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("out.png"), message)
        }
        XCTAssertEqual(try listing(), [])
    }

    func testFailedRenameLeavesTheDestinationAndNoTemporaryFile() throws {
        // A directory in the way: rename(2) cannot replace it with a file.
        let url = directory.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: url))
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        XCTAssertEqual(try listing(), ["taken"])
    }
}
