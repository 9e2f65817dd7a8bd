import CarePathRender

/// Text for XML attribute values and content: escaped, and without the characters XML 1.0 forbids.
enum XMLText {
    static func escape(_ text: String) -> String {
        XMLEscape.escape(text, whitespace: .characterReferences)
    }

    /// Whether `text` needs no escaping (names, numbers): the fast path for event logs.
    @inline(__always)
    static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
            && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") && $0 < 0x80 }
    }

    static func attribute(_ text: String) -> String { isPlain(text) ? text : escape(text) }
}
