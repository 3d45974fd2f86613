import Foundation
import SwitchyardStats

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so every simulated test is
/// deterministic across runs and machines (the system generator is not seedable).
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1): 53 random bits, never exactly 0 (the Box–Muller log needs that).
    mutating func unit() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0 }

    /// A standard normal draw (Box–Muller; the second variate is discarded for simplicity).
    mutating func normal() -> Double { (-2 * Foundation.log(unit())).squareRoot() * Foundation.cos(2 * Double.pi * unit()) }

    mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * normal() }

    mutating func bernoulli(_ p: Double) -> Double { unit() < p ? 1 : 0 }

    /// An index drawn with probability proportional to `weights`.
    mutating func pick(weights: [Double]) -> Int {
        var u = unit() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }
}

/// Small builders shared by the engine tests.
enum Fixture {
    static let revenue = MetricConfig(name: "revenue", kind: .continuous)
    static let converted = MetricConfig(name: "converted", kind: .binary, denominator: .events)

    static func config(name: String = "exp", variants: [String] = ["control", "treatment"], weights: [Double]? = nil,
                       metrics: [MetricConfig] = [revenue, converted], labels: [String] = ["cat", "dog"],
                       dedupCapacity: Int = 1 << 18) -> ExperimentStatsConfig {
        ExperimentStatsConfig(name: name, variants: variants, weights: weights, metrics: metrics, labels: labels,
                              dedupCapacity: dedupCapacity)
    }

    static func recorder(_ config: ExperimentStatsConfig = config(), loops: Int = 1) throws -> ExperimentRecorder {
        try ExperimentRecorder(config: config, loops: loops)
    }

    /// `count` units in `variant`, each a request followed by one event per metric (continuous
    /// value `mean + sd·N(0,1)`, binary with probability `rate`), spread round-robin over loops.
    static func feed(_ r: ExperimentRecorder, variant: Int, count: Int, mean: Double = 10, sd: Double = 2,
                     rate: Double = 0.3, rng: inout SeededRandom, idPrefix: String? = nil) throws {
        for i in 0..<count {
            let loop = i % r.loopCount
            try r.recordRequest(loop: loop, variant: variant, latencyNanos: UInt64(1_000_000 + 1000 * (i % 97)))
            for (m, metric) in r.config.metrics.enumerated() {
                let value = metric.kind == .binary ? rng.bernoulli(rate) : rng.normal(mean: mean, sd: sd)
                try r.recordOutcome(loop: loop, variant: variant, metric: m, value: value,
                                    eventID: idPrefix.map { "\($0)-\(variant)-\(m)-\(i)" })
            }
        }
    }
}

extension ExperimentResults {
    func comparison(metric: String, variant: String = "treatment") -> ComparisonReport? {
        metrics.first { $0.name == metric }?.comparisons.first { $0.variant == variant }
    }
}
