import CarePathFiles
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// Splits a scenario's variants x replications into shards of about equal work, and writes the
/// plan to its folder.
public enum SweepPlanner {
    /// The plan of `scenario` into `shards` shards; `inputs` are the files it was read from.
    public static func plan(_ scenario: Scenario, pathway: Pathway, inputs: [RunInput], seed: UInt64?, shards: Int,
                            plannedAt: String, version: String) throws -> SweepManifest {
        let variants = scenario.effectiveVariants
        let replications = max(scenario.replications, 1)
        let units = variants.count * replications
        guard shards >= 1, shards <= units else {
            throw SweepError("--shards must be from 1 to \(units) (the scenario's \(variants.count) variant(s) x \(replications) replication(s)), found \(shards)")
        }
        let weights = variants.map { unitWork(scenario, pathway: pathway, variant: $0) }
        let all = (0..<units).map { SweepManifest.Unit(variant: $0 / replications, replication: $0 % replications) }
        return SweepManifest(
            format: SweepManifest.format, carepathVersion: version, plannedAt: plannedAt, scenario: scenario.id,
            variants: variants.map(\.name), seed: seed ?? scenario.seed, seedGiven: seed != nil, replications: replications,
            inputs: manifestInputs(inputs), shards: balance(all, weights: weights, shards: shards))
    }

    /// The units split into `shards` of about equal work (`weights` by variant). Longest
    /// processing time first: each unit, heaviest first, to the least loaded shard (ties to the
    /// lowest index, so that the same inputs give the same plan).
    static func balance(_ units: [SweepManifest.Unit], weights: [Double], shards: Int) -> [SweepManifest.Shard] {
        var work = Array(repeating: 0.0, count: shards)
        var assigned = Array(repeating: [SweepManifest.Unit](), count: shards)
        let order = units.sorted { (weights[$0.variant], $1) > (weights[$1.variant], $0) }
        for unit in order {
            guard let target = work.indices.min(by: { (work[$0], $0) < (work[$1], $1) }) else { break }
            work[target] += weights[unit.variant]
            assigned[target].append(unit)
        }
        return assigned.indices.map { SweepManifest.Shard(index: $0, units: assigned[$0].sorted(), estimatedStateEntries: work[$0]) }
    }

    static func manifestInputs(_ inputs: [RunInput]) -> [SweepManifest.Input] {
        inputs.map { SweepManifest.Input(role: $0.role.rawValue, path: $0.file.path, sha256: $0.file.sha256, copy: copyName($0.role)) }
    }

    /// The state entries one replication of `variant` implies: its patients times the states a
    /// patient enters on average (as `WorkEstimate` counts a run's).
    static func unitWork(_ scenario: Scenario, pathway: Pathway, variant: Variant) -> Double {
        let cohort = scenario.cohort(of: variant)
        let patients: Double
        switch cohort.size {
        case .patients(let n): patients = Double(n)
        case .horizon(let h): patients = h * OfferedLoad.arrivalsPerHour(cohort)
        }
        let visits = ExpectedVisits(pathway: variant.pathway(over: pathway), cohort: cohort)
        // Summed in the states' order (not the dictionary's, which changes from one process to
        // the next): the same inputs give the same plan, to the last bit.
        let states = visits.perState.keys.sorted().reduce(0.0) { $0 + (visits.perState[$1] ?? 0) }
        let work = patients * states
        return work.isFinite && work > 0 ? work : 1
    }

    static func copyName(_ role: RunInput.Role) -> String { "inputs/\(role.rawValue).yaml" }

    /// Writes the plan to `directory`: the input copies, then the manifest (each atomically).
    /// An existing folder is refused unless it is empty or holds the same plan (then nothing is
    /// written, and false is returned).
    public static func write(_ manifest: SweepManifest, inputs: [RunInput], to directory: URL) throws -> Bool {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw SweepError("\(directory.path): not a folder") }
            let contents = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
            if !contents.isEmpty {
                guard let existing = try? SweepManifest.load(directory).manifest else {
                    throw SweepError("\(directory.path): the folder is not empty and holds no sweep plan; give an empty or new folder")
                }
                guard existing.samePlan(as: manifest) else {
                    throw SweepError("\(directory.path): holds another plan (\(existing.scenario), \(existing.shards.count) shards, planned \(existing.plannedAt)); give an empty or new folder")
                }
                return false
            }
        }
        do {
            for (input, copy) in zip(inputs, manifest.inputs) {
                let url = directory.appendingPathComponent(copy.copy)
                try OutputPath.prepare([url.path])
                try AtomicFile.write(Data(input.file.text.utf8), to: url)
            }
            let url = directory.appendingPathComponent(SweepManifest.fileName)
            try OutputPath.prepare([url.path])
            try AtomicFile.write(try manifest.encoded(), to: url)
        } catch let error as SweepError {
            throw error
        } catch {
            throw SweepError("\(error)")
        }
        return true
    }
}
