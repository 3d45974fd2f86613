/// Welch's unequal-variance t-test from per-arm (n, mean, M2), with the absolute difference and
/// the delta-method relative lift (STATISTICS.md B.1).
public struct WelchResult: Sendable, Equatable {
    public var status: StatStatus
    /// Δ = ȳ_t − ȳ_c.
    public var diff: Double = .nan
    /// √(s_t²/n_t + s_c²/n_c).
    public var se: Double = .nan
    public var t: Double = .nan
    /// Welch–Satterthwaite degrees of freedom.
    public var df: Double = .nan
    public var p: PValue = .one
    /// 2·(1 − Φ(|t|)): the normal-reference p-value (Eppo's convention).
    public var pNormal: PValue = .one
    public var tCrit: Double = .nan
    /// Δ ± t_{1−α/2,ν}·SE (GrowthBook).
    public var ciT: Interval = Interval(lower: .nan, upper: .nan)
    /// Δ ± z_{1−α/2}·SE (Eppo).
    public var ciZ: Interval = Interval(lower: .nan, upper: .nan)
    public var relative: RelativeLift

    public static func compute(control c: Moments, treatment tr: Moments, alpha: Double = 0.05) -> WelchResult {
        guard c.count >= 2, tr.count >= 2, let vc = c.variance, let vt = tr.variance else {
            return WelchResult(status: .insufficientData, relative: .init(status: .insufficientData))
        }
        let relative = RelativeLift.fromMeans(control: c, treatment: tr, alpha: alpha, df: nil)
        let a = vt / tr.n, b = vc / c.n
        // A variance beyond double range (only from moments handed in directly: the recorder
        // bounds values) supports no test; without this guard ν would be NaN.
        guard (a + b).isFinite, c.mean.isFinite, tr.mean.isFinite else {
            return WelchResult(status: .insufficientData, relative: .init(status: .insufficientData))
        }
        if a + b == 0 {
            return WelchResult(status: .degenerateZeroVariance, diff: tr.mean - c.mean,
                               relative: .init(status: relative.status == .ok ? .degenerateZeroVariance : relative.status))
        }
        var r = WelchResult(status: .ok, relative: relative)
        r.diff = tr.mean - c.mean
        r.se = (a + b).squareRoot()
        r.t = r.diff / r.se
        r.df = welchDF(a: a, b: b, nA: tr.n, nB: c.n)
        r.p = StudentT.twoSidedP(t: r.t, df: r.df)
        r.pNormal = Normal.twoSidedP(z: r.t)
        r.tCrit = Critical.t(alpha: alpha, df: r.df)
        r.ciT = Interval(center: r.diff, halfWidth: r.tCrit * r.se)
        r.ciZ = Interval(center: r.diff, halfWidth: Critical.z(alpha: alpha) * r.se)
        if r.relative.status == .ok {
            r.relative = RelativeLift.fromMeans(control: c, treatment: tr, alpha: alpha, df: r.df)
        }
        return r
    }
}

/// Welch–Satterthwaite ν = (A+B)²/(A²/(n_A−1) + B²/(n_B−1)), written in the shares A/(A+B)
/// and B/(A+B) so that it cannot under- or overflow: with values around 1e-160 the variances
/// are ~1e-320 and A², B² underflow to 0, which made ν = 0/0 = NaN and crashed the t quantile.
/// The result always lies in [min(n)−1, n_A+n_B−2].
func welchDF(a: Double, b: Double, nA: Double, nB: Double) -> Double {
    let s = a + b
    let fa = a / s, fb = b / s
    return 1 / (fa * fa / (nA - 1) + fb * fb / (nB - 1))
}

/// L = Δ/ȳ_c with its delta-method standard error.
public struct RelativeLift: Sendable, Equatable {
    public var status: StatStatus
    public var lift: Double = .nan
    /// GrowthBook's variant: Δ/|ȳ_c| (differs from `lift` only for a negative control mean).
    public var liftAbsDenominator: Double = .nan
    public var se: Double = .nan
    public var z: Double = .nan
    /// L ± z_{1−α/2}·SE (Eppo).
    public var ciZ: Interval = Interval(lower: .nan, upper: .nan)
    /// L ± t_{1−α/2,ν}·SE with the absolute test's ν (GrowthBook); nil without a ν.
    public var ciT: Interval?

    public init(status: StatStatus) { self.status = status }

    /// From two means and the variance of each mean (Var(ȳ_t), Var(ȳ_c)).
    public init(meanControl mc: Double, meanTreatment mt: Double, varMeanControl vc: Double,
                varMeanTreatment vt: Double, alpha: Double, df: Double?) {
        guard mc != 0, mc.isFinite, mt.isFinite else { self.init(status: .undefinedRelativeLift); return }
        self.init(status: .ok)
        let diff = mt - mc
        lift = diff / mc
        liftAbsDenominator = diff / abs(mc)
        // Var(L) = vt/ȳc² + vc·ȳt²/ȳc⁴, taken as √(vt + vc·(ȳt/ȳc)²)/|ȳc|: the direct form
        // needs ȳc⁴, which under/overflows once |ȳc| leaves ~[1e-77, 1e77] and made the
        // relative CI, confidence sequence and Bayesian summary vanish for such data.
        let ratio = mt / mc
        se = (vt + vc * ratio * ratio).squareRoot() / abs(mc)
        z = se > 0 ? lift / se : .nan
        ciZ = Interval(center: lift, halfWidth: Critical.z(alpha: alpha) * se)
        if let df, df.isFinite, df > 0 {
            ciT = Interval(center: lift, halfWidth: Critical.t(alpha: alpha, df: df) * se)
        }
    }

    static func fromMeans(control c: Moments, treatment t: Moments, alpha: Double, df: Double?) -> RelativeLift {
        guard let vc = c.variance, let vt = t.variance else { return RelativeLift(status: .insufficientData) }
        return RelativeLift(meanControl: c.mean, meanTreatment: t.mean, varMeanControl: vc / c.n,
                            varMeanTreatment: vt / t.n, alpha: alpha, df: df)
    }
}
