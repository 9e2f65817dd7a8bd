import Crypto
import Foundation

/// An input file as a run used it: its path, full text and SHA-256, so that a report or the store
/// can say exactly what was simulated and a reader can check it.
public struct InputFile: Codable, Hashable, Sendable {
    public var path: String
    public var text: String
    public var sha256: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        sha256 = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func read(_ url: URL, as path: String? = nil) throws -> InputFile {
        let data = try Data(contentsOf: url)
        return InputFile(path: path ?? url.relativePath, text: String(decoding: data, as: UTF8.self))
    }
}
