/// A p-value that never silently underflows: below ~1e-308 `value` becomes 0 but `log10`
/// keeps the magnitude (STATISTICS.md B.11 #3).
public struct PValue: Sendable, Equatable, Codable {
    /// The p-value itself, in [0, 1]; 0 only when it underflows double precision.
    public var value: Double
    /// log10 of the p-value; `-infinity` only when the evidence is certain (e.g. units in a zero-weight arm).
    public var log10: Double

    /// From a natural-log p-value; values above 1 are clamped to p = 1.
    public init(logP: Double) {
        let clamped = Swift.min(logP, 0)
        value = LibM.exp(clamped)
        log10 = clamped / Normal.ln10
    }

    /// From a p-value that is known not to have underflowed.
    public init(value: Double) {
        let clamped = Swift.min(Swift.max(value, 0), 1)
        self.value = clamped
        log10 = clamped > 0 ? LibM.log(clamped) / Normal.ln10 : -.infinity
    }

    public static let one = PValue(logP: 0)

    /// Natural log of the p-value.
    public var logP: Double { log10 * Normal.ln10 }

    /// Codable keeps JSON finite: a `-infinity` log10 is written as `null`.
    enum CodingKeys: String, CodingKey { case value, log10 }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)
        try c.encode(log10.isFinite ? log10 : nil, forKey: .log10)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        value = try c.decode(Double.self, forKey: .value)
        log10 = try c.decodeIfPresent(Double.self, forKey: .log10) ?? -.infinity
    }
}
