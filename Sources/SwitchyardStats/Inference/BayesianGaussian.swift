/// Bayesian chance to beat control and expected loss under a Gaussian approximation
/// (GrowthBook `EffectBayesianABTest`, Eppo, Statsig; STATISTICS.md B.6).
public struct GaussianPrior: Sendable, Equatable, Codable {
    public var mean: Double
    /// nil = improper flat prior (GrowthBook's default).
    public var variance: Double?

    public init(mean: Double = 0, variance: Double? = nil) {
        self.mean = mean
        self.variance = variance
    }

    public static let flat = GaussianPrior()
}

public struct BayesianResult: Sendable, Equatable {
    public var postMean: Double
    public var postSD: Double
    /// P(Δ > 0 | data).
    public var chanceToBeatControl: Double
    /// log10 P(Δ ≤ 0 | data) = log10(1 − CTW), finite where CTW rounds to 1.
    public var log10OneMinusCTW: Double
    /// E[max(0, −Δ)]: what shipping the treatment costs if it is worse.
    public var expectedLossShipTreatment: Double
    /// E[max(0, Δ)]: what keeping control costs if the treatment is better.
    public var expectedLossKeepControl: Double
    public var credibleInterval: Interval

    /// From an effect estimate Δ̂ with variance SE² and a prior on the same scale.
    public static func compute(effect: Double, variance: Double, prior: GaussianPrior = .flat, alpha: Double = 0.05) -> BayesianResult {
        var mu = effect, v = variance
        if let pv = prior.variance, pv > 0 {
            let precision = 1 / variance + 1 / pv
            v = 1 / precision
            mu = v * (effect / variance + prior.mean / pv)
        }
        let sd = v.squareRoot()
        let k = mu / sd
        let density = Normal.pdf(k)
        let lossShip = sd * density - mu * Normal.sf(k)    // σφ(k) − μΦ(−k)
        let lossKeep = sd * density + mu * Normal.cdf(k)   // σφ(k) + μΦ(k)
        return BayesianResult(
            postMean: mu, postSD: sd,
            chanceToBeatControl: Normal.cdf(k),
            log10OneMinusCTW: Normal.logSF(k) / Normal.ln10,
            expectedLossShipTreatment: Swift.max(lossShip, 0),
            expectedLossKeepControl: Swift.max(lossKeep, 0),
            credibleInterval: Interval(center: mu, halfWidth: Critical.z(alpha: alpha) * sd))
    }
}

/// Exact P(p_B > p_A) for Beta posteriors (Evan Miller's closed form), for binary metrics.
public enum BetaBinomial {
    /// With posteriors Beta(αA, βA) and Beta(αB, βB); αB must be a positive integer.
    ///   P = Σ_{i=0}^{αB−1} B(αA+i, βA+βB) / ((βB+i)·B(1+i, βB)·B(αA, βA))
    public static func probabilityBBeatsA(alphaA: Double, betaA: Double, alphaB: Double, betaB: Double) -> Double {
        precondition(alphaB >= 1 && alphaB == alphaB.rounded(), "αB must be a positive integer")
        let logBA = GammaFunctions.logBeta(alphaA, betaA)
        var total = 0.0
        var i = 0.0
        while i < alphaB {
            total += LibM.exp(GammaFunctions.logBeta(alphaA + i, betaA + betaB) - LibM.log(betaB + i)
                - GammaFunctions.logBeta(1 + i, betaB) - logBA)
            i += 1
        }
        return total
    }

    /// From counts with a Beta(priorAlpha, priorBeta) prior on each rate.
    public static func probabilityTreatmentBeatsControl(control: BinaryCounts, treatment: BinaryCounts,
                                                        priorAlpha: Double = 1, priorBeta: Double = 1) -> Double {
        probabilityBBeatsA(alphaA: priorAlpha + Double(control.successes),
                           betaA: priorBeta + Double(control.trials - control.successes),
                           alphaB: priorAlpha + Double(treatment.successes),
                           betaB: priorBeta + Double(treatment.trials - treatment.successes))
    }
}
