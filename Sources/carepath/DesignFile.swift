import CarePathExperiments
import CarePathFormat
import CarePathModel
import Foundation
import Yams

/// `sensitivity --design-only -o design.yaml`: the scenario as written, with its variants
/// replaced by one per design point (the baseline variant's own entries, renamed, with the
/// point's levers added to its `set:`) and its sensitivity section pointed at `baseline`, so
/// that `carepath simulate` or `carepath sweep` runs the design and `sensitivity --run ID`
/// analyses it with the same figures.
enum DesignFile {
    static func write(_ study: SensitivityStudy, _ design: SensitivityDesign, scenarioURL: URL, loaded: ScenarioFile.Loaded, to path: String) throws {
        let text: String
        do { text = try String(contentsOf: scenarioURL, encoding: .utf8) } catch { throw Failure("\(scenarioURL.relativePath): cannot read: \(error)") }
        guard case .mapping(var top)? = try? Yams.compose(yaml: text) else { throw Failure("\(scenarioURL.relativePath): cannot be rewritten as a design") }
        // The baseline variant as written, if the scenario lists variants.
        var baseEntry = Node.Mapping([])
        if case .sequence(let variants)? = top["variants"] {
            for v in variants { if case .mapping(let m) = v, m["name"]?.string == study.base.name { baseEntry = m } }
        }
        var points: [Node] = []
        for point in design.points {
            var entry = baseEntry
            entry["name"] = Node(point.name)
            entry["title"] = point.levers.isEmpty ? Node("baseline (\(study.base.name))") : nil
            var set = Node.Mapping([])
            if case .mapping(let own)? = baseEntry["set"] { set = own }
            for lever in point.levers { set[Node(lever.place.description)] = Node(lever.text, Tag(.str), .doubleQuoted) }
            if set.count > 0 { entry["set"] = .mapping(set) } else { entry["set"] = nil }
            points.append(.mapping(entry))
        }
        top["variants"] = .sequence(Node.Sequence(points))
        top["replications"] = Node(String(study.replications))
        // The pathway (and a bank holiday file) seen from the design file's folder.
        let out = URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent()
        top["pathway"] = Node(relative(loaded.pathwayURL, from: out))
        if case .mapping(var calendar)? = top["calendar"], let holidays = loaded.bankHolidaysURL {
            for key in ["bank-holidays"] where calendar[key]?.scalar != nil { calendar[key] = Node(relative(holidays, from: out)) }
            top["calendar"] = .mapping(calendar)
        }
        if case .mapping(var experiments)? = top["experiments"], case .mapping(var sensitivity)? = experiments["sensitivity"] {
            sensitivity["variant"] = Node("baseline")
            sensitivity["method"] = Node(study.method.rawValue)
            sensitivity["replications"] = Node(String(study.replications))
            experiments["sensitivity"] = .mapping(sensitivity)
            top["experiments"] = .mapping(experiments)
        }
        let yaml: String
        do { yaml = try Yams.serialize(node: .mapping(top), sortKeys: false) } catch { throw Failure("\(path): cannot write the design: \(error)") }
        let header = "# The \(study.method.rawValue) design of \(scenarioURL.lastPathComponent): \(design.points.count) variants (the baseline first), "
            + "written by carepath sensitivity --design-only.\n# Run it (carepath simulate, carepath sweep), then: carepath sensitivity THIS_FILE --run ID --db STORE\n"
        try Outputs.prepare([path])
        try Outputs.write(Data((header + yaml).utf8), to: path)
        print("Design written to \(path) (\(design.points.count) variants)")
    }

    static func relative(_ target: URL, from folder: URL) -> String {
        let a = target.standardizedFileURL.pathComponents, b = folder.standardizedFileURL.pathComponents
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        return (Array(repeating: "..", count: b.count - i) + a[i...]).joined(separator: "/")
    }
}
