/// Judges a canary's gates on one pair of windows. Pure: figures in, verdicts out.
///
/// Minimum requests come first and apply to every gate: below it for either variant, every gate
/// is "not yet". A small sample can neither pass a canary nor fail it; a broken candidate is
/// caught as soon as it has `min_requests` requests (so size `min_requests` to the traffic a step
/// gets in an interval or two).
enum CanaryGatesEvaluator {
    static func evaluate(_ gates: CanaryGates, candidate: VariantWindow, control: VariantWindow,
                         outcome: OutcomeSignificance?) -> [GateResult] {
        let minimum = Double(gates.minRequests)
        let fewest = min(candidate.requests, control.requests)
        let enough = fewest >= gates.minRequests
        var results = [GateResult(gate: "min_requests", outcome: enough ? .pass : .notYet, value: Double(fewest),
                                  threshold: minimum,
                                  detail: "candidate \(candidate.requests), control \(control.requests) requests (need \(gates.minRequests) each)")]
        guard enough else { return results }

        if let limit = gates.maxErrorRateDelta, let c = candidate.errorRate, let k = control.errorRate {
            let delta = c - k
            results.append(GateResult(gate: "error_rate_delta", outcome: delta <= limit ? .pass : .fail, value: delta,
                                      threshold: limit,
                                      detail: "candidate \(percent(c)) − control \(percent(k)) = \(percent(delta)) (max \(percent(limit)))"))
        }
        if let limit = gates.maxP50LatencyRatio {
            results.append(latencyGate("p50_latency_ratio", candidate.p50Ns, control.p50Ns, limit))
        }
        if let limit = gates.maxP99LatencyRatio {
            results.append(latencyGate("p99_latency_ratio", candidate.p99Ns, control.p99Ns, limit))
        }
        if let gate = gates.significance { results.append(significanceGate(gate, outcome)) }
        return results
    }

    private static func latencyGate(_ name: String, _ candidate: Double?, _ control: Double?, _ limit: Double) -> GateResult {
        guard let candidate, let control, control > 0, candidate >= 0 else {
            return GateResult(gate: name, outcome: .notYet, value: nil, threshold: limit, detail: "no latency figures yet")
        }
        let ratio = candidate / control
        return GateResult(gate: name, outcome: ratio <= limit ? .pass : .fail, value: ratio, threshold: limit,
                          detail: "candidate \(ms(candidate)) / control \(ms(control)) = \(fixed(ratio, 3)) (max \(fixed(limit, 3)))")
    }

    private static func significanceGate(_ gate: SignificanceGate, _ outcome: OutcomeSignificance?) -> GateResult {
        let name = "significance"
        guard let outcome, outcome.metric == gate.metric, let p = outcome.pValue, let lift = outcome.lift else {
            return GateResult(gate: name, outcome: .notYet, value: nil, threshold: gate.alpha,
                              detail: "no valid test on \(gate.metric) yet")
        }
        let significant = p < gate.alpha
        let good = gate.direction == .increase ? lift > 0 : lift < 0
        let bad = gate.direction == .increase ? lift < 0 : lift > 0
        let verdict: GateOutcome
        switch gate.require {
        case .noWorse: verdict = significant && bad ? .fail : .pass
        case .better: verdict = significant && bad ? .fail : (significant && good ? .pass : .notYet)
        }
        return GateResult(gate: name, outcome: verdict, value: p, threshold: gate.alpha,
                          detail: "\(gate.metric): lift \(fixed(lift, 6)), p = \(fixed(p, 6)) (alpha \(gate.alpha), require \(gate.require.rawValue))")
    }

    static func percent(_ x: Double) -> String { fixed(x * 100, 3) + " %" }
    static func ms(_ ns: Double) -> String { fixed(ns / 1e6, 3) + " ms" }

    /// Fixed-point text without Foundation's locale-dependent formatting.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int(scaled / scale)
        var fraction = String(Int(scaled.truncatingRemainder(dividingBy: scale)))
        while fraction.count < digits { fraction = "0" + fraction }
        let sign = x < 0 && scaled != 0 ? "-" : ""
        return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}
