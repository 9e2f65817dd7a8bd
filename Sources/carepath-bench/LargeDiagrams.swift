import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathRender
import CarePathReport
import Foundation

/// Diagrams for a room: the report's diagram of a large generated pathway (drawn as the overview
/// by organisation past `OrganisationOverview.fullDiagramStateLimit` states), `carepath render` of
/// a 5,000-state pathway (its refusal, and the overview it offers), and, for each shipped pathway,
/// the size of the diagram's text when the whole diagram is fitted to a 1,920 px wide screen.
extension Benchmark {
    static func diagrams() {
        largeReport(states: 2_000)
        largeRender(states: 5_000)
        shippedTextSizes(screen: 1920)
    }

    /// A chain of `states` states over eight organisations, as pathway file text.
    static func chainPathway(states: Int) -> String {
        var text = "pathway: chain\nstart: s0\norganisations:\n"
        for o in 0..<8 { text += "  org\(o):\n    sector: community\n    maturity: basic\n    roles:\n      staff: { capacity: 5 }\n" }
        text += "states:\n"
        for i in 0..<states {
            text += "  s\(i):\n    owner: org\(i * 8 / states)/staff\n    duration: 10m\n    next: [{ to: \(i + 1 < states ? "s\(i + 1)" : "done") }]\n"
        }
        return text + "  done: { terminal: true }\n"
    }

    /// The whole report of a small run on a `states`-state pathway: its diagram is the overview.
    static func largeReport(states: Int) {
        let scenarioText = "scenario: big\npathway: chain.yaml\ncohort: { patients: 20, arrivals: 1/h }\nreplications: 1\n"
        let checked = ScenarioFile.check(text: scenarioText, file: "big.yaml", baseDirectory: URL(fileURLWithPath: "/"), pathwayText: chainPathway(states: states))
        guard let scenario = checked.scenario, let pathway = checked.pathway else {
            print("\nLarge report: the generated pathway does not load: \(checked.problems)")
            return
        }
        let summary = ScenarioRunner.run(scenario, pathway: pathway, options: .init(replications: 1, threads: 1))
        let input = ReportInput(scenario: scenario, pathway: pathway, summary: summary, inputs: [], commandLine: "carepath simulate big.yaml --report")
        var seconds: [Double] = []
        var bytes = 0
        for _ in 0..<runs {
            do {
                let (html, t) = try time { try HTMLReport.scenarioReport(input) }
                bytes = html.utf8.count
                seconds.append(t)
            } catch {
                print("\nLarge report: failed: \(error)")
                return
            }
        }
        let median = Self.median(seconds)
        print("\nReport of a \(states)-state pathway (diagram: the overview by organisation), 20 patients: median \(f2(median)) s, \(bytes / 1024) KB")
        emit(Figure(benchmark: "report-large-pathway", figures: ["states": Double(states), "wall_s_median": median, "bytes": Double(bytes)]))
        verdicts.append(Verdict(benchmark: "Report of \(states) states", figure: "\(f2(median)) s", target: "<= 10 s", met: median <= 10))
    }

    /// `carepath render` of a `states`-state pathway: refused at once with the alternative, and
    /// the overview it names, each timed through the real binary.
    static func largeRender(states: Int) {
        let binary = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("carepath").path ?? "carepath"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("\nRender of \(states) states: \(binary) is not built (swift build -c release --product carepath)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-bench-render-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("chain.yaml")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try chainPathway(states: states).write(to: file, atomically: true, encoding: .utf8)
        } catch {
            print("\nRender of \(states) states: \(error)")
            return
        }
        let svg = dir.appendingPathComponent("chain.svg").path
        let (refusal, refusalSeconds) = time { runCapturing(binary, ["render", file.path, "-o", svg]) }
        let (overview, overviewSeconds) = time { runCapturing(binary, ["render", file.path, "--overview", "-o", svg]) }
        let refused = refusal.status != 0 && refusal.stderr.contains("--overview")
        print("\nRender of a \(states)-state pathway (carepath binary)")
        print("  plain render        \(f2(refusalSeconds)) s, exit \(refusal.status): \(refusal.stderr.split(separator: "\n").first.map(String.init) ?? "")")
        print("  render --overview   \(f2(overviewSeconds)) s, exit \(overview.status): \(overview.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
        emit(Figure(benchmark: "render-large-pathway", figures: ["states": Double(states), "refusal_s": refusalSeconds, "overview_s": overviewSeconds,
                                                                 "refused": refused ? 1 : 0, "overview_exit": Double(overview.status)]))
        verdicts.append(Verdict(benchmark: "render \(states) states", figure: refused ? "refused in \(f2(refusalSeconds)) s, overview in \(f2(overviewSeconds)) s" : "exit \(refusal.status) in \(f2(refusalSeconds)) s",
                                target: "<= 60 s or a clear refusal", met: (refused || refusal.status == 0) && refusalSeconds <= 60 && overview.status == 0))
    }

    /// Each shipped pathway as `render` draws it (the direction nearer 16:9) and as the report
    /// draws it (top to bottom): its size, and its smallest and its state text in CSS pixels when
    /// the whole diagram is fitted to a `screen` px wide screen (never enlarged past its natural
    /// size, where Graphviz's points are 4/3 px).
    static func shippedTextSizes(screen: Double) {
        let folder = root.appendingPathComponent("Pathways")
        let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        print("\nDiagram text fitted to a \(Int(screen)) px wide screen (natural size: 1 pt = 4/3 px; states are 11 pt, edge labels 9 pt)")
        print("  pathway                          drawn          natural size (px)   scale   smallest text   state text")
        for url in files {
            let pathway: Pathway
            do throws(FormatErrors) { pathway = try PathwayFile.load(url) } catch {
                print("  \(url.lastPathComponent): does not load"); continue
            }
            var drawings: [(String, PathwayDiagram.Direction)] = [("report", .topToBottom)]
            let auto = (try? PathwayDiagram.screenDirection(PathwayDiagram(pathway: pathway))) ?? .leftToRight
            drawings.insert(("render", auto), at: 0)
            for (use, direction) in drawings {
                guard let svg = try? GraphvizRenderer().svg(dot: PathwayDiagram(pathway: pathway, direction: direction).dotText),
                      let size = svgSize(svg) else { continue }
                let sizes = fontSizes(svg)
                let naturalWidth = size.width * 4 / 3
                let scale = min(1, screen / naturalWidth)
                let smallest = (sizes.min() ?? 0) * 4 / 3 * scale, state = 11.0 * 4 / 3 * scale
                let name = (url.deletingPathExtension().lastPathComponent + "                                ").prefix(32)
                let drawn = ("\(use) \(direction == .topToBottom ? "TB" : "LR")" + "          ").prefix(13)
                let natural = ("\(Int(naturalWidth)) x \(Int(size.height * 4 / 3))" + "                  ").prefix(18)
                print("  \(name) \(drawn)  \(natural)  \(f2(scale))    \(f1(smallest)) px         \(f1(state)) px")
                emit(Figure(benchmark: "diagram-text", figures: ["natural_width_px": naturalWidth, "natural_height_px": size.height * 4 / 3,
                                                                 "scale_1920": scale, "smallest_text_px": smallest, "state_text_px": state,
                                                                 "top_to_bottom": direction == .topToBottom ? 1 : 0]))
            }
        }
    }

    /// Width and height in points of Graphviz's SVG (`width="2825pt"`).
    static func svgSize(_ svg: String) -> (width: Double, height: Double)? {
        guard let tag = svg.range(of: "<svg").flatMap({ r in svg[r.upperBound...].range(of: ">").map { svg[r.upperBound..<$0.lowerBound] } }) else { return nil }
        func value(_ name: String) -> Double? {
            guard let r = tag.range(of: name + "=\"") else { return nil }
            return Double(tag[r.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        guard let w = value("width"), let h = value("height") else { return nil }
        return (w, h)
    }

    static func fontSizes(_ svg: String) -> [Double] {
        svg.components(separatedBy: "font-size=\"").dropFirst().compactMap { Double($0.prefix { $0.isNumber || $0 == "." }) }
    }

    static func runCapturing(_ executable: String, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        do { try process.run() } catch { return (-1, "", "\(error)") }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
