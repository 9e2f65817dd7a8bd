@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Definitions one click away, everywhere: every label of a figure of the run, in every table and
/// chart of the discharge comparison's report, links to a definition the glossary holds.
final class GlossaryLinkTests: XCTestCase {
    /// Parts whose numbers are inputs (the scenario's settings, the states, the register's rows,
    /// the files' sizes) or the definitions themselves, not figures of the run.
    static let inputSections: Set = ["question", "diagram", "register", "reproduce", "glossary"]

    struct Walk { var problems: [String] = []; var tables = 0; var labels = 0; var charts = 0 }

    /// Every table and chart of the page's figure sections, and each label of a figure in them
    /// that does not link to a definition in the glossary.
    static func walk(_ document: XMLDocument) throws -> Walk {
        var walk = Walk()
        let defined = Set(try ReportChecks.nodes(document, "//*[local-name()='section'][@id='glossary']//*[local-name()='dt']/@id").compactMap(\.stringValue))
        func links(_ node: XMLNode) throws -> [String] {
            try node.nodes(forXPath: ".//*[local-name()='a'][starts-with(@href,'#glossary-')]/@href").compactMap { $0.stringValue.map { String($0.dropFirst()) } }
        }
        func check(_ node: XMLNode, _ what: String, atLeast: Int = 1) throws {
            walk.labels += 1
            let targets = try links(node)
            if targets.count < atLeast { walk.problems.append("\(what) links to \(targets.count) definitions, not \(atLeast)") }
            for t in targets where !defined.contains(t) { walk.problems.append("\(what) links to #\(t), which the glossary does not hold") }
        }
        func classes(_ node: XMLNode) throws -> [Substring] {
            (try node.nodes(forXPath: "@class").first?.stringValue ?? "").split(separator: " ")
        }
        for section in try ReportChecks.nodes(document, "//*[local-name()='section'][@id]") {
            guard let id = try section.nodes(forXPath: "@id").first?.stringValue, !inputSections.contains(id) else { continue }
            for table in try section.nodes(forXPath: ".//*[local-name()='table']") {
                walk.tables += 1
                let captionNode = try table.nodes(forXPath: "*[local-name()='caption']").first
                let what = "\(id): table '\(captionNode?.stringValue ?? "(no caption)")'"
                // The matrix: each cell holds two figures, both named and linked in the caption.
                if try !table.nodes(forXPath: ".//*[local-name()='td'][contains(@class,'matrix-cell')]").isEmpty {
                    if let captionNode { try check(captionNode, what, atLeast: 2) } else { walk.problems.append("\(what) has no caption") }
                    continue
                }
                let rows = try table.nodes(forXPath: "*[local-name()='tbody']/*[local-name()='tr']")
                let rowHeads = try table.nodes(forXPath: "*[local-name()='tbody']/*[local-name()='tr']/*[local-name()='th'][@scope='row']")
                // Figures by row (the headline and trade-off tables): every row's label links.
                let headers = try table.nodes(forXPath: "*[local-name()='thead']/*[local-name()='tr'][1]/*")
                if ["Figure", "Criterion"].contains(headers.first?.stringValue ?? "") {
                    for head in rowHeads { try check(head, "\(what), row '\(head.stringValue ?? "")'") }
                    continue
                }
                // Figures by column: every column whose cells are numbers has a linked header,
                // unless the header says it is an input (a capacity).
                for (column, header) in headers.enumerated() {
                    let cells = try rows.compactMap { try $0.nodes(forXPath: "*[\(column + 1)]").first }
                    guard !cells.isEmpty, try cells.allSatisfy({ try classes($0).contains("num") }), try !classes(header).contains("input") else { continue }
                    try check(header, "\(what), column '\(header.stringValue ?? "")'")
                }
            }
            // Charts: the axis that measures the figure links to its definition.
            for chart in try section.nodes(forXPath: ".//*[local-name()='svg'][contains(@class,'chart-svg')]") {
                walk.charts += 1
                let title = try chart.nodes(forXPath: "*[local-name()='title']").first?.stringValue ?? "(untitled)"
                try check(chart, "\(id): chart '\(title)'")
            }
        }
        return walk
    }

    func testEveryFigureLabelInEveryTableAndChartLinksToADefinition() throws {
        let walk = try Self.walk(try ReportChecks.parse(try HTMLReport.scenarioReport(try Runs.discharge())))
        XCTAssertEqual(walk.problems, [])
        // The walk saw the page's tables and charts (the discharge comparison has dozens of each).
        print("glossary links: \(walk.tables) tables, \(walk.charts) charts, \(walk.labels) figure labels, all linked")
        XCTAssertGreaterThan(walk.tables, 30)
        XCTAssertGreaterThan(walk.charts, 20)
        XCTAssertGreaterThan(walk.labels, 150)
    }

    /// The walk fails on a figure label without its link, or with a link to nowhere.
    func testTheWalkReportsAnUnlinkedLabelAndALinkToNowhere() throws {
        let html = try HTMLReport.scenarioReport(try Runs.discharge())
        let p90 = "<a class=\"defined\" href=\"#glossary-ready_to_moved_STAT_h\">Ready to moved, p90 (h)</a>"
        XCTAssertTrue(html.contains(p90), "the delayed-transfer table's p90 column is linked")
        let unlinked = try Self.walk(try ReportChecks.parse(html.replacingOccurrences(of: p90, with: "Ready to moved, p90 (h)")))
        XCTAssertTrue(unlinked.problems.contains { $0.contains("column 'Ready to moved, p90 (h)' links to 0 definitions") }, "\(unlinked.problems)")
        let nowhere = try Self.walk(try ReportChecks.parse(html.replacingOccurrences(of: "href=\"#glossary-utilisation\"", with: "href=\"#glossary-no_such_figure\"")))
        XCTAssertTrue(nowhere.problems.contains { $0.contains("#glossary-no_such_figure") }, "\(nowhere.problems)")
    }
}
