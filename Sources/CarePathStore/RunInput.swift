import CarePathFormat

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
