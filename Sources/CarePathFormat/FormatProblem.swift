import CarePathModel

/// One problem found in a pathway or scenario file, with where it is and what was expected.
/// Printed as `file:line:column: error: path: message`, the form editors and CI logs link.
public struct FormatProblem: Error, Hashable, Sendable, CustomStringConvertible, Comparable {
    public typealias Severity = ModelProblem.Severity
    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    public var path: DocumentPath
    public var message: String

    public init(_ severity: Severity, file: String, line: Int, column: Int, path: DocumentPath, message: String) {
        self.severity = severity; self.file = file; self.line = line; self.column = column
        self.path = path; self.message = message
    }

    public var description: String {
        let place = path.components.isEmpty ? "" : "\(path): "
        return "\(file):\(line):\(column): \(severity.rawValue): \(place)\(message)"
    }

    public static func < (a: FormatProblem, b: FormatProblem) -> Bool {
        (a.file, a.line, a.column, a.message) < (b.file, b.line, b.column, b.message)
    }
}

/// All the problems of a file, thrown when it cannot be used.
public struct FormatErrors: Error, CustomStringConvertible, Sendable {
    public var problems: [FormatProblem]
    public init(_ problems: [FormatProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
