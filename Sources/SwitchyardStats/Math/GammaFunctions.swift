/// ln Γ and the regularized incomplete gamma functions, with differences of large ln Γ values
/// computed without cancellation (STATISTICS.md B.11 #5: at 1e9 counts a plain difference of
/// `lgamma` values loses ~5e-6).
public enum GammaFunctions {
    static let halfLog2Pi = 0.9189385332046728  // ½ ln 2π

    /// ln Γ(x) for x > 0.
    public static func logGamma(_ x: Double) -> Double { LibM.logGamma(x) }

    /// Stirling remainder R(z) = ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π].
    static func stirlingRemainder(_ z: Double) -> Double {
        if z >= 10 {
            let r = 1 / z, r2 = r * r
            // Bernoulli series; the first omitted term is below 1e-16 for z ≥ 10.
            return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680
                - r2 * (1.0 / 1188 - r2 * (691.0 / 360360 - r2 / 156))))))
        }
        return LibM.logGamma(z) - ((z - 0.5) * LibM.log(z) - z + halfLog2Pi)
    }

    /// ln Γ(x + d) − ln Γ(x) for x > 0, x + d > 0, accurate when both arguments are huge.
    public static func logGammaRatio(_ x: Double, _ d: Double) -> Double {
        if d == 0 { return 0 }
        let y = x + d
        if x >= 10 && y >= 10 {
            // (y−½)ln y − (x−½)ln x − d  =  (x−½)·log1p(d/x) + d·ln y − d
            return (x - 0.5) * LibM.log1p(d / x) + d * LibM.log(y) - d
                + (stirlingRemainder(y) - stirlingRemainder(x))
        }
        return LibM.logGamma(y) - LibM.logGamma(x)
    }

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), stable when one argument is huge.
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        let big = Swift.max(a, b), small = Swift.min(a, b)
        if big >= 10 { return LibM.logGamma(small) - logGammaRatio(big, small) }
        return LibM.logGamma(a) + LibM.logGamma(b) - LibM.logGamma(a + b)
    }

    /// ln Q(a, x), the log of the regularized upper incomplete gamma function Γ(a, x)/Γ(a).
    public static func logUpperRegularized(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "incomplete gamma needs a > 0")
        if x <= 0 { return 0 }
        if x < a + 1 {
            let p = lowerSeries(a, x)
            return LibM.log1p(-p)
        }
        return logUpperContinuedFraction(a, x)
    }

    /// Q(a, x).
    public static func upperRegularized(_ a: Double, _ x: Double) -> Double {
        LibM.exp(logUpperRegularized(a, x))
    }

    /// P(a, x) = 1 − Q(a, x).
    public static func lowerRegularized(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x < a + 1 { return lowerSeries(a, x) }
        return -LibM.expm1(logUpperContinuedFraction(a, x))
    }

    /// P(a, x) by its power series (converges fast for x < a + 1).
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a, term = 1 / a, sum = term
        for _ in 0..<10_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return LibM.exp(-x + a * LibM.log(x) - LibM.logGamma(a) + LibM.log(sum))
    }

    /// ln Q(a, x) by the Legendre continued fraction (modified Lentz), for x ≥ a + 1.
    private static func logUpperContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return -x + a * LibM.log(x) - LibM.logGamma(a) + LibM.log(h)
    }
}
