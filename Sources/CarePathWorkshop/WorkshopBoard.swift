import CarePathFiles
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathStore
import Foundation

/// An option the room saved: a name, its settings (lever id: value) and why.
public struct WorkshopOption: Hashable, Sendable, Codable {
    public var name: String
    public var settings: [String: String]
    public var note: String
    public init(name: String, settings: [String: String], note: String = "") {
        self.name = name; self.settings = settings; self.note = note
    }
}

/// A note the room typed against a part of the pathway: a concern of the assumptions register
/// (`concern`, one of the dimensions a pathway's `concerns:` name, `other` by default).
public struct WorkshopNote: Hashable, Sendable, Codable {
    /// Given by the store when saved.
    public var id: Int64
    public var subject: WorkshopSubject
    public var concern: String
    public var text: String
    public init(id: Int64 = 0, subject: WorkshopSubject, concern: String = "other", text: String) {
        self.id = id; self.subject = subject; self.concern = concern; self.text = text
    }
}

/// The room's board: saved options and notes, kept in the results store (schema v4) under the
/// scenario's id, so that a restarted server finds them; compared against the baseline, and
/// written out as a scenario file. Holds nothing itself: every call reads or writes the store.
public struct WorkshopBoard: Sendable {
    public let setup: WorkshopSetup
    public let store: ResultsStore

    public init(setup: WorkshopSetup, store: ResultsStore) {
        self.setup = setup; self.store = store
    }

    var key: String { setup.scenario.id }

    public func options() throws -> [WorkshopOption] {
        try store.workshopOptions(scenario: key).map { WorkshopOption(name: $0.name, settings: $0.settings, note: $0.note) }
    }

    public func notes() throws -> [WorkshopNote] {
        try store.workshopNotes(scenario: key).map {
            WorkshopNote(id: $0.id, subject: WorkshopSubject(kind: WorkshopSubject.Kind(rawValue: $0.subjectKind) ?? .scenario, id: $0.subject),
                         concern: $0.concern, text: $0.text)
        }
    }

    /// Saves an option (replacing one of the same name) once its settings check; the problems
    /// otherwise, nothing saved.
    public func save(_ option: WorkshopOption) throws {
        let name = option.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.utf8.count <= 200 else {
            throw WorkshopProblems([WorkshopProblem(lever: "", message: "an option needs a name of 1 to 200 characters")])
        }
        guard option.note.utf8.count <= 10_000 else {
            throw WorkshopProblems([WorkshopProblem(lever: "", message: "a note of at most 10,000 characters, please")])
        }
        if case .failure(let problems) = setup.levers(for: option.settings) { throw problems }
        WorkshopStoring.turn.lock(); defer { WorkshopStoring.turn.unlock() }
        try store.saveWorkshopOption(scenario: key, StoredWorkshopOption(name: name, settings: option.settings, note: option.note,
                                                                        savedAt: RunRecord.timestamp(Date())))
    }

    public func removeOption(named name: String) throws {
        WorkshopStoring.turn.lock(); defer { WorkshopStoring.turn.unlock() }
        try store.deleteWorkshopOption(scenario: key, name: name)
    }

    /// Adds a note against a state, role, organisation or item of the pathway (or the scenario);
    /// the note as saved, with its id.
    @discardableResult
    public func add(_ note: WorkshopNote) throws -> WorkshopNote {
        if let problem = WorkshopNotes.problem(note, setup.pathway) {
            throw WorkshopProblems([WorkshopProblem(lever: "", message: problem)])
        }
        WorkshopStoring.turn.lock(); defer { WorkshopStoring.turn.unlock() }
        var saved = note
        saved.id = try store.addWorkshopNote(scenario: key, StoredWorkshopNote(subjectKind: note.subject.kind.rawValue, subject: note.subject.id,
                                                                               concern: note.concern, text: note.text,
                                                                               savedAt: RunRecord.timestamp(Date())))
        return saved
    }

    public func removeNote(id: Int64) throws {
        WorkshopStoring.turn.lock(); defer { WorkshopStoring.turn.unlock() }
        try store.deleteWorkshopNote(scenario: key, id: id)
    }
}
