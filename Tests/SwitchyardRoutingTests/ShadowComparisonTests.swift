import Testing
@testable import SwitchyardRouting

@Suite struct ShadowComparisonTests {
    let tolerance = Tolerance(absolute: 1e-3, relative: 1e-2)

    @Test func floatFigures() throws {
        var c = ShadowComparison(shadow: "mlp:3")
        let primary = TensorView(name: "probabilities", shape: [2, 3], values: .float32([0.1, 0.7, 0.2, 0.5, 0.3, 0.2]))
        // Row 0: max stays at index 1, diffs 0.0005 (within) and 0.05 (outside). Row 1: arg-max moves to index 1.
        let shadow = TensorView(name: "probabilities", shape: [2, 3], values: .float64([0.1005, 0.65, 0.2, 0.3, 0.5, 0.2]))
        c.record(primary: [primary], shadow: [shadow], tolerance: tolerance, shadowLatencyNs: 2_000_000)
        let t = try #require(c.outputs["probabilities"])
        #expect(t.comparedRequests == 1)
        #expect(t.elements == 6)
        #expect(t.agreeingElements == 3) // 0.1005 (diff 5e-4 ≤ 1e-3 + 1e-3) and both 0.2s
        #expect(abs(t.maxAbsDiff - 0.2) < 1e-6)
        #expect(abs(t.maxRelDiff - 0.2 / 0.3) < 1e-6) // |0.3 − 0.5| / 0.3 at index 4
        #expect(t.argmaxRows == 2)
        #expect(t.argmaxAgreeing == 1)
        #expect(t.argmaxAgreement == 0.5)
        #expect(c.latency.count == 1)
        #expect(c.latency.maxNs == 2_000_000)
    }

    @Test func exactFamilies() throws {
        var c = ShadowComparison(shadow: "s")
        c.record(primary: [TensorView(name: "label", shape: [4], values: .int64([1, 0, 1, 1])),
                           TensorView(name: "flag", shape: [2], values: .bool([true, false])),
                           TensorView(name: "class", shape: [3], values: .string(["cat", "dog", "cat"]))],
                 shadow: [TensorView(name: "label", shape: [4], values: .int64([1, 1, 1, 1])),
                          TensorView(name: "flag", shape: [2], values: .bool([true, false])),
                          TensorView(name: "class", shape: [3], values: .string(["cat", "cat", "cow"]))],
                 tolerance: tolerance, shadowLatencyNs: 10)
        #expect(c.outputs["label"]?.agreement == 0.75)
        #expect(c.outputs["flag"]?.agreement == 1)
        #expect(c.outputs["class"]?.agreeingElements == 1)
        #expect(c.outputs["label"]?.maxAbsDiff == 0, "no float figures for integers")
        #expect(c.outputs["label"]?.argmaxRows == 0)
    }

    @Test func mismatchesAreCountedNotCompared() {
        var c = ShadowComparison(shadow: "s")
        c.record(primary: [TensorView(name: "y", shape: [2], values: .float32([1, 2])),
                           TensorView(name: "z", shape: [1], values: .int64([1])),
                           TensorView(name: "w", shape: [2], values: .float32([1, 2]))],
                 shadow: [TensorView(name: "y", shape: [3], values: .float32([1, 2, 3])),
                          TensorView(name: "w", shape: [2], values: .string(["1", "2"])),
                          TensorView(name: "extra", shape: [1], values: .bool([true]))],
                 tolerance: tolerance, shadowLatencyNs: 10)
        #expect(c.outputs["y"]?.mismatchedRequests == 1, "element count differs")
        #expect(c.outputs["z"]?.mismatchedRequests == 1, "missing in shadow")
        #expect(c.outputs["w"]?.mismatchedRequests == 1, "type family differs")
        #expect(c.outputs["y"]?.elements == 0)
        #expect(c.extraOutputs == 1)
    }

    @Test func nonFiniteValues() {
        var t = TensorAgreement()
        t.record(primary: TensorView(name: "y", shape: [3], values: .float64([.nan, .infinity, 1])),
                 shadow: TensorView(name: "y", shape: [3], values: .float64([.nan, .infinity, 1])), tolerance: tolerance)
        #expect(t.agreeingElements == 3)
        #expect(t.maxAbsDiff == 0)
        t.record(primary: TensorView(name: "y", shape: [1], values: .float64([1])),
                 shadow: TensorView(name: "y", shape: [1], values: .float64([.nan])), tolerance: tolerance)
        #expect(t.agreeingElements == 3)
        #expect(t.maxAbsDiff == .infinity)
    }

    @Test func mergeEqualsSequentialRecording() {
        let pairs: [([Float], [Float])] = [([1, 2, 3], [1, 2.5, 3]), ([0.2, 0.8], [0.3, 0.7]), ([5, 5], [5, 5.001])]
        var whole = ShadowComparison(shadow: "s")
        var left = ShadowComparison(shadow: "s")
        var right = ShadowComparison(shadow: "s")
        for (i, (p, s)) in pairs.enumerated() {
            let primary = [TensorView(name: "y", shape: [p.count], values: .float32(p))]
            let shadow = [TensorView(name: "y", shape: [s.count], values: .float32(s))]
            whole.record(primary: primary, shadow: shadow, tolerance: tolerance, shadowLatencyNs: UInt64(1000 * (i + 1)))
            if i == 0 { left.record(primary: primary, shadow: shadow, tolerance: tolerance, shadowLatencyNs: UInt64(1000 * (i + 1))) }
            else { right.record(primary: primary, shadow: shadow, tolerance: tolerance, shadowLatencyNs: UInt64(1000 * (i + 1))) }
        }
        whole.recordDropped()
        right.recordDropped()
        left.merge(right)
        #expect(left == whole)
        #expect(whole.comparisons == 3)
        #expect(whole.dropped == 1)
    }

    @Test func latencyQuantilesAreClose() throws {
        var summary = LatencySummary()
        for ms in 1...1000 { summary.record(UInt64(ms) * 1_000_000) }
        let p50 = try #require(summary.quantileNs(0.5))
        let p99 = try #require(summary.quantileNs(0.99))
        #expect(abs(p50 / 500e6 - 1) < 0.07, "\(p50)")
        #expect(abs(p99 / 990e6 - 1) < 0.07, "\(p99)")
        #expect(summary.quantileNs(1) == 1000e6)
        #expect(summary.meanNs == 500.5e6)
        #expect(LatencySummary().quantileNs(0.5) == nil)
    }
}
