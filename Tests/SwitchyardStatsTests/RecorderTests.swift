import SwitchyardStats
import Testing

/// `ExperimentRecorder`: shard merging, input validation, de-duplication.
@Suite struct RecorderTests {
    /// Values equal up to the rounding of a different (but exact-in-arithmetic) summation order.
    static func close(_ a: Double, _ b: Double, rel: Double = 1e-12) -> Bool {
        a == b || abs(a - b) <= rel * max(abs(a), abs(b))
    }

    static func expectSame(_ a: Moments, _ b: Moments, _ what: String) {
        #expect(a.count == b.count, "\(what): n")
        #expect(close(a.mean, b.mean), "\(what): mean \(a.mean) vs \(b.mean)")
        #expect(close(a.m2, b.m2, rel: 1e-10), "\(what): M2 \(a.m2) vs \(b.m2)")
    }

    /// The same events spread over 4 loops or written to 1 give the same merged state: counters,
    /// histograms and labels exactly; moments up to summation-order rounding (Chan vs Welford).
    @Test func fourShardsMergeToTheStateOfOne() throws {
        let config = Fixture.config(variants: ["control", "a", "b"])
        let one = try Fixture.recorder(config, loops: 1), four = try Fixture.recorder(config, loops: 4)
        var rng = SeededRandom(seed: 42)
        for i in 0..<3000 {
            let v = rng.pick(weights: [1, 1, 1])
            let latency = UInt64(200_000 + rng.unit() * 50_000_000)
            let outcome = RequestOutcome.allCases[Int(rng.next() % 4)]
            let score = rng.normal(), label = Int(rng.next() % 2)
            let y = rng.normal(mean: 5, sd: 3), x = y + rng.normal(), b = rng.bernoulli(0.4)
            for (r, loop) in [(one, 0), (four, i % 4)] {
                try r.recordRequest(loop: loop, variant: v, latencyNanos: latency, outcome: outcome, score: score, label: label)
                try r.recordOutcome(loop: loop, variant: v, metric: 0, value: y, eventID: "y\(i)", covariate: x)
                try r.recordOutcome(loop: loop, variant: v, metric: 1, value: b, eventID: "b\(i)")
            }
        }
        let a = one.state(), b = four.state()
        #expect(a.periodUnits == b.periodUnits)
        #expect(a.periodUnits.reduce(0, +) == 3000)
        for v in 0..<3 {
            let x = a.variants[v], y = b.variants[v]
            #expect(x.requests == y.requests && x.clientErrors == y.clientErrors && x.serverErrors == y.serverErrors
                    && x.timeouts == y.timeouts, "variant \(v) counters")
            #expect(x.latency == y.latency, "variant \(v) latency histogram")
            #expect(x.labels == y.labels, "variant \(v) labels")
            Self.expectSame(x.score, y.score, "variant \(v) score")
            // Summaries (what canary gates read) agree exactly apart from the score mean's rounding.
            var sx = x.summary(name: "v"), sy = y.summary(name: "v")
            #expect(Self.close(sx.scoreMean ?? .nan, sy.scoreMean ?? .nan))
            sx.scoreMean = nil; sy.scoreMean = nil
            #expect(sx == sy, "variant \(v) summary")
            for m in 0..<2 {
                let p = a.metrics[m][v], q = b.metrics[m][v]
                #expect(p.events == q.events && p.successes == q.successes, "metric \(m) variant \(v) counts")
                Self.expectSame(p.values, q.values, "metric \(m) variant \(v)")
                Self.expectSame(p.paired.x, q.paired.x, "metric \(m) variant \(v) covariate")
                #expect(Self.close(p.paired.cXY, q.paired.cXY, rel: 1e-10), "metric \(m) variant \(v) C_xy")
            }
        }
        let ra = one.results(computedAt: 1), rb = four.results(computedAt: 1)
        for (ma, mb) in zip(ra.metrics, rb.metrics) {
            for (ca, cb) in zip(ma.comparisons, mb.comparisons) {
                #expect(ca.status == cb.status && ca.n == cb.n && ca.verdict == cb.verdict)
                #expect(Self.close(ca.p?.value ?? -1, cb.p?.value ?? -1, rel: 1e-9), "\(ma.name) \(ca.variant) p")
                #expect(Self.close(ca.alwaysValidP?.value ?? -1, cb.alwaysValidP?.value ?? -1, rel: 1e-9))
            }
        }
    }

    @Test func outOfRangeIndicesThrowTheNamedError() throws {
        let r = try Fixture.recorder(loops: 2)
        #expect(throws: StatsError.loopOutOfRange(loop: 2, loops: 2)) { try r.recordRequest(loop: 2, variant: 0, latencyNanos: 1) }
        #expect(throws: StatsError.loopOutOfRange(loop: -1, loops: 2)) { try r.recordRequest(loop: -1, variant: 0, latencyNanos: 1) }
        #expect(throws: StatsError.variantOutOfRange(index: 2, variants: 2)) { try r.recordRequest(loop: 0, variant: 2, latencyNanos: 1) }
        #expect(throws: StatsError.variantOutOfRange(index: -1, variants: 2)) { try r.recordRequest(loop: 0, variant: -1, latencyNanos: 1) }
        #expect(throws: StatsError.labelOutOfRange(index: 2, labels: 2)) {
            try r.recordRequest(loop: 0, variant: 0, latencyNanos: 1, label: 2)
        }
        #expect(throws: StatsError.labelOutOfRange(index: -1, labels: 2)) {
            try r.recordRequest(loop: 0, variant: 0, latencyNanos: 1, label: -1)
        }
        #expect(throws: StatsError.loopOutOfRange(loop: 5, loops: 2)) {
            try r.recordOutcome(loop: 5, variant: 0, metric: 0, value: 1, eventID: nil)
        }
        #expect(throws: StatsError.variantOutOfRange(index: 7, variants: 2)) {
            try r.recordOutcome(loop: 0, variant: 7, metric: 0, value: 1, eventID: nil)
        }
        #expect(throws: StatsError.metricOutOfRange(index: 2, metrics: 2)) {
            try r.recordOutcome(loop: 0, variant: 0, metric: 2, value: 1, eventID: nil)
        }
        #expect(throws: StatsError.unknownVariant("nope")) { try r.variantIndex(named: "nope") }
        #expect(throws: StatsError.unknownMetric("nope")) { try r.metricIndex(named: "nope") }
        #expect(try r.variantIndex(named: "treatment") == 1)
        #expect(try r.metricIndex(named: "converted") == 1)
        #expect(r.labelIndex(named: "dog") == 1 && r.labelIndex(named: "eel") == nil)
        // Nothing was recorded by the rejected calls.
        let s = r.state()
        #expect(s.variants.allSatisfy { $0.requests == 0 } && s.metrics.joined().allSatisfy { $0.events == 0 })
    }

    @Test func invalidValuesThrowTheNamedError() throws {
        let r = try Fixture.recorder()
        for bad in [Double.nan, .infinity, -.infinity] {
            #expect(throws: StatsError.self) { try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: bad, eventID: nil) }
            do {
                try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: bad, eventID: nil)
            } catch {
                guard case .invalidValue(let metric, _, _) = error else { Issue.record("got \(error)"); continue }
                #expect(metric == "revenue")
            }
            #expect(throws: StatsError.self) { try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: nil, covariate: bad) }
        }
        // Binary: only 0 and 1; no covariates.
        #expect(throws: StatsError.invalidValue(metric: "converted", value: 0.5, reason: "a binary metric takes 0 or 1")) {
            try r.recordOutcome(loop: 0, variant: 0, metric: 1, value: 0.5, eventID: nil)
        }
        #expect(throws: StatsError.self) { try r.recordOutcome(loop: 0, variant: 0, metric: 1, value: 2, eventID: nil) }
        #expect(throws: StatsError.covariateNotSupported(metric: "converted")) {
            try r.recordOutcome(loop: 0, variant: 0, metric: 1, value: 1, eventID: nil, covariate: 3)
        }
        // A rejected event does not use up its id.
        #expect(throws: StatsError.self) { try r.recordOutcome(loop: 0, variant: 0, metric: 1, value: 0.5, eventID: "e1") }
        #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 1, value: 1, eventID: "e1"))
        let s = r.state()
        #expect(s.metrics[0][0].events == 0 && s.metrics[1][0].events == 1 && s.metrics[1][0].successes == 1)
        // A non-finite score is not an error (model outputs can be NaN) but is not summarised either.
        try r.recordRequest(loop: 0, variant: 0, latencyNanos: 1000, score: .nan)
        #expect(r.state().variants[0].score.count == 0 && r.state().variants[0].requests == 1)
    }

    @Test func duplicateEventIDsAreIgnored() throws {
        let r = try Fixture.recorder(loops: 2)
        #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 3, eventID: "evt-1"))
        // Same id from another loop, another variant, another value: still a duplicate.
        #expect(try !r.recordOutcome(loop: 1, variant: 1, metric: 0, value: 99, eventID: "evt-1"))
        // The same id for another metric is another event (ids are per metric).
        #expect(try r.recordOutcome(loop: 1, variant: 0, metric: 1, value: 1, eventID: "evt-1"))
        // Events without an id are never de-duplicated.
        #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 3, eventID: nil))
        #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 3, eventID: nil))
        let s = r.state()
        #expect(s.metrics[0][0].events == 3 && s.metrics[0][1].events == 0 && s.metrics[1][0].events == 1)
        #expect(s.metrics[0][0].values.mean == 3)
    }

    /// The documented bound (`EventDeduplicator`): an id is recognised while fewer than
    /// capacity/2 distinct ids arrived after it, whatever its position in a generation; and memory
    /// is bounded, so after `capacity` further distinct ids it has been forgotten.
    @Test(arguments: [8, 9, 64])
    func dedupWindowBehavesAsDocumented(capacity: Int) throws {
        let half = capacity / 2
        for position in 0..<(half + 1) {
            let r = try Fixture.recorder(Fixture.config(dedupCapacity: capacity))
            var next = 0
            func fresh() throws -> Bool {
                next += 1
                return try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: "filler-\(next)")
            }
            for _ in 0..<position { #expect(try fresh()) }
            #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: "target"))
            for _ in 0..<(half - 1) { #expect(try fresh()) }
            #expect(try !r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: "target"),
                    "capacity \(capacity), position \(position): forgotten after \(half - 1) later ids")
            for _ in 0..<capacity { #expect(try fresh()) }
            #expect(try r.recordOutcome(loop: 0, variant: 0, metric: 0, value: 1, eventID: "target"),
                    "capacity \(capacity): still remembered after \(capacity + half - 1) later ids (memory not bounded)")
        }
    }

    @Test func invalidConfigurationsAreRejected() {
        func rejects(_ c: ExperimentStatsConfig, loops: Int = 1) -> Bool {
            do { _ = try ExperimentRecorder(config: c, loops: loops); return false } catch {
                if case .invalidConfig = error { return true }
                if case .invalidWeights = error { return true }
                return false
            }
        }
        #expect(rejects(Fixture.config(variants: ["only"])))
        #expect(rejects(Fixture.config(variants: ["a", "a"])))
        #expect(rejects(Fixture.config(weights: [1])))
        #expect(rejects(Fixture.config(weights: [0, 0])))
        #expect(rejects(Fixture.config(weights: [1, -1])))
        #expect(rejects(Fixture.config(metrics: [Fixture.revenue, Fixture.revenue])))
        #expect(rejects(Fixture.config(dedupCapacity: 1)))
        #expect(rejects(Fixture.config(), loops: 0))
        var c = Fixture.config()
        c.alpha = 0.7
        #expect(rejects(c))
        c = Fixture.config(); c.controlIndex = 2
        #expect(rejects(c))
        c = Fixture.config(); c.nStar = .nan
        #expect(rejects(c))
        #expect(!rejects(Fixture.config()))
    }
}

/// Loops record concurrently while readers merge, look and snapshot: nothing is lost or
/// double-counted, and the readers never see more than was recorded.
@Suite struct ConcurrentRecordingTests {
    @Test func concurrentLoopsAndReaders() async throws {
        let loops = 4, perLoop = 2000
        let r = try Fixture.recorder(Fixture.config(), loops: loops)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for loop in 0..<loops {
                group.addTask {
                    var rng = SeededRandom(seed: UInt64(100 + loop))
                    for i in 0..<perLoop {
                        let v = i % 2
                        try r.recordRequest(loop: loop, variant: v, latencyNanos: 1_000_000 + UInt64(i))
                        try r.recordOutcome(loop: loop, variant: v, metric: 0, value: rng.normal(), eventID: "\(loop)-\(i)")
                        try r.recordOutcome(loop: loop, variant: v, metric: 1, value: rng.bernoulli(0.5), eventID: "\(loop)-\(i)")
                    }
                }
            }
            group.addTask {
                var lastRequests: UInt64 = 0
                for look in 0..<8 {
                    let results = r.results(computedAt: Double(look))
                    let requests = results.variants.reduce(0) { $0 + $1.summary.requests }
                    #expect(requests >= lastRequests && requests <= UInt64(loops * perLoop))
                    lastRequests = requests
                    _ = r.snapshot()
                }
            }
            try await group.waitForAll()
        }
        let s = r.state()
        #expect(s.variants.map(\.requests) == [UInt64(loops * perLoop / 2), UInt64(loops * perLoop / 2)])
        #expect(s.periodUnits.reduce(0, +) == UInt64(loops * perLoop))
        #expect(s.metrics.map { $0.reduce(0) { $0 + $1.events } } == [UInt64(loops * perLoop), UInt64(loops * perLoop)])
        #expect(s.variants.allSatisfy { $0.latency.count == UInt64(loops * perLoop / 2) })
    }
}
