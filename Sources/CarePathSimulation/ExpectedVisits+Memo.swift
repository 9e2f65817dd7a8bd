import CarePathModel
import Foundation

/// Expected visits already walked in this process, by what the walk reads and nothing else.
/// A sensitivity design or a capacity search has hundreds of variants that differ in capacities,
/// arrival rates, settings or durations without cases, none of which the walk reads: without
/// this, each one's offered load walked the same 20,000 patients again (about a tenth of a
/// second each, after the run and on one thread). The walk is a function of its key alone (fixed
/// seed), so a remembered answer is the same, bit for bit, as a new walk.
final class VisitsMemo: @unchecked Sendable {
    /// What `ExpectedVisits` reads: the branches, the start, the attributes and how the cohort
    /// draws them, the durations of states whose duration depends on attributes, and the walk's
    /// own settings.
    struct Key: Hashable {
        struct Step: Hashable {
            var id: String
            var isTerminal: Bool
            var next: [Branch]
            var durationCases: [Alternative<Distribution>]
            /// Read only beside cases (the default of a patient no case fits).
            var duration: Distribution?
        }
        struct Branch: Hashable {
            var to: String
            var probability: Double?
            var probabilityCases: [Alternative<Double>]
            var condition: Condition?
        }
        var attributes: [PatientAttribute]
        var start: String
        var states: [Step]
        var cohortAttributes: [String: AttributeDistribution]
        var attributeOrder: [String]
        var patients: Int
        var seed: UInt64
        var stepCap: Int

        init(_ pathway: Pathway, _ cohort: Cohort, patients: Int, seed: UInt64, stepCap: Int) {
            attributes = pathway.attributes
            start = pathway.start
            states = pathway.states.map { s in
                Step(id: s.id, isTerminal: s.isTerminal,
                     next: s.next.map { Branch(to: $0.to, probability: $0.probability, probabilityCases: $0.probabilityCases, condition: $0.condition) },
                     durationCases: s.durationCases, duration: s.durationCases.isEmpty ? nil : s.duration)
            }
            cohortAttributes = cohort.attributes
            attributeOrder = cohort.attributeOrder
            self.patients = patients; self.seed = seed; self.stepCap = stepCap
        }
    }

    /// Walks kept at most; past it the oldest is forgotten (a walk is a few kilobytes).
    static let capacity = 256
    static let shared = VisitsMemo()

    private let lock = NSLock()
    private var entries: [Key: ExpectedVisits] = [:]
    private var order: [Key] = []
    private var hits = 0

    func visits(_ key: Key) -> ExpectedVisits? {
        lock.lock(); defer { lock.unlock() }
        guard let known = entries[key] else { return nil }
        hits += 1
        return known
    }

    func keep(_ visits: ExpectedVisits, for key: Key) {
        lock.lock(); defer { lock.unlock() }
        guard entries.updateValue(visits, forKey: key) == nil else { return }
        order.append(key)
        if order.count > Self.capacity { entries[order.removeFirst()] = nil }
    }

    /// Walks answered from memory so far (tests).
    var hitCount: Int {
        lock.lock(); defer { lock.unlock() }
        return hits
    }
}
