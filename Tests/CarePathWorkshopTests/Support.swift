import CarePathFormat
import CarePathModel
import CarePathStore
import Foundation
import XCTest
@testable import CarePathWorkshop

/// The shipped scenarios, read as the workshop reads them.
enum Shipped {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func setup(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> WorkshopSetup {
        do {
            return try WorkshopSetup.load(url(path))
        } catch {
            XCTFail("\(path): \(error)", file: file, line: line)
            throw error
        }
    }

    /// The M/M/3 reference station (2.4 patients an hour, service 1 h: utilisation 0.8) with a
    /// smaller cohort, so that tests stay quick.
    static func mmc(patients: Int = 2000, replications: Int = 20) throws -> WorkshopSetup {
        let text = try String(contentsOf: url("Scenarios/reference/mmc.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "patients: 20000", with: "patients: \(patients)")
            .replacingOccurrences(of: "replications: 20", with: "replications: \(replications)")
            .replacingOccurrences(of: "pathway: mmc-pathway.yaml", with: "pathway: \(url("Scenarios/reference/mmc-pathway.yaml").path)")
        let file = folder.appendingPathComponent("mmc-\(patients)-\(replications).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try WorkshopSetup.load(file)
    }

    /// Where the fixtures' scenario files are written, once per test process.
    static let folder: URL = {
        let f = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-workshop-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: f, withIntermediateDirectories: true)
        return f
    }()
}

/// A fresh folder for the test's files, removed afterwards.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-workshop-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// Every update of a run, in order.
func updates(of run: WorkshopRun, store: CarePathStore.ResultsStore? = nil) async -> [WorkshopUpdate] {
    var out: [WorkshopUpdate] = []
    for await u in run.updates(store: store) { out.append(u) }
    return out
}
