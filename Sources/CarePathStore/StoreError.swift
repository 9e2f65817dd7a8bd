/// What went wrong with the results store, in words for the person who ran the command.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// `carepath runs` or `report` on a store that does not exist.
    case notFound(path: String)
    /// The file was written by a newer CarePath, whose schema this one does not know.
    case newerSchema(path: String, unknown: [String])
    /// The file was written by a development build whose migration `v4` made the workshop board's
    /// tables, where the released `v4` makes the capacity searches': the names agree, the
    /// schemas do not, so it cannot be migrated.
    case workshopBoardAsV4(path: String)
    case noSuchRun(Int64)
    /// A run is already being written through this store.
    case runInProgress
    /// Another process (`holder`, as `StoreLock.describe` puts it, when known) is writing a run to
    /// the same file and did not finish within the wait.
    case busy(path: String, holder: String?, waited: Double)
    /// The writer was used after `finish` or `abandon`.
    case runClosed
    /// A replication names a variant or replication the run does not have.
    case unknownReplication(variant: Int, replication: Int)
    /// The same replication was written twice.
    case duplicateReplication(variant: Int, replication: Int)
    /// `finish` was called before every replication was written, or with a summary of another shape.
    case incomplete(String)
    /// An event log without the plan that names its states and items.
    case eventsWithoutPlan

    public var description: String {
        switch self {
        case .notFound(let path): "no results store at \(path)"
        case .newerSchema(let path, let unknown):
            "\(path) was written by a newer CarePath (schema \(unknown.joined(separator: ", "))); upgrade CarePath to read it"
        case .workshopBoardAsV4(let path):
            "\(path) was written by a development build of CarePath whose schema v4 held the workshop board "
                + "(workshop_options, workshop_notes) where this CarePath's v4 holds capacity searches, so it cannot be upgraded: "
                + "move the file aside, or give another --db, and CarePath starts a new store (the old file stays readable with sqlite3)"
        case .noSuchRun(let id): "no run \(id) in the results store (see `carepath runs`)"
        case .runInProgress: "a run is already being written to this results store"
        case .busy(_, let holder, let waited):
            "the store is held by \(holder ?? "another process"); gave up after \(StoreLock.seconds(waited)): "
                + "try again when it has finished, wait longer with --wait SECONDS, or choose another --db"
        case .runClosed: "this run has already been committed or abandoned"
        case .unknownReplication(let v, let r): "variant \(v), replication \(r) is not part of this run"
        case .duplicateReplication(let v, let r): "variant \(v), replication \(r) was already written"
        case .incomplete(let why): "the run is incomplete: \(why)"
        case .eventsWithoutPlan: "an event log needs the simulation plan that names its states and items"
        }
    }
}
