/// A committed (or, on the writing connection, open) run as `carepath runs` lists it.
public struct StoredRun: Hashable, Sendable {
    public var record: RunRecord
    /// Variant names, in order.
    public var variants: [String]
    /// Per-patient outcome rows and event-log rows stored for the run (0 when not asked for).
    public var patientsStored: Int
    public var eventsStored: Int

    public var id: Int64 { record.id ?? 0 }
}
