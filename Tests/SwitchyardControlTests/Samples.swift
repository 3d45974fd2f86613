import Foundation
import SwitchyardAdminAPI
import SwitchyardRouting
import SwitchyardStats

/// Realistic admin-API values for the renderer and client tests, produced by the real engines
/// (configuration store, canary controller, statistics recorder) rather than typed in, so that
/// the tests exercise the shapes the gateway will actually send.
enum Samples {
    /// 2026-11-22T10:00:00Z.
    static let t0: Double = 1_795_341_600

    static let configYAML = """
    experiments:
      - name: fraud
        sticky: { header: x-user-id }
        variants:
          - { name: control, model: fraud-gbdt, version: 1, weight: 90, control: true }
          - name: candidate
            model: fraud-mlp
            version: 2
            weight: 10
            fault: { abort: { percent: 5, status: 503 } }
        overrides:
          - { header: x-user-id, prefix: "qa-", variant: candidate }
        shadow:
          - { model: fraud-mlp, version: 3, percent: 25, sampling: random }
        canary:
          variant: candidate
          steps: [5, 10, 25, 50, 100]
          interval: 30s
          gates: { min_requests: 100, max_error_rate_delta: 0.01, max_p99_latency_ratio: 1.25 }
        metrics:
          - { name: converted, kind: binary }
      - name: churn
        variants:
          - { name: a, model: churn, version: 1, weight: 50 }
          - { name: b, model: churn, version: 2, weight: 50 }
    """

    /// A store after: the initial file (revision 1, canary started), a weight change on churn by
    /// alice (revision 2), and one passed canary evaluation (revision 3, 5 % → 10 %).
    static func store() throws -> ExperimentStore {
        let config = try ConfigParser.parse(configYAML)
        var store = try ExperimentStore(initial: config, by: ChangeContext(who: "config-file", at: t0))
        try store.apply(.setWeights(experiment: "churn", weights: ["a": 70, "b": 30]),
                        by: ChangeContext(who: "alice", why: "ramp b down after the latency report", at: t0 + 60))
        _ = try store.evaluateCanary(experiment: "fraud", now: t0 + 120,
                                     candidate: VariantWindow(requests: 400, errors: 1, p50Ns: 1.2e6, p99Ns: 4.1e6),
                                     control: VariantWindow(requests: 7_600, errors: 15, p50Ns: 1.1e6, p99Ns: 3.9e6))
        return store
    }

    static func revisions(_ store: ExperimentStore) -> RevisionList {
        RevisionList(current: store.revision, revisions: store.revisions.map {
            RevisionView(number: $0.number, who: $0.audit.who, when: $0.audit.when, why: $0.audit.why,
                         action: $0.audit.action, what: $0.audit.what)
        })
    }

    /// Statistics of "fraud" with a real effect: 9,000 control and 1,000 candidate units,
    /// conversion 10 % vs 16 %, deterministic.
    static func recorder(candidateUnits: Int = 1_000) throws -> ExperimentRecorder {
        let config = ExperimentStatsConfig(name: "fraud", variants: ["control", "candidate"], weights: [90, 10],
                                           metrics: [MetricConfig(name: "converted", kind: .binary, minimumDetectableEffect: 0.05)])
        let recorder = try ExperimentRecorder(config: config, loops: 1, startedAt: t0)
        for i in 0..<9_000 {
            let outcome: RequestOutcome = i % 500 == 0 ? .serverError : (i % 250 == 1 ? .clientError : .success)
            try recorder.recordRequest(loop: 0, variant: 0, latencyNanos: UInt64(900_000 + (i % 100) * 10_000), outcome: outcome)
            try recorder.recordOutcome(loop: 0, variant: 0, metric: 0, value: i % 10 == 0 ? 1 : 0, eventID: nil)
        }
        for i in 0..<candidateUnits {
            let outcome: RequestOutcome = i % 200 == 0 ? .timeout : .success
            try recorder.recordRequest(loop: 0, variant: 1, latencyNanos: UInt64(1_000_000 + (i % 100) * 12_000), outcome: outcome)
            try recorder.recordOutcome(loop: 0, variant: 1, metric: 0, value: i % 25 < 4 ? 1 : 0, eventID: nil)
        }
        return recorder
    }

    static func results(candidateUnits: Int = 1_000) throws -> ExperimentResults {
        try recorder(candidateUnits: candidateUnits).results(computedAt: t0 + 300)
    }

    /// The experiment view the admin listener would build from the store and the recorder.
    static func experimentView(store: ExperimentStore, results: ExperimentResults) -> ExperimentView {
        let e = store.config.experiment(named: "fraud")!
        let total = e.variants.map(\.weight).reduce(0, +)
        let variants = e.variants.enumerated().map { i, v in
            VariantView(name: v.name, model: v.model, version: v.version, weight: v.weight, share: v.weight / total,
                        control: i == e.controlIndex, fault: v.fault == nil ? nil : "abort 5% with 503")
        }
        let canary = e.canary.map { c in
            CanaryView(candidate: c.variant, steps: c.steps, intervalSeconds: c.intervalSeconds, state: store.canaries["fraud"],
                       nextEvaluationAt: store.canaries["fraud"]?.nextEvaluationAt(interval: c.intervalSeconds))
        }
        return ExperimentView(name: "fraud", revision: store.revision, variants: variants, sticky: "header x-user-id",
                              overrides: ["x-user-id prefix \"qa-\" → candidate"],
                              shadows: [ShadowView(name: "fraud-mlp-v3", model: "fraud-mlp", version: 3, percent: 25, sampling: "random")],
                              canary: canary, metrics: ["converted"], counters: results.variants.map(\.summary))
    }

    static func experimentList(store: ExperimentStore, results: ExperimentResults) -> ExperimentList {
        let fraud = experimentView(store: store, results: results)
        let churn = ExperimentView(name: "churn", revision: 2, variants: [
            VariantView(name: "a", model: "churn", version: 1, weight: 70, share: 0.7, control: true, fault: nil),
            VariantView(name: "b", model: "churn", version: 2, weight: 30, share: 0.3, control: false, fault: nil),
        ], sticky: nil, overrides: [], shadows: [], canary: nil, metrics: [], counters: [])
        return ExperimentList(revision: store.revision, experiments: [fraud, churn])
    }

    /// One shadow with two outputs: a label (exact) and class probabilities (with arg-max rows).
    static func shadowReport() -> ShadowReport {
        var s = ShadowComparison(shadow: "fraud-mlp-v3")
        s.comparisons = 1_200
        s.shadowErrors = 3
        s.dropped = 7
        var label = TensorAgreement()
        label.comparedRequests = 1_200
        label.elements = 1_200
        label.agreeingElements = 1_188
        var probabilities = TensorAgreement()
        probabilities.comparedRequests = 1_199
        probabilities.mismatchedRequests = 1
        probabilities.elements = 23_980
        probabilities.agreeingElements = 23_979
        probabilities.maxAbsDiff = 3.2e-6
        probabilities.maxRelDiff = 0.0125
        probabilities.argmaxRows = 1_199
        probabilities.argmaxAgreeing = 1_187
        s.outputs = ["label": label, "probabilities": probabilities]
        for i in 0..<1_203 { s.latency.record(UInt64(2_000_000 + (i % 50) * 40_000)) }
        return ShadowReport(experiment: "fraud", shadows: [s], queued: 3, queueCapacity: 1_024)
    }

    static func json(_ value: some Encodable) throws -> Data {
        try JSONEncoder().encode(value)
    }
}
