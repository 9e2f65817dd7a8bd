/// Where in a document something sits: `states.assessment.next[1].p`.
public struct DocumentPath: Hashable, Sendable, CustomStringConvertible, Comparable {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]
    public init(_ components: [Component] = []) { self.components = components }

    public static let root = DocumentPath()

    public func key(_ k: String) -> DocumentPath { DocumentPath(components + [.key(k)]) }
    public func index(_ i: Int) -> DocumentPath { DocumentPath(components + [.index(i)]) }
    public var parent: DocumentPath? { components.isEmpty ? nil : DocumentPath(Array(components.dropLast())) }

    public var description: String {
        var s = ""
        for c in components {
            switch c {
            case .key(let k): s += s.isEmpty ? k : "." + k
            case .index(let i): s += "[\(i)]"
            }
        }
        return s.isEmpty ? "(document)" : s
    }

    public static func < (a: DocumentPath, b: DocumentPath) -> Bool { a.description < b.description }
}

/// Something wrong with a model, found by checking it as a whole (references, reachability,
/// probabilities); the file format layer turns the path into a line and column.
public struct ModelProblem: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable { case error, warning }
    public var severity: Severity
    public var path: DocumentPath
    public var message: String
    /// Added to the located column when the problem points inside a text (a condition).
    public var columnOffset: Int?

    public init(_ severity: Severity, _ path: DocumentPath, _ message: String, columnOffset: Int? = nil) {
        self.severity = severity; self.path = path; self.message = message; self.columnOffset = columnOffset
    }
}
