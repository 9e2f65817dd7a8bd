import CarePathMetrics
import CarePathModel
import CarePathRender
import CarePathStore
import Foundation

/// A stored run's figures painted on its pathway's diagram, for a room: the load of each state's
/// role, the share of its role's open hours held by patients ready to move on, and its gap rate.
enum RenderHeat {
    /// The overlay of option `option` (default: the run's first) of run `id` in the store at `db`,
    /// for `pathway`, which must be the pathway the run simulated.
    static func overlay(run id: Int64, db: String, waiting: StoreWait, option: String?, pathway: Pathway, file: String) throws -> DiagramOverlay {
        let summary: RunSummary, inputs: [RunInput]
        do {
            let store = try waiting.open(db, create: false)
            summary = try store.summary(run: id)
            inputs = try store.inputs(run: id)
        } catch {
            throw Failure("\(db): run \(id): \(error)")
        }
        guard summary.pathway == pathway.id else {
            throw Failure("\(file): pathway '\(pathway.id)', but run \(id) simulated '\(summary.pathway)': give that pathway's file")
        }
        let names = summary.variants.map(\.name)
        guard let variant = option.map({ o in summary.variants.first { $0.name == o } }) ?? summary.variants.first else {
            throw Failure("run \(id) has no option '\(option ?? "")' (its options: \(names.joined(separator: ", ")))")
        }
        if let stored = inputs.first(where: { $0.role == .pathway })?.file,
           let current = try? Data(contentsOf: URL(fileURLWithPath: file)), stored.text.utf8.count != current.count || Data(stored.text.utf8) != current {
            FileHandle.standardError.write(Data("note: \(file) has changed since run \(id) was stored; drawn from the file as it is now, with the run's figures\n".utf8))
        }
        var overlay = DiagramOverlay(source: "run \(id), option \(variant.name), \(summary.replications) replication\(summary.replications == 1 ? "" : "s") (means)")
        for role in pathway.roles {
            let subject = role.reference.description
            if let u = variant.metric("utilisation", subject: subject)?.mean, u.isFinite { overlay.roleLoad[role.reference] = u }
            if let b = variant.metric("utilisation_blocked", subject: subject)?.mean, b.isFinite { overlay.roleBlocked[role.reference] = b }
        }
        for state in pathway.states {
            if let g = variant.metric("state_gap_rate", subject: state.id)?.mean, g.isFinite { overlay.stateGapRate[state.id] = g }
        }
        return overlay
    }
}
