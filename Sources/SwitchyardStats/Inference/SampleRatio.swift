/// Sample-ratio-mismatch checks: Pearson chi-square against configured weights, and the
/// anytime-valid Dirichlet-multinomial Bayes factor (STATISTICS.md B.4).
public struct SRMChiSquareResult: Sendable, Equatable, Codable {
    public var status: StatStatus
    public var expected: [Double] = []
    public var chi2: Double = .nan
    public var df: Int = 0
    public var p: PValue = .one
    public var detected = false
    /// Units were observed in an arm whose configured weight is 0: a mismatch by definition.
    public var unitsInZeroWeightArm = false
}

public enum SampleRatio {
    /// The default SRM threshold (GrowthBook's DEFAULT_SRM_THRESHOLD, Eppo's α, Statsig's red).
    public static let defaultThreshold = 0.001
    /// The Dirichlet concentration of the sequential test (`gbstats/ssrm.py`).
    public static let defaultConcentration = 10_000.0

    /// Pearson chi-square of observed counts against weights (need not sum to 1).
    /// Arms with weight 0 and no units are left out; units in a weight-0 arm flag SRM directly.
    public static func chiSquare(observed: [UInt64], weights: [Double], threshold: Double = defaultThreshold) -> SRMChiSquareResult {
        precondition(observed.count == weights.count, "one weight per arm")
        let total = observed.reduce(0.0) { $0 + Double($1) }
        let weightSum = weights.reduce(0, +)
        guard total > 0, weightSum > 0 else { return SRMChiSquareResult(status: .insufficientData) }
        var r = SRMChiSquareResult(status: .ok)
        var chi2 = 0.0
        var arms = 0
        for (o, w) in zip(observed, weights) {
            // Share first: total·w can overflow for weights near the largest double (validation
            // allows any finite weight), which made χ² and p NaN.
            let e = total * (w / weightSum)
            r.expected.append(e)
            if w <= 0 {
                if o > 0 { r.unitsInZeroWeightArm = true }
                continue
            }
            arms += 1
            let d = Double(o) - e
            chi2 += d * d / e
        }
        r.df = arms - 1
        if r.unitsInZeroWeightArm {
            r.chi2 = .infinity
            r.p = PValue(logP: -.infinity)
            r.detected = true
            return r
        }
        guard r.df >= 1 else { return SRMChiSquareResult(status: .insufficientData) }
        r.chi2 = chi2
        r.p = ChiSquare.pValue(chi2, df: Double(r.df))
        r.detected = r.p.value < threshold
        return r
    }

    /// ln of the Dirichlet-multinomial Bayes factor of cumulative counts X against the null
    /// p₀ = w/Σw, with prior a_i = c·p₀ᵢ:
    ///   log BF = lnΓ(A) − lnΓ(A+N) + Σ[lnΓ(a_i+X_i) − lnΓ(a_i)] − Σ X_i ln p₀ᵢ.
    /// Rearranged so that no two large numbers are subtracted (accurate at N ≈ 1e9):
    ///   Σ[(a_i−½)·log1p(X_i/a_i) + R(a_i+X_i) − R(a_i)] − [(A−½)·log1p(N/A) + R(A+N) − R(A)]
    ///   + Σ X_i·log1p((X_i − p₀ᵢN)/(p₀ᵢ(A+N)))
    /// where R is the Stirling remainder of lnΓ. Returns +∞ for units in a weight-0 arm.
    public static func logBayesFactor(counts: [UInt64], weights: [Double], concentration c: Double = defaultConcentration) -> Double {
        precondition(counts.count == weights.count, "one weight per arm")
        let weightSum = weights.reduce(0, +)
        var n = 0.0
        for (x, w) in zip(counts, weights) where w > 0 { n += Double(x) }
        for (x, w) in zip(counts, weights) where w <= 0 && x > 0 { return .infinity }
        guard n > 0, weightSum > 0 else { return 0 }
        let a = c
        var result = -((a - 0.5) * LibM.log1p(n / a)
            + GammaFunctions.stirlingRemainder(a + n) - GammaFunctions.stirlingRemainder(a))
        for (xi, w) in zip(counts, weights) where w > 0 && xi > 0 {
            let x = Double(xi)
            let p0 = w / weightSum
            let ai = c * p0
            result += (ai - 0.5) * LibM.log1p(x / ai)
                + GammaFunctions.stirlingRemainder(ai + x) - GammaFunctions.stirlingRemainder(ai)
            result += x * LibM.log1p((x - p0 * n) / (p0 * (a + n)))
        }
        return result
    }
}

/// The running always-valid SRM p-value p_t = min(1, min_{s≤t} 1/BF_s), kept per period of
/// constant weights and combined across periods by multiplying Bayes factors.
public struct SequentialSRMState: Sendable, Equatable, Codable {
    /// ln of the running-minimum p-value.
    public private(set) var logP: Double = 0
    public private(set) var looks: UInt64 = 0

    public init() {}

    init(logP: Double, looks: UInt64) {
        self.logP = Swift.min(logP, 0)
        self.looks = looks
    }

    public var p: PValue { PValue(logP: logP) }

    /// Folds in a look with the current total log Bayes factor.
    public mutating func update(logBayesFactor: Double) {
        looks += 1
        logP = Swift.min(logP, -logBayesFactor)
    }
}
