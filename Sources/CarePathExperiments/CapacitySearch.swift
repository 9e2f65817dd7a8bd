import CarePathFormat
import CarePathMetrics
import CarePathModel
import CarePathSimulation
import Foundation

/// The least-cost capacities that meet every constraint with a stated joint confidence.
///
/// The procedure (docs/simulation.md, "Capacity search"): the configurations of the decisions'
/// lattice are walked in increasing cost (ties in the order of their capacities). Each is run on
/// common random numbers (replication r has the same seed, so the same patients and draws, in
/// every configuration) with sequential replications: n0 first, then doubled up to the budget.
/// At each look, every constraint gets a one-sided Student t bound at level 1 - alpha / (K x L)
/// (K constraints, L looks: Bonferroni over both, so the sequential looks do not inflate the
/// error); the constraint holds when the bound on the feasible side is within the limit, fails
/// when the opposite bound is past it, and otherwise more replications are added. A configuration
/// is feasible when every constraint holds (joint confidence at least 1 - alpha), infeasible when
/// one fails, and undecided when the budget runs out first. The first feasible configuration in
/// cost order is chosen. With `monotone` (more capacity never makes a wait worse), each role's
/// capacity is first bounded below, the other roles at their maximum: taking it up from its
/// minimum until the configuration is no longer shown infeasible. Then any configuration with no
/// more of any role than one shown infeasible is infeasible too and is not run.
///
/// A feasibility check in the spirit of Batur and Kim (2010), "Finding feasible systems in the
/// presence of constraints on multiple performance measures", ACM TOMACS 20(3): 13, with
/// Bonferroni-adjusted t bounds in place of their fully sequential boundaries.
public struct CapacitySearch: Sendable {
    public let scenario: Scenario
    public let pathway: Pathway
    public let spec: CapacitySearchSpec
    public var seed: UInt64
    public var threads: Int

    public init(scenario: Scenario, pathway: Pathway, spec: CapacitySearchSpec, seed: UInt64? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.scenario = scenario; self.pathway = pathway; self.spec = spec
        self.seed = seed ?? scenario.seed; self.threads = max(1, threads)
    }

    /// Constraints whose figure is not a metric of the summary with that subject in `pathway`
    /// (the shared `Outcome` check), each located at its line.
    public static func figureProblems(_ spec: CapacitySearchSpec?, pathway: Pathway?) -> [FormatProblem] {
        guard let spec, let pathway else { return [] }
        return spec.constraints.compactMap { c in
            guard case .failure(let problem) = Outcome.read(c.figure, pathway: pathway) else { return nil }
            return FormatProblem(.error, file: c.file, line: c.line, column: c.column, path: c.path, message: problem.message)
        }
    }

    /// Replication counts at which the constraints are looked at: n0, 2 n0, 4 n0, ..., the budget.
    public var looks: [Int] {
        var out = [spec.initialReplications]
        while let last = out.last, last < spec.maximumReplications { out.append(min(last * 2, spec.maximumReplications)) }
        return out
    }

    /// The error each one-sided test may make: alpha shared by constraints and looks.
    public var alphaPerTest: Double {
        (1 - spec.confidence) / Double(max(spec.constraints.count, 1) * looks.count)
    }

    /// Every configuration of the lattice, in the order the walk takes them: by cost, then by capacities.
    public func configurations() -> [[Int]] {
        var all: [[Int]] = [[]]
        for d in spec.decisions {
            all = all.flatMap { prefix in (d.minimum...d.maximum).map { prefix + [$0] } }
        }
        return all.sorted { a, b in
            let ca = cost(a), cb = cost(b)
            return ca != cb ? ca < cb : a.lexicographicallyPrecedes(b)
        }
    }

    public func cost(_ capacities: [Int]) -> Double {
        zip(spec.decisions, capacities).reduce(0) { $0 + $1.0.cost * Double($1.1) }
    }

    /// The base settings with the configuration's capacities pulled as levers.
    public func variant(_ capacities: [Int]) -> Result<Variant, LeverProblems> {
        spec.variant(capacities, scenario: scenario, pathway: pathway)
    }

    /// Runs the search; `progress` is called after each look, one call at a time.
    public func run(progress: ((SearchProgress) -> Void)? = nil) -> CapacitySearchResult {
        walk(progress: progress) { (request) throws(Never) in replicate(request.variant, from: request.replications.lowerBound, to: request.replications.upperBound) }
    }

    /// The search, with each configuration's replications taken from `source`: simulated here
    /// (`run`), or read from the shards of search stages (`replay`), which throws when they are
    /// not there yet. Every decision depends only on the figures, so both give the same result.
    func walk<E: Error>(progress: ((SearchProgress) -> Void)? = nil,
                        source: (ReplicationRequest) throws(E) -> [ReplicationFigures]) throws(E) -> CapacitySearchResult {
        let order = configurations()
        var evaluated: [EvaluatedConfiguration] = []
        var seen: [[Int]: Int] = [:]
        var infeasible: [[Int]] = []
        var replicationsRun = 0
        var walked = 0
        func evaluateOnce(_ capacities: [Int], phase: EvaluatedConfiguration.Phase) throws(E) -> EvaluatedConfiguration {
            if let i = seen[capacities] { return evaluated[i] }
            walked += 1
            var result = try evaluate(capacities, source: source) { n in
                progress?(SearchProgress(walked: walked, configurations: order.count, current: capacities,
                                         replications: n, replicationsRun: replicationsRun + n))
            }
            result.phase = phase
            replicationsRun += result.replications
            seen[capacities] = evaluated.count
            evaluated.append(result)
            if result.shownInfeasible { infeasible.append(capacities) }
            return result
        }
        // Monotone: each role's least capacity with every other role at its maximum (the best
        // they can do); every configuration with less of that role is then infeasible too.
        if spec.monotone && spec.decisions.count > 1 {
            let most = spec.decisions.map(\.maximum)
            for (i, d) in spec.decisions.enumerated() {
                for c in d.minimum...d.maximum {
                    var capacities = most
                    capacities[i] = c
                    guard try evaluateOnce(capacities, phase: .bounds).shownInfeasible else { break }
                }
            }
        }
        var chosen: Int?
        for capacities in order {
            if let i = seen[capacities] {
                if evaluated[i].status == .feasible { chosen = i; break }
                continue
            }
            if spec.monotone, let above = infeasible.first(where: { dominates($0, capacities) }) {
                seen[capacities] = evaluated.count
                walked += 1
                evaluated.append(EvaluatedConfiguration(capacities: capacities, cost: cost(capacities), status: .pruned,
                                                        replications: 0, figures: [],
                                                        reason: "no more of any role than \(describe(above)), shown infeasible (monotone)",
                                                        phase: .walk))
                continue
            }
            if try evaluateOnce(capacities, phase: .walk).status == .feasible { chosen = evaluated.count - 1; break }
        }
        return CapacitySearchResult(spec: spec, scenario: scenario.id, title: scenario.title, pathway: pathway.id, seed: seed, looks: looks,
                                    alphaPerTest: alphaPerTest, configurations: evaluated, chosen: chosen, latticeSize: order.count,
                                    replicationsRun: replicationsRun)
    }

    /// `a` has at least as much of every role as `b`.
    func dominates(_ a: [Int], _ b: [Int]) -> Bool { zip(a, b).allSatisfy { $0 >= $1 } }

    /// `council/social-worker 4, hub/coordinator 2`.
    public func describe(_ capacities: [Int]) -> String { spec.describe(capacities) }

    /// One configuration, look by look, until it is decided or the budget is spent.
    func evaluate<E: Error>(_ capacities: [Int], source: (ReplicationRequest) throws(E) -> [ReplicationFigures],
                            looked: (Int) -> Void) throws(E) -> EvaluatedConfiguration {
        let config = cost(capacities)
        let variant: Variant
        switch self.variant(capacities) {
        case .failure(let problems):
            return EvaluatedConfiguration(capacities: capacities, cost: config, status: .infeasible, replications: 0, figures: [],
                                          reason: "the model refuses these capacities: \(problems)")
        case .success(let v): variant = v
        }
        var samples: [ReplicationFigures] = []
        var figures: [FigureEstimate] = []
        for n in looks {
            let new = try source(ReplicationRequest(capacities: capacities, variant: variant, replications: samples.count..<n))
            samples += new
            looked(samples.count)
            if let stuck = samples.first(where: { $0.stuck != nil })?.stuck {
                return EvaluatedConfiguration(capacities: capacities, cost: config, status: .infeasible, replications: samples.count,
                                              figures: [], reason: "a replication could not finish: \(stuck)")
            }
            figures = spec.constraints.indices.map { estimate($0, samples) }
            if let failing = figures.firstIndex(where: { $0.verdict == .fails }) {
                return EvaluatedConfiguration(capacities: capacities, cost: config, status: .infeasible, replications: samples.count,
                                              figures: figures, reason: reason(failing, figures[failing]))
            }
            if figures.allSatisfy({ $0.verdict == .holds }) {
                return EvaluatedConfiguration(capacities: capacities, cost: config, status: .feasible, replications: samples.count,
                                              figures: figures, reason: "every constraint holds")
            }
        }
        let open = spec.constraints.indices.filter { figures[$0].verdict == .undecided }.map { spec.constraints[$0].figure }
        return EvaluatedConfiguration(capacities: capacities, cost: config, status: .undecided, replications: samples.count, figures: figures,
                                      reason: "undecided after \(samples.count) replications (the budget): \(open.joined(separator: ", ")) too close to its limit")
    }

    func reason(_ k: Int, _ f: FigureEstimate) -> String {
        let c = spec.constraints[k]
        let side = c.relation == .atMost ? "at least" : "at most"
        return "\(c.figure) is \(side) \(format(f.opposite)) with confidence \(format(1 - alphaPerTest)) (limit \(c.relation.rawValue) \(format(c.limit)))"
    }

    func format(_ x: Double) -> String { String(format: "%.4g", x) }

    /// Replications `from..<to` of one configuration, in parallel; each slot by its number.
    func replicate(_ variant: Variant, from: Int, to: Int) -> [ReplicationFigures] {
        guard to > from else { return [] }
        let slots = Slots<ReplicationFigures>(count: to - from)
        let constraints = spec.constraints
        let (scenario, pathway, seed) = (self.scenario, self.pathway, self.seed)
        DispatchQueue.concurrentPerform(iterations: min(threads, to - from)) { _ in
            while let i = slots.claim() {
                var stuck: StuckRun?
                let collector = ScenarioRunner.replicate(scenario, pathway: pathway, variant: variant,
                                                         seed: ScenarioRunner.replicationSeed(seed, from + i), maximumStateEntries: nil,
                                                         observer: MetricsCollector(), stuck: &stuck)
                let result = collector.result()
                slots.set(i, ReplicationFigures(result, constraints: constraints, stuck: stuck))
            }
        }
        return slots.values
    }

    /// The constraint's mean, 95% interval and one-sided bounds at the adjusted level.
    func estimate(_ k: Int, _ samples: [ReplicationFigures]) -> FigureEstimate {
        let c = spec.constraints[k]
        let values = samples.map { $0.values[k] }
        let beyond = samples.contains { $0.beyondRange[k] }
        let plain = Estimate(values)
        let n = values.count
        let mean = plain.mean
        var spread = 0.0
        if n > 1 {
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            spread = StudentT.critical(level: 1 - 2 * alphaPerTest, degreesOfFreedom: n - 1) * (variance / Double(n)).squareRoot()
        } else {
            spread = .infinity
        }
        let upper = mean + spread, lower = mean - spread
        let (bound, opposite) = c.relation == .atMost ? (upper, lower) : (lower, upper)
        var verdict: FigureEstimate.Verdict = .undecided
        // A percentile past its histogram's range is only a lower bound: it can show a
        // `<=` limit broken, never met, and a `>=` limit met, never broken.
        if c.relation == .atMost {
            if !beyond && bound <= c.limit { verdict = .holds } else if opposite > c.limit { verdict = .fails }
        } else {
            if bound >= c.limit { verdict = .holds } else if !beyond && opposite < c.limit { verdict = .fails }
        }
        return FigureEstimate(mean: mean, halfWidth: plain.halfWidth, bound: bound, opposite: opposite, verdict: verdict,
                              beyondRange: beyond ? true : nil)
    }
}

/// How far a search has gone.
public struct SearchProgress: Sendable {
    /// Configurations reached in the walk (run or pruned), and in the lattice.
    public var walked: Int
    public var configurations: Int
    public var current: [Int]
    /// Replications of the current configuration so far, and of the whole search.
    public var replications: Int
    public var replicationsRun: Int
}
