import CarePathModel
@testable import CarePathRender
import Foundation
import XCTest

final class ZZDebugTests: XCTestCase {
    func testDebug() throws {
        let diagram = PathwayDiagram(pathway: try Fixtures.pathway(), direction: .topToBottom)
        try diagram.render(.svg).write(to: URL(fileURLWithPath: "/tmp/cpdiff/a.svg"))
        _ = try? GraphvizRenderer().render(dot: "digraph {", format: .svg)
        try diagram.render(.svg).write(to: URL(fileURLWithPath: "/tmp/cpdiff/b.svg"))
        try diagram.render(.svg).write(to: URL(fileURLWithPath: "/tmp/cpdiff/c.svg"))
    }
}
