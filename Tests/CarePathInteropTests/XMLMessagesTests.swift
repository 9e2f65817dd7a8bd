@testable import CarePathInterop
import Foundation
import XCTest

/// Each libxml2 error CarePath puts in words, raised by a file that has that mistake: the message
/// names the mistake the file has, at its line and column.
final class XMLMessagesTests: XCTestCase {
    func message(_ xml: String) -> String {
        do throws(MarkupDocument.SyntaxError) {
            _ = try MarkupDocument.parse(Data(xml.utf8))
            return "no error"
        } catch {
            return "\(error.line):\(error.column): \(error.message)"
        }
    }

    func testEachMappedLibxml2ErrorNamesTheMistake() {
        let cases: [(String, String)] = [
            ("pathway: x", "1:1: XML syntax: the file does not start with an XML tag ('<' expected): it is not XML"),
            ("<a/>\n<b/>", "2:1: XML syntax: there is content after the root element's end (only one root element is allowed)"),
            ("<a>\n<b>", "2:4: XML syntax: the file ends inside <b> (truncated, or a comment or CDATA section not closed)"),
            ("<a><![CDATA[x</a>", "1:13: XML syntax: the file ends inside <a> (truncated, or a comment or CDATA section not closed)"),
            ("<a>\u{1}</a>", "1:4: XML syntax: a character that is not allowed in XML"),
            ("<a>&amp</a>", "1:8: XML syntax: an entity reference is not ended with ';' (write a literal '&' as &amp;)"),
            ("<a>&foo;</a>", "1:9: XML syntax: a reference to an undeclared entity (XML knows only &lt; &gt; &amp; &quot; &apos;)"),
            ("<a b=\"<\"/>", "1:7: XML syntax: '<' inside an attribute value (write it as &lt;)"),
            ("<a b=c/>", "1:6: XML syntax: an attribute value is not quoted (expected name=\"value\")"),
            ("<a b=\"c/>", "1:10: XML syntax: an attribute value is not closed (its closing quote is missing)"),
            ("<a b/>", "1:5: XML syntax: an attribute has no value (expected name=\"value\")"),
            ("<a b=\"1\" b=\"2\"/>", "1:15: XML syntax: an attribute is repeated in one element"),
            ("<a><!-- x </a>", "1:15: XML syntax: a comment is not closed (expected '-->')"),
            ("<a><?x y</a>", "1:13: XML syntax: a processing instruction is not closed (expected '?>')"),
            ("<a b=\"1\"c=\"2\"/>", "1:9: XML syntax: white space is required here (attributes are separated by spaces; a value must be quoted)"),
            ("<a>a & b</a>", "1:7: XML syntax: a name was expected (a '<' or '&' that does not start markup must be written &lt; or &amp;)"),
            ("<a></a b>", "1:8: XML syntax: an end tag is not closed with '>'"),
            ("<a><b></a>", "1:11: XML syntax: an end tag does not match the open element <b>"),
            ("<a><!-- a -- b --></a>", "1:11: XML syntax: '--' inside a comment (not allowed in XML)"),
            ("<x:a/>", "1:5: XML syntax: a namespace prefix is used but never declared (xmlns:PREFIX missing)"),
        ]
        for (xml, expected) in cases { XCTAssertEqual(message(xml), expected, xml) }
    }
}
