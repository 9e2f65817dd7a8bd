@testable import CarePathFiles
import Foundation
import XCTest

/// Nothing but a regular file is ever replaced, whatever stands at the output's path.
final class OutputPathTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func refusal(_ path: String) -> String? {
        do throws(OutputPath.Refusal) {
            try OutputPath.check(path)
            return nil
        } catch {
            return error.description
        }
    }

    func testARegularFileOrNothingMayBeWritten() throws {
        try Data("old".utf8).write(to: URL(fileURLWithPath: path("report.html")))
        XCTAssertNil(refusal(path("report.html")))
        XCTAssertNil(refusal(path("new.html")))
        XCTAssertNil(refusal(path("missing/folder/new.html")))
    }

    func testADeviceALinkAFIFOAndAFolderAreRefusedAndLeftAsTheyWere() throws {
        XCTAssertEqual(refusal("/dev/null"), "cannot write /dev/null: it is a character device, not a regular file; CarePath replaces only regular files")
        try FileManager.default.createSymbolicLink(atPath: path("null.html"), withDestinationPath: "/dev/null")
        XCTAssertEqual(refusal(path("null.html")),
                       "cannot write \(path("null.html")): it is a symbolic link (to /dev/null); CarePath replaces only regular files: give the real path")
        XCTAssertEqual(mkfifo(path("pipe.csv"), 0o600), 0)
        XCTAssertTrue(refusal(path("pipe.csv"))?.contains("it is a named pipe (FIFO), not a regular file") == true)
        try FileManager.default.createDirectory(atPath: path("folder.json"), withIntermediateDirectories: false)
        XCTAssertTrue(refusal(path("folder.json"))?.contains("it is a folder") == true)

        for name in ["null.html", "pipe.csv", "folder.json"] {
            XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: URL(fileURLWithPath: path(name))), name)
            XCTAssertThrowsError(try StreamingFile(URL(fileURLWithPath: path(name))), name)
        }
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("null.html")), "/dev/null")
        var info = stat()
        XCTAssertEqual(lstat(path("pipe.csv"), &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["folder.json", "null.html", "pipe.csv"])
    }

    func testTheStoreIsRefusedWhenSQLitesJournalPathIsNotAFile() throws {
        try FileManager.default.createSymbolicLink(atPath: path("runs.sqlite-journal"), withDestinationPath: "/dev/null")
        XCTAssertThrowsError(try OutputPath.checkDatabase(path("runs.sqlite")))
        XCTAssertNoThrow(try OutputPath.checkDatabase(path("other.sqlite")))
    }

    func testPrepareCreatesMissingFoldersOnlyWhenEveryPathIsAcceptable() throws {
        XCTAssertThrowsError(try OutputPath.prepare([path("a/out.json"), "/dev/null"]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("a")), "nothing is created when one output is refused")
        try OutputPath.prepare([path("a/out.json"), path("b/c/out.csv")])
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("b/c"), isDirectory: &isFolder) && isFolder.boolValue)
        try Data().write(to: URL(fileURLWithPath: path("file")))
        XCTAssertThrowsError(try OutputPath.prepare([path("file/out.json")]))
    }
}

/// Temporaries are named after their process, removed on a signal (see the CLI tests, which kill
/// the real binary) and swept once their process has gone.
final class TemporaryFilesTests: XCTestCase {
    func testATemporaryNamesItsProcessAndOnlyCarePathNamesAreRecognised() {
        let temporary = TemporaryFiles.path(beside: URL(fileURLWithPath: "/reports/run.html"))
        let name = URL(fileURLWithPath: temporary).lastPathComponent
        XCTAssertTrue(name.hasPrefix(".run.html.carepath-\(getpid())-"), name)
        XCTAssertEqual(TemporaryFiles.owner(of: name), getpid())
        XCTAssertEqual(TemporaryFiles.owner(of: ".a.csv.carepath-77-0A1B2C3D.tmp"), 77)
        XCTAssertNil(TemporaryFiles.owner(of: ".a.csv.5F1C2E9A-0000-4000-8000-000000000000.tmp"))
        XCTAssertNil(TemporaryFiles.owner(of: "a.csv.carepath-77-0A1B2C3D.tmp"))
        XCTAssertNil(TemporaryFiles.owner(of: ".a.csv.carepath-77-0A1B2C3Z.tmp"))
        XCTAssertNil(TemporaryFiles.owner(of: ".a.csv.carepath-x-0A1B2C3D.tmp"))
    }

    func testTheSweepRemovesOnlyTheTemporariesOfProcessesThatHaveGone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A process that has ended: its number is not running any more.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let gone = ended.processIdentifier
        let names = [".log.csv.carepath-\(gone)-0A1B2C3D.tmp",          // gone: swept
                     ".log.csv.carepath-\(getpid())-0A1B2C3D.tmp",      // this process: kept
                     ".log.csv.carepath-1-0A1B2C3D.tmp",                 // init, running: kept
                     ".log.csv.5F1C2E9A.tmp", "log.csv", "notes.tmp"]   // not CarePath's: kept
        for name in names { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
        XCTAssertEqual(TemporaryFiles.sweep(folder.path), [names[0]])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), names.dropFirst().sorted())
    }

    func testRegisteredTemporariesAreRemovedTogether() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try StreamingFile(folder.appendingPathComponent("log.csv"))
        file.write("a,b\n")
        file.flush()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).count, 1)
        XCTAssertEqual(TemporaryFiles.removeAll(), 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
        file.abort()
    }
}
