import CarePathExperiments
import CarePathMetrics
import Foundation

extension Benchmark {
    /// Morris screening of the shipped discharge scenario's 20 parameters: 10 trajectories (210
    /// design points and the baseline) x 10 replications, timed once (it is the long one), from
    /// the design to the analysis, as `carepath sensitivity --no-store` runs it.
    static func sensitivity() {
        let (scenario, pathway) = load("Scenarios/discharge-sensitivity.yaml")
        guard case .success(let study) = SensitivityStudy.prepare(scenario, pathway: pathway, method: .morris) else {
            FileHandle.standardError.write(Data("Scenarios/discharge-sensitivity.yaml: the sensitivity section does not prepare\n".utf8))
            exit(1)
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let ((points, muStar), seconds) = time { () -> (Int, Double) in
            let design = study.design()
            guard case .success(let s) = study.scenario(of: design) else { return (0, .nan) }
            let run = SensitivityRunner.run(study, design: design, scenario: s, options: .init(replications: study.replications, threads: cores))
            let result = study.analyse(design, run.outcomes)
            return (design.points.count, result.morris?.map(\.muStar).max() ?? .nan)
        }
        print("\nMorris screening of discharge to assess: \(study.parameters.count) parameters, \(study.settings.trajectories) trajectories, "
              + "\(points) points with the baseline x \(study.replications) replications on \(cores) cores")
        print("  \(f1(seconds)) s (largest mu* \(f3(muStar)))")
        emit(Figure(benchmark: "sensitivity_morris", figures: ["seconds": seconds, "points": Double(points), "replications": Double(study.replications),
                                                               "parameters": Double(study.parameters.count), "cores": Double(cores)]))
        verdicts.append(Verdict(benchmark: "Morris, \(study.parameters.count) parameters x \(study.settings.trajectories) trajectories x \(study.replications) replications",
                                figure: "\(f1(seconds)) s on \(cores) cores", target: "<= 60 s", met: seconds <= 60))
    }
}
