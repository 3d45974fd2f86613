/// The chi-square distribution's upper tail, computed as an upper tail (`chdtrc`), never as
/// `1 − cdf` (STATISTICS.md B.4).
public enum ChiSquare {
    /// ln P(X² > x) for `df` degrees of freedom.
    public static func logSF(_ x: Double, df: Double) -> Double {
        if x.isNaN { return .nan }
        if x == .infinity { return -.infinity }
        if x <= 0 { return 0 }
        if df == 1 {
            // Q(½, x/2) = erfc(√(x/2)) = 2·(1 − Φ(√x)), exact and cheaper.
            return LibM.log(2.0) + Normal.logSF(x.squareRoot())
        }
        return GammaFunctions.logUpperRegularized(df / 2, x / 2)
    }

    /// P(X² > x).
    public static func sf(_ x: Double, df: Double) -> Double { LibM.exp(logSF(x, df: df)) }

    /// Upper-tail p-value with its log10.
    public static func pValue(_ x: Double, df: Double) -> PValue { PValue(logP: logSF(x, df: df)) }
}
