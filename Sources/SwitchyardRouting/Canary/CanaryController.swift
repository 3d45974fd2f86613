/// The progressive canary as a pure state machine.
///
/// ```
///            all gates pass (not last step)      all gates pass (last step, or next step 100 %) / promote
///   running ───────────────────────────▶ running ─────────────────────────────▶ promoted
///     │  ▲ resume                             any gate fails
///     │  │            ───────────────────────────────────────────────────────▶ rolled_back
///     ▼  │ pause                              abort
///   paused ─────────────────────────────────────────────────────────────────▶ aborted
/// ```
/// "Not yet" (too few requests, no latency figures, no valid significance test) changes nothing.
/// The finished states accept `restart`. Times are passed in (unix seconds); nothing here reads a
/// clock, so the gateway's timer drives it and tests replay any schedule.
public enum CanaryController {
    /// A canary that starts now at its first step. `weights` are the experiment's current weights.
    public static func start(experiment: ExperimentConfig, canary: CanaryConfig, now: Double) -> (CanaryState, [CanaryAction]) {
        let base = Dictionary(experiment.variants.map { ($0.name, $0.weight) }, uniquingKeysWith: { a, _ in a })
        let control = experiment.variants[experiment.controlIndex].name
        let first = canary.steps.first ?? 100
        let state = CanaryState(experiment: experiment.name, candidate: canary.variant, control: control, stepIndex: 0,
                                weight: first, status: .running, startedAt: now, windowStart: now,
                                lastEvaluatedAt: nil, lastEvaluation: nil,
                                history: [CanaryStepChange(at: now, fromWeight: base[canary.variant] ?? 0, toWeight: first,
                                                           status: .running, reason: "canary started", gates: [])],
                                baseWeights: base)
        return (state, [.setWeights(weights(for: first, state: state, rest: canary.rest))])
    }

    /// Judges the gates if the state is running and the interval has elapsed since the last
    /// judgement (or the step's start). The windows must cover traffic since `state.windowStart`.
    public static func evaluate(_ state: CanaryState, canary: CanaryConfig, now: Double, candidate: VariantWindow,
                                control: VariantWindow, outcome: OutcomeSignificance? = nil)
        -> (state: CanaryState, verdict: CanaryVerdict, actions: [CanaryAction]) {
        guard state.status == .running, now >= state.nextEvaluationAt(interval: canary.intervalSeconds) else {
            return (state, .skipped, [])
        }
        var next = state
        let gates = CanaryGatesEvaluator.evaluate(canary.gates, candidate: candidate, control: control, outcome: outcome)
        next.lastEvaluatedAt = now
        func record(_ verdict: CanaryVerdict) {
            next.lastEvaluation = CanaryEvaluation(at: now, verdict: verdict, gates: gates, candidate: candidate, control: control)
        }

        if let failed = gates.first(where: { $0.outcome == .fail }) {
            let reasons = gates.filter { $0.outcome == .fail }.map(\.description).joined(separator: "; ")
            next.status = .rolledBack
            next.weight = 0
            next.append(at: now, from: state.weight, status: .rolledBack, reason: "gate \(failed.gate) failed: \(reasons)", gates: gates)
            record(.rolledBack)
            return (next, .rolledBack, [.setWeights(weights(for: 0, state: next, rest: canary.rest))])
        }
        if gates.contains(where: { $0.outcome == .notYet }) {
            record(.notYet)
            return (next, .notYet, [])
        }
        // Reaching the last step promotes. A step of 100 % would leave the control without
        // traffic, so nothing could be compared there: advancing into it is the promotion itself.
        let isLast = state.stepIndex + 1 >= canary.steps.count
        if isLast || canary.steps[state.stepIndex + 1] >= 100 {
            next.status = .promoted
            next.weight = 100
            next.append(at: now, from: state.weight, status: .promoted,
                        reason: isLast ? "all gates passed at the last step" : "all gates passed; the next step is 100 %: promoted",
                        gates: gates)
            record(.promoted)
            return (next, .promoted, [.promote(candidate: state.candidate)])
        }
        next.stepIndex += 1
        next.weight = canary.steps[next.stepIndex]
        next.windowStart = now
        next.lastEvaluatedAt = nil
        next.append(at: now, from: state.weight, status: .running, reason: "all gates passed", gates: gates)
        record(.advanced)
        return (next, .advanced, [.setWeights(weights(for: next.weight, state: next, rest: canary.rest))])
    }

    /// Applies an operator command. Throws when the command makes no sense in the current status.
    public static func apply(_ command: CanaryCommand, to state: CanaryState, canary: CanaryConfig, now: Double,
                             reason: String) throws(CanaryError) -> (CanaryState, [CanaryAction]) {
        var next = state
        let note = reason.isEmpty ? "by operator" : reason
        switch (command, state.status) {
        case (.pause, .running):
            next.status = .paused
            next.append(at: now, from: state.weight, status: .paused, reason: "paused: \(note)", gates: [])
            return (next, [])
        case (.resume, .paused):
            next.status = .running
            // Data gathered while paused is not judged: the step's window starts again.
            next.windowStart = now
            next.lastEvaluatedAt = nil
            next.append(at: now, from: state.weight, status: .running, reason: "resumed: \(note)", gates: [])
            // Re-assert the step's weights: a rollback of the configuration may have changed them.
            return (next, [.setWeights(weights(for: next.weight, state: next, rest: canary.rest))])
        case (.promote, .running), (.promote, .paused):
            next.status = .promoted
            next.weight = 100
            next.append(at: now, from: state.weight, status: .promoted, reason: "promoted manually: \(note)", gates: [])
            return (next, [.promote(candidate: state.candidate)])
        case (.abort, .running), (.abort, .paused):
            next.status = .aborted
            next.weight = 0
            next.append(at: now, from: state.weight, status: .aborted, reason: "aborted: \(note)", gates: [])
            return (next, [.setWeights(weights(for: 0, state: next, rest: canary.rest))])
        case (.restart, let status) where status.isFinished:
            next.status = .running
            next.stepIndex = 0
            next.weight = canary.steps.first ?? 100
            next.windowStart = now
            next.lastEvaluatedAt = nil
            next.lastEvaluation = nil
            next.append(at: now, from: state.weight, status: .running, reason: "restarted: \(note)", gates: [])
            return (next, [.setWeights(weights(for: next.weight, state: next, rest: canary.rest))])
        default:
            throw CanaryError("cannot \(command.rawValue) a canary that is \(state.status.rawValue)")
        }
    }

    /// Weights in percent for a candidate weight `step`: the candidate gets `step`, the others
    /// share `100 − step` as `rest` says, from the shape they had when the canary started.
    public static func weights(for step: Double, state: CanaryState, rest: CanaryRest) -> [String: Double] {
        let others = state.baseWeights.filter { $0.key != state.candidate }
        let remaining = max(0, 100 - step)
        let othersTotal = others.values.reduce(0, +)
        let baseTotal = state.baseWeights.values.reduce(0, +)
        var result: [String: Double] = [state.candidate: step]
        switch rest {
        case .proportional where othersTotal > 0:
            for (name, weight) in others { result[name] = remaining * weight / othersTotal }
        case .control where baseTotal > 0:
            // Non-control arms keep their share of the start; if that no longer fits, they shrink
            // proportionally and the control gets nothing more.
            let arms = others.filter { $0.key != state.control }
            let armShares = arms.mapValues { 100 * $0 / baseTotal }
            let armTotal = armShares.values.reduce(0, +)
            let scale = armTotal > remaining ? remaining / armTotal : 1
            for (name, share) in armShares { result[name] = share * scale }
            result[state.control] = remaining - armTotal * scale
        default:
            for name in others.keys { result[name] = 0 }
            result[state.control] = remaining
        }
        return result
    }
}

extension CanaryState {
    /// History is bounded so that a canary flapping between pause and resume cannot grow without limit.
    static let historyLimit = 200

    mutating func append(at: Double, from: Double, status: CanaryStatus, reason: String, gates: [GateResult]) {
        history.append(CanaryStepChange(at: at, fromWeight: from, toWeight: weight, status: status, reason: reason, gates: gates))
        if history.count > CanaryState.historyLimit { history.removeFirst(history.count - CanaryState.historyLimit) }
    }
}
