import CarePathFiles
import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import CarePathStore
import Foundation

/// The saved options side by side: each against the baseline on the same patients.
public struct WorkshopComparison: Sendable, Codable, Hashable {
    public struct Row: Sendable, Codable, Hashable {
        public var option: String
        /// The option's name in the stored run and scenario (an identifier).
        public var variant: String
        public var note: String
        public var headlines: [WorkshopHeadline]
    }
    public var replications: Int
    public var rows: [Row]
    /// The comparison in the results store, when it could be stored.
    public var storedRun: Int64?
    public var storeProblem: String?
}

/// What `writeScenario` wrote.
public struct WorkshopWritten: Sendable, Hashable {
    public var scenario: URL
    /// The pathway copy carrying the room's notes as concerns; nil when there were none (the
    /// scenario then points at the original pathway).
    public var pathway: URL?
}

extension WorkshopBoard {
    /// Runs the baseline and the saved options named in `only` (every one when empty) on common
    /// random numbers with the scenario runner (one run, the options as variants), stores it, and
    /// gives each option's headline figures against the baseline with paired 95% intervals.
    public func compare(only names: [String] = [], replications: Int? = nil,
                        threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> WorkshopComparison {
        let all = try options()
        if let unknown = names.first(where: { name in !all.contains { $0.name == name } }) {
            throw WorkshopProblems([WorkshopProblem(lever: "", message: "no saved option named \"\(unknown)\"")])
        }
        let saved = names.isEmpty ? all : all.filter { names.contains($0.name) }
        var scenario = setup.scenario
        scenario.replications = replications ?? scenario.replications
        guard (1...Bounds.maximumReplications).contains(scenario.replications) else {
            throw WorkshopProblems([WorkshopProblem(lever: "", message: "replications must be from 1 to \(Bounds.maximumReplications)")])
        }
        let variants = try madeOptions(saved)
        scenario.variants = [setup.baseline] + variants.map(\.variant)
        let collected = CollectedResults(count: scenario.effectiveVariants.count * scenario.replications, replications: scenario.replications)
        let summary = ScenarioRunner.run(scenario, pathway: setup.pathway, options: ScenarioRunner.Options(threads: threads),
                                         watch: { _, _ in NoObserver() }, finished: { v, r, result, _ in collected.set(v, r, result) })
        if let fatal = (summary.warnings ?? []).first(where: \.isFatal) {
            throw WorkshopProblems([WorkshopProblem(lever: "", message: "the comparison could not finish: \(fatal.message)")])
        }
        let baseline = setup.baseline.name
        var rows: [WorkshopComparison.Row] = []
        for (option, made) in zip(saved, variants) {
            let mine = summary.variants.first { $0.name == made.variant.name }
            let base = summary.variants.first { $0.name == baseline }
            let headlines = HeadlineFigure.all.compactMap { f -> WorkshopHeadline? in
                guard let o = mine?.metrics.first(where: { $0.name == f.name && $0.subject.isEmpty && $0.group.isEmpty }),
                      let b = base?.metrics.first(where: { $0.name == f.name && $0.subject.isEmpty && $0.group.isEmpty }),
                      let d = summary.paired(f.name, made.variant.name, minus: baseline) else { return nil }
                let difference = WorkshopEstimate(mean: d.mean, low: d.halfWidth.map { d.mean - $0 }, high: d.halfWidth.map { d.mean + $0 })
                return WorkshopHeadline(name: f.name, noun: f.noun, scale: f.scale, unit: f.unit,
                                        baseline: WorkshopEstimate(mean: b.mean, low: b.halfWidth.map { b.mean - $0 }, high: b.halfWidth.map { b.mean + $0 }),
                                        option: WorkshopEstimate(mean: o.mean, low: o.halfWidth.map { o.mean - $0 }, high: o.halfWidth.map { o.mean + $0 }),
                                        difference: difference, clear: d.isClear, sentence: WorkshopSentence.make(f, difference))
            }
            rows.append(.init(option: option.name, variant: made.variant.name, note: option.note, headlines: headlines))
        }
        var comparison = WorkshopComparison(replications: scenario.replications, rows: rows)
        do {
            comparison.storedRun = try WorkshopStoring.store(scenario, options: variants.map(\.text), results: collected.values, setup: setup,
                                                             command: "carepath workshop \(setup.scenarioFile.path) (the board's options compared)",
                                                             in: store)
        } catch {
            comparison.storeProblem = "\(store.path): the comparison could not be stored: \(error)"
        }
        return comparison
    }

    /// The saved options as variants of the scenario (the baseline with their levers pulled),
    /// with the text each is written as.
    func madeOptions(_ saved: [WorkshopOption]) throws -> [(variant: Variant, text: WorkshopScenarioText.Option)] {
        var taken = [setup.baseline.name], out: [(Variant, WorkshopScenarioText.Option)] = []
        for option in saved {
            let levers: [Lever]
            switch setup.levers(for: option.settings) {
            case .failure(let p):
                throw WorkshopProblems(p.problems.map { WorkshopProblem(lever: $0.lever, message: "option '\(option.name)': \($0.message)") })
            case .success(let l): levers = l
            }
            var variant: Variant
            switch setup.baseline.pulling(levers, pathway: setup.pathway, scenario: setup.scenario) {
            case .failure(let p):
                throw WorkshopProblems(p.problems.map { WorkshopProblem(lever: "", message: "option '\(option.name)': \($0.message)") })
            case .success(let v): variant = v
            }
            variant.name = WorkshopNames.slug(option.name, avoiding: taken)
            taken.append(variant.name)
            variant.title = option.name
            out.append((variant, .init(name: variant.name, title: option.name, levers: levers)))
        }
        return out
    }

    /// Writes a new scenario file: this one with the saved options as variants (each the baseline
    /// plus its levers, in `set:`), and, when the room typed notes, a copy of the pathway beside it
    /// (`NAME.pathway.yaml`) carrying them as concerns of the assumptions register. Atomic writes;
    /// an existing file is never replaced unless `overwrite`. The text is checked as `validate`
    /// checks it before anything is written.
    @discardableResult
    public func writeScenario(to url: URL, overwrite: Bool) throws -> WorkshopWritten {
        let destination = url.standardizedFileURL
        let folder = destination.deletingLastPathComponent()
        let saved = try options(), roomNotes = try notes()
        let made = try madeOptions(saved)
        var pathwayURL: URL?, pathwayText = setup.pathwayFile.text
        if !roomNotes.isEmpty {
            let stem = destination.deletingPathExtension().lastPathComponent
            pathwayURL = folder.appendingPathComponent(stem + ".pathway.yaml")
            pathwayText = try WorkshopNotes.pathwayText(setup.pathwayFile.text, notes: roomNotes, file: setup.pathwayFile.path)
        }
        for target in [destination] + (pathwayURL.map { [$0] } ?? []) {
            if !overwrite && FileManager.default.fileExists(atPath: target.path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: target.path)) != nil {
                throw WorkshopFileExists(path: target.path)
            }
        }
        let pathwayRef = pathwayURL?.lastPathComponent ?? WorkshopPaths.relative(setup.pathwayURL, from: folder)
        var text = try WorkshopScenarioText.make(setup, options: made.map(\.1), pathway: pathwayRef,
                                                 bankHolidays: { WorkshopPaths.relative(setup.scenarioURL.deletingLastPathComponent().appendingPathComponent($0), from: folder) })
        text = "# Written by the CarePath workshop from \(setup.scenarioFile.path): the room's saved options as variants"
            + (roomNotes.isEmpty ? "" : ", its notes as concerns in \(pathwayRef)") + ".\n" + text
        let checked = ScenarioFile.check(text: text, file: destination.lastPathComponent, baseDirectory: folder, pathwayText: pathwayText)
        guard checked.errors.isEmpty else {
            throw WorkshopProblems(checked.errors.map { WorkshopProblem(lever: "", message: $0.description) })
        }
        if let pathwayURL { try AtomicFile.write(pathwayText, to: pathwayURL) }
        try AtomicFile.write(text, to: destination)
        return WorkshopWritten(scenario: destination, pathway: pathwayURL)
    }
}

/// A file is there and the room did not say to replace it.
public struct WorkshopFileExists: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path) exists; nothing written (confirm to replace it)" }
}

enum WorkshopPaths {
    /// `target` as a path relative to `folder` (`../Pathways/x.yaml`).
    static func relative(_ target: URL, from folder: URL) -> String {
        let t = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let f = folder.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < min(t.count, f.count) && t[common] == f[common] { common += 1 }
        let ups = Array(repeating: "..", count: f.count - common)
        return (ups + t[common...]).joined(separator: "/")
    }
}

/// A run's replication results, kept as they finish (one call at a time), by variant and replication.
final class CollectedResults: @unchecked Sendable {
    private var slots: [ReplicationResult?]
    private let replications: Int
    private let lock = NSLock()
    init(count: Int, replications: Int) { slots = Array(repeating: nil, count: count); self.replications = replications }
    func set(_ v: Int, _ r: Int, _ result: ReplicationResult) {
        lock.lock(); defer { lock.unlock() }
        slots[v * replications + r] = result
    }
    var values: [ReplicationResult] {
        lock.lock(); defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
