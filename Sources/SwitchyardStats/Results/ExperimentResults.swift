/// The results document served at `GET /admin/experiments/{name}/results` (Codable; every
/// number is finite or absent, so it encodes as JSON with default encoder settings).
public struct ExperimentResults: Sendable, Equatable, Codable {
    public var experiment: String
    /// Caller-supplied time of the computation (e.g. Unix seconds).
    public var computedAt: Double
    public var alpha: Double
    public var nStar: Double
    public var control: String
    public var srm: SRMReport
    /// Request, error and latency summaries per variant, with comparisons against control.
    public var variants: [VariantReport]
    public var metrics: [MetricReport]
}

/// Plain-language verdict for one comparison.
public enum Verdict: String, Sendable, Codable, Equatable {
    case significantImprovement = "significant improvement"
    case significantRegression = "significant regression"
    case notYet = "not yet"
    case sampleRatioMismatch = "sample ratio mismatch: do not trust"
}

public struct SRMTestReport: Sendable, Equatable, Codable {
    public var status: StatStatus
    public var chi2: Double?
    public var df: Int
    public var p: PValue?
}

public struct SRMReport: Sendable, Equatable, Codable {
    /// `insufficient_data` before any assignment, otherwise `ok`.
    public var status: StatStatus
    /// Chi-square (combined over weight periods) or sequential p below the threshold, or units in a zero-weight arm.
    public var detected: Bool
    public var threshold: Double
    /// Current weights and when they took effect.
    public var weights: [Double]
    public var periodStartedAt: Double
    /// Assignments per variant in the current period.
    public var currentPeriodUnits: [UInt64]
    /// Chi-square of the current period against its weights.
    public var currentPeriod: SRMTestReport
    /// Sum of per-period chi-squares (df summed) over all periods, current included.
    public var combined: SRMTestReport
    public var periods: UInt64
    /// Always-valid Dirichlet-multinomial p-value (running minimum over looks).
    public var sequentialP: PValue
    public var unitsInZeroWeightArm: Bool
}

public struct LatencyErrorComparison: Sendable, Equatable, Codable {
    /// Treatment minus control server-side error rate.
    public var errorRateDiff: Double?
    public var errorRateCI: Interval?
    public var errorRateP: PValue?
    public var errorRateStatus: StatStatus
    /// p50 and p99 differences in milliseconds (order-statistic CI, STATISTICS.md B.9).
    public var p50: QuantileDifference
    public var p99: QuantileDifference
    /// Treatment p99 / control p99.
    public var p99Ratio: Double?
}

public struct VariantReport: Sendable, Equatable, Codable {
    public var summary: VariantSummary
    /// nil for the control variant.
    public var versusControl: LatencyErrorComparison?
}

public struct ArmReport: Sendable, Equatable, Codable {
    public var variant: String
    /// Units: trials for binary metrics, events for continuous ones.
    public var n: UInt64
    /// Conversion rate or mean.
    public var estimate: Double?
    public var successes: UInt64?
}

public struct CUPEDReport: Sendable, Equatable, Codable {
    public var status: StatStatus
    public var theta: Double?
    public var lift: Double?
    public var ci: Interval?
    public var p: PValue?
    public var relativeLift: Double?
    public var relativeCI: Interval?
    public var varianceReduction: Double?
}

public struct SampleSizeReport: Sendable, Equatable, Codable {
    /// The configured relative minimum detectable effect.
    public var relativeMDE: Double
    /// Fixed-horizon units needed per arm for that MDE at the configured power.
    public var requiredControl: UInt64
    public var requiredTreatment: UInt64
    /// How many more units (both arms) until the MDE is reachable.
    public var additionalUnits: UInt64
    /// Relative MDE reachable with the units so far.
    public var relativeMDEAtCurrentN: Double?
}

public struct ComparisonReport: Sendable, Equatable, Codable {
    public var variant: String
    public var status: StatStatus
    public var n: UInt64
    public var estimate: Double?
    /// Treatment − control, with the fixed-horizon CI (Welch t or Wald).
    public var absoluteLift: Double?
    public var absoluteCI: Interval?
    public var relativeStatus: StatStatus
    public var relativeLift: Double?
    public var relativeCI: Interval?
    /// Fixed-horizon p-value (Welch t or pooled z): valid only if read once.
    public var p: PValue?
    /// mSPRT always-valid p-value (running minimum): valid however often it is read.
    public var alwaysValidP: PValue?
    public var confidenceSequence: Interval?
    public var relativeConfidenceSequence: Interval?
    /// Bayesian chance that the treatment is better (direction-aware), Gaussian approximation.
    public var chanceToBeatControl: Double?
    /// log10 of the chance that it is worse (finite where the chance to beat rounds to 1).
    public var log10ChanceToLose: Double?
    /// Expected loss of shipping the treatment / of keeping control (relative scale when defined).
    public var expectedLoss: Double?
    public var expectedLossKeepControl: Double?
    /// Holm-adjusted across all variants × metrics with status ok.
    public var holmAdjustedP: Double?
    public var holmAdjustedAlwaysValidP: Double?
    public var cuped: CUPEDReport?
    public var sampleSize: SampleSizeReport?
    /// `ok`, `mismatch` or `insufficient_data` (the experiment's SRM check).
    public var srmStatus: String
    public var verdict: Verdict
}

public struct MetricReport: Sendable, Equatable, Codable {
    public var name: String
    public var kind: MetricConfig.Kind
    public var higherIsBetter: Bool
    public var control: ArmReport
    public var comparisons: [ComparisonReport]
}

extension Interval {
    /// nil unless both ends are finite (keeps the JSON finite).
    var finiteOrNil: Interval? { lower.isFinite && upper.isFinite ? self : nil }
}

extension Double {
    var finiteOrNil: Double? { isFinite ? self : nil }
}
