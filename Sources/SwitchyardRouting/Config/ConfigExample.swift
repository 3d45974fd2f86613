extension RoutingConfig {
    /// A commented example of every field of the schema, with the defaults noted.
    public static let exampleYAML = """
    repository: ./models              # optional: model repository path (the gateway reads it)
    tokens:                           # optional: assignment-token signing keys
      key_id: k1                      # written into every token
      secret: "at least 16 bytes of secret"
      previous:                       # optional: older keys still accepted by verify (rotation)
        - { key_id: k0, secret: "the old secret, 16+ bytes" }
    experiments:
      - name: fraud                   # the endpoint name: /v2/models/fraud/infer
        salt: fraud-2024              # optional, default: the experiment name
        sticky: { header: x-user-id } # or { cookie: uid } or { query: user }; optional
        variants:                     # two or more; exactly one `control: true`, else the first
          - { name: control,   model: fraud-gbdt, version: 1, weight: 90, control: true }
          - name: candidate
            model: fraud-mlp
            version: 2
            weight: 10
            fault:                    # optional, per variant (rehearse rollbacks)
              abort: { percent: 5, status: 503 }
              delay: { percent: 10, duration: 200ms }
        overrides:                    # ordered; the first rule that matches forces its variant
          - { header: x-force-variant, value: candidate, variant: candidate }   # exact
          - { header: x-user-id, prefix: "qa-", variant: candidate }
          - { header: x-team, regex: "ml-(infra|ops)", variant: control }       # whole-value match
        shadow:                       # extra copies off the response path
          - model: fraud-mlp
            version: 3
            percent: 100              # 0...100
            sampling: deterministic   # or random; deterministic hashes the unit key / request id
            tolerance: { absolute: 1.0e-5, relative: 1.0e-4 }
        canary:
          variant: candidate
          steps: [5, 10, 25, 50, 100] # strictly increasing percentages, 0 < step <= 100
          interval: 30s               # ms, s, m, h, or a number of seconds
          rest: proportional          # or control: who gets 100 - step (see CanaryRest)
          gates:
            min_requests: 500         # per variant and step, default 100
            max_error_rate_delta: 0.01
            max_p50_latency_ratio: 1.2
            max_p99_latency_ratio: 1.25
            significance: { metric: converted, alpha: 0.05, require: no_worse, direction: increase }
        metrics:
          - { name: converted, kind: binary, minimum_detectable_effect: 0.05 }  # MDE: sample-size estimate
          - { name: revenue, kind: continuous }
          - { name: chargebacks, kind: binary, higher_is_better: false }    # default true
          - { name: fraud_score, kind: continuous, score: probabilities }  # from a model output
        labels:                       # optional: label distribution of a classifier's output
          output: label               # first element of this output, matched by its text
          classes: ["0", "1"]
    """
}
