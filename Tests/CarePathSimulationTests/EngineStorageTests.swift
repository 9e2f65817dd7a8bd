@testable import CarePathEngine
import CarePathFormat
@testable import CarePathMetrics
import CarePathModel
@testable import CarePathSimulation
import Foundation
import Histogram
import XCTest

/// The storage the event loop runs on (slabs, the event list, role queues, the queue-length
/// series, the ziggurat's tables), each against a plain reference built from Swift arrays.
final class EngineStorageTests: XCTestCase {
    func testZigguratTablesAreTheOnesMarsagliaAndTsangConstruct() {
        let (k, w, f) = ExponentialZiggurat.computeTables()
        XCTAssertEqual(k, zigguratK)
        // Bit for bit: the constants are the construction's values, printed to round-trip.
        XCTAssertEqual(w.map(\.bitPattern), zigguratW.map(\.bitPattern))
        XCTAssertEqual(f.map(\.bitPattern), zigguratF.map(\.bitPattern))
        let source = ExponentialSource()
        for i in 0..<256 {
            XCTAssertEqual(source.layers[i].k, k[i])
            XCTAssertEqual(source.layers[i].w.bitPattern, w[i].bitPattern)
        }
    }

    final class Token {}

    func testSlabGrowsKeepsItsValuesAndFreesWhatItHolds() {
        weak var first: Token?
        do {
            var slab = Slab<Token?>(capacity: 1)
            let token = Token()
            first = token
            slab.append(token)
            for _ in 0..<100 { slab.append(Token()) }
            XCTAssertEqual(slab.count, 101)
            XCTAssertTrue(slab[0] === token)
            slab[1] = nil
            XCTAssertNil(slab[1])
            XCTAssertNotNil(slab.popLast() ?? nil)
            XCTAssertEqual(slab.count, 100)
        }
        XCTAssertNil(first, "the slab released its elements when it went")

        var numbers = Slab<Double>(repeating: 1, count: 5)
        numbers.append(repeating: 2, count: 40)
        numbers.fill(3..<7, with: 9)
        numbers[44] += 0.5
        var expected = [Double](repeating: 1, count: 5) + [Double](repeating: 2, count: 40)
        for i in 3..<7 { expected[i] = 9 }
        expected[44] += 0.5
        XCTAssertEqual(numbers.withBuffer { Array($0) }, expected)
        while numbers.popLast() != nil {}
        XCTAssertTrue(numbers.isEmpty)
    }

    /// Events come out by time, and in scheduling order at equal times, whatever the order they
    /// went in; an event held outside the list with `takeSequence` sorts among them the same way.
    func testEventListOrdersByTimeThenSchedulingOrder() {
        var rng = RandomStream(seed: 5)
        var events = EventList<Int32>()
        // The reference: everything pending, as (time, order of scheduling).
        var pending: [(time: Double, order: Int)] = []
        var held: (time: Double, number: UInt64, order: Int)?
        var popped = 0
        var wasHeap = false, changes = 0
        func popOne() -> Bool {
            let got: Int
            if let h = held, events.isBefore(time: h.time, number: h.number) {
                got = h.order
                held = nil
            } else if let next = events.next() {
                got = Int(next.payload)
            } else {
                return false
            }
            let least = pending.min { ($0.time, $0.order) < ($1.time, $1.order) }
            XCTAssertEqual(least?.order, got, "an earlier event was pending")
            pending.removeAll { $0.order == got }
            popped += 1
            return true
        }
        for order in 0..<4000 {
            // Few distinct times, so that ties are common; the list grows past the size where it
            // becomes a heap, and around it, and back.
            let time = Double(Int(rng.uniform() * 50)) + Double(order / 100) * 50
            if order % 7 == 3 && held == nil {
                held = (time, events.takeSequence(), order)
            } else {
                events.schedule(at: time, Int32(order))
            }
            pending.append((time, order))
            if events.isHeap != wasHeap { changes += 1; wasHeap = events.isHeap }
            switch (order / 500) % 4 {
            case 0: if rng.uniform() < 0.8 { _ = popOne() }                       // grow
            case 1: for _ in 0..<2 where rng.uniform() < 0.8 { _ = popOne() }     // shrink
            case 2:                                                               // hover at the switch
                if pending.count > 16 { _ = popOne(); _ = popOne() } else if rng.uniform() < 0.5 { _ = popOne() }
            default: if rng.uniform() < 0.5 { _ = popOne() }
            }
            if events.isHeap != wasHeap { changes += 1; wasHeap = events.isHeap }
        }
        XCTAssertGreaterThan(changes, 10, "the list went between its unsorted and heap forms often")
        while popOne() {}
        XCTAssertEqual(popped, 4000)
        XCTAssertTrue(pending.isEmpty)
    }

    /// The event list orders times by integer keys: the order and the round trip must be exact,
    /// negative times and signed zeros included.
    func testEventKeysSortAsTheirTimesAndGiveThemBack() {
        typealias Entry = EventList<Int32>.Entry
        let times: [Double] = [-1e300, -7.5, -1, -Double.leastNonzeroMagnitude, 0, Double.leastNonzeroMagnitude,
                               1e-300, 0.5, 1, 1.5, 2, 1e6, 1e300, .infinity]
        for (i, a) in times.enumerated() {
            XCTAssertEqual(Entry.time(Entry.key(a)).bitPattern, a.bitPattern, "round trip of \(a)")
            for b in times[(i + 1)...] {
                XCTAssertTrue(Entry(time: a, sequence: 9, payload: 0).precedes(Entry(time: b, sequence: 1, payload: 0)), "\(a) before \(b)")
                XCTAssertFalse(Entry(time: b, sequence: 1, payload: 0).precedes(Entry(time: a, sequence: 9, payload: 0)), "\(b) not before \(a)")
            }
            // Equal times: the sequence number decides.
            XCTAssertTrue(Entry(time: a, sequence: 1, payload: 0).precedes(Entry(time: a, sequence: 2, payload: 0)))
            XCTAssertFalse(Entry(time: a, sequence: 2, payload: 0).precedes(Entry(time: a, sequence: 2, payload: 0)))
        }
        XCTAssertEqual(Entry.time(Entry.key(-0.0)).bitPattern, (-0.0).bitPattern)
    }

    func testRoleQueuesAreFirstInFirstOutAcrossGrowth() {
        var queues = RoleQueues(roles: 3)
        var reference: [[Int32]] = [[], [], []]
        var rng = RandomStream(seed: 9)
        for i in 0..<5000 {
            let role = Int(rng.next() % 3)
            if rng.uniform() < 0.6 {
                queues.append(Int32(i), to: role)
                reference[role].append(Int32(i))
            } else {
                XCTAssertEqual(queues.popFirst(of: role), reference[role].isEmpty ? nil : reference[role].removeFirst())
            }
            XCTAssertEqual(queues.count(role), reference[role].count)
        }
        for role in 0..<3 {
            while let slot = queues.popFirst(of: role) { XCTAssertEqual(slot, reference[role].removeFirst()) }
            XCTAssertTrue(reference[role].isEmpty)
        }
    }

    /// The series' bins hold the exact integral of the step function over each bin, through
    /// changes inside the last bin, across bins, and the halvings of resolution.
    func testTimeSeriesBinsHoldTheIntegralOfTheStepFunction() {
        var series = TimeSeries(start: 10, maximumBins: 16)
        var rng = RandomStream(seed: 3)
        var segments: [(value: Double, from: Double, to: Double)] = []
        var t = 10.0, value = 0.0
        for _ in 0..<3000 {
            let next = t + (rng.uniform() < 0.1 ? 5 * rng.uniform() : 0.05 * rng.uniform())
            series.add(value: value, from: t, to: next)
            segments.append((value, t, next))
            t = next
            value = Double(Int(rng.uniform() * 6))
        }
        let areas = series.areas
        XCTAssertLessThanOrEqual(areas.count, 16)
        XCTAssertGreaterThan(series.width, 1, "a run this long coarsened the bins")
        for (i, area) in areas.enumerated() {
            let lo = series.start + Double(i) * series.width, hi = lo + series.width
            let exact = segments.reduce(0.0) { $0 + $1.value * max(0, min($1.to, hi) - max($1.from, lo)) }
            XCTAssertEqual(area, exact, accuracy: 1e-9 * max(1, exact), "bin \(i)")
        }
    }

    /// The collector's flat duration counts, handed to the library, give the same figures as
    /// recording every value in the library's histogram: the same buckets, extremes and totals.
    func testDurationCountsGiveWhatTheLibraryHistogramGives() {
        let highest: UInt64 = 3_600 * 24 * 365 * 20
        var rng = RandomStream(seed: 21)
        for trial in 0..<3 {
            var flat = DurationHistogram(highestTrackableValue: highest)
            var library = Histogram<UInt64>(highestTrackableValue: highest, numberOfSignificantValueDigits: .two)
            for _ in 0..<(trial == 0 ? 1 : 50_000) {
                // Zeros, seconds, hours and years, and a few past the highest trackable value.
                let u = rng.uniform()
                let hours = u < 0.2 ? 0 : u < 0.3 ? rng.uniform() / 60 : u < 0.999 ? -log(1 - rng.uniform()) * 30 : rng.uniform() * 400_000
                flat.record(hours: hours)
                let seconds = hours * 3600
                if seconds <= Double(highest) { library.record(UInt64(seconds)) }
            }
            let folded = flat.histogram
            XCTAssertEqual(folded.totalCount, library.totalCount)
            XCTAssertEqual(folded.min, library.min)
            XCTAssertEqual(folded.max, library.max)
            XCTAssertEqual(folded.maxRecorded, library.maxRecorded)
            XCTAssertEqual(folded.minNonZero, library.minNonZero)
            XCTAssertEqual(folded.mean, library.mean)
            for p in [0.0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100] {
                XCTAssertEqual(folded.valueAtPercentile(p), library.valueAtPercentile(p), "p\(p)")
            }
            for _ in 0..<200 {
                let a = UInt64(rng.uniform() * 500_000), b = a + UInt64(rng.uniform() * 2_000_000)
                XCTAssertEqual(folded.count(within: a...b), library.count(within: a...b))
            }
        }
        for value: UInt64 in [0, 1, 255, 256, 257, 511, 512, 1023, 1024, 3600, 86_400, highest] {
            XCTAssertEqual(DurationHistogram.lowestValue(DurationHistogram.index(value)),
                           Histogram<UInt64>(highestTrackableValue: highest, numberOfSignificantValueDigits: .two).lowestEquivalentForValue(value),
                           "bucket of \(value)")
        }
    }

    /// Starts without any wait are the commonest value of a wait histogram; the percentiles and
    /// the wait chart must see them.
    func testWaitsOfNoneAreInThePercentilesAndTheChart() throws {
        let f = try Fixture.load(pathway: QueueingTheoryTests.singleStation(servers: 1, service: "exponential(mean=1h)"),
                                 scenario: QueueingTheoryTests.stationScenario(arrivals: "0.3/h", patients: 20000, replications: 1, seed: 8))
        let result = ScenarioRunner.replicate(f.scenario, pathway: f.pathway, variant: f.variant, seed: 8, observer: MetricsCollector()).result()
        // M/M/1 at load 0.3: P(W = 0) = 0.7 and P(W > t) = 0.3 exp(-0.7 t), so the median wait is
        // zero and the 90th percentile is ln(3)/0.7 = 1.57 h.
        XCTAssertEqual(result.value("wait_p50_h", subject: "clinic/staff"), 0)
        XCTAssertEqual(result.value("wait_p90_h", subject: "clinic/staff"), log(3) / 0.7, accuracy: 0.25)
        let shares = try XCTUnwrap(result.series.waitShares["clinic/staff"])
        XCTAssertEqual(shares.reduce(0, +), 1, accuracy: 1e-9, "every start is in the chart")
        // The first bin is [0, 1 h): 1 - 0.3 exp(-0.7) = 0.851. 19,000 counted starts give a
        // standard error of 0.003, about three times that with the queue's autocorrelation.
        XCTAssertEqual(shares[0], 1 - 0.3 * exp(-0.7), accuracy: 0.03)
    }
}
