import CarePathEngine
import CarePathModel

/// The parts of the event loop that read patient attributes beyond branch conditions: drawing
/// them, and durations and branch shares that depend on them. None of it runs for a pathway and
/// cohort that do not use them.
extension PathwaySimulation where Observer: ~Copyable {
    /// Draws the attributes of the patient whose first slot is `base`, in the cohort's order.
    mutating func drawAttributes(_ base: Int, _ rng: inout RandomStream) {
        let count = plan.attributeCount
        if cohortSampler.hasConditions { attributes.fill(base..<base + count, with: 0) }
        for (slot, sampler) in cohortSampler.draws {
            let value = sampler.isConditional
                ? attributes.withBuffer { sampler.sample(&rng, drawn: UnsafeBufferPointer(rebasing: $0[base..<base + count])) }
                : sampler.sample(&rng)
            attributes[base + slot] = value
        }
    }

    /// The patient's group in each breakdown.
    func cohortGroups(_ base: Int) -> CohortGroups {
        var groups = CohortGroups()
        for b in 0..<breakdowns.slots.count {
            let slot = Int(breakdowns.slots[b]), span = breakdowns.spans[b]
            let value = slot >= 0 ? attributes[base + slot] : 0
            groups.append(breakdowns.cuts.withBuffer {
                CohortGroups.group(ofValue: value, cuts: $0[Int(span.lowerBound)..<Int(span.upperBound)])
            })
        }
        return groups
    }

    /// Whether a compiled condition (a branch's `when`, an alternative's, an existing record's)
    /// holds for the patient in `slot`.
    @inline(__always)
    func holds(_ condition: Int32, slot: Int) -> Bool {
        let base = slot * plan.attributeCount, count = plan.attributeCount
        return attributes.withBuffer { all in
            conditions[Int(condition)].evaluate(UnsafeBufferPointer(rebasing: all[base..<base + count]))
        }
    }

    /// The sampler of the first duration alternative whose condition holds, else the default.
    func durationSampler(_ slot: Int, _ core: SimulationPlan.StateCore) -> Int {
        for k in core.durationAlternatives {
            let alternative = durationCases[Int(k)]
            if holds(alternative.condition, slot: slot) { return Int(alternative.sampler) }
        }
        return Int(core.duration)
    }

    /// The branch's share for this patient: the first alternative whose condition holds, else the default.
    func share(_ slot: Int, _ t: SimulationPlan.TransitionCore) -> Double {
        for k in t.shares {
            let alternative = shareCases[Int(k)]
            if holds(alternative.condition, slot: slot) { return alternative.probability }
        }
        return t.probability
    }
}

/// The breakdowns as the event loop reads them at each arrival: attribute slots (-1: undeclared)
/// and sorted cuts, in slabs, so that no arrival copies the plan.
struct BreakdownTable: ~Copyable {
    let slots: Slab<Int32>
    let spans: Slab<ListSpan>
    let cuts: Slab<Double>
    var isEmpty: Bool { slots.isEmpty }

    init(_ plan: SimulationPlan) {
        var allCuts: [Double] = [], spans: [ListSpan] = []
        for b in plan.breakdownGroups {
            spans.append(ListSpan(Int32(allCuts.count), Int32(allCuts.count + b.cuts.count)))
            allCuts += b.cuts
        }
        slots = Slab(plan.breakdownGroups.map { Int32($0.slot ?? -1) })
        self.spans = Slab(spans)
        cuts = Slab(allCuts)
    }
}
