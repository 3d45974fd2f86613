/// Streaming first and second moments: (n, mean, M2) with M2 = Σ(y − mean)².
///
/// Updated with Welford's recurrence and merged with Chan, Golub & LeVeque's formula. Never
/// stores Σy and Σy²: with values around 1e9 and a variance of 30 the naive
/// `(Σy² − (Σy)²/n)/(n−1)` returns −170.67 (STATISTICS.md B.0).
public struct Moments: Sendable, Equatable, Codable {
    public private(set) var count: UInt64 = 0
    public private(set) var mean: Double = 0
    public private(set) var m2: Double = 0

    public init() {}

    /// A summary given directly as sufficient statistics (n, mean, M2).
    public init(count: UInt64, mean: Double, m2: Double) {
        self.count = count
        self.mean = count == 0 ? 0 : mean
        self.m2 = count < 2 ? 0 : Swift.max(m2, 0)
    }

    public var n: Double { Double(count) }

    /// Sample variance M2/(n−1); nil below two observations.
    public var variance: Double? { count < 2 ? nil : m2 / Double(count - 1) }

    /// Welford update with one observation.
    @inline(__always)
    public mutating func add(_ y: Double) {
        count &+= 1
        let delta = y - mean
        mean += delta / Double(count)
        m2 += delta * (y - mean)
    }

    /// Chan et al. merge: the result equals the moments of the concatenated samples.
    public mutating func merge(_ other: Moments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let nA = Double(count), nB = Double(other.count)
        let n = nA + nB
        let delta = other.mean - mean
        mean += delta * nB / n
        m2 += other.m2 + delta * delta * nA * nB / n
        count += other.count
    }

    public func merged(_ other: Moments) -> Moments {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// Moments of the observations in `self` but not in `earlier`, where `earlier` is a prefix
    /// state of the same stream (the inverse of `merge`; used for "since the last look" windows).
    public func subtracting(_ earlier: Moments) -> Moments {
        guard earlier.count > 0 else { return self }
        guard count > earlier.count else { return Moments() }
        let n = Double(count), nA = Double(earlier.count)
        let nB = n - nA
        let meanB = (n * mean - nA * earlier.mean) / nB
        let delta = meanB - earlier.mean
        let m2B = m2 - earlier.m2 - delta * delta * nA * nB / n
        return Moments(count: count - earlier.count, mean: meanB, m2: m2B)
    }
}
