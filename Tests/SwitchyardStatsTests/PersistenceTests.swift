import SwitchyardStats
import Testing

/// Snapshots: `snapshot()` → `restore(from:)` reproduces everything, and a bad or foreign
/// snapshot is refused with the named error without touching the recorder.
@Suite struct PersistenceTests {
    static let metrics = [Fixture.revenue, Fixture.converted,
                          MetricConfig(name: "signups", kind: .binary, denominator: .exposures)]

    static func config(variants: [String] = ["control", "a", "b"], metrics: [MetricConfig] = metrics) -> ExperimentStatsConfig {
        Fixture.config(variants: variants, weights: [2, 1, 1], metrics: metrics)
    }

    /// A recorder with everything a snapshot holds: requests of every outcome class, latencies,
    /// scores, labels, outcome events with covariates and ids, a closed weight period, several
    /// looks (running always-valid state) and a non-empty de-duplication window.
    static func busyRecorder(loops: Int, units: Int = 1500) throws -> ExperimentRecorder {
        let r = try ExperimentRecorder(config: config(), loops: loops)
        var rng = SeededRandom(seed: 2024)
        let change = units / 2
        for i in 0..<units {
            if i == change { try r.setWeights([1, 1, 1], at: 70) }
            let v = rng.pick(weights: i < change ? [2, 1, 1] : [1, 1, 1]), loop = i % loops
            try r.recordRequest(loop: loop, variant: v, latencyNanos: UInt64(500_000 + rng.unit() * 9e7),
                                outcome: RequestOutcome.allCases[Int(rng.next() % 4)], score: rng.normal(), label: Int(rng.next() % 2))
            let y = rng.normal(mean: 20 + Double(v), sd: 4)
            try r.recordOutcome(loop: loop, variant: v, metric: 0, value: y, eventID: "rev-\(i)", covariate: y + rng.normal(mean: 0, sd: 3))
            try r.recordOutcome(loop: loop, variant: v, metric: 1, value: rng.bernoulli(0.4), eventID: "conv-\(i)")
            if rng.bernoulli(0.2) == 1 { try r.recordOutcome(loop: loop, variant: v, metric: 2, value: 1, eventID: "sign-\(i)") }
            if i % (units / 3) == units / 3 - 1 { _ = r.results(computedAt: Double(i)) }
        }
        return r
    }

    static func expectSameState(_ a: ExperimentRecorder, _ b: ExperimentRecorder) {
        let x = a.state(), y = b.state()
        #expect(x.variants == y.variants, "request telemetry")
        // Histogram equality compares bucket edges, not the exact extremes: check those too.
        #expect(x.variants.map(\.latency.maxNanos) == y.variants.map(\.latency.maxNanos), "exact latency maximum")
        #expect(x.variants.map(\.latency.histogram.min) == y.variants.map(\.latency.histogram.min), "exact latency minimum")
        #expect(x.variantSummaries == y.variantSummaries, "summaries (what canary gates read)")
        #expect(x.metrics == y.metrics, "outcome metrics")
        #expect(x.periodUnits == y.periodUnits, "period units")
        #expect(x.srm == y.srm, "SRM ledger")
    }

    @Test(arguments: [(2, 2), (4, 1), (1, 3)])
    func restoreReproducesStateAndResults(loops: Int, restoredLoops: Int) throws {
        let original = try Self.busyRecorder(loops: loops)
        let bytes = original.snapshot()
        let restored = try ExperimentRecorder(config: Self.config(), loops: restoredLoops)
        try restored.restore(from: bytes)
        Self.expectSameState(original, restored)
        #expect(restored.snapshot() == bytes, "a restored recorder snapshots to the same bytes")
        // The next look continues the running always-valid state identically on both.
        let a = original.results(computedAt: 5000), b = restored.results(computedAt: 5000)
        #expect(a == b)
        #expect(a.metrics.flatMap(\.comparisons).allSatisfy { $0.alwaysValidP != nil && $0.confidenceSequence != nil })
        #expect(a.srm.periods == 2)
        // De-duplication survives: ids seen before the snapshot are still duplicates.
        #expect(try !restored.recordOutcome(loop: restoredLoops - 1, variant: 1, metric: 0, value: 1, eventID: "rev-1499"))
        #expect(try !restored.recordOutcome(loop: 0, variant: 0, metric: 1, value: 1, eventID: "conv-0"))
        #expect(try restored.recordOutcome(loop: 0, variant: 0, metric: 1, value: 1, eventID: "conv-new"))
        // Recording continues on every loop of the restored recorder.
        for loop in 0..<restoredLoops { try restored.recordRequest(loop: loop, variant: 0, latencyNanos: 1_000_000) }
        #expect(restored.state().variants[0].requests == original.state().variants[0].requests + UInt64(restoredLoops))
    }

    /// Restoring a snapshot does not depend on what the target held before.
    @Test func restoreReplacesEarlierState() throws {
        let source = try Self.busyRecorder(loops: 2)
        let target = try Self.busyRecorder(loops: 3)
        try target.recordRequest(loop: 2, variant: 2, latencyNanos: 42_000)
        try target.restore(from: source.snapshot())
        Self.expectSameState(source, target)
        #expect(try target.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: "only-in-target"))
    }

    static func expectUnchanged(_ r: ExperimentRecorder, before: [UInt8], _ what: String) {
        #expect(r.snapshot() == before, "\(what): the failed restore changed the recorder")
    }

    @Test func foreignSnapshotsAreRefusedAndChangeNothing() throws {
        let bytes = try Self.busyRecorder(loops: 1).snapshot()
        let others: [(String, ExperimentStatsConfig)] = [
            ("other variants", Self.config(variants: ["control", "a", "c"])),
            ("fewer variants", Fixture.config(variants: ["control", "a"], metrics: Self.metrics)),
            ("other metrics", Self.config(metrics: [Fixture.revenue, Fixture.converted])),
            ("renamed metric", Self.config(metrics: [Fixture.revenue, Fixture.converted, MetricConfig(name: "joins", kind: .binary)])),
            ("metric kind", Self.config(metrics: [Fixture.revenue, Fixture.converted, MetricConfig(name: "signups", kind: .continuous)])),
            ("other experiment", { var c = Self.config(); c.name = "other"; return c }()),
            ("labels", { var c = Self.config(); c.labels = ["x"]; return c }()),
            ("latency layout", { var c = Self.config(); c.latency = LatencyHistogramConfig(significantDigits: 3); return c }()),
        ]
        for (what, config) in others {
            let target = try ExperimentRecorder(config: config, loops: 2)
            var rng = SeededRandom(seed: 1)
            try Fixture.feed(target, variant: 0, count: 20, rng: &rng, idPrefix: "t")
            let before = target.snapshot()
            #expect(throws: StatsError.self, "\(what)") { try target.restore(from: bytes) }
            do { try target.restore(from: bytes) } catch {
                guard case .snapshotMismatch = error else { Issue.record("\(what): \(error)"); continue }
            }
            Self.expectUnchanged(target, before: before, what)
        }
    }

    static func corruptError(_ r: ExperimentRecorder, _ bytes: [UInt8]) -> StatsError? {
        do { try r.restore(from: bytes); return nil } catch { return error }
    }

    /// The damage tests use a smaller recorder (every section present, ~10 KB) to stay fast.
    @Test func truncatedSnapshotsAreRefusedAndChangeNothing() throws {
        let bytes = try Self.busyRecorder(loops: 2, units: 300).snapshot()
        let target = try Self.busyRecorder(loops: 1, units: 300)
        let before = target.snapshot()
        var cuts = Array(0..<min(200, bytes.count)) + Array(stride(from: 200, to: bytes.count, by: 61))
        cuts.append(bytes.count - 1)
        for cut in cuts {
            let error = Self.corruptError(target, Array(bytes[..<cut]))
            guard case .corruptSnapshot = error else { Issue.record("cut at \(cut) of \(bytes.count): \(String(describing: error))"); continue }
        }
        // Trailing garbage is refused too.
        guard case .corruptSnapshot = Self.corruptError(target, bytes + [0]) else { Issue.record("trailing byte accepted"); return }
        Self.expectUnchanged(target, before: before, "truncated")
    }

    /// Any single corrupted byte must be detected: a snapshot that restores into wrong numbers is
    /// worse than none (the gateway would then serve them as the experiment's statistics).
    @Test func corruptedSnapshotsAreRefusedAndChangeNothing() throws {
        let bytes = try Self.busyRecorder(loops: 2, units: 300).snapshot()
        let target = try Self.busyRecorder(loops: 1, units: 300)
        let before = target.snapshot()
        var rng = SeededRandom(seed: 77)
        var positions = Array(0..<min(120, bytes.count))
        for _ in 0..<200 { positions.append(Int(rng.next() % UInt64(bytes.count))) }
        var accepted = [Int]()
        for position in positions {
            var bad = bytes
            bad[position] ^= UInt8(1 << (rng.next() % 8))
            switch Self.corruptError(target, bad) {
            case .corruptSnapshot?: continue
            case nil: accepted.append(position)
            case let other?: Issue.record("byte \(position): \(other), expected corruptSnapshot")
            }
            if !accepted.isEmpty { break }
        }
        #expect(accepted.isEmpty, "a snapshot with a flipped bit at byte \(accepted) of \(bytes.count) was accepted")
        #expect(Self.corruptError(target, Array("not a snapshot".utf8)).map { if case .corruptSnapshot = $0 { true } else { false } } == true)
        #expect(Self.corruptError(target, []).map { if case .corruptSnapshot = $0 { true } else { false } } == true)
        // A snapshot of the first format (no checksum) says so.
        let v1 = Array("SYSTATS1".utf8) + bytes.dropFirst(8)
        guard case .corruptSnapshot(let message)? = Self.corruptError(target, v1) else { Issue.record("v1 accepted"); return }
        #expect(message.contains("version 1"), "\(message)")
        Self.expectUnchanged(target, before: before, "corrupted")
    }
}
