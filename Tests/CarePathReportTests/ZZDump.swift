import CarePathReport
import Foundation
import XCTest

final class ZZDumpTests: XCTestCase {
    func testDump() throws {
        guard let dir = ProcessInfo.processInfo.environment["REPORT_DUMP"] else { return }
        for url in try shippedScenarios() {
            let html = try HTMLReport.scenarioReport(try Runs.input(url))
            try html.write(toFile: dir + "/" + url.deletingPathExtension().lastPathComponent + ".html", atomically: true, encoding: .utf8)
        }
        try HTMLReport.scenarioReport(try EscapingTests.hostileInput()).write(toFile: dir + "/evil.html", atomically: true, encoding: .utf8)
        let d = try Runs.discharge()
        try HTMLReport.comparisonReport([d, try Runs.input(packageRoot.appendingPathComponent("Scenarios/discharge-architectures.yaml"), patients: 400)]).write(toFile: dir + "/compare.html", atomically: true, encoding: .utf8)
    }
}
import CarePathRender
final class ZZDims: XCTestCase {
    func testDims() throws {
        guard ProcessInfo.processInfo.environment["REPORT_DUMP"] != nil else { return }
        for url in try shippedScenarios() {
            let input = try Runs.input(url)
            for dir in [PathwayDiagram.Direction.leftToRight, .topToBottom] {
                for legend in [true, false] {
                    let svg = try GraphvizRenderer().inlineSVG(dot: PathwayDiagram(pathway: input.pathway, overlay: DiagramOverlay(), direction: dir, showLegend: legend).dotText)
                    print("DIMS", url.lastPathComponent, dir, legend, svg.prefix(40))
                }
            }
        }
    }
}
