/// Per-metric comparisons: the fixed-horizon test, the mSPRT look, Bayesian summaries, CUPED and
/// the sample-size estimate; then Holm across variants × metrics and the verdicts.
extension ResultsEngine {
    /// What every test of one comparison needs, on both scales.
    struct Effect {
        var status: StatStatus
        var diff: Double = .nan, variance: Double = .nan, ci: Interval? = nil, p: PValue? = nil
        var relative = RelativeLift(status: .insufficientData)
        var totalN: Double = 0
    }

    static func metricReport(state: ExperimentState, metric: MetricConfig, index m: Int,
                             sequential: inout [SequentialState], srmStatus: String) -> MetricReport {
        let config = state.config, c = config.controlIndex, vCount = config.variants.count
        let arms = state.metrics[m]
        func arm(_ v: Int) -> (report: ArmReport, binary: BinaryCounts?, moments: Moments) {
            let a = arms[v]
            if metric.kind == .binary {
                let counts = a.binaryCounts(denominator: metric.denominator, exposures: state.variants[v].requests)
                return (ArmReport(variant: config.variants[v], n: counts.trials, estimate: counts.rate, successes: counts.successes),
                        counts, a.values)
            }
            return (ArmReport(variant: config.variants[v], n: a.values.count,
                              estimate: a.values.count > 0 ? a.values.mean : nil, successes: nil), nil, a.values)
        }
        let control = arm(c)
        var comparisons = [ComparisonReport]()
        for v in 0..<vCount where v != c {
            let treatment = arm(v)
            let effect: Effect
            if let cb = control.binary, let tb = treatment.binary {
                let r = TwoProportionResult.compute(control: cb, treatment: tb, alpha: config.alpha)
                effect = Effect(status: r.status, diff: r.diff, variance: r.seUnpooled * r.seUnpooled,
                                ci: r.ci.finiteOrNil, p: r.status == .ok ? r.p : nil, relative: r.relative,
                                totalN: Double(cb.trials + tb.trials))
            } else {
                let r = WelchResult.compute(control: control.moments, treatment: treatment.moments, alpha: config.alpha)
                effect = Effect(status: r.status, diff: r.diff, variance: r.se * r.se, ci: r.ciT.finiteOrNil,
                                p: r.status == .ok ? r.p : nil, relative: r.relative,
                                totalN: control.moments.n + treatment.moments.n)
            }
            let seqIndex = 2 * (m * vCount + v)
            var report = ComparisonReport(
                variant: config.variants[v], status: effect.status, n: treatment.report.n, estimate: treatment.report.estimate,
                absoluteLift: effect.status == .insufficientData ? nil : effect.diff.finiteOrNil,
                absoluteCI: effect.status == .ok ? effect.ci : nil,
                relativeStatus: effect.relative.status,
                relativeLift: effect.relative.status == .ok ? effect.relative.lift.finiteOrNil : nil,
                relativeCI: effect.relative.status == .ok ? (effect.relative.ciT ?? effect.relative.ciZ).finiteOrNil : nil,
                p: effect.p, srmStatus: srmStatus, verdict: .notYet)
            if effect.status == .ok {
                var absolute = sequential[seqIndex], relative = sequential[seqIndex + 1]
                sequentialLooks(effect, config: config, absolute: &absolute, relative: &relative)
                sequential[seqIndex] = absolute
                sequential[seqIndex + 1] = relative
                bayesian(effect, metric: metric, config: config, into: &report)
            }
            report.alwaysValidP = sequential[seqIndex].looks > 0 ? sequential[seqIndex].p : nil
            report.confidenceSequence = sequential[seqIndex].interval
            report.relativeConfidenceSequence = sequential[seqIndex + 1].interval
            if metric.kind == .continuous { report.cuped = cuped(control: arms[c], treatment: arms[v], alpha: config.alpha) }
            report.sampleSize = sampleSize(metric: metric, config: config, control: control.report, controlMoments: control.moments,
                                           treatment: treatment.report, weights: state.srm.weights, variant: v)
            comparisons.append(report)
        }
        return MetricReport(name: metric.name, kind: metric.kind, higherIsBetter: metric.higherIsBetter,
                            control: control.report, comparisons: comparisons)
    }

    /// One mSPRT look on each scale, folded into the running state.
    static func sequentialLooks(_ e: Effect, config: ExperimentStatsConfig,
                                absolute: inout SequentialState, relative: inout SequentialState) {
        if e.variance > 0 && e.variance.isFinite {
            let tau2 = MixtureSPRT.tau2(nStar: config.nStar, alpha: config.alpha, totalN: e.totalN, variance: e.variance)
            absolute.update(with: MixtureSPRT.look(delta: e.diff, variance: e.variance, tau2: tau2, alpha: config.alpha))
        }
        let r = e.relative
        if r.status == .ok, r.se > 0, r.se.isFinite {
            let v = r.se * r.se
            let tau2 = MixtureSPRT.tau2(nStar: config.nStar, alpha: config.alpha, totalN: e.totalN, variance: v)
            relative.update(with: MixtureSPRT.look(delta: r.lift, variance: v, tau2: tau2, alpha: config.alpha))
        }
    }

    /// Chance to beat control and expected loss, on the relative scale when it is defined
    /// (the configured prior applies there), else on the absolute scale with a flat prior.
    static func bayesian(_ e: Effect, metric: MetricConfig, config: ExperimentStatsConfig, into report: inout ComparisonReport) {
        let b: BayesianResult
        if e.relative.status == .ok, e.relative.se > 0 {
            b = BayesianResult.compute(effect: e.relative.lift, variance: e.relative.se * e.relative.se,
                                       prior: config.prior, alpha: config.alpha)
        } else if e.variance > 0 {
            b = BayesianResult.compute(effect: e.diff, variance: e.variance, prior: .flat, alpha: config.alpha)
        } else { return }
        if metric.higherIsBetter {
            report.chanceToBeatControl = b.chanceToBeatControl
            report.log10ChanceToLose = b.log10OneMinusCTW.finiteOrNil
            report.expectedLoss = b.expectedLossShipTreatment
            report.expectedLossKeepControl = b.expectedLossKeepControl
        } else {
            report.chanceToBeatControl = 1 - b.chanceToBeatControl
            report.log10ChanceToLose = (Normal.logCDF(b.postMean / b.postSD) / Normal.ln10).finiteOrNil
            report.expectedLoss = b.expectedLossKeepControl
            report.expectedLossKeepControl = b.expectedLossShipTreatment
        }
    }

    static func cuped(control: MetricArm, treatment: MetricArm, alpha: Double) -> CUPEDReport? {
        let pc = control.paired.count, pt = treatment.paired.count
        guard pc + pt > 0 else { return nil }
        guard pc == control.values.count, pt == treatment.values.count else { return CUPEDReport(status: .missingCovariates) }
        let r = CUPEDResult.compute(control: control.paired, treatment: treatment.paired, alpha: alpha)
        guard r.status == .ok else { return CUPEDReport(status: r.status) }
        return CUPEDReport(status: .ok, theta: r.theta.finiteOrNil, lift: r.diff.finiteOrNil, ci: r.ciT.finiteOrNil, p: r.p,
                           relativeLift: r.relative.status == .ok ? r.relative.lift.finiteOrNil : nil,
                           relativeCI: r.relative.status == .ok ? r.relative.ciZ.finiteOrNil : nil,
                           varianceReduction: r.varianceReduction.finiteOrNil)
    }

    /// Fixed-horizon units needed for the configured relative MDE (STATISTICS.md B.10).
    static func sampleSize(metric: MetricConfig, config: ExperimentStatsConfig, control: ArmReport, controlMoments: Moments,
                           treatment: ArmReport, weights: [Double], variant v: Int) -> SampleSizeReport? {
        guard let mde = metric.minimumDetectableEffect, let mean = control.estimate, mean != 0 else { return nil }
        let sd: Double
        if metric.kind == .binary { sd = (mean * (1 - mean)).squareRoot() } else {
            guard let variance = controlMoments.variance else { return nil }
            sd = variance.squareRoot()
        }
        let wc = weights[config.controlIndex], wt = weights[v]
        guard sd > 0, wc > 0, wt > 0 else { return nil }
        let ratio = wt / wc, delta = mde * abs(mean)
        let n1 = Power.sampleSizeArm1(sd: sd, mde: delta, alpha: config.alpha, power: metric.power, ratio: ratio)
        // Both counts must fit UInt64 (the conversion traps otherwise): with extreme weight
        // ratios the treatment's share ratio·n₁ can be astronomically larger than n₁.
        let n2 = ratio * n1
        guard n1.isFinite, n2.isFinite, n1 < 1e18, n2 < 1e18 else { return nil }
        let needC = UInt64(n1.rounded(.up)), needT = UInt64(n2.rounded(.up))
        let more = (needC > control.n ? needC - control.n : 0) + (needT > treatment.n ? needT - treatment.n : 0)
        var current: Double?
        if control.n > 0 {
            current = Power.minimumDetectableEffect(sd: sd, n1: Double(control.n), alpha: config.alpha, power: metric.power,
                                                    ratio: ratio) / abs(mean)
        }
        return SampleSizeReport(relativeMDE: mde, requiredControl: needC, requiredTreatment: needT,
                                additionalUnits: more, relativeMDEAtCurrentN: current?.finiteOrNil)
    }

    /// Holm across every (metric, treatment) comparison with status ok, on the fixed-horizon and
    /// the always-valid p-values; the verdict uses the Holm-adjusted always-valid p.
    static func applyHolmAndVerdicts(_ metrics: inout [MetricReport], config: ExperimentStatsConfig, srmDetected: Bool) {
        var slots = [(Int, Int)]()
        var fixed = [Double](), valid = [Double]()
        for (m, metric) in metrics.enumerated() {
            for (i, comparison) in metric.comparisons.enumerated() where comparison.status == .ok {
                guard let p = comparison.p, let av = comparison.alwaysValidP else { continue }
                slots.append((m, i)); fixed.append(p.value); valid.append(av.value)
            }
        }
        let holmFixed = MultipleTesting.holm(fixed), holmValid = MultipleTesting.holm(valid)
        for (k, (m, i)) in slots.enumerated() {
            metrics[m].comparisons[i].holmAdjustedP = holmFixed[k]
            metrics[m].comparisons[i].holmAdjustedAlwaysValidP = holmValid[k]
        }
        for m in metrics.indices {
            for i in metrics[m].comparisons.indices {
                let c = metrics[m].comparisons[i]
                if srmDetected {
                    metrics[m].comparisons[i].verdict = .sampleRatioMismatch
                } else if let adjusted = c.holmAdjustedAlwaysValidP, adjusted < config.alpha, let lift = c.absoluteLift, lift != 0 {
                    let better = (lift > 0) == metrics[m].higherIsBetter
                    metrics[m].comparisons[i].verdict = better ? .significantImprovement : .significantRegression
                } else {
                    metrics[m].comparisons[i].verdict = .notYet
                }
            }
        }
    }
}
