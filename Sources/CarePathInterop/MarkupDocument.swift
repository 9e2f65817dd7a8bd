import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML file read into a flat list of elements, with namespaces resolved by URI (so `bpmn:`,
/// `bpmn2:`, `semantic:` and no prefix at all read the same) and the line and column of each start
/// tag, for located messages. Flat storage and no recursion: any nesting depth is safe.
struct MarkupDocument {
    struct Element {
        /// The namespace URI, or nil for none.
        var namespace: String?
        var name: String
        /// Attributes without a prefix, by name (XML: these are in no namespace).
        var attributes: [String: String]
        /// Attributes with a prefix, keyed `URI|name`.
        var qualifiedAttributes: [String: String]
        var children: [Int]
        var parent: Int
        /// Character data directly inside the element (CDATA included), as written.
        var text: String
        var line: Int
        var column: Int
        /// Prefixes this element declares (`xmlns:p="..."`; the default namespace under "").
        var declared: [String: String] = [:]

        func attribute(_ name: String) -> String? { attributes[name] }
        func attribute(_ name: String, namespace: String) -> String? { qualifiedAttributes[namespace + "|" + name] }
    }

    /// Where a file could not be read as XML.
    struct SyntaxError: Error {
        var line: Int
        var column: Int
        var message: String
    }

    var elements: [Element] = []
    var root: Int? { elements.isEmpty ? nil : 0 }
    /// What the parser tolerated (a namespace URI that is relative or not a URI), with its place.
    var tolerated: [SyntaxError] = []

    /// An id reference written as a QName (`bpmn2:TaskA`, valid under the BPMN schema) as the bare
    /// id: the prefix is dropped when `element` or an ancestor declares it. Ids hold no colon
    /// (they are NCNames), so an undeclared prefix is left as written and will not resolve.
    func reference(_ value: String, at element: Int) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.firstIndex(of: ":") else { return trimmed }
        let prefix = String(trimmed[..<colon])
        var e = element
        while e >= 0 {
            if elements[e].declared[prefix] != nil { return String(trimmed[trimmed.index(after: colon)...]) }
            e = elements[e].parent
        }
        return trimmed
    }

    subscript(_ i: Int) -> Element { elements[i] }

    /// Reads `data`; throws the first well-formedness error with its place.
    static func parse(_ data: Data) throws(SyntaxError) -> MarkupDocument {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let finished = parser.parse()
        if let error = builder.error { throw error }
        builder.document.tolerated = builder.tolerated
        if !finished && builder.tolerated.isEmpty {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw SyntaxError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                              message: describe(code, open: builder.openElement))
        }
        if let open = builder.stack.last {
            // libxml2 reports a truncated file; this is a second line of defence.
            throw SyntaxError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                              message: "the file ends inside <\(builder.document.elements[open].name)>: it is truncated")
        }
        return builder.document
    }

    /// libxml2's error numbers (`xmlParserErrors` in libxml2's xmlerror.h, which Foundation's
    /// XMLParser.ErrorCode repeats), in words. `open` is the element the parser was in, if any.
    /// Each entry is tested with a file that raises it (MarkupDocumentTests).
    static func describe(_ code: Int, open: String? = nil) -> String {
        let known: [Int: String] = [
            4: "the file does not start with an XML tag ('<' expected): it is not XML",
            9: "a character that is not allowed in XML",
            23: "an entity reference is not ended with ';' (write a literal '&' as &amp;)",
            26: "a reference to an undeclared entity (XML knows only &lt; &gt; &amp; &quot; &apos;)",
            38: "'<' inside an attribute value (write it as &lt;)",
            39: "an attribute value is not quoted (expected name=\"value\")",
            40: "an attribute value is not closed (its closing quote is missing)",
            41: "an attribute has no value (expected name=\"value\")",
            42: "an attribute is repeated in one element",
            45: "a comment is not closed (expected '-->')",
            47: "a processing instruction is not closed (expected '?>')",
            65: "white space is required here (attributes are separated by spaces; a value must be quoted)",
            68: "a name was expected (a '<' or '&' that does not start markup must be written &lt; or &amp;)",
            73: "an end tag is not closed with '>'",
            76: open.map { "an end tag does not match the open element <\($0)>" } ?? "an end tag does not match the open element",
            80: "'--' inside a comment (not allowed in XML)",
            201: "a namespace prefix is used but never declared (xmlns:PREFIX missing)",
        ]
        if code == 5 {
            // libxml2 gives one number to a truncated file, an unclosed CDATA section and content after the root.
            if let open { return "XML syntax: the file ends inside <\(open)> (truncated, or a comment or CDATA section not closed)" }
            return "XML syntax: there is content after the root element's end (only one root element is allowed)"
        }
        return "XML syntax: " + (known[code] ?? "the file is not well-formed XML (libxml2 error \(code))")
    }

    /// Builds the element list from parser callbacks, resolving prefixes itself.
    private final class Builder: NSObject, XMLParserDelegate {
        var document = MarkupDocument()
        var stack: [Int] = []
        var scopes: [[String: String]] = [["xml": "http://www.w3.org/XML/1998/namespace"]]
        var error: SyntaxError?
        var tolerated: [SyntaxError] = []
        /// libxml2's namespace warnings (99: not a valid URI, 100: a relative URI): the file is
        /// well-formed, so they are reported and reading goes on.
        static let namespaceWarnings: Set<Int> = [99, 100]
        /// Text is kept for elements whose text matters; a cap keeps a huge text node from filling memory.
        static let maximumText = 1 << 20

        /// The innermost element not yet closed, as written in the file.
        var openElement: String? {
            stack.last.map { document.elements[$0].name }
        }

        func resolve(_ prefix: String) -> String? {
            for scope in scopes.reversed() { if let uri = scope[prefix] { return uri.isEmpty ? nil : uri } }
            return nil
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            var scope: [String: String] = [:]
            for (key, value) in attributeDict {
                if key == "xmlns" { scope[""] = value }
                else if key.hasPrefix("xmlns:") { scope[String(key.dropFirst(6))] = value }
            }
            scopes.append(scope)
            let (prefix, local) = Self.split(elementName)
            var attributes: [String: String] = [:], qualified: [String: String] = [:]
            for (key, value) in attributeDict where key != "xmlns" && !key.hasPrefix("xmlns:") {
                let (p, name) = Self.split(key)
                if p.isEmpty { attributes[name] = value }
                else { qualified[(resolve(p) ?? p) + "|" + name] = value }
            }
            let index = document.elements.count
            let parent = stack.last ?? -1
            document.elements.append(Element(namespace: resolve(prefix), name: local, attributes: attributes,
                                             qualifiedAttributes: qualified, children: [], parent: parent, text: "",
                                             line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                                             declared: scope))
            if parent >= 0 { document.elements[parent].children.append(index) }
            stack.append(index)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = stack.popLast()
            if scopes.count > 1 { scopes.removeLast() }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { append(string) }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) { append(String(decoding: CDATABlock, as: UTF8.self)) }

        func append(_ string: String) {
            guard let top = stack.last, document.elements[top].text.utf8.count < Self.maximumText else { return }
            document.elements[top].text += string
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            guard error == nil else { return }
            let code = (parseError as NSError).code
            if Self.namespaceWarnings.contains(code) {
                tolerated.append(SyntaxError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                                             message: "a namespace URI that is relative or not a URI (libxml2 warning \(code)): read on"))
                return
            }
            error = SyntaxError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                                message: MarkupDocument.describe((parseError as NSError).code, open: openElement))
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, validationErrorOccurred validationError: Error) {}

        static func split(_ qualified: String) -> (String, String) {
            guard let colon = qualified.firstIndex(of: ":") else { return ("", qualified) }
            return (String(qualified[..<colon]), String(qualified[qualified.index(after: colon)...]))
        }
    }
}
