import CarePathEngine
import CarePathModel

/// Draws one patient attribute in its stored form (numbers as they are, booleans 0/1, levels by index).
struct AttributeSampler {
    enum Form {
        case constant(Double)
        case bernoulli(Double)
        case categorical([Double])
        case integers(Int, Int)
        case numeric(Sampler)
        /// The first alternative whose condition holds on the attributes drawn so far, else the last.
        indirect case conditional([(CompiledCondition, AttributeSampler)], otherwise: AttributeSampler)
    }
    let form: Form

    /// `attributes` are the pathway's, whose slots conditions read.
    init(_ attribute: PatientAttribute, _ distribution: AttributeDistribution?, attributes: [PatientAttribute] = []) {
        switch distribution {
        case nil: form = .constant(0)
        case .bernoulli(let p)?: form = .bernoulli(p)
        case .categorical(let levels, let weights)?:
            // Weights follow the pathway's level order, whatever order the scenario gave.
            let order: [String]
            if case .categorical(let declared) = attribute.type { order = declared } else { order = levels }
            let byLevel = Dictionary(zip(levels, weights), uniquingKeysWith: { a, _ in a })
            let ordered = order.map { byLevel[$0] ?? 0 }
            let total = ordered.reduce(0, +)
            var running = 0.0
            form = .categorical(ordered.map { running += $0; return total > 0 ? running / total : 1 })
        case .integers(let lo, let hi)?: form = .integers(lo, max(lo, hi))
        case .numeric(let d)?: form = .numeric(Sampler(d))
        case .conditional(let cases, let otherwise)?:
            form = .conditional(cases.map { alternative in
                (alternative.condition.compiledOrFalse(attributes: attributes), AttributeSampler(attribute, alternative.value, attributes: attributes))
            }, otherwise: AttributeSampler(attribute, otherwise, attributes: attributes))
        }
    }

    var isConditional: Bool { if case .conditional = form { return true } else { return false } }

    /// One draw; a conditional attribute reads the attributes drawn before it in `drawn`.
    func sample(_ rng: inout RandomStream, drawn: UnsafeBufferPointer<Double> = UnsafeBufferPointer(start: nil, count: 0)) -> Double {
        switch form {
        case .constant(let v): return v
        case .bernoulli(let p): return rng.uniform() < p ? 1 : 0
        case .categorical(let cumulative):
            let u = rng.uniform()
            return Double(cumulative.firstIndex { u < $0 } ?? max(cumulative.count - 1, 0))
        case .integers(let lo, let hi):
            return Double(lo + Int(rng.next() % UInt64(hi - lo + 1)))
        case .numeric(let sampler):
            return sampler.sample(&rng)
        case .conditional(let cases, let otherwise):
            // Only the chosen alternative draws, so the stream moves as for a plain attribute.
            let chosen = cases.first { $0.0.evaluate(drawn) }?.1 ?? otherwise
            return chosen.sample(&rng, drawn: drawn)
        }
    }
}

/// Draws every attribute of a patient in the cohort's order (the scenario lists them; the
/// pathway's declaration order otherwise), so that a conditional attribute reads only those
/// drawn before it. Each attribute takes its draws from the one attribute stream in that order.
struct CohortSampler {
    /// Slot (the pathway's attribute index) and sampler, in draw order.
    let draws: [(slot: Int, sampler: AttributeSampler)]
    /// Some attribute depends on others: slots are cleared before drawing, so that nothing stale is read.
    let hasConditions: Bool

    init(pathway: Pathway, cohort: Cohort) {
        let declared = pathway.attributes.map(\.name)
        let listed = cohort.attributeOrder.filter { declared.contains($0) }
        var order: [String] = []
        for name in listed + declared where !order.contains(name) { order.append(name) }
        let slot = Dictionary(declared.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        draws = order.compactMap { name in
            guard let i = slot[name] else { return nil }
            return (i, AttributeSampler(pathway.attributes[i], cohort.attributes[name], attributes: pathway.attributes))
        }
        hasConditions = draws.contains { $0.sampler.isConditional }
    }

    var isEmpty: Bool { draws.isEmpty }

    /// Fills `attributes` (one value per pathway attribute).
    func draw(into attributes: inout [Double], _ rng: inout RandomStream) {
        if hasConditions { for i in attributes.indices { attributes[i] = 0 } }
        for (slot, sampler) in draws {
            let value = sampler.isConditional
                ? attributes.withUnsafeBufferPointer { sampler.sample(&rng, drawn: $0) }
                : sampler.sample(&rng)
            attributes[slot] = value
        }
    }
}
