/// Checks of the values that depend on patient attributes: a state's duration alternatives and a
/// branch's share alternatives (see `Alternative`).
extension Pathway {
    /// Where the default of a list of alternatives sits: the plain key, or the last item's `is`.
    static func defaultPath(_ path: DocumentPath, alternatives: Int) -> DocumentPath {
        alternatives == 0 ? path : path.index(alternatives).key("is")
    }

    func durationCaseProblems(of s: State, at path: DocumentPath) -> [ModelProblem] {
        var problems: [ModelProblem] = []
        for (j, alternative) in s.durationCases.enumerated() {
            let p = path.key("duration").index(j)
            problems += conditionProblems(alternative.condition, at: p.key("when"))
            for message in alternative.value.parameterProblems { problems.append(ModelProblem(.error, p.key("is"), message)) }
        }
        return problems
    }

    func shareCaseProblems(of t: Transition, at path: DocumentPath) -> [ModelProblem] {
        guard t.hasShareCases else { return [] }
        var problems: [ModelProblem] = []
        for (j, alternative) in t.probabilityCases.enumerated() {
            let p = path.key("p").index(j)
            problems += conditionProblems(alternative.condition, at: p.key("when"))
            if !(alternative.value >= 0 && alternative.value <= 1) {
                problems.append(ModelProblem(.error, p.key("is"), "a probability must be between 0 and 1, found \(alternative.value)"))
            }
        }
        if t.probability == nil {
            problems.append(ModelProblem(.error, path.key("p"),
                "a share that depends on attributes needs a last alternative without 'when' ({ is: 0.2 }) for the other patients"))
        }
        return problems
    }

    func conditionProblems(_ condition: Condition, at path: DocumentPath) -> [ModelProblem] {
        do throws(ConditionError) {
            _ = try condition.compile(attributes: attributes)
            return []
        } catch {
            return [ModelProblem(.error, path, error.message, columnOffset: error.column)]
        }
    }

    /// Without a default branch the shares must sum to 1 for every patient. When some depend on
    /// attributes, those branches must list the same conditions in the same order, so that the
    /// sum can be checked for each alternative (and for the patients matching none).
    func shareSumProblems(of s: State, at path: DocumentPath) -> [ModelProblem] {
        let lists = s.next.filter(\.hasShareCases).map { $0.probabilityCases.map { $0.condition.source.trimmingSpaces() } }
        guard let first = lists.first else { return [] }
        if let other = lists.first(where: { $0 != first }) {
            func show(_ list: [String]) -> String { "[" + list.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            return [ModelProblem(.error, path.key("next"),
                "without a default branch, the branches whose share depends on attributes must give the same conditions in the same order, "
                + "so that the shares can be checked to sum to 1 for every patient; found \(show(first)) and \(show(other)) "
                + "(or add a default branch { to: STATE } for the rest)")]
        }
        var problems: [ModelProblem] = []
        for k in 0...first.count {
            let sum = s.next.reduce(0.0) { total, t in
                let share = t.hasShareCases && k < first.count ? t.probabilityCases[k].value : t.probability ?? 0
                return total + share
            }
            if abs(sum - 1) > Self.probabilityTolerance {
                let who = k < first.count ? "patients for whom \"\(first[k])\" holds (and no condition before it)" : "patients no condition matches"
                problems.append(ModelProblem(.error, path.key("next"),
                    "for \(who), the branch shares sum to \(sum), expected 1 (within 1e-9) since there is no default branch"))
            }
        }
        return problems
    }
}
