import Testing
@testable import SwitchyardRouting

@Suite struct CanaryControllerTests {
    let canary = CanaryConfig(variant: "v1", steps: [5, 10, 25, 50, 100], intervalSeconds: 30,
                              gates: CanaryGates(minRequests: 500, maxErrorRateDelta: 0.01, maxP50LatencyRatio: 1.2,
                                                 maxP99LatencyRatio: 1.25))
    let healthy = VariantWindow(requests: 1000, errors: 5, p50Ns: 10e6, p99Ns: 40e6)
    let control = VariantWindow(requests: 9000, errors: 45, p50Ns: 10e6, p99Ns: 40e6)

    func started(at now: Double = 0) -> (CanaryState, [CanaryAction]) {
        CanaryController.start(experiment: experiment(weights: [90, 10]), canary: canary, now: now)
    }

    @Test func healthyCandidateIsPromotedThroughEveryStep() {
        var (state, actions) = started()
        #expect(actions == [.setWeights(["v0": 95, "v1": 5])])
        var now = 0.0
        var weights: [Double] = [state.weight]
        for _ in 0..<4 {
            now += 30
            let result = CanaryController.evaluate(state, canary: canary, now: now, candidate: healthy, control: control)
            state = result.state
            if case .setWeights(let w)? = result.actions.first { weights.append(w["v1"]!) }
            if result.verdict == .promoted { #expect(result.actions == [.promote(candidate: "v1")]) }
        }
        // Passing at 50 % promotes: a 100 % step would leave the control nothing to compare with.
        #expect(weights == [5, 10, 25, 50])
        #expect(state.status == .promoted)
        #expect(state.weight == 100)
        #expect(state.history.map(\.toWeight) == [5, 10, 25, 50, 100])
        #expect(state.history.last?.reason == "all gates passed; the next step is 100 %: promoted")
    }

    @Test func evaluationWaitsForTheInterval() {
        let (state, _) = started(at: 100)
        let early = CanaryController.evaluate(state, canary: canary, now: 129, candidate: healthy, control: control)
        #expect(early.verdict == .skipped)
        #expect(early.state == state)
        let due = CanaryController.evaluate(state, canary: canary, now: 130, candidate: healthy, control: control)
        #expect(due.verdict == .advanced)
        #expect(due.state.windowStart == 130)
    }

    @Test func errorRateFailureRollsBackWithFigures() throws {
        let (state, _) = started()
        let failing = VariantWindow(requests: 1000, errors: 50, p50Ns: 10e6, p99Ns: 40e6) // 5 % vs 0.5 %
        let result = CanaryController.evaluate(state, canary: canary, now: 30, candidate: failing, control: control)
        #expect(result.verdict == .rolledBack)
        #expect(result.state.status == .rolledBack)
        #expect(result.state.weight == 0)
        #expect(result.actions == [.setWeights(["v0": 100, "v1": 0])])
        let gate = try #require(result.state.lastEvaluation?.gates.first { $0.gate == "error_rate_delta" })
        #expect(gate.outcome == .fail)
        #expect(abs(gate.value! - 0.045) < 1e-12)
        #expect(gate.threshold == 0.01)
        let reason = try #require(result.state.history.last?.reason)
        #expect(reason.contains("error_rate_delta"))
        #expect(reason.contains("4.500 %"), "\(reason)")
    }

    @Test func latencyFailureRollsBack() throws {
        let (state, _) = started()
        let slow = VariantWindow(requests: 1000, errors: 5, p50Ns: 11e6, p99Ns: 80e6)
        let result = CanaryController.evaluate(state, canary: canary, now: 30, candidate: slow, control: control)
        #expect(result.verdict == .rolledBack)
        let gates = try #require(result.state.lastEvaluation?.gates)
        #expect(gates.first { $0.gate == "p50_latency_ratio" }?.outcome == .pass)
        #expect(gates.first { $0.gate == "p99_latency_ratio" }?.outcome == .fail)
        #expect(gates.first { $0.gate == "p99_latency_ratio" }?.value == 2)
        #expect(result.state.history.last?.reason.contains("p99_latency_ratio") == true)
    }

    @Test func insufficientDataIsNotYetNeverAPass() {
        let (state, _) = started()
        for (candidate, controlWindow) in [(VariantWindow.empty, VariantWindow.empty),
                                           (VariantWindow(requests: 499, errors: 0, p50Ns: 1, p99Ns: 1), control),
                                           (healthy, VariantWindow(requests: 10, errors: 0, p50Ns: 1, p99Ns: 1)),
                                           (VariantWindow(requests: 1000, errors: 0), VariantWindow(requests: 1000, errors: 0)),
                                           // Even a terrible error rate below min_requests is not judged.
                                           (VariantWindow(requests: 100, errors: 100, p50Ns: 1, p99Ns: 1), control)] {
            let result = CanaryController.evaluate(state, canary: canary, now: 30, candidate: candidate, control: controlWindow)
            #expect(result.verdict == .notYet)
            #expect(result.actions.isEmpty)
            #expect(result.state.weight == 5)
            #expect(result.state.status == .running)
        }
    }

    @Test func significanceGate() {
        var config = canary
        config.gates.significance = SignificanceGate(metric: "converted", alpha: 0.05, require: .better)
        let (state, _) = started()
        func verdict(_ outcome: OutcomeSignificance?) -> CanaryVerdict {
            CanaryController.evaluate(state, canary: config, now: 30, candidate: healthy, control: control, outcome: outcome).verdict
        }
        #expect(verdict(nil) == .notYet)
        #expect(verdict(OutcomeSignificance(metric: "converted", pValue: nil, lift: nil)) == .notYet)
        #expect(verdict(OutcomeSignificance(metric: "converted", pValue: 0.2, lift: 0.01)) == .notYet)
        #expect(verdict(OutcomeSignificance(metric: "converted", pValue: 0.01, lift: 0.01)) == .advanced)
        #expect(verdict(OutcomeSignificance(metric: "converted", pValue: 0.01, lift: -0.01)) == .rolledBack)
        config.gates.significance?.require = .noWorse
        #expect(verdict(OutcomeSignificance(metric: "converted", pValue: 0.2, lift: -0.01)) == .advanced)
        #expect(verdict(OutcomeSignificance(metric: "converted", pValue: 0.01, lift: -0.01)) == .rolledBack)
        config.gates.significance?.direction = .decrease
        #expect(verdict(OutcomeSignificance(metric: "converted", pValue: 0.01, lift: -0.01)) == .advanced)
    }

    @Test func pauseResumeAbortPromote() throws {
        var (state, _) = started()
        (state, _) = try CanaryController.apply(.pause, to: state, canary: canary, now: 10, reason: "investigating")
        #expect(state.status == .paused)
        #expect(CanaryController.evaluate(state, canary: canary, now: 100, candidate: healthy, control: control).verdict == .skipped)
        #expect(throws: CanaryError.self) { try CanaryController.apply(.pause, to: state, canary: canary, now: 11, reason: "") }
        var actions: [CanaryAction]
        (state, actions) = try CanaryController.apply(.resume, to: state, canary: canary, now: 200, reason: "")
        #expect(state.status == .running)
        #expect(state.windowStart == 200, "data from the pause is not judged")
        #expect(actions == [.setWeights(["v0": 95, "v1": 5])])
        #expect(CanaryController.evaluate(state, canary: canary, now: 220, candidate: healthy, control: control).verdict == .skipped)

        var aborted = state
        (aborted, actions) = try CanaryController.apply(.abort, to: state, canary: canary, now: 300, reason: "manual")
        #expect(aborted.status == .aborted)
        #expect(actions == [.setWeights(["v0": 100, "v1": 0])])
        #expect(throws: CanaryError.self) { try CanaryController.apply(.resume, to: aborted, canary: canary, now: 301, reason: "") }
        (aborted, actions) = try CanaryController.apply(.restart, to: aborted, canary: canary, now: 400, reason: "fixed")
        #expect(aborted.status == .running && aborted.weight == 5 && aborted.stepIndex == 0)

        let promoted = try CanaryController.apply(.promote, to: state, canary: canary, now: 300, reason: "looks good")
        #expect(promoted.0.status == .promoted)
        #expect(promoted.1 == [.promote(candidate: "v1")])
        #expect(promoted.0.history.last?.reason == "promoted manually: looks good")
        #expect(throws: CanaryError.self) { try CanaryController.apply(.abort, to: promoted.0, canary: canary, now: 301, reason: "") }
    }

    @Test func restShapes() {
        let base = CanaryController.start(experiment: experiment(weights: [80, 10, 10]), canary: CanaryConfig(variant: "v2"), now: 0).0
        let proportional = CanaryController.weights(for: 25, state: base, rest: .proportional)
        #expect(proportional["v2"] == 25)
        #expect(abs(proportional["v0"]! - 75 * 80 / 90) < 1e-9)
        #expect(abs(proportional["v1"]! - 75 * 10 / 90) < 1e-9)
        let control = CanaryController.weights(for: 25, state: base, rest: .control)
        #expect(control == ["v0": 65, "v1": 10, "v2": 25])
        let full = CanaryController.weights(for: 100, state: base, rest: .control)
        #expect(full == ["v0": 0, "v1": 0, "v2": 100])
    }
}
