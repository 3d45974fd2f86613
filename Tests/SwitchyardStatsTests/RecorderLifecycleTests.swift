import Foundation
import SwitchyardStats
import Testing

/// The rest of what the gateway calls: telemetry windows for canary gates, reset, CUPED and
/// sample-size reports in the document, and configurations at the edges of what validation allows.
@Suite struct RecorderLifecycleTests {
    /// Canary gates subtract two telemetry reads; the window must equal what was recorded between them.
    @Test func telemetryWindowIsWhatWasRecordedInBetween() throws {
        let r = try Fixture.recorder(loops: 3)
        let window = try Fixture.recorder(loops: 1)
        var rng = SeededRandom(seed: 21)
        func requests(_ n: Int, into targets: [ExperimentRecorder]) throws {
            for i in 0..<n {
                let v = i % 2, latency = UInt64(100_000 + rng.unit() * 2e8)
                let outcome = RequestOutcome.allCases[Int(rng.next() % 4)]
                for t in targets { try t.recordRequest(loop: i % t.loopCount, variant: v, latencyNanos: latency, outcome: outcome) }
            }
        }
        try requests(4000, into: [r])
        let before = r.telemetry()
        try requests(1500, into: [r, window])
        let delta = r.telemetry().subtracting(before), expected = window.telemetry()
        #expect(delta.variantNames == ["control", "treatment"])
        for name in delta.variantNames {
            let d = try #require(delta.variant(named: name)), e = try #require(expected.variant(named: name))
            #expect(d.requests == e.requests && d.clientErrors == e.clientErrors && d.serverErrors == e.serverErrors
                    && d.timeouts == e.timeouts && d.errorRate == e.errorRate, "\(name) counters")
            #expect(d.latency == e.latency, "\(name): window histogram buckets")
            // Quantiles below the top agree exactly; the window cannot know its exact maximum
            // (only bucket counts are subtracted), so max/p999 may sit at the top bucket's edge.
            let dq = try #require(d.latency.quantiles([0.5, 0.9, 0.99])), eq = try #require(e.latency.quantiles([0.5, 0.9, 0.99]))
            for (x, y) in zip(dq, eq) { #expect(x == y || abs(x - y) <= 0.01 * y, "\(name) quantile \(x) vs \(y)") }
        }
        #expect(delta.variant(named: "nope") == nil)
        #expect(delta.summaries.map(\.requests) == expected.summaries.map(\.requests))
    }

    @Test func resetForgetsEverythingButTheConfiguration() throws {
        let r = try Fixture.recorder(Fixture.config(weights: [3, 1]), loops: 2)
        var rng = SeededRandom(seed: 22)
        try Fixture.feed(r, variant: 0, count: 300, rng: &rng, idPrefix: "a")
        try Fixture.feed(r, variant: 1, count: 100, rng: &rng, idPrefix: "a")
        try r.setWeights([1, 1], at: 5)
        _ = r.results(computedAt: 6)
        r.reset(at: 10)
        let s = r.state()
        #expect(s.variants.allSatisfy { $0.requests == 0 && $0.latency.count == 0 && $0.score.count == 0 })
        #expect(s.metrics.joined().allSatisfy { $0.events == 0 } && s.periodUnits == [0, 0])
        #expect(s.srm.closedPeriods == 0 && s.srm.periodStartedAt == 10 && s.srm.weights == [1, 1])
        let fresh = r.results(computedAt: 11)
        #expect(fresh.metrics.flatMap(\.comparisons).allSatisfy { $0.alwaysValidP == nil && $0.confidenceSequence == nil })
        #expect(fresh.srm.status == .insufficientData && fresh.srm.sequentialP.value == 1)
        // Event ids of the previous revision are not duplicates of the new one.
        #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: "a-0-0-0"))
    }

    @Test func cupedIsReportedOnlyWhenEveryEventHasACovariate() throws {
        let r = try Fixture.recorder(Fixture.config(metrics: [Fixture.revenue]))
        var rng = SeededRandom(seed: 23)
        for v in 0..<2 {
            for _ in 0..<1000 {
                let x = rng.normal(mean: 50, sd: 10)
                let y = 0.8 * x + rng.normal(mean: v == 1 ? 1 : 0, sd: 5)
                try r.recordOutcome(loop: 0, variant: v, metric: 0, value: y, eventID: nil, covariate: x)
            }
        }
        let c = try #require(r.results(computedAt: 0).comparison(metric: "revenue"))
        let cuped = try #require(c.cuped)
        #expect(cuped.status == .ok)
        // corr(x, y) = 8/√(64+25) ≈ 0.85, so ≈ 72 % of the variance goes.
        #expect(abs((cuped.varianceReduction ?? 0) - 0.72) < 0.05, "\(cuped)")
        #expect(abs((cuped.theta ?? 0) - 0.8) < 0.05)
        let ci = try #require(cuped.ci), plain = try #require(c.absoluteCI)
        #expect(ci.upper - ci.lower < plain.upper - plain.lower, "CUPED should narrow the interval")
        #expect(ci.contains(1) && cuped.relativeLift != nil)
        // One event without a covariate: CUPED is withheld with a status rather than biased.
        try r.recordOutcome(loop: 0, variant: 1, metric: 0, value: 40, eventID: nil)
        #expect(r.results(computedAt: 1).comparison(metric: "revenue")?.cuped?.status == .missingCovariates)
        // No covariates at all: no CUPED section.
        let plainRecorder = try Fixture.recorder(Fixture.config(metrics: [Fixture.revenue]))
        try Fixture.feed(plainRecorder, variant: 0, count: 10, rng: &rng)
        try Fixture.feed(plainRecorder, variant: 1, count: 10, rng: &rng)
        #expect(plainRecorder.results(computedAt: 0).comparison(metric: "revenue")?.cuped == nil)
    }

    @Test func sampleSizeReportCountsDownAsUnitsArrive() throws {
        let metric = MetricConfig(name: "rate", kind: .binary, denominator: .events, minimumDetectableEffect: 0.1)
        let r = try Fixture.recorder(Fixture.config(metrics: [metric]))
        var rng = SeededRandom(seed: 24)
        var previous: UInt64?
        for _ in 0..<4 {
            for v in 0..<2 {
                for _ in 0..<500 { try r.recordOutcome(loop: 0, variant: v, metric: 0, value: rng.bernoulli(0.2), eventID: nil) }
            }
            let report = try #require(r.results(computedAt: 0).comparison(metric: "rate")?.sampleSize)
            // n ≈ (1.96 + 0.84)²·p(1−p)·2/δ² with p ≈ 0.2, δ = 0.02: about 6 300 per arm.
            #expect(report.relativeMDE == 0.1 && (5000...7500).contains(report.requiredControl), "\(report)")
            #expect(report.requiredTreatment == report.requiredControl)
            if let previous { #expect(report.additionalUnits == previous - 1000 || report.additionalUnits < previous) }
            previous = report.additionalUnits
            #expect((report.relativeMDEAtCurrentN ?? 0) > 0.1)
        }
    }

    /// Validation allows any finite weights; extreme ratios must not crash the sample-size
    /// estimate (a UInt64 conversion of a huge count traps) or the SRM arithmetic.
    @Test func extremeWeightsDoNotCrash() throws {
        let metric = MetricConfig(name: "rate", kind: .binary, denominator: .events, minimumDetectableEffect: 0.0001)
        for weights in [[1, 1e12], [1e-12, 1], [1e300, 1e300], [Double.greatestFiniteMagnitude, 1]] {
            let config = Fixture.config(weights: weights, metrics: [metric])
            let r: ExperimentRecorder
            do { r = try ExperimentRecorder(config: config, loops: 1) } catch {
                // Refusing the weights is fine too, with the named error.
                guard case .invalidWeights = error else { Issue.record("\(weights): \(error)"); continue }
                continue
            }
            var rng = SeededRandom(seed: 25)
            for v in 0..<2 {
                try r.recordRequest(loop: 0, variant: v, latencyNanos: 1000)
                for _ in 0..<50 { try r.recordOutcome(loop: 0, variant: v, metric: 0, value: rng.bernoulli(0.5), eventID: nil) }
            }
            let results = r.results(computedAt: 0)
            // One unit per arm is a plausible split only for the balanced weights.
            #expect(results.srm.detected == (weights[0] != weights[1]), "\(weights): \(results.srm)")
            _ = try JSONEncoder().encode(results)
        }
    }
}
