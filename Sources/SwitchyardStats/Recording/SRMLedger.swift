/// Sample-ratio bookkeeping across weight changes.
///
/// What is compared: assignments are counted per **period of constant weights**; each period is
/// tested against its own weights. Closed periods are folded into constant-size aggregates:
/// their chi-square statistics and degrees of freedom are summed (independent periods, so the sum
/// is chi-square with the summed df) and their Dirichlet-multinomial log Bayes factors are added
/// (a product of per-period test martingales is still one). The current period is added at each
/// read. Comparing pooled counts against an average of weights would be wrong: a 50/50 → 90/10
/// ramp looks like a mismatch against either.
public struct SRMLedger: Sendable, Equatable {
    public internal(set) var weights: [Double]
    /// Caller-supplied time (e.g. Unix seconds) at which the current weights took effect.
    public internal(set) var periodStartedAt: Double
    public internal(set) var closedPeriods: UInt64 = 0
    public internal(set) var closedChi2: Double = 0
    public internal(set) var closedDF: Int = 0
    public internal(set) var closedLogBayesFactor: Double = 0
    /// Units reached a zero-weight arm in some closed period.
    public internal(set) var closedZeroWeightUnits = false
    public internal(set) var sequential = SequentialSRMState()

    init(weights: [Double], startedAt: Double) {
        self.weights = weights
        periodStartedAt = startedAt
    }

    /// Closes the current period with its final counts and starts a new one.
    mutating func closePeriod(units: [UInt64], concentration: Double, newWeights: [Double], at time: Double) {
        let chi = SampleRatio.chiSquare(observed: units, weights: weights)
        if chi.status == .ok {
            if chi.unitsInZeroWeightArm { closedZeroWeightUnits = true } else {
                closedChi2 += chi.chi2
                closedDF += chi.df
            }
        }
        closedLogBayesFactor += SampleRatio.logBayesFactor(counts: units, weights: weights, concentration: concentration)
        closedPeriods += 1
        weights = newWeights
        periodStartedAt = time
    }
}
