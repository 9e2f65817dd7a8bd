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

    subscript(_ i: Int) -> Element { elements[i] }

    /// Reads `data`; throws the first well-formedness error with its place.
    static func parse(_ data: Data) throws(SyntaxError) -> MarkupDocument {
        if let problem = XMLEncoding.problem(data) {
            throw SyntaxError(line: problem.line, column: problem.column, message: problem.message)
        }
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let finished = parser.parse()
        if let error = builder.error { throw error }
        if !finished {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw SyntaxError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1), message: describe(code))
        }
        if let open = builder.stack.last {
            // libxml2 reports a truncated file; this is a second line of defence.
            throw SyntaxError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                              message: "the file ends inside <\(builder.document.elements[open].name)>: it is truncated")
        }
        return builder.document
    }

    /// libxml2's error numbers, as Foundation's XMLParser reports them, in words.
    static func describe(_ code: Int) -> String {
        let known: [Int: String] = [
            4: "the document is empty",
            5: "the document ends too early or has extra content after the root element (truncated?)",
            9: "a character that is not allowed in XML",
            23: "a reference to an undeclared entity",
            26: "a reference to an undeclared entity",
            38: "an attribute value is not quoted or not closed",
            39: "an attribute is missing its value",
            40: "a start tag is not closed (expected '>' or '/>')",
            41: "an attribute is repeated in one element",
            42: "an element is not closed",
            43: "a comment is not closed",
            63: "a comment is not closed",
            64: "an attribute is missing its '='",
            65: "attributes must be separated by white space",
            68: "a name was expected (a '<' or '&' that does not start markup must be escaped as &lt; or &amp;)",
            73: "an end tag is not closed with '>'",
            76: "an end tag does not match the open element",
            77: "an unexpected '>' or character",
            85: "the document ends too early (an element is not closed)",
            96: "the encoding declaration is wrong or not supported",
            201: "a namespace prefix is used but never declared",
        ]
        return "XML syntax: " + (known[code] ?? "the file is not well-formed XML (libxml2 error \(code))")
    }

    /// Builds the element list from parser callbacks, resolving prefixes itself.
    private final class Builder: NSObject, XMLParserDelegate {
        var document = MarkupDocument()
        var stack: [Int] = []
        var scopes: [[String: String]] = [["xml": "http://www.w3.org/XML/1998/namespace"]]
        var error: SyntaxError?
        /// Text is kept for elements whose text matters; a cap keeps a huge text node from filling memory.
        static let maximumText = 1 << 20

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
                                             line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1)))
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
            error = SyntaxError(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                                message: MarkupDocument.describe((parseError as NSError).code))
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, validationErrorOccurred validationError: Error) {}

        static func split(_ qualified: String) -> (String, String) {
            guard let colon = qualified.firstIndex(of: ":") else { return ("", qualified) }
            return (String(qualified[..<colon]), String(qualified[qualified.index(after: colon)...]))
        }
    }
}
