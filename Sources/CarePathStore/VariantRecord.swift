import CarePathModel
import GRDB

/// One variant of a run: one row of `variants`. `variant` is its position in the scenario, the
/// number every other table names it by.
public struct VariantRecord: Codable, Hashable, Sendable {
    public var run: Int64
    public var variant: Int
    public var name: String
    public var title: String?
    public var architecture: String
    /// The levers the variant pulls, one `place = value` a line in the scenario's order; nil for
    /// runs stored before schema v6.
    public var levers: String?

    public init(run: Int64 = 0, variant: Int, name: String, title: String?, architecture: String, levers: String? = "") {
        self.run = run; self.variant = variant; self.name = name; self.title = title; self.architecture = architecture
        self.levers = levers
    }

    /// The variants a scenario runs, in order (the base settings alone when it declares none).
    public static func variants(of scenario: Scenario) -> [VariantRecord] {
        scenario.effectiveVariants.enumerated().map { i, v in
            VariantRecord(variant: i, name: v.name, title: v.title, architecture: v.settings.architecture.option.rawValue,
                          levers: v.levers.map(\.description).joined(separator: "\n"))
        }
    }
}

extension VariantRecord: FetchableRecord, PersistableRecord {
    public static var databaseTableName: String { "variants" }
}
