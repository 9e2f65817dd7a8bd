import Foundation

/// The files a scenario names and how they are read.
extension ScenarioFile {
    /// Files a scenario names besides its pathway (its bank holiday file): read from disk, or for a
    /// stored run from the texts kept with it, so that its report shows the dates simulated.
    struct IncludedFiles {
        /// Where relative paths start: the scenario's folder.
        let baseDirectory: URL
        /// The scenario's name in problems, from which included files are named.
        let scenarioFile: String
        /// Texts to use instead of the files, by name; nil reads the files.
        let texts: [String: String]?
        /// The bank holiday file as read, and where it points.
        var bankHolidays: InputFile?
        var bankHolidaysURL: URL?

        /// Where `written` points, its name in problems, and its text or why it cannot be had.
        func resolve(_ written: String) -> (url: URL, name: String, text: String?, problem: String?) {
            let url = written.hasPrefix("/") ? URL(fileURLWithPath: written).standardized
                : baseDirectory.appendingPathComponent(written).standardized
            let name = ScenarioFile.displayName(of: written, besides: scenarioFile)
            guard let texts else {
                let (text, problem) = ScenarioFile.readText(url)
                return (url, name, text, problem)
            }
            if let text = texts[name] { return (url, name, text, nil) }
            let given = texts.keys.sorted().joined(separator: ", ")
            return (url, name, nil, "no text was given for \(name), and the file is not read from disk here (texts given for: \(given.isEmpty ? "none" : given))")
        }
    }

    /// The text of a regular file of reasonable size, or why it cannot be had.
    static func readText(_ url: URL) -> (text: String?, problem: String?) {
        let path = url.resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return (nil, "no such file") }
        if isDirectory.boolValue { return (nil, "it is a folder, not a file") }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
            if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
                return (nil, "it is not a regular file")
            }
            if let size = attributes[.size] as? NSNumber, size.int64Value > Int64(maximumFileBytes) {
                return (nil, "the file is larger than \(maximumFileBytes / 1024 / 1024) MB")
            }
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { return (nil, "cannot read the file: \(error.localizedDescription)") }
        guard let text = String(data: data, encoding: .utf8) else { return (nil, "the file is not UTF-8 text") }
        return (text, nil)
    }

    /// A named file's name in problems (the pathway's, the bank holiday file's): its path as seen
    /// from where the scenario was named.
    static func displayName(of written: String, besides scenarioFile: String) -> String {
        if written.hasPrefix("/") { return normalise(written) }
        guard let slash = scenarioFile.lastIndex(of: "/") else { return normalise(written) }
        return normalise(String(scenarioFile[...slash]) + written)
    }

    /// `a/./b/../c` -> `a/c`, lexically; leading `..` are kept.
    static func normalise(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", absolute, parts.isEmpty { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
