/// Outcome state of one metric in one variant.
public struct MetricArm: Sendable, Equatable {
    /// Events with value 1 (binary metrics).
    public internal(set) var successes: UInt64 = 0
    /// Every accepted event.
    public internal(set) var events: UInt64 = 0
    /// Moments of the event values (continuous metrics; binary `events` denominators too).
    public internal(set) var values = Moments()
    /// (covariate, value) co-moments of the events that carried a pre-period covariate (CUPED).
    public internal(set) var paired = CoMoments()

    public init() {}

    mutating func record(value: Double, covariate: Double?) {
        events &+= 1
        if value == 1 { successes &+= 1 }
        values.add(value)
        if let covariate { paired.add(x: covariate, y: value) }
    }

    public mutating func merge(_ other: MetricArm) {
        successes += other.successes
        events += other.events
        values.merge(other.values)
        paired.merge(other.paired)
    }

    /// Binary counts with the metric's denominator (`exposures` needs the variant's requests).
    public func binaryCounts(denominator: MetricConfig.Denominator, exposures: UInt64) -> BinaryCounts {
        switch denominator {
        case .events: return BinaryCounts(successes: successes, trials: events)
        case .exposures: return BinaryCounts(successes: Swift.min(successes, exposures), trials: exposures)
        }
    }
}
