import SwitchyardStats
import Testing

/// Welford updates and Chan merges stay accurate where raw sums of squares cancel
/// (STATISTICS.md B.0: the reference vector with 1e9 offsets is not among the shipped cases).
@Suite struct MomentsTests {
    static func close(_ a: Double, _ b: Double, rel: Double) -> Bool { abs(a - b) <= rel * max(abs(a), abs(b)) }

    /// The naive formula the engine must not use, to show each case really is a trap.
    static func naiveVariance(_ ys: [Double]) -> Double {
        var s = 0.0, s2 = 0.0
        for y in ys { s += y; s2 += y * y }
        let n = Double(ys.count)
        return (s2 - s * s / n) / (n - 1)
    }

    /// Two-pass moments around a known shift: y − shift is exact for y near the shift (Sterbenz),
    /// so this is accurate to a few ulps of the result and serves as the reference.
    static func twoPass(_ ys: [Double], shift: Double) -> (mean: Double, m2: Double) {
        let d = ys.map { $0 - shift }
        let mean = d.reduce(0, +) / Double(d.count)
        return (shift + mean, d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) })
    }

    @Test func documentedCancellationCase() throws {
        let ys = [4.0, 7, 13, 16].map { 1e9 + $0 }
        var m = Moments()
        for y in ys { m.add(y) }
        #expect(m.count == 4 && m.mean == 1e9 + 10)
        #expect(try #require(m.variance) == 30)
        #expect(abs(Self.naiveVariance(ys) - 30) > 100, "the naive formula should fail here (STATISTICS.md: −170.67)")
        // Merged from halves (Chan) gives the same.
        var a = Moments(), b = Moments()
        a.add(ys[0]); a.add(ys[1]); b.add(ys[2]); b.add(ys[3])
        #expect(a.merged(b).variance == 30 && b.merged(a).variance == 30)
    }

    @Test func largeOffsetWithSmallNoise() throws {
        var rng = SeededRandom(seed: 31)
        let ys = (0..<100_000).map { _ in 1e9 + rng.normal(mean: 0, sd: 1) }
        var m = Moments()
        for y in ys { m.add(y) }
        let ref = Self.twoPass(ys, shift: 1e9)
        #expect(Self.close(m.mean, ref.mean, rel: 1e-13), "mean \(m.mean) vs \(ref.mean)")
        #expect(Self.close(m.m2, ref.m2, rel: 1e-6), "Welford M2 \(m.m2) vs two-pass \(ref.m2)")
        let variance = try #require(m.variance)
        #expect(abs(variance - 1) < 0.02)
        #expect(abs(Self.naiveVariance(ys) - variance) > 0.5, "naive sums should be far off here")
        // Shards of uneven sizes (including empty and single-element ones), merged in two orders.
        let cuts = [0, 0, 1, 17, 5_000, 5_001, 63_000, ys.count]
        var shards = [Moments]()
        for (lo, hi) in zip(cuts, cuts.dropFirst()) {
            var s = Moments()
            for y in ys[lo..<hi] { s.add(y) }
            shards.append(s)
        }
        let forward = shards.reduce(Moments()) { $0.merged($1) }
        let backward = shards.reversed().reduce(Moments()) { $0.merged($1) }
        for merged in [forward, backward] {
            #expect(merged.count == m.count)
            #expect(Self.close(merged.mean, ref.mean, rel: 1e-13))
            #expect(Self.close(merged.m2, ref.m2, rel: 1e-6), "Chan M2 \(merged.m2) vs two-pass \(ref.m2)")
        }
    }

    @Test func mergeIdentitiesAndSubtraction() {
        var rng = SeededRandom(seed: 32)
        var a = Moments(), b = Moments()
        for _ in 0..<500 { a.add(rng.normal(mean: 3, sd: 2)) }
        for _ in 0..<300 { b.add(rng.normal(mean: 7, sd: 5)) }
        #expect(a.merged(Moments()) == a && Moments().merged(a) == a)
        let ab = a.merged(b)
        let back = ab.subtracting(a)
        #expect(back.count == b.count)
        #expect(Self.close(back.mean, b.mean, rel: 1e-12) && Self.close(back.m2, b.m2, rel: 1e-9))
        #expect(ab.subtracting(ab).count == 0 && ab.subtracting(Moments()) == ab)
        // Direct sufficient statistics are normalised: no variance below two observations.
        #expect(Moments(count: 1, mean: 5, m2: 3).variance == nil && Moments(count: 0, mean: 5, m2: 0).mean == 0)
        #expect(Moments(count: 3, mean: 1, m2: -1e-18).m2 == 0)
    }

    /// CUPED co-moments with both coordinates near 1e9: the one-pass co-moment and its Chan
    /// merge match a two-pass Σ(x−x̄)(y−ȳ).
    @Test func coMomentsAtLargeOffsets() {
        var rng = SeededRandom(seed: 33)
        let xs = (0..<20_000).map { _ in rng.normal(mean: 0, sd: 1) }
        let pairs = xs.map { x in (1e9 + x, 2e9 + 0.6 * x + rng.normal(mean: 0, sd: 0.8)) }
        var all = CoMoments(), left = CoMoments(), right = CoMoments()
        for (i, (x, y)) in pairs.enumerated() {
            all.add(x: x, y: y)
            if i < 7_000 { left.add(x: x, y: y) } else { right.add(x: x, y: y) }
        }
        let mx = pairs.reduce(0) { $0 + $1.0 } / Double(pairs.count), my = pairs.reduce(0) { $0 + $1.1 } / Double(pairs.count)
        let cxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        for c in [all, left.merged(right), right.merged(left)] {
            #expect(c.count == 20_000)
            #expect(Self.close(c.cXY, cxy, rel: 1e-6), "C_xy \(c.cXY) vs two-pass \(cxy)")
            #expect(Self.close(c.m2X, Self.twoPass(pairs.map(\.0), shift: 1e9).m2, rel: 1e-6))
        }
        let corr = all.cXY / (all.m2X * all.m2Y).squareRoot()
        #expect(abs(corr - 0.6) < 0.02)
    }
}
