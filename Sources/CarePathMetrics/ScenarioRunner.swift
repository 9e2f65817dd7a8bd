import CarePathEngine
import CarePathModel
import CarePathSimulation
import Foundation

/// Runs a scenario's variants and replications in parallel and summarises them. Each replication
/// is independent and seeded from the scenario's seed and its number only, so results are the
/// same whatever the number of threads, and variant v's replication r sees the same patients as
/// every other variant's replication r.
public enum ScenarioRunner {
    public static let version = "0.1.0"

    public struct Options: Sendable {
        public var replications: Int?
        public var seed: UInt64?
        public var threads: Int
        /// States one patient may enter before the run stops (default: the scenario's).
        public var maximumStateEntries: Int?
        public init(replications: Int? = nil, seed: UInt64? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    maximumStateEntries: Int? = nil) {
            self.replications = replications; self.seed = seed; self.threads = threads; self.maximumStateEntries = maximumStateEntries
        }
    }

    /// The seed of replication `r`, the same in every variant.
    public static func replicationSeed(_ seed: UInt64, _ r: Int) -> UInt64 {
        var stream = RandomStream(seed: seed, key1: 0x5EED, key2: UInt64(r))
        return stream.next()
    }

    /// Runs one replication of one variant with any observer.
    public static func replicate<O: SimulationObserver & ~Copyable>(_ scenario: Scenario, pathway: Pathway, variant: Variant,
                                                                    seed: UInt64, observer: consuming O) -> O {
        var stuck: StuckRun?
        return replicate(scenario, pathway: pathway, variant: variant, seed: seed, observer: observer, stuck: &stuck)
    }

    /// One replication with the states a patient may enter set by `maximumStateEntries` (nil:
    /// the scenario's). Signalling `stopSignal` stops it within a few thousand events, `stuck`
    /// then saying it was cancelled.
    public static func replicate<O: SimulationObserver & ~Copyable>(
        _ scenario: Scenario, pathway: Pathway, variant: Variant, seed: UInt64, maximumStateEntries: Int?,
        stopSignal: StopSignal? = nil, observer: consuming O, stuck: inout StuckRun?
    ) -> O {
        let plan = SimulationPlan(pathway: variant.pathway(over: pathway), settings: variant.settings, breakdowns: scenario.breakdowns)
        var simulation = PathwaySimulation(plan: plan, cohort: scenario.cohort(of: variant), warmUp: scenario.warmUp, seed: seed,
                                           maximumStateEntries: maximumStateEntries ?? scenario.maximumStateEntries,
                                           stopSignal: stopSignal, observer: observer)
        simulation.run()
        stuck = simulation.stuck
        return simulation.finish()
    }

    /// One replication; `stuck` tells whether it ended with patients who could never move on.
    public static func replicate<O: SimulationObserver & ~Copyable>(
        _ scenario: Scenario, pathway: Pathway, variant: Variant, seed: UInt64, observer: consuming O, stuck: inout StuckRun?
    ) -> O {
        // The variant's own pathway and cohort (its levers pulled) on the same seed: common random numbers.
        replicate(scenario, pathway: pathway, variant: variant, seed: seed, maximumStateEntries: nil, observer: observer, stuck: &stuck)
    }

    public static func run(_ scenario: Scenario, pathway: Pathway, options: Options = Options(),
                           progress: (@Sendable (RunProgress) -> Void)? = nil) -> RunSummary {
        run(scenario, pathway: pathway, options: options, progress: progress, watch: { _, _ in NoObserver() }, finished: { _, _, _, _ in })
    }

    /// Runs every replication of every variant with the statistics collector and, beside it, an
    /// observer of the caller's (an event log, per-patient outcomes). `finished` is called once per
    /// replication, one call at a time, as soon as it ends, so that its output can be streamed to a
    /// store and dropped; replications finish in any order, but each call names its variant and
    /// replication.
    public static func run<Extra: SimulationObserver & SendableMetatype>(
        _ scenario: Scenario, pathway: Pathway, options: Options = Options(),
        progress: (@Sendable (RunProgress) -> Void)? = nil,
        watch: @escaping @Sendable (_ variant: Int, _ replication: Int) -> Extra,
        finished: @escaping @Sendable (_ variant: Int, _ replication: Int, ReplicationResult, Extra) -> Void
    ) -> RunSummary {
        let replications = max(options.replications ?? scenario.replications, 1)
        let seed = options.seed ?? scenario.seed
        let variants = scenario.effectiveVariants
        let jobs = variants.count * replications
        let results = ResultSlots<ReplicationResult>(count: jobs)
        let threads = max(1, min(options.threads, jobs))
        let reporting = NSLock()
        let journeys = JourneyCounter(expected: expectedJourneys(scenario) * Double(jobs), replications: jobs, report: progress)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            // Each worker takes the next job when it is free, so that one on a slower core, or
            // with longer replications, does fewer: results go by job number, whoever ran them.
            while let job = results.claim() {
                let v = job / replications, r = job % replications
                var stuck: StuckRun?
                let observers = replicate(scenario, pathway: pathway, variant: variants[v], seed: replicationSeed(seed, r),
                                          maximumStateEntries: options.maximumStateEntries,
                                          observer: ObserverPair(MetricsCollector(), ObserverPair(watch(v, r), JourneyProgress(journeys))),
                                          stuck: &stuck)
                var result = observers.first.result()
                result.stuck = stuck
                // A stopped replication (a run-away patient, a draw out of bounds) stops the run:
                // the others would meet the same, and nothing of it can be used.
                if stuck?.stopped != nil { results.stop() }
                reporting.lock()
                finished(v, r, result, observers.second.first)
                reporting.unlock()
                journeys.replicationDone(results.set(job, result))
            }
        }
        let all = results.values
        guard all.count == jobs else {
            // Stopped: only the reason is worth returning.
            var summary = RunSummary(carepathVersion: version, scenario: scenario.id, title: scenario.title, question: scenario.question,
                                     pathway: pathway.id, seed: seed, replications: replications, variants: [])
            summary.warnings = stoppedRuns(results.indexedValues, variants: variants, replications: replications)
            return summary
        }
        return summarise(scenario, pathway: pathway, results: all, replications: replications, seed: seed)
    }

    /// The run's summary from every replication's result, in (variant, replication) order: what
    /// `run` returns, and what a sweep merged from shards computes from the same values.
    public static func summarise(_ scenario: Scenario, pathway: Pathway, results all: [ReplicationResult],
                                 replications: Int, seed: UInt64) -> RunSummary {
        let variants = scenario.effectiveVariants
        var summaries: [VariantSummary] = []
        for (v, variant) in variants.enumerated() {
            let mine = Array(all[v * replications..<(v + 1) * replications])
            let baseline = v == 0 ? nil : Array(all[0..<replications])
            var summary = VariantSummary.summarise(name: variant.name, title: variant.title,
                                                   architecture: variant.settings.architecture.option.rawValue,
                                                   replications: mine, baseline: baseline)
            summary.overrides = VariantSummary.overrides(variant.levers)
            summaries.append(summary)
        }
        addOfferedLoads(to: &summaries, scenario, pathway: pathway, variants: variants)
        var summary = RunSummary(carepathVersion: version, scenario: scenario.id, title: scenario.title, question: scenario.question,
                                 pathway: pathway.id, seed: seed, replications: replications, variants: summaries)
        if variants.count > 1 {
            summary.pairs = PairedDifference.all(variants.indices.map { v in
                (variants[v].name, Array(all[v * replications..<(v + 1) * replications]))
            })
        }
        summary.warnings = RunWarnings.all(scenario, pathway: pathway, results: all, replications: replications)
            + stuckRuns(all, variants: variants, replications: replications)
        return summary
    }

    /// Each role's offered load (computed before the run, no interval: it is not a simulated figure)
    /// beside its simulated figures, so that utilisation can be read against it.
    static func addOfferedLoads(to summaries: inout [VariantSummary], _ scenario: Scenario, pathway: Pathway, variants: [Variant]) {
        let visits = ExpectedVisits(pathway: pathway, cohort: scenario.cohort)
        for (v, variant) in variants.enumerated() where v < summaries.count {
            let loads = RunWarnings.offeredLoad(scenario, pathway: pathway, variant: variant, baseVisits: visits)
            for role in pathway.roles {
                guard let load = loads.load(of: role.reference), load.load.isFinite else { continue }
                summaries[v].metrics.append(SummaryMetric(name: "offered_load", subject: role.reference.description, mean: load.load))
            }
        }
    }

    /// The first stopped replication of a run that was stopped, as the one fatal warning.
    static func stoppedRuns(_ results: [(Int, ReplicationResult)], variants: [Variant], replications: Int) -> [RunWarning] {
        guard let (job, result) = results.filter({ $0.1.stuck?.stopped != nil }).min(by: { $0.0 < $1.0 }),
              let stuck = result.stuck else { return [] }
        let v = job / replications, r = job % replications
        return [RunWarning(.stuck, variant: variants[v].name, subject: stuck.roles.joined(separator: " "),
                           message: "replication \(r + 1) was stopped: \(stuck.message)", figure: stuck.since)]
    }

    /// The replications that could not finish, the first of each variant: nothing else about the
    /// run can be trusted.
    static func stuckRuns(_ results: [ReplicationResult], variants: [Variant], replications: Int) -> [RunWarning] {
        variants.indices.compactMap { v in
            let mine = results[v * replications..<(v + 1) * replications]
            guard let (r, stuck) = mine.enumerated().lazy.compactMap({ r, result in result.stuck.map { (r, $0) } }).first else { return nil }
            let count = mine.filter { $0.stuck != nil }.count
            return RunWarning(.stuck, variant: variants[v].name, subject: stuck.roles.joined(separator: " "),
                              message: "replication \(r + 1)\(count > 1 ? " (and \(count - 1) more)" : "") \(stuck.stopped == nil ? "could not finish" : "was stopped"): \(stuck.message)",
                              figure: stuck.since)
        }
    }
}

/// How far a run has gone: replications finished, and patients' journeys ended across all of
/// them against those expected (the cohort, or a horizon's expected arrivals, per replication).
public struct RunProgress: Sendable {
    public var replicationsDone: Int
    public var replications: Int
    public var journeysDone: Int
    public var journeysExpected: Double

    /// The share done, by journeys when they are known, else by replications.
    public var fraction: Double {
        if replicationsDone >= replications { return 1 }
        if journeysExpected > 0 { return min(Double(journeysDone) / journeysExpected, 1) }
        return replications > 0 ? Double(replicationsDone) / Double(replications) : 0
    }
}

extension ScenarioRunner {
    /// Patients expected in one replication: the cohort, or the horizon times the mean arrival rate.
    static func expectedJourneys(_ scenario: Scenario) -> Double {
        switch scenario.cohort.size {
        case .patients(let n): return Double(n)
        case .horizon(let h): return h * OfferedLoad.arrivalsPerHour(scenario.cohort)
        }
    }
}

/// Journeys ended across the run's replications, reported every few thousand so that a long
/// replication shows progress too; calls to `report` are one at a time.
final class JourneyCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: RunProgress
    private let report: (@Sendable (RunProgress) -> Void)?

    init(expected: Double, replications: Int, report: (@Sendable (RunProgress) -> Void)?) {
        progress = RunProgress(replicationsDone: 0, replications: replications, journeysDone: 0, journeysExpected: expected)
        self.report = report
    }

    func add(_ n: Int) {
        lock.lock(); defer { lock.unlock() }
        progress.journeysDone += n
        report?(progress)
    }

    func replicationDone(_ done: Int) {
        lock.lock(); defer { lock.unlock() }
        progress.replicationsDone = done
        report?(progress)
    }
}

/// Counts the journeys that end and hands them to the run's counter in batches.
struct JourneyProgress: SimulationObserver {
    let counter: JourneyCounter
    var pending = 0
    init(_ counter: JourneyCounter) { self.counter = counter }

    mutating func patientLeft(_ p: PatientContext, terminal: Int, at time: Double) {
        pending += 1
        if pending == 4096 { counter.add(pending); pending = 0 }
    }
    mutating func runEnded(at time: Double) {
        if pending > 0 { counter.add(pending); pending = 0 }
    }
}

/// Jobs handed out in order to worker threads, and their results written into fixed slots, read
/// once all are done.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private var filled = 0
    private var claimed = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// No job is handed out any more.
    func stop() {
        lock.lock(); defer { lock.unlock() }
        claimed = slots.count
    }

    /// The next job nobody has taken, if any.
    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard claimed < slots.count else { return nil }
        claimed += 1
        return claimed - 1
    }

    /// Stores a result and returns how many are done.
    func set(_ i: Int, _ value: T) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[i] = value
        filled += 1
        return filled
    }

    var values: [T] {
        lock.lock(); defer { lock.unlock() }
        return slots.compactMap { $0 }
    }

    /// The results there are, with their job numbers.
    var indexedValues: [(Int, T)] {
        lock.lock(); defer { lock.unlock() }
        return slots.enumerated().compactMap { i, value in value.map { (i, $0) } }
    }
}
