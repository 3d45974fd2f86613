import SwitchyardRouting
import SwitchyardStats
import Synchronization

/// Drives every running canary: on each tick, canaries whose interval has elapsed are judged on
/// the telemetry this gateway recorded since their current step began.
///
/// Windows: the statistics engine keeps cumulative per-variant telemetry; at the start of each
/// step (and when a canary is first seen, e.g. after a restart) the driver stores that telemetry
/// as the step's baseline, and judges `now − baseline`. A canary first seen after a restart
/// therefore starts an empty window: no data is "not yet", never a pass.
extension ExperimentService {
    /// One canary judgement the tick made (for logs and tests).
    public struct CanaryTickResult: Sendable, Equatable {
        public var experiment: String
        public var verdict: CanaryVerdict
        public var revision: Int?
        public var reason: String?
    }

    /// Evaluates the canaries that are due. Call periodically (the gateway ticks every second).
    @discardableResult
    public func evaluateCanaries() -> [CanaryTickResult] {
        let now = clock()
        return registry.withLock { reg in
            let store = control.current
            refreshBaselines(&reg, store: store)
            var results: [CanaryTickResult] = []
            for name in store.canariesDue(now: now) {
                guard let state = store.canaries[name], let stats = reg.stats[name], let baseline = reg.baselines[name],
                      let canary = store.config.experiment(named: name)?.canary else { continue }
                let window = stats.recorder.telemetry().subtracting(baseline.telemetry)
                let candidate = Self.window(window.variant(named: state.candidate))
                let control = Self.window(window.variant(named: state.control))
                let outcome = canary.gates.significance.map { significance(of: $0.metric, candidate: state.candidate, stats: stats, now: now) }
                do {
                    let (verdict, committed) = try self.control.evaluateCanary(experiment: name, now: now, candidate: candidate,
                                                                               control: control, outcome: outcome)
                    if committed.revision != nil { sync(&reg, now: now) }
                    persistRouting(committed.state)
                    let after = self.control.current.canaries[name]
                    let reason = verdict == .notYet ? after?.lastEvaluation?.gates.first { $0.outcome == .notYet }?.detail
                                                    : after?.history.last?.reason
                    results.append(CanaryTickResult(experiment: name, verdict: verdict, revision: committed.revision?.number,
                                                    reason: reason))
                    if verdict != .notYet && verdict != .skipped {
                        log("canary \(name): \(verdict.rawValue)\(committed.revision.map { " (revision \($0.number))" } ?? "")\(reason.map { ": \($0)" } ?? "")")
                    }
                } catch {
                    log("canary \(name): evaluation failed: \(error)")
                }
            }
            refreshBaselines(&reg, store: self.control.current)
            return results
        }
    }

    /// Keeps one baseline per running canary, re-taken whenever its window start moved.
    func refreshBaselines(_ reg: inout Registry, store: ExperimentStore) {
        for (name, state) in store.canaries {
            guard state.status == .running, let stats = reg.stats[name] else {
                reg.baselines[name] = nil
                continue
            }
            if reg.baselines[name]?.windowStart != state.windowStart {
                reg.baselines[name] = CanaryBaseline(windowStart: state.windowStart, telemetry: stats.recorder.telemetry())
            }
        }
    }

    static func window(_ telemetry: VariantTelemetry?) -> VariantWindow {
        guard let t = telemetry else { return .empty }
        let q = t.latency.quantiles([0.5, 0.99])
        return VariantWindow(requests: Int(t.requests), errors: Int(t.serverSideErrors), p50Ns: q?[0], p99Ns: q?[1])
    }

    /// The always-valid p-value and lift of `metric`, candidate against control (nil p while the
    /// engine has no valid test).
    private func significance(of metric: String, candidate: String, stats: ExperimentStats, now: Double) -> OutcomeSignificance {
        let results = stats.recorder.results(computedAt: now)
        let comparison = results.metrics.first { $0.name == metric }?.comparisons.first { $0.variant == candidate }
        return OutcomeSignificance(metric: metric, pValue: comparison?.alwaysValidP?.value, lift: comparison?.absoluteLift)
    }
}
