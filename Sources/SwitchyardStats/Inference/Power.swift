/// Sample size and minimum detectable effect for a two-sided two-sample z-test
/// (GrowthBook power docs, statsmodels `NormalIndPower`; STATISTICS.md B.10). These are
/// fixed-horizon figures; an always-valid test needs more sample (B.5.3: ≈2.4× for equal width).
public enum Power {
    /// n₁ = (z_{1−α/2} + z_{power})²·σ²·(1 + 1/r)/δ², with n₂ = r·n₁.
    public static func sampleSizeArm1(sd: Double, mde: Double, alpha: Double = 0.05, power: Double = 0.8, ratio r: Double = 1) -> Double {
        let k = Critical.z(alpha: alpha) + Normal.quantile(power)
        return k * k * sd * sd * (1 + 1 / r) / (mde * mde)
    }

    /// MDE(n₁) = (z_{1−α/2} + z_{power})·σ·√(1/n₁ + 1/n₂).
    public static func minimumDetectableEffect(sd: Double, n1: Double, alpha: Double = 0.05, power: Double = 0.8, ratio r: Double = 1) -> Double {
        (Critical.z(alpha: alpha) + Normal.quantile(power)) * sd * (1 / n1 + 1 / (r * n1)).squareRoot()
    }

    /// Two-sided power 1 − Φ(z − δ/SE) + Φ(−z − δ/SE).
    public static func twoSidedPower(sd: Double, mde: Double, n1: Double, alpha: Double = 0.05, ratio r: Double = 1) -> Double {
        let se = sd * (1 / n1 + 1 / (r * n1)).squareRoot()
        let z = Critical.z(alpha: alpha), shift = abs(mde) / se
        return Normal.sf(z - shift) + Normal.cdf(-z - shift)
    }

    /// n₁ solving the exact two-tailed power equation (statsmodels `solve_power`).
    public static func exactSampleSizeArm1(sd: Double, mde: Double, alpha: Double = 0.05, power: Double = 0.8, ratio r: Double = 1) -> Double {
        let start = sampleSizeArm1(sd: sd, mde: mde, alpha: alpha, power: power, ratio: r)
        var lo = start * 0.5, hi = start * 1.5
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if twoSidedPower(sd: sd, mde: mde, n1: mid, alpha: alpha, ratio: r) < power { lo = mid } else { hi = mid }
            if hi - lo <= 1e-13 * hi { break }
        }
        return 0.5 * (lo + hi)
    }

    /// δ solving the exact two-tailed power equation at n₁.
    public static func exactMinimumDetectableEffect(sd: Double, n1: Double, alpha: Double = 0.05, power: Double = 0.8, ratio r: Double = 1) -> Double {
        let start = minimumDetectableEffect(sd: sd, n1: n1, alpha: alpha, power: power, ratio: r)
        var lo = start * 0.5, hi = start * 1.5
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if twoSidedPower(sd: sd, mde: mid, n1: n1, alpha: alpha, ratio: r) < power { lo = mid } else { hi = mid }
            if hi - lo <= 1e-14 * hi { break }
        }
        return 0.5 * (lo + hi)
    }
}
