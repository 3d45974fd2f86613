import SwitchyardStats
import Testing

/// A/A for the sample-ratio check: assignments that follow the configured weights exactly,
/// checked after every batch, as `ResultsEngine.srmReport` does (chi-square of the counts so
/// far, and the running Dirichlet-multinomial p). The sequential p is always valid, so its false
/// alarm rate over all looks stays at the 0.001 threshold; the repeated chi-square is valid only
/// per look, so over L looks it is bounded by Bonferroni (L × 0.001) and measurably above the
/// threshold. The engine flags SRM when either is below the threshold, so an analyst refreshing
/// the results sees a false "sample ratio mismatch" at a rate between the two (printed).
@Suite struct SRMSimulationTests {
    @Test func sequentialSRMKeepsItsLevelUnderRepeatedLooks() {
        let runs = 1000, looks = 20, batch = 100, threshold = SampleRatio.defaultThreshold
        let weights = [0.5, 0.3, 0.2]    // drawn below with cumulative cut-offs 0.5 and 0.8
        var rng = SeededRandom(seed: 0x5A3)
        var sequentialAlarms = 0, chiSquareAlarms = 0, engineAlarms = 0
        for _ in 0..<runs {
            var counts: [UInt64] = [0, 0, 0]
            var state = SequentialSRMState()
            var seq = false, chi = false
            for _ in 0..<looks {
                for _ in 0..<batch {
                    let u = rng.unit()
                    counts[u < 0.5 ? 0 : (u < 0.8 ? 1 : 2)] += 1
                }
                state.update(logBayesFactor: SampleRatio.logBayesFactor(counts: counts, weights: weights))
                if state.p.value < threshold { seq = true }
                if SampleRatio.chiSquare(observed: counts, weights: weights, threshold: threshold).detected { chi = true }
            }
            if seq { sequentialAlarms += 1 }
            if chi { chiSquareAlarms += 1 }
            if seq || chi { engineAlarms += 1 }
        }
        let margin = 3 * (threshold * (1 - threshold) / Double(runs)).squareRoot()
        print("SRM A/A, \(runs) runs × \(looks) looks × \(batch) units: sequential \(sequentialAlarms), repeated chi-square \(chiSquareAlarms), engine flag \(engineAlarms) of \(runs)")
        #expect(Double(sequentialAlarms) / Double(runs) <= threshold + margin)
        // The per-look chi-square is not sequentially valid (STATISTICS.md B.4): shown to inflate.
        #expect(Double(chiSquareAlarms) / Double(runs) > threshold + margin)
        let bonferroni = Double(looks) * threshold
        #expect(Double(engineAlarms) / Double(runs) <= bonferroni + 3 * (bonferroni * (1 - bonferroni) / Double(runs)).squareRoot())
    }
}
