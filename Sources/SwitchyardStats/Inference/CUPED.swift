/// CUPED regression adjustment with a pre-period covariate (Deng et al. 2013; GrowthBook
/// `RegressionAdjustedStatistic`; STATISTICS.md B.7). θ is a ratio of pooled moments, so it is
/// recomputed from merged per-arm co-moments at every read (never averaged across shards).
public struct CUPEDResult: Sendable, Equatable {
    public struct Arm: Sendable, Equatable {
        public var meanAdjusted: Double
        public var varianceAdjusted: Double
        public var varianceUnadjusted: Double
    }

    public var status: StatStatus
    public var theta: Double = .nan
    public var pooledMeanX: Double = .nan
    public var control: Arm?
    public var treatment: Arm?
    public var diff: Double = .nan
    public var se: Double = .nan
    public var t: Double = .nan
    public var df: Double = .nan
    public var p: PValue = .one
    public var pNormal: PValue = .one
    public var ciT = Interval(lower: .nan, upper: .nan)
    public var ciZ = Interval(lower: .nan, upper: .nan)
    public var diffUnadjusted: Double = .nan
    public var seUnadjusted: Double = .nan
    /// 1 − SE²_adjusted/SE²_unadjusted.
    public var varianceReduction: Double = .nan
    public var relative: RelativeLift = RelativeLift(status: .insufficientData)

    public static func compute(control c: CoMoments, treatment t: CoMoments, alpha: Double = 0.05) -> CUPEDResult {
        guard c.count >= 2, t.count >= 2 else { return CUPEDResult(status: .insufficientData) }
        let pooled = c.merged(t)
        var r = CUPEDResult(status: .ok)
        r.theta = pooled.m2X > 0 ? pooled.cXY / pooled.m2X : 0
        r.pooledMeanX = pooled.meanX
        let theta = r.theta
        func arm(_ m: CoMoments) -> (Arm, sxy: Double, sx2: Double, sy2: Double) {
            let d = m.n - 1
            let sy2 = m.m2Y / d, sx2 = m.m2X / d, sxy = m.cXY / d
            let varAdj = Swift.max(sy2 + theta * theta * sx2 - 2 * theta * sxy, 0)
            return (Arm(meanAdjusted: m.meanY - theta * (m.meanX - pooled.meanX), varianceAdjusted: varAdj,
                        varianceUnadjusted: sy2), sxy, sx2, sy2)
        }
        let ac = arm(c), at = arm(t)
        r.control = ac.0; r.treatment = at.0
        r.diffUnadjusted = t.meanY - c.meanY
        r.seUnadjusted = (ac.sy2 / c.n + at.sy2 / t.n).squareRoot()
        let a = at.0.varianceAdjusted / t.n, b = ac.0.varianceAdjusted / c.n
        r.diff = (t.meanY - c.meanY) - theta * (t.meanX - c.meanX)
        guard a + b > 0 else { r.status = .degenerateZeroVariance; return r }
        guard (a + b).isFinite, r.diff.isFinite else { return CUPEDResult(status: .insufficientData) }
        r.se = (a + b).squareRoot()
        r.t = r.diff / r.se
        r.df = welchDF(a: a, b: b, nA: t.n, nB: c.n)
        r.p = StudentT.twoSidedP(t: r.t, df: r.df)
        r.pNormal = Normal.twoSidedP(z: r.t)
        r.ciT = Interval(center: r.diff, halfWidth: Critical.t(alpha: alpha, df: r.df) * r.se)
        r.ciZ = Interval(center: r.diff, halfWidth: Critical.z(alpha: alpha) * r.se)
        if r.seUnadjusted > 0 { r.varianceReduction = 1 - (r.se * r.se) / (r.seUnadjusted * r.seUnadjusted) }
        // Relative: L = Δ_cv/ȳ_c, Var(L) = g_tᵀΣ_t g_t + g_cᵀΣ_c g_c with Σ_k = [[s_y², s_xy],[s_xy, s_x²]]/n_k.
        let mc = c.meanY
        if mc == 0 {
            r.relative = RelativeLift(status: .undefinedRelativeLift)
        } else {
            var rel = RelativeLift(status: .ok)
            rel.lift = r.diff / mc
            rel.liftAbsDenominator = r.diff / abs(mc)
            func quad(_ g1: Double, _ g2: Double, sy2: Double, sxy: Double, sx2: Double, n: Double) -> Double {
                (g1 * g1 * sy2 + 2 * g1 * g2 * sxy + g2 * g2 * sx2) / n
            }
            let vt = quad(1 / mc, -theta / mc, sy2: at.sy2, sxy: at.sxy, sx2: at.sx2, n: t.n)
            let vc = quad(-(mc + r.diff) / (mc * mc), theta / mc, sy2: ac.sy2, sxy: ac.sxy, sx2: ac.sx2, n: c.n)
            rel.se = (vt + vc).squareRoot()
            rel.z = rel.se > 0 ? rel.lift / rel.se : .nan
            rel.ciZ = Interval(center: rel.lift, halfWidth: Critical.z(alpha: alpha) * rel.se)
            rel.ciT = Interval(center: rel.lift, halfWidth: Critical.t(alpha: alpha, df: r.df) * rel.se)
            r.relative = rel
        }
        return r
    }
}
