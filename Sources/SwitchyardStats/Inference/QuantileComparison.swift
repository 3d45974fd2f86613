/// Difference of two quantiles (e.g. p99 latency) with the order-statistic "outer" CI of
/// Deng, Knoblich & Lu 2018 (STATISTICS.md B.9). Rank convention (the vectors' `convention`):
/// q̂ = x_(⌈nν⌉); L, U = nν ∓ z·√(nν(1−ν)); order statistics x_(⌈L⌉), x_(⌈U⌉), 1-based, clamped
/// to [1, n]; Var(q̂) = ((x_U − x_L)/(2z))².
public protocol OrderStatistics {
    /// Number of observations.
    var orderCount: UInt64 { get }
    /// The k-th smallest observation, 1-based, 1 ≤ k ≤ count.
    func orderStatistic(_ k: UInt64) -> Double
    /// Several order statistics at once; `ks` is sorted ascending.
    func orderStatistics(_ ks: [UInt64]) -> [Double]
}

extension OrderStatistics {
    public func orderStatistics(_ ks: [UInt64]) -> [Double] { ks.map(orderStatistic) }
}

public struct QuantileEstimate: Sendable, Equatable, Codable {
    public var n: UInt64
    public var quantile: Double
    public var estimate: Double
    public var rankLower: Double
    public var rankUpper: Double
    public var valueLower: Double
    public var valueUpper: Double
    public var variance: Double
}

extension QuantileEstimate {
    /// The same estimate with values multiplied by `factor` (e.g. ns → ms).
    public func scaled(by factor: Double) -> QuantileEstimate {
        var e = self
        e.estimate *= factor; e.valueLower *= factor; e.valueUpper *= factor
        e.variance *= factor * factor
        return e
    }
}

public struct QuantileDifference: Sendable, Equatable, Codable {
    public var status: StatStatus
    public var control: QuantileEstimate?
    public var treatment: QuantileEstimate?
    public var diff: Double?
    public var se: Double?
    public var ci: Interval?
    public var p: PValue?

    /// The same comparison with values multiplied by `factor` (e.g. ns → ms).
    public func scaled(by factor: Double) -> QuantileDifference {
        var d = self
        d.control = control?.scaled(by: factor); d.treatment = treatment?.scaled(by: factor)
        d.diff = diff.map { $0 * factor }; d.se = se.map { $0 * factor }
        d.ci = ci.map { Interval(lower: $0.lower * factor, upper: $0.upper * factor) }
        return d
    }
}

public enum QuantileComparison {
    public static func estimate(_ data: some OrderStatistics, quantile nu: Double, alpha: Double = 0.05) -> QuantileEstimate? {
        let count = data.orderCount
        guard count > 0 else { return nil }
        let n = Double(count)
        let z = Critical.z(alpha: alpha)
        let center = n * nu
        let spread = z * (center * (1 - nu)).squareRoot()
        let lower = center - spread, upper = center + spread
        func clampedRank(_ r: Double) -> UInt64 {
            let k = r.rounded(.up)
            if k < 1 { return 1 }
            if k > n { return count }
            return UInt64(k)
        }
        let values = data.orderStatistics([clampedRank(lower), clampedRank(center), clampedRank(upper)])
        let yL = values[0], yU = values[2]
        let sd = (yU - yL) / (2 * z)
        return QuantileEstimate(n: count, quantile: nu, estimate: values[1],
                                rankLower: lower, rankUpper: upper, valueLower: yL, valueUpper: yU, variance: sd * sd)
    }

    /// Treatment minus control at quantile ν, with a normal CI and p-value.
    public static func difference(control: some OrderStatistics, treatment: some OrderStatistics,
                                  quantile nu: Double, alpha: Double = 0.05) -> QuantileDifference {
        guard let c = estimate(control, quantile: nu, alpha: alpha),
              let t = estimate(treatment, quantile: nu, alpha: alpha) else {
            return QuantileDifference(status: .insufficientData)
        }
        let diff = t.estimate - c.estimate
        let se = (c.variance + t.variance).squareRoot()
        var r = QuantileDifference(status: .ok, control: c, treatment: t, diff: diff, se: se)
        if se > 0 {
            r.ci = Interval(center: diff, halfWidth: Critical.z(alpha: alpha) * se)
            r.p = Normal.twoSidedP(z: diff / se)
        } else {
            r.status = .degenerateZeroVariance
        }
        return r
    }
}

/// Exact order statistics of a sorted sample.
public struct SortedSample: OrderStatistics, Sendable {
    public let values: [Double]
    public init(_ values: [Double]) { self.values = values.sorted() }
    public var orderCount: UInt64 { UInt64(values.count) }
    public func orderStatistic(_ k: UInt64) -> Double { values[Int(k) - 1] }
}
