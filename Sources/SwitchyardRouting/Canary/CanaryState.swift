/// The progress of one canary. Pure data: every time in it was passed in by a caller.
public struct CanaryState: Sendable, Equatable, Codable {
    public var experiment: String
    public var candidate: String
    public var control: String
    public var stepIndex: Int
    /// The candidate's current weight in percent.
    public var weight: Double
    public var status: CanaryStatus
    public var startedAt: Double
    /// Start of the current step (and of the data windows the gateway must pass in).
    public var windowStart: Double
    public var lastEvaluatedAt: Double?
    public var lastEvaluation: CanaryEvaluation?
    public var history: [CanaryStepChange]
    /// The variants' weights when the canary started: the shape that `rest` preserves and that a
    /// rollback or abort restores (with the candidate at 0).
    public var baseWeights: [String: Double]

    /// Earliest time the next evaluation may judge the gates.
    public func nextEvaluationAt(interval: Double) -> Double {
        (lastEvaluatedAt ?? windowStart) + interval
    }
}
