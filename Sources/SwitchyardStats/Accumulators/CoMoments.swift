/// Paired moments of (x, y) for CUPED and ratio metrics: n, x̄, ȳ, M2_x, M2_y and the
/// co-moment C_xy = Σ(x − x̄)(y − ȳ), updated and merged as in STATISTICS.md B.0.
public struct CoMoments: Sendable, Equatable, Codable {
    public private(set) var count: UInt64 = 0
    public private(set) var meanX: Double = 0
    public private(set) var meanY: Double = 0
    public private(set) var m2X: Double = 0
    public private(set) var m2Y: Double = 0
    public private(set) var cXY: Double = 0

    public init() {}

    public init(count: UInt64, meanX: Double, meanY: Double, m2X: Double, m2Y: Double, cXY: Double) {
        self.count = count
        self.meanX = meanX; self.meanY = meanY
        self.m2X = m2X; self.m2Y = m2Y; self.cXY = cXY
    }

    public var n: Double { Double(count) }

    /// The y margin as plain moments.
    public var y: Moments { Moments(count: count, mean: meanY, m2: m2Y) }
    /// The x margin as plain moments.
    public var x: Moments { Moments(count: count, mean: meanX, m2: m2X) }

    /// Welford update; the co-moment uses the old x deviation and the new y mean.
    @inline(__always)
    public mutating func add(x: Double, y: Double) {
        count &+= 1
        let n = Double(count)
        let dx = x - meanX
        meanX += dx / n
        m2X += dx * (x - meanX)
        let dy = y - meanY
        meanY += dy / n
        m2Y += dy * (y - meanY)
        cXY += dx * (y - meanY)
    }

    /// Chan et al. merge of both margins and the co-moment.
    public mutating func merge(_ other: CoMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let nA = Double(count), nB = Double(other.count)
        let n = nA + nB
        let dx = other.meanX - meanX, dy = other.meanY - meanY
        let w = nA * nB / n
        meanX += dx * nB / n
        meanY += dy * nB / n
        m2X += other.m2X + dx * dx * w
        m2Y += other.m2Y + dy * dy * w
        cXY += other.cXY + dx * dy * w
        count += other.count
    }

    public func merged(_ other: CoMoments) -> CoMoments {
        var copy = self
        copy.merge(other)
        return copy
    }
}

/// Successes out of trials, for binary metrics and error rates.
public struct BinaryCounts: Sendable, Equatable, Codable {
    public var successes: UInt64
    public var trials: UInt64

    public init(successes: UInt64 = 0, trials: UInt64 = 0) {
        self.successes = successes
        self.trials = trials
    }

    /// p̂ = successes/trials; nil without trials.
    public var rate: Double? { trials == 0 ? nil : Double(successes) / Double(trials) }

    public mutating func merge(_ other: BinaryCounts) {
        successes += other.successes
        trials += other.trials
    }
}
