import CarePathEngine
import CarePathModel

/// What the plan keeps of the cohort's effect on a run: durations and branch shares that depend
/// on patient attributes, and the breakdown groups a patient belongs to.
extension SimulationPlan {
    /// A duration for the patients a condition holds for: positions in `conditions` and `samplers`.
    struct DurationCase: BitwiseCopyable {
        var condition: Int32
        var sampler: Int32
    }

    /// A branch share for the patients a condition holds for.
    struct ShareCase: BitwiseCopyable {
        var condition: Int32
        var probability: Double
    }

    /// How a breakdown finds a patient's group from its attributes.
    struct BreakdownGroup: Sendable {
        /// The attribute's slot, or nil when the pathway does not declare it (no group).
        var slot: Int?
        /// Sorted band edges; empty: booleans and levels by their stored index, whole numbers by value.
        var cuts: [Double]
        init(_ breakdown: Breakdown, slot: Int?) { self.slot = slot; cuts = breakdown.cuts.sorted() }
    }

    /// Compiles a condition into `conditions`; one that does not compile is false (the checks
    /// refuse such files before a run).
    static func compile(_ condition: Condition, _ attributes: [PatientAttribute], into conditions: inout [CompiledCondition]) -> Int32 {
        conditions.append(condition.compiledOrFalse(attributes: attributes))
        return Int32(conditions.count - 1)
    }

    static func shares(_ t: Transition, _ attributes: [PatientAttribute], _ conditions: inout [CompiledCondition],
                       _ cases: inout [ShareCase]) -> ListSpan {
        let first = Int32(cases.count)
        for alternative in t.probabilityCases {
            cases.append(ShareCase(condition: compile(alternative.condition, attributes, into: &conditions), probability: alternative.value))
        }
        return ListSpan(first, Int32(cases.count))
    }

    static func durations(_ state: State, _ attributes: [PatientAttribute], _ conditions: inout [CompiledCondition],
                          _ samplers: inout [Sampler], _ cases: inout [DurationCase]) -> ListSpan {
        let first = Int32(cases.count)
        for alternative in state.durationCases {
            samplers.append(Sampler(alternative.value))
            cases.append(DurationCase(condition: compile(alternative.condition, attributes, into: &conditions),
                                      sampler: Int32(samplers.count - 1)))
        }
        return ListSpan(first, Int32(cases.count))
    }

    /// How breakdown groups are named, for every observer that writes them.
    public struct GroupNaming: Sendable {
        let breakdowns: [Breakdown]
        /// Per breakdown, the names known before the run (empty: whole numbers, named by value).
        let fixed: [[String]]

        public init(breakdowns: [Breakdown] = [], pathway: Pathway? = nil) {
            self.breakdowns = breakdowns
            fixed = breakdowns.map { b in
                pathway?.attributeTypes[b.attribute].map { b.fixedGroupNames(type: $0) } ?? []
            }
        }

        /// The name of a group by its index across breakdowns (`CohortGroups.global`); empty for -1.
        public func name(_ global: Int) -> String {
            guard global >= 0 else { return "" }
            let b = global / CohortGroups.stride, g = global % CohortGroups.stride
            guard b < breakdowns.count else { return "group=\(global)" }
            return g < fixed[b].count ? fixed[b][g] : breakdowns[b].valueGroupName(g)
        }

        /// Every group of a patient, one per breakdown, joined by ", " (`deprivation=1, lives_alone=true`).
        public func name(_ groups: CohortGroups) -> String {
            (0..<groups.count).map { name(groups.global($0)) }.joined(separator: ", ")
        }
    }

    public var groupNaming: GroupNaming { GroupNaming(breakdowns: breakdowns, pathway: pathway) }
}

/// A patient's group in each of the run's breakdowns (at most four), in plain bits so that it
/// travels in the patient's record and context without a reference: 12 bits per group
/// (0..<1000), the count in the top bits.
public struct CohortGroups: Hashable, Sendable, BitwiseCopyable {
    public static let maximumCount = Breakdown.maximumCount
    /// Groups one breakdown may have; a group's index across breakdowns is `breakdown * stride + group`.
    public static let stride = 1000
    @usableFromInline var bits: UInt64 = 0

    public init() {}

    @inlinable public var count: Int { Int(bits >> 48) }

    /// The group in breakdown `b` (b < count).
    @inlinable public subscript(b: Int) -> Int { Int((bits >> (12 * UInt64(b))) & 0xFFF) }

    /// The group in breakdown `b` as an index across breakdowns.
    @inlinable public func global(_ b: Int) -> Int { b * Self.stride + self[b] }

    /// The first breakdown's group, or -1 without breakdowns.
    @inlinable public var first: Int { count > 0 ? self[0] : -1 }

    /// The group of a value of a breakdown's attribute, within 0..<stride: the band between
    /// sorted `cuts`, or without cuts the value itself (booleans and levels are stored as 0, 1,
    /// 2...; a whole-number attribute such as a deprivation quintile is its own group), clamped so
    /// that no value can trap or collide.
    static func group<Cuts: RandomAccessCollection>(ofValue v: Double, cuts: Cuts) -> Int where Cuts.Element == Double {
        if cuts.isEmpty {
            guard v.isFinite, v > 0 else { return 0 }
            return v >= Double(stride - 1) ? stride - 1 : Int(v)
        }
        var g = 0
        for cut in cuts where v >= cut { g += 1 }
        return min(g, stride - 1)
    }

    public mutating func append(_ group: Int) {
        let n = count
        guard n < Self.maximumCount else { return }
        let g = UInt64(min(max(group, 0), Self.stride - 1))
        bits = (bits & 0xFFFF_FFFF_FFFF) | (g << (12 * UInt64(n))) | (UInt64(n + 1) << 48)
    }
}
