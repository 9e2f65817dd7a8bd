import CarePathMetrics
import Foundation
import XCTest
@testable import CarePathStore

/// The metrics table as CSV for spreadsheets: RFC 4180, so that names holding commas, quotes and
/// line breaks come back as they were.
final class CSVExportTests: XCTestCase {
    func testFieldsAreQuotedOnlyWhereRFC4180NeedsIt() {
        XCTAssertEqual(CSVExport.field("council/social-worker"), "council/social-worker")
        XCTAssertEqual(CSVExport.field(""), "")
        XCTAssertEqual(CSVExport.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVExport.field("say \"no\""), "\"say \"\"no\"\"\"")
        XCTAssertEqual(CSVExport.field("two\nlines"), "\"two\nlines\"")
        XCTAssertEqual(CSVExport.field("cr\r\nlf"), "\"cr\r\nlf\"")
        XCTAssertEqual(CSVExport.line(["a", "b,c", ""]), "a,\"b,c\",\r\n")
        XCTAssertEqual(CSVExport.number(nil), "")
        XCTAssertEqual(CSVExport.number(0.1), "0.1")
        XCTAssertEqual(CSVExport.number(-2), "-2.0")
        XCTAssertEqual(CSVExport.number(.nan), "nan")
        XCTAssertEqual(CSVExport.number(-.infinity), "-inf")
    }

    /// OWASP's rule for CSV injection: a text cell a spreadsheet would run as a formula gets a
    /// leading single quote and is quoted; numbers, negative ones included, are left as numbers.
    func testTextThatAFormulaWouldStartWithIsNeutralisedButNumbersAreNot() throws {
        XCTAssertEqual(CSVExport.field("=HYPERLINK(\"http://x.example\",\"x\")"), "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"x\"\")\"")
        XCTAssertEqual(CSVExport.field("@SUM(1+1)"), "\"'@SUM(1+1)\"")
        XCTAssertEqual(CSVExport.field("+1"), "\"'+1\"")
        XCTAssertEqual(CSVExport.field("-2+3"), "\"'-2+3\"")
        XCTAssertEqual(CSVExport.field("\tcmd"), "\"'\tcmd\"")
        XCTAssertEqual(CSVExport.field("\r=1"), "\"'\r=1\"")
        XCTAssertEqual(CSVExport.field("age=-1"), "age=-1", "only the first character matters")
        XCTAssertEqual(CSVExport.line(["=1"], numbers: [CSVExport.number(-2.5)]), "\"'=1\",-2.5\r\n")

        let json = """
            {"carepathVersion": "0.1.0", "scenario": "s", "title": "t", "pathway": "p", "seed": 1, "replications": 2,
             "variants": [
              {"name": "=cmd|' /C calc'!A0", "architecture": "point-to-point", "events": 10,
               "metrics": [{"name": "wait_mean_h", "subject": "@SUM(1+1)", "group": "-2+3", "mean": -1.5, "halfWidth": 0.25}],
               "differences": [],
               "series": {"queueLength": {}, "queueBinHours": 1, "queueStartHour": 0, "waitShares": {}, "waitBinEdges": [],
                          "crossHandoffShares": [], "timeInPathwayShares": [], "timeBinEdges": []}}
             ]}
            """
        let lines = CSVExport.metrics(try RunSummary.decode(Data(json.utf8))).components(separatedBy: "\r\n")
        XCTAssertEqual(lines[1], "\"'=cmd|' /C calc'!A0\",wait_mean_h,\"'@SUM(1+1)\",\"'-2+3\",-1.5,0.25,-1.75,-1.25,,,,")
        // Read back by a CSV reader, the cell is the text with its quote: shown, not run.
        XCTAssertEqual(parseCSV(lines[1] + "\r\n").first?.prefix(4), ["'=cmd|' /C calc'!A0", "wait_mean_h", "'@SUM(1+1)", "'-2+3"])
    }

    func testMetricsOfASummaryWithAwkwardNamesAndDifferences() throws {
        let json = """
            {"carepathVersion": "0.1.0", "scenario": "s", "title": "t", "pathway": "p", "seed": 1, "replications": 2,
             "variants": [
              {"name": "base", "architecture": "point-to-point", "events": 10,
               "metrics": [{"name": "wait_mean_h", "subject": "council/social \\"worker\\", north", "group": "", "mean": 1.5, "halfWidth": 0.25},
                           {"name": "patients", "subject": "", "group": "area=inner\\ncity", "mean": 100}],
               "differences": [],
               "series": {"queueLength": {}, "queueBinHours": 1, "queueStartHour": 0, "waitShares": {}, "waitBinEdges": [],
                          "crossHandoffShares": [], "timeInPathwayShares": [], "timeBinEdges": []}},
              {"name": "shared, record", "architecture": "shared-record", "events": 10,
               "metrics": [{"name": "wait_mean_h", "subject": "council/social \\"worker\\", north", "group": "", "mean": 1, "halfWidth": 0.5},
                           {"name": "patients", "subject": "", "group": "area=inner\\ncity", "mean": 100}],
               "differences": [{"name": "wait_mean_h", "subject": "council/social \\"worker\\", north", "group": "", "mean": -0.5, "halfWidth": 0.125}],
               "series": {"queueLength": {}, "queueBinHours": 1, "queueStartHour": 0, "waitShares": {}, "waitBinEdges": [],
                          "crossHandoffShares": [], "timeInPathwayShares": [], "timeBinEdges": []}}
             ]}
            """
        let summary = try RunSummary.decode(Data(json.utf8))
        XCTAssertEqual(CSVExport.metrics(summary), """
            variant,metric,subject,group,mean,half_width,low,high,difference_mean,difference_half_width,difference_low,difference_high\r
            base,wait_mean_h,"council/social ""worker"", north",,1.5,0.25,1.25,1.75,,,,\r
            base,patients,,"area=inner
            city",100.0,,,,,,,\r
            "shared, record",wait_mean_h,"council/social ""worker"", north",,1.0,0.5,0.5,1.5,-0.5,0.125,-0.625,-0.375\r
            "shared, record",patients,,"area=inner
            city",100.0,,,,,,,\r

            """)
    }

    func testARealRunsCSVReadsBackToItsSummary() throws {
        let f = try StoreFixture(patients: 60, replications: 2)
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(threads: 2))
        let records = parseCSV(CSVExport.metrics(summary))
        XCTAssertEqual(records.first, CSVExport.metricsHeader)
        let rows = records.dropFirst()
        let expected = summary.variants.flatMap { v in v.metrics.map { (v, $0) } }
        XCTAssertEqual(rows.count, expected.count)
        for (row, (variant, m)) in zip(rows, expected) {
            XCTAssertEqual(Array(row[0..<4]), [variant.name, m.name, m.subject, m.group])
            XCTAssertTrue(same(Double(row[4]), m.mean) || (row[4] == "nan" && m.mean.isNaN), m.name)
            XCTAssertEqual(row[5], m.halfWidth.map { "\($0)" } ?? "")
            let d = variant.difference(m.name, subject: m.subject, group: m.group)
            XCTAssertEqual(row[8], d.map { CSVExport.number($0.mean) } ?? "")
        }
        XCTAssertTrue(rows.contains { $0[0] == "shared-record" && !$0[8].isEmpty }, "the second variant carries paired differences")
    }

    /// A strict RFC 4180 reader, for checking the writer.
    func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.append("\"") } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                quoted = true; wasQuoted = true
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false
            } else if c == "\r\n" {
                record.append(field); records.append(record); record = []; field = ""; wasQuoted = false
            } else {
                XCTAssertFalse(wasQuoted, "text after a closing quote")
                XCTAssertFalse(c == "\n" || c == "\r", "a bare line break outside quotes")
                field.append(c)
            }
        }
        XCTAssertTrue(record.isEmpty && field.isEmpty, "the last record ends with CRLF")
        return records
    }
}
