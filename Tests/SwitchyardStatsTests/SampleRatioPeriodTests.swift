import SwitchyardStats
import Testing

/// Sample-ratio checks through the recorder: weight changes open periods that are each tested
/// against their own weights, and units in a zero-weight arm are a mismatch by definition.
@Suite struct SampleRatioPeriodTests {
    /// `count` assignments drawn with probability proportional to `weights`, with a look
    /// (`results`) every `lookEvery` units so the sequential check runs too.
    static func assign(_ r: ExperimentRecorder, count: Int, weights: [Double], rng: inout SeededRandom,
                       lookEvery: Int = 1000, time: inout Double) throws {
        for i in 1...count {
            try r.recordRequest(loop: i % r.loopCount, variant: rng.pick(weights: weights), latencyNanos: 1_000_000)
            if i % lookEvery == 0 { time += 1; _ = r.results(computedAt: time) }
        }
    }

    @Test func rampWithCorrectlySplitTrafficIsNotFlagged() throws {
        let r = try Fixture.recorder(Fixture.config(weights: [0.5, 0.5]), loops: 2)
        var rng = SeededRandom(seed: 7), time = 0.0
        try Self.assign(r, count: 20_000, weights: [0.5, 0.5], rng: &rng, time: &time)
        try r.setWeights([0.9, 0.1], at: 100)
        try Self.assign(r, count: 20_000, weights: [0.9, 0.1], rng: &rng, time: &time)
        let results = r.results(computedAt: 200)
        let srm = results.srm
        #expect(srm.status == .ok && srm.periods == 2)
        #expect(srm.weights == [0.9, 0.1] && srm.periodStartedAt == 100)
        #expect(srm.currentPeriodUnits.reduce(0, +) == 20_000)
        #expect(!srm.detected, "a correctly executed ramp was flagged: \(srm)")
        #expect(srm.combined.df == 2)
        #expect((srm.combined.p?.value ?? 0) > srm.threshold && (srm.currentPeriod.p?.value ?? 0) > srm.threshold)
        #expect(srm.sequentialP.value > srm.threshold)
        #expect(results.metrics.allSatisfy { $0.comparisons.allSatisfy { $0.verdict != .sampleRatioMismatch } })

        // Why periods matter: the pooled counts look like a mismatch against either set of weights.
        let pooled = r.state().variants.map(\.requests)
        #expect(SampleRatio.chiSquare(observed: pooled, weights: [0.9, 0.1]).detected)
        #expect(SampleRatio.chiSquare(observed: pooled, weights: [0.5, 0.5]).detected)
    }

    @Test func trafficIgnoringNewWeightsIsFlagged() throws {
        let r = try Fixture.recorder(Fixture.config(weights: [1, 1]), loops: 2)
        var rng = SeededRandom(seed: 8), time = 0.0
        try Self.assign(r, count: 5_000, weights: [0.5, 0.5], rng: &rng, time: &time)
        try r.setWeights([9, 1], at: 10)
        // The router kept splitting 50/50 after the change.
        try Self.assign(r, count: 2_000, weights: [0.5, 0.5], rng: &rng, time: &time)
        let srm = r.results(computedAt: 20).srm
        #expect(srm.detected)
        #expect(try #require(srm.currentPeriod.p).value < 0.001)
        #expect(try #require(srm.combined.p).value < 0.001)
        #expect(srm.sequentialP.value < 0.001)
        #expect(!srm.unitsInZeroWeightArm)
        let verdicts = r.results(computedAt: 21).metrics.flatMap { $0.comparisons.map(\.verdict) }
        #expect(!verdicts.isEmpty && verdicts.allSatisfy { $0 == .sampleRatioMismatch })
    }

    @Test func unitsInAZeroWeightArmAreFlagged() throws {
        let r = try Fixture.recorder(Fixture.config(variants: ["control", "a", "shadow"], weights: [1, 1, 0]))
        var rng = SeededRandom(seed: 9), time = 0.0
        try Self.assign(r, count: 2_000, weights: [1, 1, 0], rng: &rng, time: &time)
        #expect(!r.results(computedAt: 1).srm.detected)
        try r.recordRequest(loop: 0, variant: 2, latencyNanos: 1_000_000)
        let srm = r.results(computedAt: 2).srm
        #expect(srm.detected && srm.unitsInZeroWeightArm)
        #expect(srm.combined.p?.value == 0 && srm.combined.chi2 == nil)
        // The flag survives a later weight change: it happened in a closed period.
        try r.setWeights([1, 1, 1], at: 3)
        try Self.assign(r, count: 300, weights: [1, 1, 1], rng: &rng, time: &time)
        let later = r.results(computedAt: 4)
        #expect(later.srm.detected && later.srm.unitsInZeroWeightArm && later.srm.periods == 2)
        #expect(later.metrics.allSatisfy { $0.comparisons.allSatisfy { $0.verdict == .sampleRatioMismatch } })
    }

    @Test func invalidWeightsAreRejectedAndChangeNothing() throws {
        let r = try Fixture.recorder()
        try r.recordRequest(loop: 0, variant: 0, latencyNanos: 1000)
        for bad in [[1.0], [1, 1, 1], [0, 0], [-1, 2], [.nan, 1], [.infinity, 1]] {
            #expect(throws: StatsError.self) { try r.setWeights(bad, at: 1) }
            do { try r.setWeights(bad, at: 1) } catch {
                guard case .invalidWeights = error else { Issue.record("\(bad): \(error)"); continue }
            }
        }
        let srm = r.state().srm
        #expect(srm.closedPeriods == 0 && srm.weights == [1, 1])
        #expect(r.state().periodUnits == [1, 0])
    }
}
