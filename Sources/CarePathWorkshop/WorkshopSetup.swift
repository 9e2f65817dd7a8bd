import CarePathFormat
import CarePathModel
import Foundation

/// What a workshop works on: a scenario and its pathway as read from their files, the baseline
/// (the scenario's first option), and the levers the room may move, each checked with the same
/// rules as the files (`Lever.parse`) and within its range.
public struct WorkshopSetup: Sendable {
    public let scenario: Scenario
    public let pathway: Pathway
    /// The files as read, for the store (a run re-created by `carepath report`) and a scenario
    /// written from the board.
    public let scenarioFile: InputFile
    public let pathwayFile: InputFile
    /// Where the files are: written scenarios point at the pathway from wherever they go.
    public let scenarioURL: URL
    public let pathwayURL: URL
    /// The scenario's bank holiday file, when its calendar names one.
    public let bankHolidays: InputFile?
    /// The levers shown, in order: those the scenario declares (`workshop:`), else the defaults.
    public let levers: [WorkshopLever]

    /// The option the room changes and compares against: the scenario's first.
    public var baseline: Variant { scenario.effectiveVariants[0] }

    /// Reads a scenario file and its pathway; every problem in either is thrown, located.
    public static func load(_ url: URL) throws(FormatErrors) -> WorkshopSetup {
        let loaded = try ScenarioFile.loadWithFiles(url)
        let scenarioFile: InputFile, pathwayFile: InputFile
        do {
            scenarioFile = try InputFile.read(url, as: url.relativePath)
            pathwayFile = try InputFile.read(loaded.pathwayURL, as: loaded.pathwayURL.relativePath)
        } catch {
            throw FormatErrors([FormatProblem(.error, file: url.relativePath, line: 1, column: 1, path: .root,
                                              message: "cannot read the file again: \(error.localizedDescription)")])
        }
        return WorkshopSetup(scenario: loaded.scenario, pathway: loaded.pathway, scenarioFile: scenarioFile, pathwayFile: pathwayFile,
                             scenarioURL: url.absoluteURL, pathwayURL: loaded.pathwayURL.absoluteURL, bankHolidays: loaded.bankHolidays)
    }

    public init(scenario: Scenario, pathway: Pathway, scenarioFile: InputFile, pathwayFile: InputFile, scenarioURL: URL, pathwayURL: URL,
                bankHolidays: InputFile? = nil) {
        self.scenario = scenario; self.pathway = pathway; self.scenarioFile = scenarioFile; self.pathwayFile = pathwayFile
        self.scenarioURL = scenarioURL; self.pathwayURL = pathwayURL; self.bankHolidays = bankHolidays
        levers = WorkshopLevers.make(scenario, pathway)
    }

    public func lever(_ id: String) -> WorkshopLever? { levers.first { $0.id == id } }

    /// What is wrong with `value` for the lever `id`, in words for the control; nil when it may be
    /// run. The same rules as a scenario file's `set:` (the one lever parser, the model's own
    /// checks once pulled), then the lever's range or choices.
    public func check(_ id: String, _ value: String) -> String? {
        switch lever(id: id, value: value) {
        case .success: return nil
        case .failure(let problem): return problem.message
        }
    }

    /// The levers for a room's settings (lever id: value), in the order of `levers`; every problem
    /// at once, each naming its lever.
    public func levers(for settings: [String: String]) -> Result<[Lever], WorkshopProblems> {
        var out: [Lever] = [], ids: [String] = [], problems: [WorkshopProblem] = []
        for id in settings.keys where lever(id) == nil {
            problems.append(WorkshopProblem(lever: id, message: "\(id.prefix(120)): no such lever in this workshop"))
        }
        for control in levers {
            guard let value = settings[control.id] else { continue }
            switch lever(id: control.id, value: value) {
            case .success(let l): out.append(l); ids.append(control.id)
            case .failure(let p): problems.append(p)
            }
        }
        guard problems.isEmpty else { return .failure(WorkshopProblems(problems.sorted { $0.lever < $1.lever })) }
        // Together, too: two branch shares may each fit and not sum to one.
        if case .failure(let p) = baseline.pulling(out, pathway: pathway, scenario: scenario) {
            let message = p.problems.map(\.message).joined(separator: "; ")
            let id = p.problems.first?.lever.flatMap { ids.indices.contains($0) ? ids[$0] : nil } ?? ""
            return .failure(WorkshopProblems([WorkshopProblem(lever: id, message: message)]))
        }
        return .success(out)
    }

    func lever(id: String, value: String) -> Result<Lever, WorkshopProblem> {
        guard let control = lever(id) else {
            return .failure(WorkshopProblem(lever: id, message: "\(id.prefix(120)): no such lever in this workshop"))
        }
        func fail(_ message: String) -> Result<Lever, WorkshopProblem> {
            .failure(WorkshopProblem(lever: id, message: "\(control.label): \(message)"))
        }
        var text = value.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count <= 400 else { return fail("expected a value of at most 400 characters") }
        if let unit = control.unit, Double(text) != nil { text += unit }
        let view = scenario.seen(by: baseline)
        let lever: Lever
        switch Lever.parse(place: id, value: text, pathway: baseline.pathway(over: pathway), scenario: view) {
        case .failure(let problem): return fail(problem.message)
        case .success(let l): lever = l
        }
        if !control.options.isEmpty && (control.kind == .choice || control.kind == .toggle) {
            let written = lever.value.text(as: lever.place.kind)
            guard control.options.contains(written) || control.options.contains(lever.text) else {
                return fail("expected one of \(control.options.joined(separator: ", ")), found '\(value.prefix(60))'")
            }
        }
        if control.kind == .integer || control.kind == .number, let x = WorkshopLevers.number(lever.value), let low = control.minimum, let high = control.maximum {
            let shown = control.unit.map { _ in x * 24 } ?? x
            guard shown >= low - 1e-9, shown <= high + 1e-9 else {
                return fail("expected \(WorkshopLevers.format(low)) to \(WorkshopLevers.format(high))\(control.unit ?? ""), found \(value.prefix(60))")
            }
        }
        return .success(lever)
    }
}

/// A value the room gave that cannot be run, with the lever it belongs to (empty: the settings
/// as a whole).
public struct WorkshopProblem: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var lever: String
    public var message: String
    public init(lever: String, message: String) { self.lever = lever; self.message = message }
    public var description: String { message }
}

public struct WorkshopProblems: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [WorkshopProblem]
    public init(_ problems: [WorkshopProblem]) { self.problems = problems }
    public var description: String { problems.map(\.message).joined(separator: "\n") }
}
