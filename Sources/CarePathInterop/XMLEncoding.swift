import Foundation

/// The character encodings CarePath lets libxml2 read. libxml2 decodes UTF-8, UTF-16 and
/// ISO-8859-1 itself and hands every other encoding to iconv, where some crashed the process
/// (UTF-7 and UTF-32 declared in a BPMN file: a segmentation fault inside `xmlParseChunk`, found by
/// fuzzing). Tools write BPMN in UTF-8, so the others are refused before parsing.
enum XMLEncoding {
    static let readable: Set<String> = ["utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be", "iso-8859-1", "latin1"]

    /// Why `data` is not read, with the place of the encoding's name, or nil when it may be parsed.
    static func problem(_ data: Data) -> (line: Int, column: Int, message: String)? {
        let head = [UInt8](data.prefix(512))
        // UCS-4 / UTF-32, by byte order mark or by how `<` is laid out in the first four bytes.
        let signatures: [[UInt8]] = [[0, 0, 0xFE, 0xFF], [0xFF, 0xFE, 0, 0], [0, 0, 0, 0x3C], [0x3C, 0, 0, 0], [0, 0, 0x3C, 0], [0, 0x3C, 0, 0]]
        if signatures.contains(where: { head.starts(with: $0) }) {
            return (1, 1, "the file is in UTF-32 (UCS-4); CarePath reads BPMN files in UTF-8: convert it (iconv -f UTF-32 -t UTF-8)")
        }
        // The XML declaration, read as ASCII: byte order marks and UTF-16's zero bytes dropped.
        let ascii = String(decoding: head.filter { $0 != 0 && $0 < 0x80 }, as: UTF8.self)
        guard ascii.hasPrefix("<?xml"), let end = ascii.range(of: "?>"), let key = ascii.range(of: "encoding", range: ascii.startIndex..<end.lowerBound) else { return nil }
        var rest = ascii[key.upperBound..<end.lowerBound].drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let name = rest.dropFirst().prefix { $0 != quote }
        guard !readable.contains(name.lowercased()) else { return nil }
        let column = ascii.distance(from: ascii.startIndex, to: key.lowerBound) + 1
        return (1, column, "the file declares the encoding '\(name.prefix(40))'; CarePath reads BPMN files in UTF-8 (or UTF-16, ISO-8859-1): convert it (iconv -f \(name.prefix(40)) -t UTF-8) and change the declaration to encoding=\"UTF-8\"")
    }
}
