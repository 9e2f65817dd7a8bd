import CarePathFiles
import CarePathModel
import CarePathSimulation
import Foundation

/// A run's patient journeys kept in memory exactly as the log writers are fed them, so that the
/// writing can be timed on its own, apart from the simulation that made them
/// (`carepath-bench export`). Memory grows with every patient logged: for measuring, not for
/// exporting (`EventLogExport.run` streams).
public final class CapturedJourneys: JourneySink, @unchecked Sendable {
    struct Run {
        var names: LogNames
        var pathway: Pathway
        var variant: Int
        var variantName: String
        var replication: Int
        var journeys: [PatientJourney] = []
    }

    var runs: [Run] = []
    /// Journeys kept, over every run.
    public private(set) var journeys = 0

    init() {}

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        runs.append(Run(names: names, pathway: pathway, variant: variant, variantName: variantName, replication: replication))
    }

    func journey(_ journey: PatientJourney) {
        runs[runs.count - 1].journeys.append(journey)
        journeys += 1
    }
}

extension EventLogExport {
    /// Simulates `scenario` as `run` does and keeps every journey instead of writing it.
    public static func capture(_ scenario: Scenario, pathway: Pathway, options: Options) throws -> CapturedJourneys {
        let captured = CapturedJourneys()
        let (summary, _) = simulate(scenario, pathway: pathway, options: options, sinks: [captured])
        let fatal = (summary.warnings ?? []).filter(\.isFatal)
        if !fatal.isEmpty { throw RunStopped(message: fatal.map { "variant \($0.variant ?? "?"): \($0.message)" }.joined(separator: "\n")) }
        return captured
    }

    /// Writes captured journeys to the XES and OCEL files `options` names, as `run` would have
    /// written them (the CSV log streams simulation events, which are not captured: refused).
    public static func write(_ captured: CapturedJourneys, scenario: Scenario, pathway: Pathway, options: Options) throws -> Counts {
        if let csv = options.csv {
            throw StreamingFileError(path: csv.path, message: "the CSV log is written from simulation events, which a capture does not keep")
        }
        let writers = try LogWriters(options, scenario: scenario, pathway: pathway)
        let sinks = writers.sinks
        for run in captured.runs {
            for sink in sinks {
                sink.begin(names: run.names, pathway: run.pathway, variant: run.variant, variantName: run.variantName, replication: run.replication)
            }
            for journey in run.journeys { for sink in sinks { sink.journey(journey) } }
            for sink in sinks { sink.end() }
        }
        return try writers.finish()
    }
}
