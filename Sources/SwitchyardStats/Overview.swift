// SwitchyardStats — online experiment statistics (issue 6; formulas in docs/STATISTICS.md).
//
// Depends only on the standard library, Synchronization and Histogram (HDR). No I/O: snapshots
// are bytes (`ExperimentRecorder.snapshot()` / `restore(from:)`); the gateway owns the files.
//
// Layers, bottom up:
//   Math/          special functions with accurate tails: Φ, Φ⁻¹, Student t (cdf, sf,
//                  quantile, real ν), chi-square upper tail, regularized incomplete beta/gamma,
//                  stable ln Γ differences; `PValue` carries log10 p so tiny p never becomes 0.
//   Accumulators/  `Moments` (Welford + Chan), `CoMoments` (CUPED), `BinaryCounts`,
//                  `LatencyDistribution` (HDR histogram, order statistics, window subtraction).
//   Inference/     the tests of STATISTICS.md as pure functions of sufficient statistics:
//                  Welch, two-proportion z, mSPRT (looks + running state), SRM chi-square and
//                  Dirichlet-multinomial, Bayesian Gaussian + exact Beta-Binomial, Holm/BH,
//                  CUPED, power/sample size, quantile differences. Degenerate inputs give a
//                  `StatStatus`, never a misleading number.
//   Recording/     `ExperimentRecorder`: per-event-loop shards for the request path, outcome
//                  events with bounded de-duplication, weight periods for SRM.
//   Results/       `ExperimentResults` (Codable) computed from a merged state.
//   Persistence/   versioned binary snapshots with a checksum.
//
// Decisions worth knowing when wiring it in:
// * The headline comparison of a continuous metric is unadjusted Welch; CUPED is reported beside
//   it (`ComparisonReport.cuped`) only when every event of both arms carried a covariate. The
//   always-valid running state therefore always follows one statistic.
// * Binary metrics count trials either as the variant's requests (`.exposures`: the application
//   reports conversions only) or as events (`.events`: it reports 0 and 1). Continuous metrics
//   treat each event as one unit's value: report one event per unit per metric, or aggregate per
//   unit before posting; per-unit aggregation inside the gateway would need per-unit memory.
// * Outcome values and covariates must satisfy |y| ≤ 1e100 (`ExperimentRecorder.maximumMagnitude`):
//   beyond ~1e154 one squared deviation overflows M2 and the metric is lost for good. Callers that
//   validate events before recording (the gateway's outcome batches) should apply the same bound.
// * SRM counts assignments = recorded requests. That is the randomization unit when assignment is
//   per request; for sticky experiments it tests request counts, which heavy users can skew.
// * Verdicts use the Holm-adjusted (variants × metrics) always-valid p-value; an SRM flag
//   overrides every verdict with "sample ratio mismatch: do not trust".
