import Foundation
import SwitchyardStats
import Testing

/// The results document: statuses for degenerate inputs, verdicts on data with a clear effect,
/// p-value representation, Holm, the running always-valid quantities and the JSON encoding.
@Suite struct ResultsDocumentTests {
    /// Records `values` as events of `metric` in `variant` (one request per event, so binary
    /// `.exposures` metrics get their trials too).
    static func record(_ r: ExperimentRecorder, variant: Int, metric: Int, _ values: [Double], covariates: [Double]? = nil) throws {
        for (i, y) in values.enumerated() {
            try r.recordRequest(loop: 0, variant: variant, latencyNanos: 1_000_000)
            try r.recordOutcome(loop: 0, variant: variant, metric: metric, value: y, eventID: nil, covariate: covariates?[i])
        }
    }

    /// Both encoders the project uses: the default (which throws on a non-finite number) and the
    /// gateway's (`Gateway.encodeJSON`), each round-tripped through `JSONDecoder`.
    static func expectJSONRoundTrip(_ results: ExperimentResults, _ what: String) throws {
        let plain = JSONEncoder()
        plain.outputFormatting = [.sortedKeys]
        let data = try plain.encode(results)
        #expect(try JSONDecoder().decode(ExperimentResults.self, from: data) == results, "\(what): default encoder round trip")

        let gateway = JSONEncoder()
        gateway.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        gateway.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let gatewayData = try gateway.encode(results)
        #expect(try decoder.decode(ExperimentResults.self, from: gatewayData) == results, "\(what): gateway encoder round trip")
        // The document promises finite numbers: the gateway's strings for ±∞/NaN never appear.
        let text = String(decoding: gatewayData, as: UTF8.self)
        #expect(!text.contains("Infinity") && !text.contains("NaN"), "\(what): non-finite number in \(text)")
    }

    @Test func noDataIsInsufficientData() throws {
        let r = try Fixture.recorder(Fixture.config(variants: ["control", "a", "b"]))
        let results = r.results(computedAt: 1234.5)
        #expect(results.computedAt == 1234.5 && results.control == "control" && results.experiment == "exp")
        #expect(results.srm.status == .insufficientData && !results.srm.detected)
        #expect(results.metrics.count == 2)
        for m in results.metrics {
            #expect(m.comparisons.map(\.variant) == ["a", "b"])
            for c in m.comparisons {
                #expect(c.status == .insufficientData && c.relativeStatus == .insufficientData)
                #expect(c.p == nil && c.alwaysValidP == nil && c.absoluteLift == nil && c.confidenceSequence == nil)
                #expect(c.chanceToBeatControl == nil && c.holmAdjustedP == nil)
                #expect(c.verdict == .notYet && c.srmStatus == "insufficient_data")
            }
        }
        #expect(results.variants.allSatisfy { $0.summary.latencyMs == nil && $0.summary.errorRate == nil })
        try Self.expectJSONRoundTrip(results, "empty")
    }

    @Test func oneUnitPerArmIsInsufficientData() throws {
        let r = try Fixture.recorder()
        try Self.record(r, variant: 0, metric: 0, [1])
        try Self.record(r, variant: 1, metric: 0, [2, 3, 4])
        let c = try #require(r.results(computedAt: 0).comparison(metric: "revenue"))
        #expect(c.status == .insufficientData && c.p == nil && c.verdict == .notYet)
    }

    @Test func zeroVarianceIsDegenerate() throws {
        let r = try Fixture.recorder()
        try Self.record(r, variant: 0, metric: 0, Array(repeating: 5, count: 10))
        try Self.record(r, variant: 1, metric: 0, Array(repeating: 7, count: 10))
        try Self.record(r, variant: 0, metric: 1, Array(repeating: 0, count: 10))
        try Self.record(r, variant: 1, metric: 1, Array(repeating: 0, count: 10))
        let results = r.results(computedAt: 0)
        let cont = try #require(results.comparison(metric: "revenue"))
        #expect(cont.status == .degenerateZeroVariance && cont.p == nil && cont.alwaysValidP == nil && cont.absoluteCI == nil)
        #expect(cont.absoluteLift == 2 && cont.verdict == .notYet)
        let bin = try #require(results.comparison(metric: "converted"))
        #expect(bin.status == .degenerateZeroVariance && bin.p == nil && bin.verdict == .notYet)
        try Self.expectJSONRoundTrip(results, "zero variance")
    }

    @Test func zeroControlMeanLeavesRelativeLiftUndefined() throws {
        let r = try Fixture.recorder()
        try Self.record(r, variant: 0, metric: 0, [-2, -1, 0, 1, 2, -1.5, 1.5])
        try Self.record(r, variant: 1, metric: 0, [1, 2, 3, 2, 1, 2, 3])
        try Self.record(r, variant: 0, metric: 1, [0, 0, 0, 0])
        try Self.record(r, variant: 1, metric: 1, [1, 0, 1, 1])
        let results = r.results(computedAt: 0)
        let cont = try #require(results.comparison(metric: "revenue"))
        #expect(cont.status == .ok && cont.relativeStatus == .undefinedRelativeLift)
        #expect(cont.relativeLift == nil && cont.relativeCI == nil && cont.relativeConfidenceSequence == nil)
        #expect(cont.absoluteLift == 2 && cont.p != nil && cont.alwaysValidP != nil && cont.chanceToBeatControl != nil)
        let bin = try #require(results.comparison(metric: "converted"))
        #expect(bin.relativeStatus == .undefinedRelativeLift && bin.relativeLift == nil)
        try Self.expectJSONRoundTrip(results, "zero control mean")
    }

    /// n units per arm with a clear effect: a shift of `effect` control standard deviations.
    static func effectExperiment(effect: Double, higherIsBetter: Bool = true, units: Int = 2000,
                                 weights: [Double]? = nil, assignment: [Double]? = nil) throws -> ExperimentResults {
        let metric = MetricConfig(name: "m", kind: .continuous, higherIsBetter: higherIsBetter)
        let rate = MetricConfig(name: "rate", kind: .binary, denominator: .exposures, higherIsBetter: higherIsBetter)
        let r = try Fixture.recorder(Fixture.config(weights: weights, metrics: [metric, rate]))
        var rng = SeededRandom(seed: 99)
        let split = assignment ?? [1, 1]
        for i in 0..<(2 * units) {
            let v = rng.pick(weights: split)
            let shift = v == 1 ? effect : 0
            try r.recordRequest(loop: 0, variant: v, latencyNanos: 1_000_000)
            try r.recordOutcome(loop: 0, variant: v, metric: 0, value: rng.normal(mean: 10 + shift, sd: 1), eventID: "m\(i)")
            if rng.bernoulli(0.3 + 0.2 * shift) == 1 {
                try r.recordOutcome(loop: 0, variant: v, metric: 1, value: 1, eventID: "r\(i)")
            }
        }
        return r.results(computedAt: 1)
    }

    @Test func verdictsOnAClearEffect() throws {
        let up = try Self.effectExperiment(effect: 0.5)
        for name in ["m", "rate"] {
            let c = try #require(up.comparison(metric: name))
            #expect(c.verdict == .significantImprovement, "\(name): \(c)")
            #expect((c.absoluteLift ?? 0) > 0 && (c.confidenceSequence?.lower ?? 0) > 0)
            #expect((c.chanceToBeatControl ?? 0) > 0.99 && c.srmStatus == "ok")
        }
        let down = try Self.effectExperiment(effect: -0.5)
        #expect(down.metrics.allSatisfy { $0.comparisons.allSatisfy { $0.verdict == .significantRegression } })
        // "Lower is better": the same increase is a regression.
        let costlier = try Self.effectExperiment(effect: 0.5, higherIsBetter: false)
        for m in costlier.metrics {
            let c = try #require(m.comparisons.first)
            #expect(c.verdict == .significantRegression && (c.chanceToBeatControl ?? 1) < 0.01, "\(m.name)")
        }
        let cheaper = try Self.effectExperiment(effect: -0.5, higherIsBetter: false)
        #expect(cheaper.metrics.allSatisfy { $0.comparisons.allSatisfy { $0.verdict == .significantImprovement } })
        // No effect and little data: not yet.
        let none = try Self.effectExperiment(effect: 0, units: 100)
        #expect(none.metrics.allSatisfy { $0.comparisons.allSatisfy { $0.verdict == .notYet } })
        // A clear effect, but 60/40 assignment under 50/50 weights: nothing is to be trusted.
        let skewed = try Self.effectExperiment(effect: 0.5, assignment: [0.6, 0.4])
        #expect(skewed.srm.detected)
        #expect(skewed.metrics.allSatisfy { $0.comparisons.allSatisfy { $0.verdict == .sampleRatioMismatch && $0.srmStatus == "mismatch" } })
        try Self.expectJSONRoundTrip(up, "clear effect")
        try Self.expectJSONRoundTrip(skewed, "SRM")
    }

    @Test func tinyPValuesKeepAFiniteLog10() throws {
        let r = try Fixture.recorder()
        var rng = SeededRandom(seed: 3)
        try Self.record(r, variant: 0, metric: 0, (0..<4000).map { _ in rng.normal(mean: 10, sd: 1) })
        try Self.record(r, variant: 1, metric: 0, (0..<4000).map { _ in rng.normal(mean: 12, sd: 1) })
        try Self.record(r, variant: 0, metric: 1, (0..<4000).map { _ in rng.bernoulli(0.1) })
        try Self.record(r, variant: 1, metric: 1, (0..<4000).map { _ in rng.bernoulli(0.9) })
        let results = r.results(computedAt: 0)
        for name in ["revenue", "converted"] {
            let c = try #require(results.comparison(metric: name))
            for (what, p) in [("p", c.p), ("always-valid p", c.alwaysValidP)] {
                let p = try #require(p, "\(name) \(what)")
                #expect(p.value == 0 && p.log10.isFinite && p.log10 < -300, "\(name) \(what): \(p)")
            }
            #expect(c.verdict == .significantImprovement)
            // The Bayesian side: the chance to beat control rounds to 1, the log10 of the chance
            // to lose keeps the magnitude (1 − CTW < 1.1e-16 whenever CTW rounds to 1).
            #expect(c.chanceToBeatControl == 1 && (c.log10ChanceToLose ?? 0) < -15.9 && c.log10ChanceToLose!.isFinite,
                    "\(name): chance \(String(describing: c.chanceToBeatControl)), log10 lose \(String(describing: c.log10ChanceToLose)), rel \(String(describing: c.relativeLift)) \(String(describing: c.relativeCI))")
        }
        try Self.expectJSONRoundTrip(results, "tiny p")
    }

    /// Units in a zero-weight arm make the SRM p-values exactly 0 (log10 = −∞): the document
    /// writes that log10 as null, so even the default encoder (which throws on ±∞) succeeds.
    @Test func certainMismatchEncodesWithoutInfinities() throws {
        let r = try Fixture.recorder(Fixture.config(variants: ["control", "treatment", "off"], weights: [1, 1, 0]))
        var rng = SeededRandom(seed: 12)
        try Fixture.feed(r, variant: 0, count: 50, rng: &rng)
        try Fixture.feed(r, variant: 1, count: 50, rng: &rng)
        try Fixture.feed(r, variant: 2, count: 1, rng: &rng)
        let results = r.results(computedAt: 0)
        #expect(results.srm.unitsInZeroWeightArm && results.srm.sequentialP.value == 0)
        #expect(results.srm.combined.p?.log10 == -.infinity)
        try Self.expectJSONRoundTrip(results, "zero-weight arm")
        let json = String(decoding: try JSONEncoder().encode(results.srm.sequentialP), as: UTF8.self)
        #expect(json.contains("\"log10\":null") || !json.contains("log10"), "\(json)")
    }

    @Test func holmAdjustedPIsAtLeastTheRawP() throws {
        let metrics = (0..<3).map { MetricConfig(name: "m\($0)", kind: .continuous) } + [Fixture.converted]
        let r = try Fixture.recorder(Fixture.config(variants: ["c", "a", "b", "d"], metrics: metrics))
        var rng = SeededRandom(seed: 11)
        for v in 0..<4 {
            for (m, metric) in metrics.enumerated() {
                let shift = Double(v * (m + 1)) * 0.03
                let values = (0..<300).map { _ in metric.kind == .binary ? rng.bernoulli(0.3 + shift / 3) : rng.normal(mean: 5 + shift, sd: 1) }
                try Self.record(r, variant: v, metric: m, values)
            }
        }
        let results = r.results(computedAt: 0)
        let comparisons = results.metrics.flatMap(\.comparisons)
        #expect(comparisons.count == 12)
        var raw = [Double]()
        for c in comparisons {
            let p = try #require(c.p).value, av = try #require(c.alwaysValidP).value
            let holm = try #require(c.holmAdjustedP), holmAV = try #require(c.holmAdjustedAlwaysValidP)
            #expect(holm >= p && holm <= 1 && holmAV >= av && holmAV <= 1)
            raw.append(p)
        }
        // The document's adjustment is Holm over all 12 comparisons, in document order.
        #expect(comparisons.compactMap(\.holmAdjustedP) == MultipleTesting.holm(raw))
        #expect(Set(comparisons.map { $0.holmAdjustedP! }).count > 1, "some p-values should differ")
    }

    /// Looks after every batch of an A/A experiment: the always-valid p never increases, the
    /// confidence sequences never widen, while the fixed-horizon p moves both ways.
    @Test func alwaysValidQuantitiesAreRunning() throws {
        let r = try Fixture.recorder()
        var rng = SeededRandom(seed: 5)
        var previous: ExperimentResults?
        var fixedIncreased = false
        for look in 0..<40 {
            try Fixture.feed(r, variant: 0, count: 30, rng: &rng)
            try Fixture.feed(r, variant: 1, count: 30, rng: &rng)
            let results = r.results(computedAt: Double(look))
            if let previous {
                for name in ["revenue", "converted"] {
                    let now = try #require(results.comparison(metric: name)), before = try #require(previous.comparison(metric: name))
                    let p = try #require(now.alwaysValidP), p0 = try #require(before.alwaysValidP)
                    #expect(p.value <= p0.value && p.log10 <= p0.log10, "look \(look) \(name): always-valid p rose")
                    for (cs, cs0) in [(now.confidenceSequence, before.confidenceSequence),
                                      (now.relativeConfidenceSequence, before.relativeConfidenceSequence)] {
                        let a = try #require(cs), b = try #require(cs0)
                        #expect(a.lower >= b.lower && a.upper <= b.upper, "look \(look) \(name): CS widened \(b) → \(a)")
                    }
                    if (now.p?.value ?? 0) > (before.p?.value ?? 1) { fixedIncreased = true }
                }
            }
            previous = results
        }
        #expect(fixedIncreased, "the fixed-horizon p never increased: the running checks above prove nothing")
        // A look without new data is still a look and changes nothing.
        let again = r.results(computedAt: 99)
        #expect(again.comparison(metric: "revenue")?.alwaysValidP == previous?.comparison(metric: "revenue")?.alwaysValidP)
        #expect(again.comparison(metric: "revenue")?.confidenceSequence == previous?.comparison(metric: "revenue")?.confidenceSequence)
    }
}
