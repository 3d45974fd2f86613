/// What a test reports instead of a number when its inputs cannot support one
/// (raw values match `expected.status` in the reference vectors).
public enum StatStatus: String, Sendable, Codable, Equatable {
    /// The numbers are meaningful.
    case ok
    /// Too few observations (e.g. n < 2 in an arm for a variance, or no units at all).
    case insufficientData = "insufficient_data"
    /// Every observation is identical, so the standard error is 0 and the statistic undefined.
    case degenerateZeroVariance = "degenerate_zero_variance"
    /// The control mean (the relative lift's denominator) is 0.
    case undefinedRelativeLift = "undefined_relative_lift"
    /// A CUPED estimate was asked for but not every observation carried a covariate.
    case missingCovariates = "missing_covariates"
}

/// A closed interval [lower, upper].
public struct Interval: Sendable, Equatable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// center ± halfWidth.
    public init(center: Double, halfWidth: Double) {
        lower = center - halfWidth
        upper = center + halfWidth
    }

    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }

    /// The intersection; nil when the intervals are disjoint.
    public func intersection(_ other: Interval) -> Interval? {
        let lo = Swift.max(lower, other.lower), hi = Swift.min(upper, other.upper)
        return lo <= hi ? Interval(lower: lo, upper: hi) : nil
    }
}

/// Critical values used by every interval: z_{1−α/2} and t_{1−α/2,ν}.
public enum Critical {
    public static func z(alpha: Double) -> Double { Normal.upperQuantile(alpha / 2) }
    public static func t(alpha: Double, df: Double) -> Double { StudentT.upperQuantile(alpha / 2, df: df) }
}
