/// The standard normal distribution, with tails that stay accurate far beyond where
/// `1 − Φ(x)` would round to 0 (STATISTICS.md B.11 #2–#3).
public enum Normal {
    static let sqrt2 = 1.4142135623730951
    static let sqrt2Pi = 2.5066282746310002
    static let logSqrtPi = 0.5723649429247001  // ln √π
    static let ln10 = 2.302585092994046

    /// φ(x).
    public static func pdf(_ x: Double) -> Double { LibM.exp(-0.5 * x * x) / sqrt2Pi }

    /// Φ(x) = P(Z ≤ x), computed with `erfc` so the lower tail keeps full relative precision.
    public static func cdf(_ x: Double) -> Double { 0.5 * LibM.erfc(-x / sqrt2) }

    /// 1 − Φ(x), computed directly (never as `1 − cdf`).
    public static func sf(_ x: Double) -> Double { 0.5 * LibM.erfc(x / sqrt2) }

    /// ln(1 − Φ(x)); finite for every finite x (the upper tail underflows near x ≈ 38).
    public static func logSF(_ x: Double) -> Double {
        let z = x / sqrt2
        if z < 20 { return LibM.log(0.5 * LibM.erfc(z)) }
        return LibM.log(0.5) + logErfcLarge(z)
    }

    /// ln erfc(z).
    public static func logErfc(_ z: Double) -> Double {
        if z < 20 { return LibM.log(LibM.erfc(z)) }
        return logErfcLarge(z)
    }

    /// ln Φ(x).
    public static func logCDF(_ x: Double) -> Double { logSF(-x) }

    /// ln erfc(z) for z ≥ 20 from the Laplace continued fraction
    /// erfc(z) = e^{−z²}/√π · 1/(z + (1/2)/(z + (2/2)/(z + (3/2)/(z + …)))).
    static func logErfcLarge(_ z: Double) -> Double {
        var t = z
        var k = 60.0
        while k >= 1 {
            t = z + (k / 2) / t
            k -= 1
        }
        return -z * z - logSqrtPi - LibM.log(t)
    }

    /// Two-sided p-value 2·(1 − Φ(|z|)) with its log10.
    public static func twoSidedP(z: Double) -> PValue {
        let a = abs(z)
        let logP = LibM.log(2.0) + logSF(a)
        return PValue(logP: logP)
    }

    /// Φ⁻¹(p). Acklam's rational approximation refined by two Halley steps against `erfc`,
    /// which brings it to full double precision in both tails.
    public static func quantile(_ p: Double) -> Double {
        precondition(!(p.isNaN), "normal quantile of NaN")
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p <= 0.5 { return lowerQuantile(p) }
        return -lowerQuantile(1 - p)
    }

    /// Φ⁻¹(1 − q), computed from q directly (keeps precision for tiny q, e.g. z_{1−α/2}).
    public static func upperQuantile(_ q: Double) -> Double { -quantileBelowHalf(q) }

    private static func quantileBelowHalf(_ q: Double) -> Double {
        if q <= 0 { return -.infinity }
        if q >= 1 { return .infinity }
        return q <= 0.5 ? lowerQuantile(q) : -lowerQuantile(1 - q)
    }

    /// x with Φ(x) = p, for 0 < p ≤ 0.5 (x ≤ 0).
    private static func lowerQuantile(_ p: Double) -> Double {
        var x: Double
        if p < 0.02425 {
            let q = (-2 * LibM.log(p)).squareRoot()
            x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
                ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
        } else {
            let q = p - 0.5
            let r = q * q
            x = (((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q /
                (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
        }
        for _ in 0..<2 {
            let density = pdf(x)
            guard density > 0 else { break }
            let u = (cdf(x) - p) / density
            x -= u / (1 + x * u / 2)
        }
        return x
    }

    private static let a0 = -3.969683028665376e+01, a1 = 2.209460984245205e+02
    private static let a2 = -2.759285104469687e+02, a3 = 1.383577518672690e+02
    private static let a4 = -3.066479806614716e+01, a5 = 2.506628277459239e+00
    private static let b0 = -5.447609879822406e+01, b1 = 1.615858368580409e+02
    private static let b2 = -1.556989798598866e+02, b3 = 6.680131188771972e+01
    private static let b4 = -1.328068155288572e+01
    private static let c0 = -7.784894002430293e-03, c1 = -3.223964580411365e-01
    private static let c2 = -2.400758277161838e+00, c3 = -2.549732539343734e+00
    private static let c4 = 4.374664141464968e+00, c5 = 2.938163982698783e+00
    private static let d0 = 7.784695709041462e-03, d1 = 3.224671290700398e-01
    private static let d2 = 2.445134137142996e+00, d3 = 3.754408661907416e+00
}
