import CarePathFormat
import CarePathModel
import CarePathRender
import Foundation
import XCTest

/// The shipped pathways' diagrams as Graphviz lays them out: organisations' boxes apart in both
/// directions, and the direction `render` picks the one nearer a 16:9 screen.
final class LayoutTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func shipped() throws -> [Pathway] {
        let folder = Self.root.appendingPathComponent("Pathways")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted().map {
            try PathwayFile.load(folder.appendingPathComponent($0))
        }
    }

    /// Each cluster's box, from the polygon Graphviz draws for it.
    static func clusterBoxes(_ svg: String) -> [(id: String, minX: Double, minY: Double, maxX: Double, maxY: Double)] {
        var boxes: [(String, Double, Double, Double, Double)] = []
        var rest = Substring(svg)
        while let g = rest.range(of: "class=\"cluster\"") {
            let before = rest[..<g.lowerBound]
            let id = before.range(of: "id=\"", options: .backwards).map { String(before[$0.upperBound...].prefix { $0 != "\"" }) } ?? "?"
            rest = rest[g.upperBound...]
            // Rounded clusters are a path (`d="M20,-86C..."`), square ones a polygon (`points="..."`).
            guard let p = rest.range(of: #"(points| d)=""#, options: .regularExpression) else { break }
            let shape = String(rest[p.upperBound...].prefix { $0 != "\"" })
            let pairs = shape.matches(of: /(-?[0-9]+(?:\.[0-9]+)?),(-?[0-9]+(?:\.[0-9]+)?)/)
            let points = pairs.compactMap { m -> (Double, Double)? in
                guard let x = Double(m.1), let y = Double(m.2) else { return nil }
                return (x, y)
            }
            guard !points.isEmpty else { continue }
            boxes.append((id, points.map(\.0).min() ?? 0, points.map(\.1).min() ?? 0, points.map(\.0).max() ?? 0, points.map(\.1).max() ?? 0))
        }
        return boxes
    }

    func testNoTwoOrganisationsOverlapInEitherDirection() throws {
        for pathway in try shipped() {
            for direction in [PathwayDiagram.Direction.leftToRight, .topToBottom] {
                let svg = try GraphvizRenderer().svg(dot: PathwayDiagram(pathway: pathway, direction: direction).dotText)
                let boxes = Self.clusterBoxes(svg)
                XCTAssertEqual(boxes.count, pathway.organisations.count + 1, "\(pathway.id) \(direction): one box per organisation and the legend")
                for i in boxes.indices {
                    for j in boxes.indices where j > i {
                        let a = boxes[i], b = boxes[j]
                        let overlap = a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
                        XCTAssertFalse(overlap, "\(pathway.id) \(direction): \(a.id) and \(b.id) overlap")
                    }
                }
            }
        }
    }

    func testTheChosenDirectionIsTheOneNearerASixteenByNineScreen() throws {
        for pathway in try shipped() {
            let diagram = PathwayDiagram(pathway: pathway)
            var distance: [PathwayDiagram.Direction: Double] = [:]
            for direction in [PathwayDiagram.Direction.leftToRight, .topToBottom] {
                var d = diagram
                d.direction = direction
                let size = try XCTUnwrap(PathwayDiagram.size(ofSVG: try GraphvizRenderer().svg(dot: d.dotText)))
                distance[direction] = abs(log(size.width / size.height / (16.0 / 9.0)))
            }
            let chosen = try PathwayDiagram.screenDirection(diagram)
            print("\(pathway.id): LR \(distance[.leftToRight] ?? .nan), TB \(distance[.topToBottom] ?? .nan), chosen \(chosen.rawValue)")
            XCTAssertLessThanOrEqual(distance[chosen] ?? .infinity, distance.values.min() ?? 0)
        }
    }
}
