/// Shadow latency in constant memory: count, sum, min, max and a log-scale histogram with
/// 8 buckets per power of two (each bucket spans ≈ 9 %), so quantiles are within ≈ 4.5 %.
/// The statistics module has the precise histograms; this only has to describe shadows.
public struct LatencySummary: Sendable, Equatable, Codable {
    static let subBuckets = 8
    static let bucketCount = 64 * subBuckets

    public private(set) var count: Int = 0
    public private(set) var sumNs: Double = 0
    public private(set) var minNs: UInt64 = .max
    public private(set) var maxNs: UInt64 = 0
    private var buckets: [Int: Int] = [:]

    public init() {}

    public var meanNs: Double? { count > 0 ? sumNs / Double(count) : nil }

    public mutating func record(_ ns: UInt64) {
        count += 1
        sumNs += Double(ns)
        minNs = Swift.min(minNs, ns)
        maxNs = Swift.max(maxNs, ns)
        buckets[LatencySummary.bucket(of: ns), default: 0] += 1
    }

    public mutating func merge(_ other: LatencySummary) {
        count += other.count
        sumNs += other.sumNs
        minNs = Swift.min(minNs, other.minNs)
        maxNs = Swift.max(maxNs, other.maxNs)
        for (bucket, n) in other.buckets { buckets[bucket, default: 0] += n }
    }

    /// The value at quantile q in [0, 1] (bucket midpoint, clamped to [min, max]); nil when empty.
    public func quantileNs(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        if rank >= count { return Double(maxNs) }
        if rank == 1 { return Double(minNs) }
        var seen = 0
        for bucket in buckets.keys.sorted() {
            seen += buckets[bucket]!
            if seen >= rank {
                let (low, high) = LatencySummary.bounds(of: bucket)
                let mid = (low + high) / 2
                return Swift.min(Swift.max(mid, Double(minNs)), Double(maxNs))
            }
        }
        return Double(maxNs)
    }

    static func bucket(of ns: UInt64) -> Int {
        guard ns > 0 else { return 0 }
        let exponent = 63 - ns.leadingZeroBitCount
        let fraction = Double(ns) / Double(UInt64(1) << UInt64(exponent)) - 1 // [0, 1)
        return exponent * subBuckets + Swift.min(subBuckets - 1, Int(fraction * Double(subBuckets))) + 1
    }

    static func bounds(of bucket: Int) -> (Double, Double) {
        guard bucket > 0 else { return (0, 0) }
        let exponent = (bucket - 1) / subBuckets
        let sub = (bucket - 1) % subBuckets
        let base = Double(UInt64(1) << UInt64(exponent))
        return (base * (1 + Double(sub) / Double(subBuckets)), base * (1 + Double(sub + 1) / Double(subBuckets)))
    }
}
