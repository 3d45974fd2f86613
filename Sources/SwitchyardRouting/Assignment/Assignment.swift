/// Why a request went where it went.
public enum AssignmentReason: String, Sendable, Equatable, Codable {
    /// A header override rule matched.
    case override
    /// The unit key was hashed onto the weights.
    case sticky
    /// No unit key: drawn per request from the weights.
    case weighted
}

/// A shadow copy to run after (never before) the primary response is on its way.
public struct ShadowTarget: Sendable, Equatable {
    /// The shadow's position in the experiment's `shadow` list.
    public let index: Int
    public let name: String
    public let model: String
    public let version: Int
    public let tolerance: Tolerance
}

/// A fault to inject on the primary request (Istio semantics: the delay, if any, happens first,
/// then the abort, if any, replaces the model's answer with `abortStatus`).
public struct FaultDecision: Sendable, Equatable {
    public let delaySeconds: Double?
    public let abortStatus: Int?
}

/// The routing decision for one request.
public struct Assignment: Sendable, Equatable {
    public let experiment: String
    /// The snapshot revision that decided; echo it in logs to explain a decision later.
    public let revision: Int
    public let variant: CompiledVariant
    public let reason: AssignmentReason
    /// The unit this assignment belongs to: the sticky key, else the request id, else nil.
    public let unit: String?
    /// The index of the override rule that matched (reason == .override).
    public let overrideRule: Int?
    public let shadows: [ShadowTarget]
    public let fault: FaultDecision?
}
