import CarePathMetrics
import CarePathModel

/// The integer codes the `events` table stores for lifecycles and gap kinds, fixed by the schema
/// (the `lifecycles` and `gap_kinds` tables) and independent of the Swift enums' raw values, which
/// may be reordered without changing what old stores mean.
enum StoreCodes {
    static func lifecycle(_ l: EventRecord.Lifecycle) -> Int64 {
        switch l {
        case .arrive: 0
        case .start: 1
        case .complete: 2
        case .check: 3
        case .handoff: 4
        case .leave: 5
        }
    }

    static func gap(_ kind: GapKind) -> Int64 {
        switch kind {
        case .available: 0
        case .late: 1
        case .missing: 2
        case .blocked: 3
        case .unavailable: 4
        case .stale: 5
        }
    }

    /// Store codes indexed by `GapKind.rawValue`, for the event loop.
    static let gapByRawValue: [Int64] = {
        var table = [Int64](repeating: -1, count: (GapKind.allCases.map(\.rawValue).max() ?? 0) + 1)
        for kind in GapKind.allCases { table[kind.rawValue] = gap(kind) }
        return table
    }()
}
