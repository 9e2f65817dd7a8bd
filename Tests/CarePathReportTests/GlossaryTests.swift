import CarePathMetrics
@testable import CarePathReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// One source for the definitions: the report's glossary and docs/simulation.md's are both built
/// from `MetricGlossary`, every figure a run produces has an entry, and the report's figures link to them.
final class GlossaryTests: XCTestCase {
    func testDocsGlossaryIsTheGeneratedOne() throws {
        let docs = try String(contentsOf: packageRoot.appendingPathComponent("docs/simulation.md"), encoding: .utf8)
        let section = try XCTUnwrap(MetricGlossary.section(in: docs), "docs/simulation.md has no glossary markers")
        XCTAssertEqual(section, MetricGlossary.markdown(),
                       "docs/simulation.md's glossary differs from MetricGlossary: run `carepath glossary --update docs/simulation.md`")
        // Every entry is in it, with its definition.
        for e in MetricGlossary.entries {
            XCTAssertTrue(section.contains("`\(e.pattern)`"), e.pattern)
        }
    }

    func testEntriesAreUniqueAndComplete() {
        var seen: [String: String] = [:]
        for e in MetricGlossary.entries {
            XCTAssertFalse(e.definition.isEmpty || e.computed.isEmpty || e.subject.isEmpty || e.unit.isEmpty, e.pattern)
            XCTAssertEqual(e.placeholder.isEmpty, e.values.isEmpty, e.pattern)
            if !e.placeholder.isEmpty { XCTAssertTrue(e.pattern.contains(e.placeholder), e.pattern) }
            for n in e.names {
                XCTAssertNil(seen[n], "\(n) is defined by both \(seen[n] ?? "") and \(e.pattern)")
                seen[n] = e.pattern
            }
        }
        XCTAssertEqual(MetricGlossary.entry(for: "gaps_stale_per_patient")?.pattern, "gaps_KIND_per_patient")
        XCTAssertEqual(MetricGlossary.entry(for: "state_available_per_100_patients")?.pattern, "state_KIND_per_100_patients")
        XCTAssertNil(MetricGlossary.entry(for: "gaps_available_per_patient"), "available is not a gap")
        XCTAssertNil(MetricGlossary.entry(for: "no_such_figure"))
        // The flags and counts of percentiles past their range, named as the collector names them.
        for name in ["wait_p50_h", "wait_p90_h", "wait_p95_h", "time_in_pathway_p50_h", "time_in_pathway_p95_h", "ready_to_moved_p90_h"] {
            XCTAssertEqual(MetricGlossary.entry(for: PercentileRange.flag(of: name))?.pattern, "PERCENTILE_at_least", name)
        }
        for family in ["wait", "time_in_pathway", "ready_to_moved"] {
            XCTAssertEqual(MetricGlossary.entry(for: family + PercentileRange.beyondRangeSuffix)?.pattern, "FAMILY_beyond_range", family)
        }
    }

    /// Every metric name of every shipped scenario's run (the reference ones too) has a definition.
    func testEveryFigureOfEveryShippedScenarioIsDefined() throws {
        let reference = try FileManager.default.contentsOfDirectory(at: packageRoot.appendingPathComponent("Scenarios/reference"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" && !$0.lastPathComponent.contains("pathway") }
        var names = Set<String>()
        for url in try shippedScenarios() + reference.sorted(by: { $0.path < $1.path }) {
            let input = try Runs.input(url)
            for v in input.summary.variants {
                for m in v.metrics {
                    names.insert(m.name)
                    XCTAssertNotNil(MetricGlossary.entry(for: m.name), "\(url.lastPathComponent): \(m.name) has no glossary entry")
                }
            }
        }
        // The families the glossary defines by pattern all occur in the shipped runs.
        for name in ["gaps_late_per_patient", "state_available_per_100_patients", "available_share", "item_withheld_per_100_patients",
                     "channel_rekeyed_per_100_patients", "blocked_bed_days_per_month", "offered_load", "wait_p95_h"] {
            XCTAssertTrue(names.contains(name), "no shipped run produced \(name)")
        }
    }

    func testEveryFigureRowLinksToItsDefinitionInTheGlossary() throws {
        let input = try Runs.discharge()
        let document = try ReportChecks.parse(try HTMLReport.scenarioReport(input))
        let ids = try ReportChecks.sectionIDs(document)
        XCTAssertEqual(ids.first, "answer")
        XCTAssertEqual(ids.last, "reproduce")
        XCTAssertTrue(ids.contains("glossary"))
        let glossary = "//*[local-name()='section'][@id='glossary']"
        let defined = Set(try ReportChecks.nodes(document, glossary + "//*[local-name()='dt']/@id").compactMap(\.stringValue))
        XCTAssertFalse(defined.isEmpty)
        XCTAssertEqual(try ReportChecks.nodes(document, glossary + "//*[local-name()='dt']").count, defined.count, "glossary ids are unique")

        for table in ["headline", "tradeoff", "differences"] {
            let rows = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'\(table)')]/*[local-name()='tbody']/*[local-name()='tr']/*[local-name()='th'][@scope='row']")
            XCTAssertGreaterThan(rows.count, 10, table)
            for row in rows {
                let label = row.stringValue ?? ""
                let links = try row.nodes(forXPath: "*[local-name()='a']/@href").compactMap(\.stringValue)
                XCTAssertEqual(links.count, 1, "\(table): row '\(label)' has no link to its definition")
                guard let link = links.first else { continue }
                XCTAssertTrue(link.hasPrefix("#glossary-"), "\(table): \(label) links to \(link)")
                XCTAssertTrue(defined.contains(String(link.dropFirst())), "\(table): \(label) links to \(link), not in the glossary")
            }
        }
        // Every link into the glossary, anywhere (the answer, the load table's columns), lands on a definition,
        // and every definition listed is linked to from the page.
        let targets = Set(try ReportChecks.nodes(document, "//*[local-name()='a'][starts-with(@href,'#glossary-')]/@href").compactMap { $0.stringValue.map { String($0.dropFirst()) } })
        XCTAssertEqual(targets, defined)
        let answerLinks = try ReportChecks.nodes(document, "//*[local-name()='section'][@id='answer']//*[local-name()='a'][starts-with(@href,'#glossary-')]")
        XCTAssertGreaterThanOrEqual(answerLinks.count, 4, "the answer's figures link to their definitions")
        let loadLinks = try ReportChecks.nodes(document, "//*[local-name()='table'][contains(@class,'sortable')]/*[local-name()='thead']//*[local-name()='a'][@href='#glossary-utilisation']")
        XCTAssertFalse(loadLinks.isEmpty, "the load table's utilisation column links to its definition")

        // The definition shown is the table's text, as the docs have it.
        let utilisation = try XCTUnwrap(MetricGlossary.entry(for: "utilisation"))
        let dd = try ReportChecks.nodes(document, glossary + "//*[local-name()='dt'][@id='glossary-utilisation']/following-sibling::*[local-name()='dd'][1]")
        XCTAssertTrue(dd.first?.stringValue?.contains(utilisation.definition) ?? false)
        XCTAssertTrue(dd.first?.stringValue?.contains(utilisation.computed) ?? false)
        let docs = try String(contentsOf: packageRoot.appendingPathComponent("docs/simulation.md"), encoding: .utf8)
        XCTAssertTrue(docs.contains(utilisation.definition))
        // Markdown code spans show as code.
        let code = try ReportChecks.nodes(document, glossary + "//*[local-name()='dt'][@id='glossary-risks_per_patient']/following-sibling::*[local-name()='dd'][1]/*[local-name()='code']")
        XCTAssertEqual(code.first?.stringValue, "proceed")
    }

    func testCodeSpansAreCodeAndEverythingIsEscaped() {
        XCTAssertEqual(ReportBuilder.withCode("a `<b>` & `c`").markup, "a <code>&lt;b&gt;</code> &amp; <code>c</code>")
        XCTAssertEqual(ReportBuilder.withCode("no code").markup, "no code")
    }

    func testComparisonReportLinksResolve() throws {
        let document = try ReportChecks.parse(try HTMLReport.comparisonReport([try Runs.discharge()]))
        let defined = Set(try ReportChecks.nodes(document, "//*[local-name()='section'][@id='glossary']//*[local-name()='dt']/@id").compactMap(\.stringValue))
        let targets = Set(try ReportChecks.nodes(document, "//*[local-name()='a'][starts-with(@href,'#glossary-')]/@href").compactMap { $0.stringValue.map { String($0.dropFirst()) } })
        XCTAssertFalse(targets.isEmpty)
        XCTAssertEqual(targets, defined)
    }
}
