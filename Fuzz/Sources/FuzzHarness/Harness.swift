import CarePathFormat
import CarePathMetrics
import CarePathModel
import Foundation

/// What every fuzz target does with what its reader accepted: the reader has run the model checks
/// already; a pathway or scenario without errors then runs, bounded, so that numbers validation lets
/// through are simulated too. A crash, a trap or a hang anywhere here is a finding.
public enum Harness {
    /// Patients in a bounded run: enough for queues, handoffs and losses to happen, few enough for
    /// a run to cost little beside reading and checking.
    public static let patients = 6
    /// Variants of a scenario run (each once).
    public static let variants = 3

    /// The input as text, or nil when it is not UTF-8 (the readers refuse such files before parsing).
    public static func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String? {
        String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    }

    /// A file of sections: the first is the scenario; each line `#=== NAME` starts the text of the
    /// file the scenario names as NAME (`pathway` for its pathway). Lines starting `#` are YAML
    /// comments, so a seed stays readable YAML.
    public static func sections(_ text: String) -> (main: String, files: [String: String]) {
        var main = "", files: [String: String] = [:], current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#=== ") {
                let name = String(line.dropFirst(5))
                files[name, default: ""] += ""
                current = name
                continue
            }
            if let name = current { files[name, default: ""] += line + "\n" } else { main += line + "\n" }
        }
        return (main, files)
    }

    /// Whether to run what validates (`CAREPATH_FUZZ_SIMULATION=off` fuzzes the readers and checks alone).
    public static let simulates = ProcessInfo.processInfo.environment["CAREPATH_FUZZ_SIMULATION"] != "off"
    /// `CAREPATH_FUZZ_TRACE=1` says on standard error what became of each input (to check seeds).
    static let traces = ProcessInfo.processInfo.environment["CAREPATH_FUZZ_TRACE"] == "1"

    static func trace(_ message: @autoclosure () -> String) {
        if traces { FileHandle.standardError.write(Data(("fuzz: " + message() + "\n").utf8)) }
    }

    /// Checks a scenario and, when it has no error, runs it bounded. `files["pathway"]` is its pathway;
    /// the other files it names (a bank holiday file) come from `files` by name, never from disk.
    public static func scenario(_ text: String, files: [String: String]) {
        let result = ScenarioFile.check(text: text, file: "scenario.yaml", baseDirectory: URL(fileURLWithPath: "/nonexistent"),
                                        pathwayText: files["pathway"] ?? "", includedTexts: files)
        guard let scenario = result.scenario, let pathway = result.pathway else {
            return trace("scenario refused: \(result.errors.first.map { "\($0.file):\($0.line): \($0.message)" } ?? "")")
        }
        run(scenario, pathway: pathway)
    }

    /// Checks a pathway and, when it has no error, runs it bounded with a plain cohort.
    public static func pathway(_ text: String, file: String = "pathway.yaml") {
        let result = PathwayFile.check(text: text, file: file)
        guard let pathway = result.pathway else {
            return trace("pathway refused: \(result.errors.first.map { "\($0.line): \($0.message)" } ?? "")")
        }
        let scenario = plainScenario(for: pathway)
        run(scenario, pathway: pathway)
    }

    /// A scenario that draws every attribute the pathway declares and changes nothing else.
    public static func plainScenario(for pathway: Pathway) -> Scenario {
        var attributes: [String: AttributeDistribution] = [:]
        for attribute in pathway.attributes {
            switch attribute.type {
            case .number: attributes[attribute.name] = .integers(0, 100)
            case .boolean: attributes[attribute.name] = .bernoulli(0.5)
            case .categorical(let levels):
                attributes[attribute.name] = .categorical(levels: levels, weights: levels.map { _ in 1 })
            }
        }
        let cohort = Cohort(size: .patients(patients), arrivals: .poisson(ratePerHour: 1), attributes: attributes)
        return Scenario(id: "fuzz", title: "fuzz", pathwayFile: "pathway.yaml", cohort: cohort, replications: 1, seed: 7)
    }

    /// Runs one replication of the first few variants of `scenario` with its cohort cut to a few
    /// patients, through the runner (statistics, summaries and warnings included).
    public static func run(_ scenario: Scenario, pathway: Pathway) {
        guard simulates else { return }
        var bounded = scenario
        bounded.cohort.size = .patients(patients)
        bounded.variants = Array(bounded.variants.prefix(variants))
        bounded.replications = 1
        let summary = ScenarioRunner.run(bounded, pathway: pathway, options: .init(replications: 1, threads: 1))
        trace("ran \(summary.variants.count) variant(s), \(summary.warnings?.count ?? 0) warning(s)")
    }
}
