/// Turns a merged `ExperimentState` into the results document. Pure apart from the running
/// sequential quantities it is handed (`inout`), which are what make the always-valid figures
/// valid across looks.
enum ResultsEngine {
    static func compute(state: ExperimentState, sequential: inout [SequentialState],
                        srmSequential: inout SequentialSRMState, computedAt: Double) -> ExperimentResults {
        let config = state.config
        let srm = srmReport(state: state, sequential: &srmSequential)
        let srmStatus = srm.status == .insufficientData ? "insufficient_data" : (srm.detected ? "mismatch" : "ok")
        let variants = variantReports(state: state)
        var metrics = [MetricReport]()
        for (m, metric) in config.metrics.enumerated() {
            metrics.append(metricReport(state: state, metric: metric, index: m, sequential: &sequential, srmStatus: srmStatus))
        }
        applyHolmAndVerdicts(&metrics, config: config, srmDetected: srm.detected)
        return ExperimentResults(experiment: config.name, computedAt: computedAt, alpha: config.alpha, nStar: config.nStar,
                                 control: config.variants[config.controlIndex], srm: srm, variants: variants, metrics: metrics)
    }

    // MARK: SRM

    static func srmReport(state: ExperimentState, sequential: inout SequentialSRMState) -> SRMReport {
        let ledger = state.srm, config = state.config
        let current = SampleRatio.chiSquare(observed: state.periodUnits, weights: ledger.weights, threshold: config.srmThreshold)
        let zeroWeight = ledger.closedZeroWeightUnits || current.unitsInZeroWeightArm
        var chi2 = ledger.closedChi2, df = ledger.closedDF
        if current.status == .ok && !current.unitsInZeroWeightArm { chi2 += current.chi2; df += current.df }
        let combinedP: PValue? = zeroWeight ? PValue(logP: -.infinity) : (df > 0 ? ChiSquare.pValue(chi2, df: Double(df)) : nil)
        let logBF = ledger.closedLogBayesFactor
            + SampleRatio.logBayesFactor(counts: state.periodUnits, weights: ledger.weights)
        let anyUnits = ledger.closedPeriods > 0 || state.periodUnits.contains { $0 > 0 }
        if anyUnits { sequential.update(logBayesFactor: logBF) }
        let detected = zeroWeight || (combinedP.map { $0.value < config.srmThreshold } ?? false)
            || sequential.p.value < config.srmThreshold
        return SRMReport(
            status: anyUnits ? .ok : .insufficientData, detected: detected, threshold: config.srmThreshold,
            weights: ledger.weights, periodStartedAt: ledger.periodStartedAt, currentPeriodUnits: state.periodUnits,
            currentPeriod: SRMTestReport(status: current.status, chi2: current.chi2.finiteOrNil, df: current.df,
                                         p: current.status == .ok ? current.p : nil),
            combined: SRMTestReport(status: df > 0 || zeroWeight ? .ok : .insufficientData,
                                    chi2: zeroWeight ? nil : chi2.finiteOrNil, df: df, p: combinedP),
            periods: ledger.closedPeriods + 1, sequentialP: sequential.p, unitsInZeroWeightArm: zeroWeight)
    }

    // MARK: Requests, errors, latency

    static func variantReports(state: ExperimentState) -> [VariantReport] {
        let c = state.config.controlIndex, alpha = state.config.alpha
        // One pass over each variant's histogram; every quantile below is a binary search.
        let ranks = state.variants.map { LatencyRankIndex($0.latency) }
        return state.variants.enumerated().map { v, telemetry in
            let summary = telemetry.summary(name: state.config.variants[v], ranks: ranks[v])
            guard v != c else { return VariantReport(summary: summary, versusControl: nil) }
            return VariantReport(summary: summary, versusControl: compareRequests(
                control: state.variants[c], treatment: telemetry, controlRanks: ranks[c], treatmentRanks: ranks[v], alpha: alpha))
        }
    }

    /// Error-rate and latency comparison of one variant against control (what canary gates read).
    static func compareRequests(control: VariantTelemetry, treatment: VariantTelemetry, controlRanks: LatencyRankIndex,
                                treatmentRanks: LatencyRankIndex, alpha: Double) -> LatencyErrorComparison {
        let errors = TwoProportionResult.compute(
            control: BinaryCounts(successes: control.serverSideErrors, trials: control.requests),
            treatment: BinaryCounts(successes: treatment.serverSideErrors, trials: treatment.requests), alpha: alpha)
        let p50 = QuantileComparison.difference(control: controlRanks, treatment: treatmentRanks, quantile: 0.5, alpha: alpha)
        let p99 = QuantileComparison.difference(control: controlRanks, treatment: treatmentRanks, quantile: 0.99, alpha: alpha)
        var ratio: Double?
        if let t = p99.treatment?.estimate, let c = p99.control?.estimate, c > 0 { ratio = t / c }
        return LatencyErrorComparison(
            errorRateDiff: errors.status == .insufficientData ? nil : errors.diff.finiteOrNil,
            errorRateCI: errors.status == .insufficientData ? nil : errors.ci.finiteOrNil,
            errorRateP: errors.status == .ok ? errors.p : nil, errorRateStatus: errors.status,
            p50: p50.scaled(by: 1e-6), p99: p99.scaled(by: 1e-6), p99Ratio: ratio)
    }
}
