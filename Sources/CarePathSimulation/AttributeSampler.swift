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
    }
    let form: Form

    init(_ attribute: PatientAttribute, _ distribution: AttributeDistribution?) {
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
        }
    }

    func sample(_ rng: inout RandomStream) -> Double {
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
        }
    }
}
