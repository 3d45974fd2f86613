import SwitchyardStats
import Testing

/// A/A simulations (issue 6): experiments with no true difference, looked at after every batch.
/// "False positive" = significant at level α at *any* look. The always-valid (mSPRT) p-value must
/// keep that rate at or below α; the fixed-horizon p-value read at every look must not (that is
/// the peeking problem the always-valid numbers exist to solve).
///
/// Monte-Carlo error: with R runs the estimated rate has standard error √(α(1−α)/R); the bounds
/// allow three of them above α. The seeds are fixed, so the outcome is deterministic.
///
/// Speed: a full `results(computedAt:)` document costs ~4 ms in a debug build (latency quantiles,
/// Bayesian summaries, sample sizes for every metric), so 1000 runs × 20 looks through the
/// recorder would take over a minute. The simulation therefore runs the engine's own public
/// per-look functions — `WelchResult` / `TwoProportionResult`, `MixtureSPRT.tau2` and `.look`,
/// `SequentialState.update` — in the order `ResultsEngine.sequentialLooks` uses them, and
/// `recorderLooksMatchTheSimulatedLooks` proves on one run that the recorder's documents give the
/// very same numbers at every look.
@Suite struct AASimulationTests {
    struct Tally: CustomStringConvertible {
        var runs = 0
        var alwaysValid = 0
        var naive = 0
        var alwaysValidRate: Double { Double(alwaysValid) / Double(runs) }
        var naiveRate: Double { Double(naive) / Double(runs) }
        var description: String { "always-valid \(alwaysValid)/\(runs) = \(alwaysValidRate), naive \(naive)/\(runs) = \(naiveRate)" }
    }

    static let alpha = 0.05
    static let looks = 20
    static let runs = 1000
    static let batch = 50

    static var bound: Double { alpha + 3 * (alpha * (1 - alpha) / Double(runs)).squareRoot() }

    /// N* values evaluated on the same simulated data: the default (tuned for far more units than
    /// these runs reach, so very conservative) and the runs' final total N (the tightest tuning).
    static let nStars = [MixtureSPRT.defaultNStar, Double(2 * batch * looks)]

    /// One simulated experiment's looks: the fixed-horizon p-value and, per N*, the running mSPRT state.
    struct Run {
        var naive = false
        var states = Array(repeating: SequentialState(), count: nStars.count)

        /// One look as the results engine takes it (`ResultsEngine.sequentialLooks`).
        mutating func look(p: PValue, diff: Double, variance: Double, totalN: Double) {
            if p.value < alpha { naive = true }
            guard variance > 0, variance.isFinite else { return }
            for (i, nStar) in nStars.enumerated() {
                let tau2 = MixtureSPRT.tau2(nStar: nStar, alpha: alpha, totalN: totalN, variance: variance)
                states[i].update(with: MixtureSPRT.look(delta: diff, variance: variance, tau2: tau2, alpha: alpha))
            }
        }

        func add(to tallies: inout [Tally]) {
            for i in tallies.indices {
                tallies[i].runs += 1
                if naive { tallies[i].naive += 1 }
                if states[i].looks > 0 && states[i].p.value < alpha { tallies[i].alwaysValid += 1 }
            }
        }
    }

    /// Continuous metric: N(10, 2²) in both arms, Welch at every look. One tally per N*.
    static func continuous(seed: UInt64) -> [Tally] {
        var rng = SeededRandom(seed: seed)
        var tallies = Array(repeating: Tally(), count: nStars.count)
        for _ in 0..<runs {
            var c = Moments(), t = Moments(), run = Run()
            for _ in 0..<looks {
                for _ in 0..<batch { c.add(rng.normal(mean: 10, sd: 2)); t.add(rng.normal(mean: 10, sd: 2)) }
                let w = WelchResult.compute(control: c, treatment: t, alpha: alpha)
                guard w.status == .ok else { continue }
                run.look(p: w.p, diff: w.diff, variance: w.se * w.se, totalN: c.n + t.n)
            }
            run.add(to: &tallies)
        }
        return tallies
    }

    /// Binary metric: Bernoulli(rate) in both arms, pooled z at every look, the unpooled (Wald)
    /// variance for the mSPRT as the engine uses. One tally per N*.
    static func binary(seed: UInt64, rate: Double) -> [Tally] {
        var rng = SeededRandom(seed: seed)
        var tallies = Array(repeating: Tally(), count: nStars.count)
        for _ in 0..<runs {
            var c = BinaryCounts(), t = BinaryCounts(), run = Run()
            for _ in 0..<looks {
                var sc: UInt64 = 0, st: UInt64 = 0
                for _ in 0..<batch { sc += UInt64(rng.bernoulli(rate)); st += UInt64(rng.bernoulli(rate)) }
                c.merge(BinaryCounts(successes: sc, trials: UInt64(batch)))
                t.merge(BinaryCounts(successes: st, trials: UInt64(batch)))
                let z = TwoProportionResult.compute(control: c, treatment: t, alpha: alpha)
                guard z.status == .ok else { continue }
                run.look(p: z.p, diff: z.diff, variance: z.seUnpooled * z.seUnpooled, totalN: Double(c.trials + t.trials))
            }
            run.add(to: &tallies)
        }
        return tallies
    }

    static func check(_ tallies: [Tally], _ what: String) {
        for (t, nStar) in zip(tallies, nStars) {
            print("A/A \(what) N*=\(Int(nStar)), \(t.runs) runs × \(looks) looks × \(batch) units/arm: \(t)")
            #expect(t.alwaysValidRate <= bound, "\(what) N*=\(nStar): always-valid FPR \(t) exceeds \(bound)")
            #expect(t.naiveRate > bound, "\(what): naive repeated-test FPR \(t) should exceed \(bound)")
        }
    }

    /// The simulation above is only evidence about the engine if the recorder's documents take
    /// the same looks: feed one A/A run through an `ExperimentRecorder` (two loops) and the
    /// simulation side by side and compare every look's p, always-valid p and confidence sequence.
    @Test func recorderLooksMatchTheSimulatedLooks() throws {
        var rng = SeededRandom(seed: 0x5EED_0001)
        let recorder = try ExperimentRecorder(config: Fixture.config(metrics: [Fixture.revenue, Fixture.converted], labels: []), loops: 2)
        var cont = (c: Moments(), t: Moments(), run: Run())
        var bin = (c: BinaryCounts(), t: BinaryCounts(), run: Run())
        func close(_ a: Double?, _ b: Double?) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)
        }
        for look in 0..<Self.looks {
            for i in 0..<Self.batch {
                for v in 0..<2 {
                    let y = rng.normal(mean: 10, sd: 2), b = rng.bernoulli(0.2)
                    try recorder.recordOutcome(loop: i % 2, variant: v, metric: 0, value: y, eventID: nil)
                    try recorder.recordOutcome(loop: (i + 1) % 2, variant: v, metric: 1, value: b, eventID: nil)
                    if v == 0 { cont.c.add(y); bin.c.merge(BinaryCounts(successes: UInt64(b), trials: 1)) }
                    else { cont.t.add(y); bin.t.merge(BinaryCounts(successes: UInt64(b), trials: 1)) }
                }
            }
            let w = WelchResult.compute(control: cont.c, treatment: cont.t, alpha: Self.alpha)
            cont.run.look(p: w.p, diff: w.diff, variance: w.se * w.se, totalN: cont.c.n + cont.t.n)
            let z = TwoProportionResult.compute(control: bin.c, treatment: bin.t, alpha: Self.alpha)
            bin.run.look(p: z.p, diff: z.diff, variance: z.seUnpooled * z.seUnpooled, totalN: Double(bin.c.trials + bin.t.trials))

            let results = recorder.results(computedAt: Double(look))
            for (name, p, state) in [("revenue", w.p, cont.run.states[0]), ("converted", z.p, bin.run.states[0])] {
                let r = try #require(results.comparison(metric: name))
                #expect(close(r.p?.value, p.value), "look \(look) \(name): p \(String(describing: r.p)) vs \(p)")
                #expect(close(r.alwaysValidP?.value, state.p.value), "look \(look) \(name): always-valid p")
                #expect(close(r.confidenceSequence?.lower, state.interval?.lower), "look \(look) \(name): CS lower")
                #expect(close(r.confidenceSequence?.upper, state.interval?.upper), "look \(look) \(name): CS upper")
            }
        }
    }

    @Test func continuousMetric() {
        Self.check(Self.continuous(seed: 0xC0_FFEE), "continuous")
    }

    @Test(arguments: [0.2, 0.03])
    func binaryMetric(rate: Double) {
        Self.check(Self.binary(seed: 0xB1_0A12, rate: rate), "binary p=\(rate)")
    }
}
