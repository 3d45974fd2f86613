/// Who receives `100 - step` percent while a canary runs.
///
/// With two variants both choices are the same. With A/B/n they differ:
/// - `proportional` scales every other variant by the same factor. Under weighted rendezvous
///   hashing this makes every ramp *strictly* monotone: units only ever move to the candidate
///   (see ``Rendezvous``). This is the default.
/// - `control` keeps the other arms at their configured weights and lets the control absorb the
///   difference. Units still never leave the candidate and never enter the control, but a few may
///   move from the control to another arm whose relative share grew.
public enum CanaryRest: String, Sendable, Equatable, CaseIterable {
    case proportional, control
}

/// Direction in which an outcome metric is "better".
public enum MetricDirection: String, Sendable, Equatable, CaseIterable {
    case increase, decrease
}

/// What the significance gate requires of the outcome metric.
public enum SignificanceRequirement: String, Sendable, Equatable, CaseIterable {
    /// Fails only on a significant change in the bad direction; otherwise passes.
    case noWorse = "no_worse"
    /// Passes only on a significant change in the good direction; fails on a significant change in
    /// the bad direction; otherwise "not yet".
    case better
}

public struct SignificanceGate: Sendable, Equatable {
    public var metric: String
    public var alpha: Double
    public var require: SignificanceRequirement
    public var direction: MetricDirection

    public init(metric: String, alpha: Double = 0.05, require: SignificanceRequirement = .noWorse,
                direction: MetricDirection = .increase) {
        self.metric = metric
        self.alpha = alpha
        self.require = require
        self.direction = direction
    }
}

public struct CanaryGates: Sendable, Equatable {
    /// Both candidate and control need at least this many requests in the step before any gate is judged.
    public var minRequests: Int
    /// candidate error rate - control error rate must be <= this.
    public var maxErrorRateDelta: Double?
    /// candidate p50 / control p50 must be <= this.
    public var maxP50LatencyRatio: Double?
    /// candidate p99 / control p99 must be <= this.
    public var maxP99LatencyRatio: Double?
    public var significance: SignificanceGate?

    public init(minRequests: Int = 100, maxErrorRateDelta: Double? = nil, maxP50LatencyRatio: Double? = nil,
                maxP99LatencyRatio: Double? = nil, significance: SignificanceGate? = nil) {
        self.minRequests = minRequests
        self.maxErrorRateDelta = maxErrorRateDelta
        self.maxP50LatencyRatio = maxP50LatencyRatio
        self.maxP99LatencyRatio = maxP99LatencyRatio
        self.significance = significance
    }
}

public struct CanaryConfig: Sendable, Equatable {
    /// The candidate variant's name.
    public var variant: String
    /// Candidate weight in percent at each step, strictly increasing.
    public var steps: [Double]
    /// Seconds between evaluations.
    public var intervalSeconds: Double
    public var rest: CanaryRest
    public var gates: CanaryGates

    public init(variant: String, steps: [Double] = [5, 10, 25, 50, 100], intervalSeconds: Double = 60,
                rest: CanaryRest = .proportional, gates: CanaryGates = CanaryGates()) {
        self.variant = variant
        self.steps = steps
        self.intervalSeconds = intervalSeconds
        self.rest = rest
        self.gates = gates
    }
}
