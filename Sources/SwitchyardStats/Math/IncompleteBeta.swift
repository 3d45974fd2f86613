/// The regularized incomplete beta function I_x(a, b), in log space where it matters.
///
/// Callers pass both x and y = 1 − x: the Student t tail needs x = ν/(ν+t²) and
/// 1 − x = t²/(ν+t²), and computing either one as `1 − other` throws away the digits that make
/// tiny p-values (and huge ν) accurate.
public enum IncompleteBeta {
    /// ln I_x(a, b) with y = 1 − x supplied by the caller.
    public static func logRegularized(a: Double, b: Double, x: Double, y: Double) -> Double {
        precondition(a > 0 && b > 0, "incomplete beta needs a, b > 0")
        if x <= 0 { return -.infinity }
        if y <= 0 { return 0 }
        if x < (a + 1) / (a + b + 2) {
            return logFront(a: a, b: b, x: x, y: y) + LibM.log(continuedFraction(a: a, b: b, x: x, y: y)) - LibM.log(a)
        }
        // Symmetry: I_x(a, b) = 1 − I_y(b, a).
        let complement = LibM.exp(logFront(a: b, b: a, x: y, y: x)) * continuedFraction(a: b, b: a, x: y, y: x) / b
        return LibM.log1p(-complement)
    }

    /// I_x(a, b).
    public static func regularized(a: Double, b: Double, x: Double, y: Double) -> Double {
        LibM.exp(logRegularized(a: a, b: b, x: x, y: y))
    }

    /// ln[x^a · y^b / B(a, b)], taking logs of whichever of x, y is closer to 1 through log1p.
    private static func logFront(a: Double, b: Double, x: Double, y: Double) -> Double {
        let logX = x > 0.5 ? LibM.log1p(-y) : LibM.log(x)
        let logY = y > 0.5 ? LibM.log1p(-x) : LibM.log(y)
        return a * logX + b * logY - GammaFunctions.logBeta(a, b)
    }

    /// The continued fraction for I_x(a, b) (modified Lentz), valid for x < (a+1)/(a+b+2).
    private static func continuedFraction(a: Double, b: Double, x: Double, y: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m < 1_000_000 {
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            m += 1
        }
        return h
    }
}
