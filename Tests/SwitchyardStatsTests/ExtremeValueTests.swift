import Foundation
import SwitchyardStats
import Testing

/// Outcome values far from 1 (any finite value the API accepts, as posted by an application):
/// results must never trap, must stay JSON-encodable with a default encoder, and — the tests
/// being scale-invariant — must give the same p-values as the same data at scale 1.
@Suite struct ExtremeValueTests {
    static let control = [1.0, 2, 3, 4, 2.5, 3.5, 1.5, 2]
    static let treatment = [2.0, 3, 5, 9, 4, 6, 3, 5]
    /// Pre-period covariates, correlated with the values but not proportional to them.
    static let covariates = [[1.5, 1, 3.5, 3, 2, 4, 2.5, 1], [2.5, 2, 4, 7, 5, 5, 2, 5.5]]

    static func results(scale: Double, looks: Int = 3) throws -> ExperimentResults {
        let r = try Fixture.recorder(Fixture.config(metrics: [Fixture.revenue]))
        for (v, ys) in [(0, control), (1, treatment)] {
            for (y, x) in zip(ys, covariates[v]) {
                try r.recordOutcome(loop: 0, variant: v, metric: 0, value: y * scale, eventID: nil, covariate: x * scale)
            }
        }
        var last = r.results(computedAt: 0)
        for look in 1..<looks { last = r.results(computedAt: Double(look)) }
        return last
    }

    @Test(arguments: [1e-300, 1e-160, 1e-120, 1e-90, 1e-40, 1e40, 1e90, 1e99])
    func extremeScalesNeitherTrapNorBreakJSON(scale: Double) throws {
        let results = try Self.results(scale: scale)
        _ = try JSONEncoder().encode(results)
        let c = try #require(results.comparison(metric: "revenue"))
        // Where the squared deviations are normal doubles (|y| ≥ ~1e-150), every statistic is
        // scale-invariant: compare with the same data at scale 1.
        guard scale >= 1e-120 else { return }
        let reference = try #require(try Self.results(scale: 1).comparison(metric: "revenue"))
        #expect(c.status == .ok, "scale \(scale): \(c.status)")
        func close(_ a: Double?, _ b: Double?, _ what: String) {
            guard let a, let b else { Issue.record("scale \(scale) \(what): \(String(describing: a)) vs \(String(describing: b))"); return }
            #expect(abs(a - b) <= 1e-9 * max(abs(b), 1e-300), "scale \(scale) \(what): \(a) vs \(b)")
        }
        close(c.p?.value, reference.p?.value, "p")
        close(c.alwaysValidP?.value, reference.alwaysValidP?.value, "always-valid p")
        close(c.confidenceSequence.map { $0.lower / scale }, reference.confidenceSequence?.lower, "CS lower")
        close(c.relativeLift, reference.relativeLift, "relative lift")
        close(c.chanceToBeatControl, reference.chanceToBeatControl, "chance to beat control")
        close(c.cuped?.theta, reference.cuped?.theta, "CUPED θ")
        close(c.cuped?.p?.value, reference.cuped?.p?.value, "CUPED p")
        close(c.relativeCI.map { $0.upper }, reference.relativeCI?.upper, "relative CI")
    }

    @Test func magnitudesBeyondTheBoundAreRejected() throws {
        let r = try Fixture.recorder()
        let big = ExperimentRecorder.maximumMagnitude * 10
        #expect(throws: StatsError.self) { try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: big, eventID: "x") }
        #expect(throws: StatsError.self) { try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: -big, eventID: "x") }
        #expect(throws: StatsError.self) { try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: "x", covariate: big) }
        #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: -ExperimentRecorder.maximumMagnitude, eventID: "x"))
        #expect(r.state().metrics[0][0].events == 1)
    }

    /// The pure functions take moments from anywhere (e.g. another replica): non-finite or
    /// underflowing inputs give a status, never a trap.
    @Test func pureFunctionsSurviveExtremeMoments() {
        let tiny = Moments(count: 5, mean: 3e-160, m2: 4e-320), tiny2 = Moments(count: 7, mean: 5e-160, m2: 9e-320)
        let w = WelchResult.compute(control: tiny, treatment: tiny2)
        #expect(w.status == .ok && w.df >= 4 && w.df <= 10 && w.p.value > 0)
        let huge = Moments(count: 5, mean: 1e200, m2: .infinity)
        #expect(WelchResult.compute(control: huge, treatment: tiny2).status == .insufficientData)
        let v = 1e-200
        let look = MixtureSPRT.look(delta: 0, variance: v, tau2: MixtureSPRT.tau2(nStar: 1e4, alpha: 0.05, totalN: 100, variance: v), alpha: 0.05)
        #expect(look.logLambda.isFinite && look.p.value > 0.9 && look.ci.upper > 0 && look.ci.lower < 0)
    }
}
