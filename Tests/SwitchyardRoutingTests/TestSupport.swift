import Foundation
@testable import SwitchyardRouting

/// Seeded random values for the routing functions (SplitMix64 sequence).
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }
}

/// Chi-square goodness of fit against expected shares; the statistic and its critical value at
/// p = 0.001 (so "statistic < critical" is "p > 0.001").
func chiSquare(counts: [Int], shares: [Double]) -> (statistic: Double, critical: Double) {
    let total = Double(counts.reduce(0, +))
    var statistic = 0.0
    for (count, share) in zip(counts, shares) where share > 0 {
        let expected = total * share
        statistic += (Double(count) - expected) * (Double(count) - expected) / expected
    }
    // Upper 0.1 % points of the chi-square distribution (scipy.stats.chi2.ppf(0.999, df)).
    let critical: [Int: Double] = [1: 10.828, 2: 13.816, 3: 16.266, 4: 18.467, 5: 20.515]
    return (statistic, critical[shares.filter { $0 > 0 }.count - 1]!)
}

func experiment(_ name: String = "exp", weights: [Double], sticky: StickyConfig? = StickyConfig(source: .header, name: "x-user-id"),
                overrides: [OverrideRule] = [], shadow: [ShadowConfig] = [], canary: CanaryConfig? = nil) -> ExperimentConfig {
    let variants = weights.enumerated().map { index, weight in
        VariantConfig(name: "v\(index)", model: "model-\(index)", version: 1, weight: weight)
    }
    return ExperimentConfig(name: name, sticky: sticky, variants: variants, overrides: overrides, shadow: shadow,
                            canary: canary)
}

func snapshot(_ experiments: ExperimentConfig..., revision: Int = 1) throws -> RoutingSnapshot {
    try RoutingSnapshot(revision: revision, config: RoutingConfig(experiments: experiments))
}

let exampleYAML = """
repository: ./models
tokens:
  key_id: k1
  secret: "0123456789abcdef-secret"
experiments:
  - name: fraud
    sticky: { header: X-User-Id }
    variants:
      - { name: control,   model: fraud-gbdt, version: 1, weight: 90 }
      - name: candidate
        model: fraud-mlp
        version: 2
        weight: 10
        fault:
          abort: { percent: 5, status: 503 }
          delay: { percent: 10, duration: 200ms }
    overrides:
      - { header: x-force-variant, value: candidate, variant: candidate }
      - { header: x-user-id, prefix: "qa-", variant: candidate }
      - { header: x-team, regex: "ml-(infra|ops)", variant: control }
    shadow:
      - { model: fraud-mlp, version: 3, percent: 100, tolerance: { absolute: 0.001, relative: 0.01 } }
      - { name: sampled, model: fraud-mlp, version: 4, percent: 25, sampling: random }
    canary:
      variant: candidate
      steps: [5, 10, 25, 50, 100]
      interval: 30s
      gates:
        max_error_rate_delta: 0.01
        max_p99_latency_ratio: 1.25
        min_requests: 500
        significance: { metric: converted, alpha: 0.05 }
    metrics:
      - { name: converted, kind: binary }
      - { name: revenue, kind: continuous }
"""
