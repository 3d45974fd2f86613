/// The normal-mixture mSPRT: always-valid p-values and confidence sequences (STATISTICS.md B.5).
///
/// With the plug-in variance V = SE² of an estimate Δ̂ and a mixing variance τ²:
/// Λ(θ₀) = √(V/(V+τ²))·exp(τ²(Δ̂−θ₀)²/(2V(V+τ²))), computed in log space (Λ overflows double).
/// τ² = ρ²·N·V with ρ² = (−2 ln α + ln(1 − 2 ln α))/N*, which makes GrowthBook's, Eppo's and
/// confseq's boundaries the same test (B.5.3).
public enum MixtureSPRT {
    /// The default expected sample size N* the mixture is tuned for.
    public static let defaultNStar = 10_000.0

    /// ρ² = (−2 ln α + ln(1 − 2 ln α))/N*.
    public static func rho2(nStar: Double, alpha: Double) -> Double {
        let l = LibM.log(alpha)
        return (-2 * l + LibM.log(1 - 2 * l)) / nStar
    }

    /// τ² for a look with N total units and plug-in variance V.
    public static func tau2(nStar: Double, alpha: Double, totalN: Double, variance: Double) -> Double {
        rho2(nStar: nStar, alpha: alpha) * totalN * variance
    }

    /// One look at (Δ̂, V) with mixing variance τ².
    ///
    /// Written in the scale-free r = τ²/V and z = Δ̂/√V: τ²Δ̂²/(2V(V+τ²)) = z²·r/(2(1+r)) and
    /// 2V(V+τ²)/τ² = 2V(1+r)/r. The direct form multiplies two variances and τ²Δ̂², which
    /// underflow to 0 once V < ~1e-154 (outcome values around 1e-80): ln Λ became 0/0 = NaN, so
    /// the always-valid p silently stopped updating and the confidence sequence collapsed to a
    /// point (then to empty). Large values overflowed the same products to ∞/∞.
    public static func look(delta: Double, variance v: Double, tau2: Double, alpha: Double) -> MSPRTLook {
        let ratio = tau2 / v
        let z = delta / v.squareRoot()
        let logLambda = -0.5 * LibM.log1p(ratio) + z * z * ratio / (2 * (1 + ratio))
        let halfWidth = (2 * v * (1 + ratio) / ratio * (-LibM.log(alpha) + 0.5 * LibM.log1p(ratio))).squareRoot()
        return MSPRTLook(delta: delta, variance: v, tau2: tau2, logLambda: logLambda,
                         p: PValue(logP: -logLambda), ci: Interval(center: delta, halfWidth: halfWidth),
                         reject: logLambda >= -LibM.log(alpha))
    }
}

/// The result of one mSPRT look, before the running minimum / intersection.
public struct MSPRTLook: Sendable, Equatable {
    public var delta: Double
    public var variance: Double
    public var tau2: Double
    /// ln Λ_n(0).
    public var logLambda: Double
    /// min(1, 1/Λ) at this look alone.
    public var p: PValue
    /// {θ : Λ_n(θ) < 1/α} at this look alone.
    public var ci: Interval
    /// Λ ≥ 1/α.
    public var reject: Bool
    public var lambda: Double { LibM.exp(logLambda) }
}

/// The running quantities that make the mSPRT always valid: p_n = min(p_{n−1}, 1/Λ_n) and
/// CS_n = ∩_{m≤n} CI_m. One per (metric, treatment, scale); persisted with the recorder.
public struct SequentialState: Sendable, Equatable, Codable {
    /// Natural log of the running-minimum p-value (0 = p of 1 before any look).
    public private(set) var logP: Double = 0
    /// The running intersection; nil before the first look.
    public private(set) var interval: Interval?
    /// Whether the intersection ever became empty (possible with probability ≤ α, or when the
    /// plug-in variance is badly off); the last non-empty intersection is kept.
    public private(set) var becameEmpty = false
    public private(set) var looks: UInt64 = 0

    public init() {}

    init(logP: Double, interval: Interval?, becameEmpty: Bool, looks: UInt64) {
        self.logP = Swift.min(logP, 0)
        self.interval = interval
        self.becameEmpty = becameEmpty
        self.looks = looks
    }

    public var p: PValue { PValue(logP: logP) }

    /// Folds one look in and returns the updated state.
    @discardableResult
    public mutating func update(with look: MSPRTLook) -> SequentialState {
        looks += 1
        logP = Swift.min(logP, -look.logLambda)
        if let current = interval {
            if let next = current.intersection(look.ci) { interval = next } else { becameEmpty = true }
        } else {
            interval = look.ci
        }
        return self
    }
}
