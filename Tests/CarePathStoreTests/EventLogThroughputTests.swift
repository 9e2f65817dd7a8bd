import CarePathMetrics
import Foundation
import XCTest
@testable import CarePathStore

/// The event log goes into SQLite at least a million rows a second in a release build, so that
/// `--events` does not make a run wait on its store.
final class EventLogThroughputTests: XCTestCase {
    func testEventLogIsWrittenAtAMillionRowsASecondInRelease() throws {
        #if DEBUG
        let patients = 2_000, copies = 2
        #else
        let patients = 20_000, copies = 8
        #endif
        let f = try StoreFixture(patients: patients, replications: copies)
        let (result, recorder) = try f.oneReplication(events: true)
        let perReplication = try XCTUnwrap(recorder.events).records.count
        XCTAssertGreaterThan(perReplication, patients * 8)

        // A summary of the shape of the run written below.
        let summary = ScenarioRunner.run(f.scenario, pathway: f.pathway, options: ScenarioRunner.Options(replications: 1, threads: 1))
        var shaped = summary
        shaped.replications = copies
        shaped.variants = Array(summary.variants.prefix(1))
        let store = try ResultsStore(path: f.path("throughput.sqlite"))
        var record = f.record()
        record.replications = copies
        let writer = try store.beginRun(record, inputs: f.inputs, variants: Array(VariantRecord.variants(of: f.scenario).prefix(1)))
        // The same replication's log written `copies` times, as `copies` replications, then committed.
        let start = Date()
        for r in 0..<copies {
            try writer.addReplication(variant: 0, replication: r, seed: UInt64(r), result: result, recorder: recorder)
        }
        let written = Date()
        try writer.finish(summary: shaped)
        let seconds = Date().timeIntervalSince(start)

        let rows = perReplication * copies
        XCTAssertEqual(try store.run(writer.id).eventsStored, rows)
        let rate = Double(rows) / seconds
        print("event log: \(rows) rows (and \(copies * patients) outcomes) in \(String(format: "%.3f", seconds)) s (commit \(String(format: "%.3f", Date().timeIntervalSince(written))) s included): \(Int(rate)) rows/s")
        #if !DEBUG
        XCTAssertGreaterThan(rate, 1_000_000)
        #endif
    }
}
