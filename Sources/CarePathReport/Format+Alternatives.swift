import CarePathModel

extension Format {
    /// A state's duration in words, with its alternatives by attribute first
    /// (`if age >= 85: lognormal, mean 7d; otherwise lognormal, mean 4d`).
    static func duration(of s: State) -> String {
        guard !s.durationCases.isEmpty else { return distribution(s.duration) }
        return s.durationCases.map { "if \($0.condition.source): " + distribution($0.value) }.joined(separator: "; ")
            + "; otherwise " + distribution(s.duration)
    }

    /// A branch's share, with its alternatives by attribute first (`40% if lives_alone, else 20%`).
    static func share(of t: Transition, _ p: Double) -> String {
        guard t.hasShareCases else { return percent(p) }
        return t.probabilityCases.map { percent($0.value) + " if " + $0.condition.source }.joined(separator: ", ")
            + ", else " + percent(p)
    }
}
