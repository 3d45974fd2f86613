/// What the gateway measured for one variant since the current canary step began
/// (``CanaryState/windowStart``). The lead fills it from the statistics module.
public struct VariantWindow: Sendable, Equatable, Codable {
    public var requests: Int
    public var errors: Int
    public var p50Ns: Double?
    public var p99Ns: Double?

    public init(requests: Int, errors: Int, p50Ns: Double? = nil, p99Ns: Double? = nil) {
        self.requests = requests
        self.errors = errors
        self.p50Ns = p50Ns
        self.p99Ns = p99Ns
    }

    public static let empty = VariantWindow(requests: 0, errors: 0)

    public var errorRate: Double? { requests > 0 ? Double(errors) / Double(requests) : nil }
}

/// The statistics engine's answer for the significance gate's outcome metric, candidate against
/// control. `pValue` nil means the engine has no valid test yet (insufficient data, degenerate).
public struct OutcomeSignificance: Sendable, Equatable, Codable {
    public var metric: String
    /// An always-valid (sequential) p-value, so reading it every interval does not inflate errors.
    public var pValue: Double?
    /// Candidate minus control, in the metric's units (sign is what matters here).
    public var lift: Double?

    public init(metric: String, pValue: Double?, lift: Double?) {
        self.metric = metric
        self.pValue = pValue
        self.lift = lift
    }
}

public enum GateOutcome: String, Sendable, Equatable, Codable {
    case pass, fail
    case notYet = "not_yet"
}

/// One gate's verdict with the figures it was judged on.
public struct GateResult: Sendable, Equatable, Codable, CustomStringConvertible {
    /// `min_requests`, `error_rate_delta`, `p50_latency_ratio`, `p99_latency_ratio`, `significance`.
    public var gate: String
    public var outcome: GateOutcome
    public var value: Double?
    public var threshold: Double?
    public var detail: String

    public var description: String { "\(gate) \(outcome.rawValue): \(detail)" }
}

public enum CanaryStatus: String, Sendable, Equatable, Codable {
    case running, paused, promoted
    case rolledBack = "rolled_back"
    case aborted

    public var isFinished: Bool { self == .promoted || self == .rolledBack || self == .aborted }
}

public enum CanaryVerdict: String, Sendable, Equatable, Codable {
    /// Every gate passed: the canary advanced a step or was promoted.
    case advanced, promoted
    /// A gate failed: the candidate was rolled back.
    case rolledBack = "rolled_back"
    /// Not enough data yet; nothing changed.
    case notYet = "not_yet"
    /// Called before the interval elapsed, or while not running; nothing was judged.
    case skipped
}

public struct CanaryEvaluation: Sendable, Equatable, Codable {
    public var at: Double
    public var verdict: CanaryVerdict
    public var gates: [GateResult]
    public var candidate: VariantWindow
    public var control: VariantWindow
}

/// A change of the candidate's weight or of the canary's status, with the figures behind it.
public struct CanaryStepChange: Sendable, Equatable, Codable {
    public var at: Double
    public var fromWeight: Double
    public var toWeight: Double
    public var status: CanaryStatus
    /// Human-readable: "gates passed", "error_rate_delta fail: …", "paused by operator", …
    public var reason: String
    public var gates: [GateResult]
}

/// What the store must do to the configuration after a canary transition.
public enum CanaryAction: Sendable, Equatable {
    /// Set these weights (percent, summing to 100) on the experiment's variants.
    case setWeights([String: Double])
    /// The candidate becomes the control at 100 %; every other variant gets 0.
    case promote(candidate: String)
}

public enum CanaryCommand: String, Sendable, Equatable, Codable, CaseIterable {
    case pause, resume, promote, abort
    /// Start again from the first step after a rollback, abort or promotion.
    case restart
}

public struct CanaryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
