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
        // When the last replication ends: the rest is the summary and the analysis.
        let simulated = SimulatedAt()
        let cpuBefore = cpuSeconds()
        let ((points, muStar), seconds) = time { () -> (Int, Double) in
            let design = study.design()
            guard case .success(let s) = study.scenario(of: design) else { return (0, .nan) }
            let run = SensitivityRunner.run(study, design: design, scenario: s, options: .init(replications: study.replications, threads: cores),
                                            progress: { if $0.replicationsDone == $0.replications { simulated.mark() } })
            let result = study.analyse(design, run.outcomes)
            return (design.points.count, result.morris?.map(\.muStar).max() ?? .nan)
        }
        let cpu = cpuSeconds() - cpuBefore
        let afterRuns = simulated.secondsSince
        print("\nMorris screening of discharge to assess: \(study.parameters.count) parameters, \(study.settings.trajectories) trajectories, "
              + "\(points) points with the baseline x \(study.replications) replications on \(cores) cores")
        print("  \(f1(seconds)) s wall, \(f1(cpu)) s CPU (user and system, all threads); the summary and analysis after the last replication \(f1(afterRuns)) s "
              + "(largest mu* \(f3(muStar)))")
        emit(Figure(benchmark: "sensitivity_morris", figures: ["seconds": seconds, "cpu_seconds": cpu, "after_replications_seconds": afterRuns,
                                                               "points": Double(points), "replications": Double(study.replications),
                                                               "parameters": Double(study.parameters.count), "cores": Double(cores)]))
        verdicts.append(Verdict(benchmark: "Morris, \(study.parameters.count) parameters x \(study.settings.trajectories) trajectories x \(study.replications) replications",
                                figure: "\(f1(seconds)) s on \(cores) cores", target: "<= 60 s", met: seconds <= 60))
    }
}

/// The moment a run's last replication ended, marked from the run's progress (any thread).
final class SimulatedAt: @unchecked Sendable {
    private let lock = NSLock()
    private var at: UInt64?

    func mark() {
        lock.lock(); defer { lock.unlock() }
        if at == nil { at = DispatchTime.now().uptimeNanoseconds }
    }

    /// Seconds from the mark to now (NaN when never marked).
    var secondsSince: Double {
        lock.lock(); defer { lock.unlock() }
        guard let at else { return .nan }
        return Double(DispatchTime.now().uptimeNanoseconds - at) / 1e9
    }
}

/// User and system CPU seconds of this process so far, all threads.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

