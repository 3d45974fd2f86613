/// Student's t distribution with real (Welch) degrees of freedom ν > 0.
public enum StudentT {
    /// Above this ν the tail uses the large-ν expansion (error < 1e-12 for |t| < 5).
    static let largeDF = 5e5

    /// ln P(T > t).
    public static func logSF(_ t: Double, df nu: Double) -> Double {
        if t.isNaN || nu.isNaN { return .nan }
        if t == .infinity { return -.infinity }
        if t < 0 { return LibM.log1p(-LibM.exp(logSF(-t, df: nu))) }
        if t == 0 { return LibM.log(0.5) }
        return LibM.log(0.5) + logTwoSided(t, df: nu)
    }

    /// P(T > t).
    public static func sf(_ t: Double, df nu: Double) -> Double { LibM.exp(logSF(t, df: nu)) }

    /// P(T ≤ t).
    public static func cdf(_ t: Double, df nu: Double) -> Double { sf(-t, df: nu) }

    /// ln P(|T| > |t|) = ln I_{ν/(ν+t²)}(ν/2, ½).
    public static func logTwoSided(_ t: Double, df nu: Double) -> Double {
        let a = abs(t)
        if a == 0 { return 0 }
        if a == .infinity { return -.infinity }
        let t2 = a * a
        if nu >= largeDF {
            // Temme/DiDonato–Morris (BGRAT) leading term: I_x(ν/2, ½) ≈ erfc(√u) with
            // u = −(ν/2 − ¼)·ln x = (ν/2 − ¼)·log1p(t²/ν); the error is O(1/ν²). The continued
            // fraction below converges too slowly near the mean of Beta(ν/2, ½) for huge ν.
            let u = (nu / 2 - 0.25) * LibM.log1p(t2 / nu)
            return Normal.logErfc(u.squareRoot())
        }
        // x = ν/(ν+t²) and y = t²/(ν+t²), each computed directly.
        let x: Double, y: Double
        if t2 > nu {
            let r = nu / t2
            x = r / (1 + r); y = 1 / (1 + r)
        } else {
            let r = t2 / nu
            x = 1 / (1 + r); y = r / (1 + r)
        }
        return IncompleteBeta.logRegularized(a: nu / 2, b: 0.5, x: x, y: y)
    }

    /// Two-sided p-value with its log10.
    public static func twoSidedP(t: Double, df nu: Double) -> PValue {
        PValue(logP: logTwoSided(t, df: nu))
    }

    /// Density of the t distribution.
    public static func pdf(_ t: Double, df nu: Double) -> Double {
        let logNorm = GammaFunctions.logGammaRatio(nu / 2, 0.5) - 0.5 * LibM.log(nu * Double.pi)
        return LibM.exp(logNorm - (nu + 1) / 2 * LibM.log1p(t * t / nu))
    }

    /// The t value whose upper tail is q: P(T > t) = q, for 0 < q < 1.
    ///
    /// Starts from the Cornish–Fisher expansion around the normal quantile and polishes with a
    /// bracketed Newton iteration on ln P(T > t), which converges in a few steps even for ν ≈ 1.
    public static func upperQuantile(_ q: Double, df nu: Double) -> Double {
        precondition(q > 0 && q < 1 && nu > 0, "t quantile needs 0 < q < 1 and ν > 0")
        if q > 0.5 { return -upperQuantile(1 - q, df: nu) }
        if q == 0.5 { return 0 }
        let z = Normal.upperQuantile(q)
        var t = cornishFisher(z: z, nu: nu)
        let target = LibM.log(q)
        var lo = 0.0, hi = Double.infinity
        if !(t > 0 && t.isFinite) { t = z }
        for _ in 0..<200 {
            let logS = logSF(t, df: nu)
            let f = logS - target
            if f > 0 { lo = t } else { hi = t }
            if abs(f) < 1e-15 { break }
            // d/dt ln S(t) = −pdf(t)/S(t)
            let slope = -pdf(t, df: nu) / LibM.exp(logS)
            var next = t - f / slope
            if !(next > lo && next < hi) || !next.isFinite {
                next = hi.isFinite ? 0.5 * (lo + hi) : Swift.max(2 * t, t + 1)
            }
            if abs(next - t) <= 1e-15 * abs(t) { t = next; break }
            t = next
        }
        return t
    }

    /// Abramowitz & Stegun 26.7.5: t ≈ z + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴.
    public static func cornishFisher(z: Double, nu: Double) -> Double {
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
        return z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu
    }
}
