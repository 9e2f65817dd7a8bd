import CarePathFormat
import CarePathInterop
import Foundation
import XCTest
/// BPMN files that crashed the importer under fuzzing (scripts/fuzz.sh bpmn), fed to it again.
final class BPMNFuzzFindingsTests: XCTestCase {
    /// A shipped fixture with its declared encoding changed: libxml2 handed UTF-7 and UTF-32 to
    /// iconv and crashed (SIGSEGV in xmlParseChunk, exit 139); now a located error.
    func testEncodingsLibxml2DoesNotDecodeItselfAreRefused() throws {
        let fixture = try Data(contentsOf: Support.fixture("C.1.0-export-camunda-modeler.bpmn"))
        let text = String(decoding: fixture, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        for encoding in ["UTF-7", "UTF-32", "ucs-4", "EBCDIC-US"] {
            let declared = Data(text.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"\(encoding)\"").utf8)
            XCTAssertThrowsError(try BPMNImport.convert(data: declared, file: "declared.bpmn")) { error in
                guard let problem = (error as? FormatErrors)?.problems.first else { return XCTFail("\(error)") }
                XCTAssertEqual(problem.file, "declared.bpmn")
                XCTAssertEqual(problem.line, 1)
                XCTAssertEqual(problem.column, 21, "at 'encoding'")
                XCTAssertTrue(problem.message.contains("declares the encoding '\(encoding)'"), problem.message)
                XCTAssertTrue(problem.message.contains("UTF-8"), problem.message)
            }
        }
        // UTF-32 without a declaration, by its byte order mark: refused before libxml2 sees it (by
        // the check that a file starts with a tag, or by the encoding check behind it).
        var utf32 = Data([0, 0, 0xFE, 0xFF])
        utf32.append(try XCTUnwrap(text.data(using: .utf32BigEndian)))
        XCTAssertThrowsError(try BPMNImport.convert(data: utf32, file: "wide.bpmn")) { error in
            guard let problem = (error as? FormatErrors)?.problems.first else { return XCTFail("\(error)") }
            XCTAssertEqual(problem.line, 1)
            XCTAssertTrue(problem.message.contains("UTF-32") || problem.message.contains("not with an XML tag"), problem.message)
        }
        // What libxml2 decodes itself still imports.
        for encoding in ["UTF-8", "utf-8", "ISO-8859-1"] {
            let declared = Data(text.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"\(encoding)\"").utf8)
            XCTAssertNoThrow(try BPMNImport.convert(data: declared, file: "fine.bpmn"), encoding)
        }
    }
}
