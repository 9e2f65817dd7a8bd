import CarePathExperiments
import CarePathFormat

extension Validate {
    /// The problems of a valid scenario's experiments that need the metrics and the model to find
    /// (an unknown outcome, a parameter with no value to vary around), located in the file.
    static func experimentProblems(_ result: ScenarioFile.Result) -> [FormatProblem] {
        guard result.errors.isEmpty, let scenario = result.scenario, let pathway = result.pathway,
              scenario.experiments.sensitivity != nil,
              case .failure(let errors) = SensitivityStudy.prepare(scenario, pathway: pathway) else { return [] }
        return errors.problems
    }
}
