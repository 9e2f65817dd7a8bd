@testable import CarePathRender
import XCTest

/// The DOT builder and its escaping, without Graphviz.
final class DOTGraphTests: XCTestCase {
    func testQuotedIDsEscapeQuotesBackslashesAndLineBreaks() {
        XCTAssertEqual(DOTEscape.id(#"a"b\c"#), #""a\"b\\c""#)
        XCTAssertEqual(DOTEscape.id("one\ntwo\r\nthree\rfour"), #""one\ntwo\nthree\nfour""#)
        // NUL would cut the C string libcgraph reads; other controls have no place in a label.
        XCTAssertEqual(DOTEscape.id("a\u{0}b\u{7}c\td"), #""a b c d""#)
        // A trailing backslash must not escape the closing quote.
        XCTAssertEqual(DOTEscape.id(#"end\"#), #""end\\""#)
        XCTAssertEqual(DOTEscape.id("Ærø · 日本"), "\"Ærø · 日本\"")
    }

    func testHTMLLabelsEscapeTheFiveXMLSpecials() {
        XCTAssertEqual(HTMLLabel(#"<script>"&'x'</script>"#).markup,
                       "&lt;script&gt;&quot;&amp;&#39;x&#39;&lt;/script&gt;")
        XCTAssertEqual(HTMLLabel("a\nb").markup, "a<BR/>b")
        // Entities typed by a user are text, not markup: the ampersand is escaped again.
        XCTAssertEqual(HTMLLabel("&amp;").markup, "&amp;amp;")
        let styled = HTMLLabel("x<y").bold().font(size: 9, color: "#fff\"><B>")
        XCTAssertEqual(styled.markup, ##"<FONT POINT-SIZE="9" COLOR="#fff&quot;&gt;&lt;B&gt;"><B>x&lt;y</B></FONT>"##)
    }

    func testSerialisationIsExactAndOrdered() {
        var g = DOTGraph(name: "g", attributes: ["rankdir": "LR"], nodeDefaults: ["fontname": "Helvetica"])
        var cluster = DOTSubgraph(name: "cluster_0", attributes: ["label": .html(HTMLLabel("A & B").bold())])
        cluster.add(DOTNode("n\"1", ["label": "line 1\nline 2", "shape": "box"]))
        g.add(cluster)
        g.add(DOTNode("n2"))
        g.add(DOTEdge(from: "n\"1", to: "n2", ["style": "bold", "node": "keyword as key"]))
        XCTAssertEqual(g.dotText, """
            digraph "g" {
              graph [rankdir="LR"];
              node [fontname="Helvetica"];
              subgraph "cluster_0" {
                graph [label=<<B>A &amp; B</B>>];
                "n\\"1" [label="line 1\\nline 2", shape="box"];
              }
              "n2";
              "n\\"1" -> "n2" [style="bold", "node"="keyword as key"];
            }

            """)
    }

    func testAttributesKeepFirstPositionWhenReplaced() {
        var a: DOTAttributes = ["a": "1", "b": "2"]
        a["a"] = "3"
        a["c"] = "4"
        a["b"] = nil
        XCTAssertEqual(a.entries.map(\.key), ["a", "c"])
        XCTAssertEqual(a["a"], "3")
        XCTAssertEqual(a.merging(["c": "5", "d": "6"]).entries.map(\.key), ["a", "c", "d"])
    }

    func testNumbersAreLocaleFreeAndFinite() {
        XCTAssertEqual(DOTEscape.number(2), "2")
        XCTAssertEqual(DOTEscape.number(2.5), "2.5")
        XCTAssertEqual(DOTEscape.number(0.12345), "0.1235")
        XCTAssertEqual(DOTEscape.number(-0.00001), "0")
        XCTAssertEqual(DOTEscape.number(-1.05), "-1.05")
        XCTAssertEqual(DOTEscape.number(.nan), "0")
        XCTAssertEqual(DOTEscape.number(.infinity), "0")
    }

    func testUndirectedGraphsUseTheUndirectedEdgeOperator() {
        var g = DOTGraph(kind: .graph, name: "u", strict: true)
        g.add(DOTEdge(from: "a", to: "b"))
        XCTAssertEqual(g.dotText, "strict graph \"u\" {\n  \"a\" -- \"b\";\n}\n")
    }
}
