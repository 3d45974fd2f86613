/// Pooled two-proportion z-test with the unpooled Wald interval (statsmodels
/// `proportions_ztest` / `confint_proportions_2indep(method='wald')`; STATISTICS.md B.2).
public struct TwoProportionResult: Sendable, Equatable {
    public var status: StatStatus
    public var pControl: Double = .nan
    public var pTreatment: Double = .nan
    public var diff: Double = .nan
    public var pPooled: Double = .nan
    public var sePooled: Double = .nan
    public var z: Double = .nan
    public var p: PValue = .one
    public var seUnpooled: Double = .nan
    public var ci: Interval = Interval(lower: .nan, upper: .nan)
    public var relative: RelativeLift

    public static func compute(control: BinaryCounts, treatment: BinaryCounts, alpha: Double = 0.05) -> TwoProportionResult {
        guard control.trials > 0, treatment.trials > 0 else {
            return TwoProportionResult(status: .insufficientData, relative: .init(status: .insufficientData))
        }
        let nc = Double(control.trials), nt = Double(treatment.trials)
        let pc = Double(control.successes) / nc, pt = Double(treatment.successes) / nt
        let relative = RelativeLift(meanControl: pc, meanTreatment: pt, varMeanControl: pc * (1 - pc) / nc,
                                    varMeanTreatment: pt * (1 - pt) / nt, alpha: alpha, df: nil)
        var r = TwoProportionResult(status: .ok, relative: relative)
        r.pControl = pc; r.pTreatment = pt
        r.diff = pt - pc
        r.pPooled = Double(control.successes + treatment.successes) / (nc + nt)
        r.seUnpooled = (pt * (1 - pt) / nt + pc * (1 - pc) / nc).squareRoot()
        r.ci = Interval(center: r.diff, halfWidth: Critical.z(alpha: alpha) * r.seUnpooled)
        if r.pPooled <= 0 || r.pPooled >= 1 {
            r.status = .degenerateZeroVariance
            return r
        }
        r.sePooled = (r.pPooled * (1 - r.pPooled) * (1 / nt + 1 / nc)).squareRoot()
        r.z = r.diff / r.sePooled
        r.p = Normal.twoSidedP(z: r.z)
        return r
    }
}
