import Testing
@testable import SwitchyardStats

/// The rank index answers exactly what a pass over the histogram answers.
@Suite struct LatencyRankIndexTests {
    @Test func orderStatisticsMatchAPassOverTheBuckets() {
        var rng = SeededRandom(seed: 99)
        var d = LatencyDistribution(config: LatencyHistogramConfig())
        for _ in 0..<5000 { d.record(1_000 + rng.next() % 50_000_000) }
        d.record(7_777_777_777)
        let index = LatencyRankIndex(d)
        #expect(index.orderCount == d.count)
        let mean = try! #require(index.meanNanos), expected = try! #require(d.meanNanos)
        #expect(abs(mean - expected) <= 1e-9 * expected, "the histogram's own mean")
        let ranks: [UInt64] = [1, 2, 17, 250, 2500, 4999, 5000, 5001]
        #expect(ranks.map(index.orderStatistic) == d.values(atRanks: ranks))
        #expect(index.quantiles([0.5, 0.9, 0.99, 0.999]) == d.quantiles([0.5, 0.9, 0.99, 0.999]))
        #expect(index.orderStatistic(5001) == Double(d.histogram.maxRecorded), "the top is the recorded maximum, not its bucket's edge")
        #expect(LatencyRankIndex(LatencyDistribution(config: LatencyHistogramConfig())).quantiles([0.5]) == nil)
    }
}
