import Foundation
import XCTest
import CarePathFormat
import CarePathModel

/// Checks `text` as the pathway file `test.yaml`.
func check(_ text: String) -> PathwayFile.Result {
    PathwayFile.check(text: text, file: "test.yaml")
}

private final class ResultBox: @unchecked Sendable {
    var result: PathwayFile.Result?
}

/// Checks `text` on another thread and gives up after `seconds`, so that a hang fails the test
/// instead of stalling the whole run.
func check(_ text: String, within seconds: Double, file: StaticString = #filePath, line: UInt = #line) -> PathwayFile.Result? {
    let box = ResultBox()
    let done = DispatchSemaphore(value: 0)
    let start = Date()
    Thread.detachNewThread {
        box.result = PathwayFile.check(text: text, file: "test.yaml")
        done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else {
        XCTFail("checking did not finish within \(seconds) seconds", file: file, line: line)
        return nil
    }
    XCTAssertLessThan(Date().timeIntervalSince(start), seconds, file: file, line: line)
    return box.result
}

extension PathwayFile.Result {
    /// The problems whose message contains `fragment`.
    func problems(containing fragment: String) -> [FormatProblem] {
        problems.filter { $0.message.contains(fragment) }
    }
}

/// Asserts exactly one problem contains `fragment`, at `line` (and `column` when given), and returns it.
@discardableResult
func assertProblem(_ result: PathwayFile.Result, _ fragment: String, line expectedLine: Int, column: Int? = nil,
                   severity: FormatProblem.Severity = .error, path: String? = nil,
                   file: StaticString = #filePath, line: UInt = #line) -> FormatProblem? {
    let matches = result.problems(containing: fragment)
    guard matches.count == 1, let problem = matches.first else {
        XCTFail("expected one problem containing \"\(fragment)\", found \(matches.count) among:\n"
                + result.problems.map(\.description).joined(separator: "\n"), file: file, line: line)
        return nil
    }
    XCTAssertEqual(problem.line, expectedLine, "line of: \(problem)", file: file, line: line)
    if let column { XCTAssertEqual(problem.column, column, "column of: \(problem)", file: file, line: line) }
    XCTAssertEqual(problem.severity, severity, "severity of: \(problem)", file: file, line: line)
    if let path { XCTAssertEqual(problem.path.description, path, file: file, line: line) }
    XCTAssertEqual(problem.file, "test.yaml", file: file, line: line)
    return problem
}
