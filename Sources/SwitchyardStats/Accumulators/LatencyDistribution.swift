import Histogram

/// Layout of the latency histograms (HDR: constant memory, relative precision 10^-digits).
public struct LatencyHistogramConfig: Sendable, Codable, Equatable {
    /// Smallest distinguishable latency in nanoseconds (rounded down to a power of two by HDR).
    public var lowestNanos: UInt64
    /// Largest tracked latency; longer requests are recorded at this value (and counted).
    public var highestNanos: UInt64
    /// Significant decimal digits kept (1…5). The default 2 keeps every value to 1 %, which is
    /// finer than the sampling error of a p99 below ~10^5 requests, in 21 KiB per histogram
    /// (3 digits: 0.1 % in 155 KiB, and 8× the merge and quantile cost on every read).
    public var significantDigits: Int

    public init(lowestNanos: UInt64 = 1_000, highestNanos: UInt64 = 100_000_000_000, significantDigits: Int = 2) {
        self.lowestNanos = lowestNanos
        self.highestNanos = highestNanos
        self.significantDigits = significantDigits
    }

    func validate() throws(StatsError) {
        guard (1...5).contains(significantDigits) else {
            throw .invalidConfig("latency.significantDigits must be 1…5, got \(significantDigits)")
        }
        guard lowestNanos >= 1, lowestNanos <= UInt64.max / 4, highestNanos >= 2 * lowestNanos else {
            throw .invalidConfig("latency range needs 1 ≤ lowestNanos and highestNanos ≥ 2·lowestNanos")
        }
    }

    var digits: SignificantDigits {
        SignificantDigits(rawValue: Int8(significantDigits)) ?? .two
    }
}

/// A latency histogram in nanoseconds, with the order statistics the quantile CI needs.
public struct LatencyDistribution: Sendable, Equatable {
    public private(set) var histogram: Histogram<UInt64>
    let highest: UInt64

    public init(config: LatencyHistogramConfig) {
        histogram = Histogram(lowestDiscernibleValue: config.lowestNanos, highestTrackableValue: config.highestNanos,
                              numberOfSignificantValueDigits: config.digits)
        highest = config.highestNanos
    }

    public var count: UInt64 { histogram.totalCount }

    /// Records one latency; values above the configured range are clamped to its top.
    @inline(__always)
    public mutating func record(_ nanos: UInt64) {
        histogram.record(nanos < highest ? nanos : highest)
    }

    mutating func record(_ nanos: UInt64, count: UInt64) {
        histogram.record(nanos < highest ? nanos : highest, count: count)
    }

    public mutating func merge(_ other: LatencyDistribution) { histogram.add(other.histogram) }

    public mutating func reset() { histogram.reset() }

    /// The observations recorded after `earlier` (a prefix state of the same stream).
    public func subtracting(_ earlier: LatencyDistribution) -> LatencyDistribution {
        var result = self
        result.histogram.reset()
        for bucket in histogram.recordedValues() {
            let before = UInt64(earlier.histogram.countForValue(bucket.value))
            let count = UInt64(bucket.count)
            if count > before { result.histogram.record(bucket.value, count: count - before) }
        }
        return result
    }

    /// Mean latency in nanoseconds (nil when empty).
    public var meanNanos: Double? { count == 0 ? nil : histogram.mean }
    public var maxNanos: UInt64? { count == 0 ? nil : histogram.maxRecorded }

    /// Values (ns) at the given 1-based ranks, which must be sorted ascending; one pass over the buckets.
    public func values(atRanks ranks: [UInt64]) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(ranks.count)
        var next = 0
        var cumulative: UInt64 = 0
        let top = histogram.maxRecorded
        for bucket in histogram.recordedValues() where next < ranks.count {
            cumulative += UInt64(bucket.count)
            while next < ranks.count && ranks[next] <= cumulative {
                out.append(Double(Swift.min(bucket.value, top)))
                next += 1
            }
        }
        while out.count < ranks.count { out.append(Double(top)) }
        return out
    }

    /// Latency (ns) at quantile q ∈ [0, 1] with the ⌈n·q⌉ rank convention (one pass; see
    /// ``LatencyRankIndex`` to ask many questions of one distribution).
    public func quantiles(_ qs: [Double]) -> [Double]? {
        LatencyRankIndex(self).quantiles(qs)
    }

    /// (value, count) pairs for persistence; restoring them reproduces every bucket, and the
    /// exact minimum and maximum are kept by recording them themselves in their buckets.
    ///
    /// A bucket's iterated value is its *highest equivalent* value, which for the top bucket lies
    /// above the largest latency actually recorded; recording it on restore would raise the
    /// restored maximum (and every quantile read at the top, e.g. p999) to the bucket's upper
    /// edge. So values are clamped to the recorded maximum, which lies in that same bucket.
    func buckets() -> [(value: UInt64, count: UInt64)] {
        var out = [(value: UInt64, count: UInt64)]()
        let top = histogram.maxRecorded
        for bucket in histogram.recordedValues() { out.append((Swift.min(bucket.value, top), UInt64(bucket.count))) }
        guard !out.isEmpty else { return out }
        var extremes = [(value: UInt64, count: UInt64)]()
        out[0].count -= 1
        extremes.append((histogram.min, 1))
        if out[out.count - 1].count > 0 {
            out[out.count - 1].count -= 1
            extremes.append((histogram.maxRecorded, 1))
        }
        return out.filter { $0.count > 0 } + extremes
    }

    /// Rebuilds a distribution from `buckets()`.
    init(config: LatencyHistogramConfig, buckets: [(value: UInt64, count: UInt64)]) {
        self.init(config: config)
        for b in buckets { histogram.record(b.value, count: b.count) }
    }
}

extension LatencyDistribution: OrderStatistics {
    public var orderCount: UInt64 { count }
    public func orderStatistic(_ k: UInt64) -> Double { values(atRanks: [k])[0] }
    public func orderStatistics(_ ks: [UInt64]) -> [Double] { values(atRanks: ks) }
}
