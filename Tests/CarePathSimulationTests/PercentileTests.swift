@testable import CarePathEngine
@testable import CarePathMetrics
import Foundation
import XCTest

/// Percentiles read from the duration histograms: interpolated within a bucket (no rounding
/// bias), exact for zeros and a constant, and never dropping a duration past the range.
final class PercentileTests: XCTestCase {
    let twentyYears: UInt64 = 3_600 * 24 * 365 * 20

    /// 200,000 exponential times of mean 1 h (the times of an M/M/infinity model): each
    /// percentile is within 0.05% of the sample's own, sorted, quantile at the same rank. Reading
    /// the top of the bucket instead (the library's way, CarePath's before) is about 0.3% high
    /// at the median and fails the same test.
    func testInterpolatedPercentilesHaveNoRoundingBiasOnAnExponentialSample() {
        var rng = RandomStream(seed: 31)
        var h = DurationHistogram(highestTrackableValue: twentyYears)
        let n = 200_000
        var values = [Double](repeating: 0, count: n)
        for i in 0..<n {
            values[i] = -log(1 - rng.uniform())
            h.record(hours: values[i])
        }
        values.sort()
        var worstBucketTop = 0.0
        for p in [10.0, 50, 90, 95, 99] {
            let own = values[Int((p / 100 * Double(n)).rounded(.up)) - 1]
            let reading = h.percentile(p)
            XCTAssertFalse(reading.beyondRange)
            XCTAssertEqual(reading.hours / own - 1, 0, accuracy: 0.0005, "p\(p): \(reading.hours) h against the sample's \(own) h")
            worstBucketTop = max(worstBucketTop, abs(h.bucketTopPercentile(p) / own - 1))
        }
        XCTAssertGreaterThan(worstBucketTop, 0.0005, "the bucket top is biased: the test tells the two readings apart")
    }

    /// Waits of none are the commonest wait: a median of them is 0, not a fraction of a second;
    /// a constant duration reads back exactly, whatever its bucket.
    func testZerosAndAConstantReadBackExactly() {
        var h = DurationHistogram(highestTrackableValue: twentyYears)
        for _ in 0..<600 { h.record(hours: 0) }
        for _ in 0..<400 { h.record(hours: 7.25) }
        XCTAssertEqual(h.percentile(50).hours, 0)
        XCTAssertEqual(h.percentile(60).hours, 0)
        XCTAssertEqual(h.percentile(61).hours, 7.25, accuracy: 1e-12)
        XCTAssertEqual(h.percentile(95).hours, 7.25, accuracy: 1e-12)
        XCTAssertEqual(h.percentile(100).hours, 7.25, accuracy: 1e-12)
        XCTAssertEqual(DurationHistogram(highestTrackableValue: twentyYears).percentile(90), .init(hours: 0, beyondRange: false))
    }

    /// Durations past the range are counted, not dropped: a percentile among them is the
    /// range's limit and says so; one below them is read as usual; the chart's last bin has them.
    func testDurationsPastTheRangeAreCountedAndAPercentileAmongThemSaysSo() {
        var h = DurationHistogram(highestTrackableValue: twentyYears)
        for i in 0..<70 { h.record(hours: Double(i + 1)) }
        for _ in 0..<30 { h.record(hours: 200_000) }    // 22.8 years
        XCTAssertEqual(h.beyondRange, 30)
        XCTAssertEqual(h.totalCount, 100)
        XCTAssertEqual(h.percentile(90), .init(hours: 175_200, beyondRange: true))
        XCTAssertEqual(h.percentile(71), .init(hours: 175_200, beyondRange: true))
        let p50 = h.percentile(50)
        XCTAssertFalse(p50.beyondRange)
        XCTAssertEqual(p50.hours, 50, accuracy: 50 * 0.008, "within the bucket of the 50th value")
        let shares = MetricsCollector.shares(h, edges: MetricsCollector.waitBinEdges)
        XCTAssertEqual(shares.reduce(0, +), 100)
        XCTAssertEqual(shares.last, 30, "the open-ended last bin holds the durations past the range")
    }

    /// The summary marks a percentile that any replication read past the range: a lower bound
    /// with no interval, and no paired difference from it.
    func testASummaryMarksAPercentilePastTheRangeAsALowerBound() {
        func replication(_ p90: Double, flagged: Bool) -> ReplicationResult {
            ReplicationResult(metrics: [Metric("wait_p90_h", subject: "a/b", p90)] + (flagged ? [Metric("wait_p90_h_at_least", subject: "a/b", 1)] : []),
                              series: RunSeries(queueLength: [:], queueBinHours: 1, queueStartHour: 0, waitShares: [:], waitBinEdges: [],
                                                crossHandoffShares: [], timeInPathwayShares: [], timeBinEdges: []), events: 0)
        }
        let base = [replication(10, flagged: false), replication(12, flagged: false)]
        let over = [replication(175_200, flagged: true), replication(9, flagged: false)]
        let clean = VariantSummary.summarise(name: "base", title: nil, architecture: "paper", replications: base, baseline: nil)
        XCTAssertNil(clean.metric("wait_p90_h", subject: "a/b")?.beyondRange)
        XCTAssertNotNil(clean.metric("wait_p90_h", subject: "a/b")?.halfWidth)
        let flagged = VariantSummary.summarise(name: "over", title: nil, architecture: "paper", replications: over, baseline: base)
        let m = flagged.metric("wait_p90_h", subject: "a/b")
        XCTAssertEqual(m?.beyondRange, true)
        XCTAssertNil(m?.halfWidth)
        XCTAssertTrue(flagged.isAtLeast("wait_p90_h", subject: "a/b"))
        XCTAssertEqual(flagged.metric("wait_p90_h_at_least", subject: "a/b")?.mean, 0.5, "the share of replications past the range")
        XCTAssertEqual(flagged.difference("wait_p90_h", subject: "a/b")?.mean.isNaN, true)
    }
}
