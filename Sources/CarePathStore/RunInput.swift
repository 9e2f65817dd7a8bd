import CarePathFormat
import Foundation

/// An input file of a run and what it was to the run: one row of `inputs`.
public struct RunInput: Hashable, Sendable {
    public enum Role: String, Codable, Hashable, Sendable, CaseIterable {
        case scenario, pathway
        /// The bank holiday file the scenario's calendar names (schema v3 on).
        case calendar
    }
    public var role: Role
    public var file: InputFile

    public init(_ role: Role, _ file: InputFile) { self.role = role; self.file = file }
}

/// A run's stored input files read back as the scenario and pathway that ran: the run's own texts,
/// not today's files. One reading for every command that re-creates a stored run (its report, its
/// event logs, a sensitivity analysis of it, a sweep's shards), so they cannot disagree on it.
public struct StoredScenario: Sendable {
    public var scenarioFile: InputFile, pathwayFile: InputFile
    /// The bank holiday files; none for runs stored before schema v3, whose calendar is then read
    /// from disk as it is now.
    public var calendars: [InputFile]
    /// Every problem found in the stored texts, and the scenario and pathway when there is no error.
    public var checked: ScenarioFile.Result

    /// Nil when the inputs hold no scenario or no pathway.
    public init?(_ inputs: [RunInput]) {
        guard let scenario = inputs.first(where: { $0.role == .scenario })?.file,
              let pathway = inputs.first(where: { $0.role == .pathway })?.file else { return nil }
        scenarioFile = scenario; pathwayFile = pathway
        calendars = inputs.filter { $0.role == .calendar }.map(\.file)
        let included = calendars.isEmpty ? nil : Dictionary(calendars.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
        checked = ScenarioFile.check(text: scenario.text, file: scenario.path,
                                     baseDirectory: URL(fileURLWithPath: scenario.path).absoluteURL.deletingLastPathComponent(),
                                     pathwayText: pathway.text, includedTexts: included)
    }

    /// The files as a report lists them: scenario, pathway, then the bank holiday files.
    public var files: [InputFile] { [scenarioFile, pathwayFile] + calendars }
}
