import SwitchyardKernels
@testable import SwitchyardRuntime
import Testing

/// The SIMD kernels against their plain references, over awkward sizes (tails in every loop).
@Suite struct KernelTests {
    @Test(arguments: [(1, 1, 1), (3, 17, 5), (4, 16, 8), (9, 40, 33), (64, 70, 10), (5, 3, 100),
                      (1, 64, 32), (1, 75, 33), (1, 4, 64), (1, 9, 23), (5, 41, 17)])
    func simdGemmMatchesReference(m: Int, n: Int, k: Int) {
        let a = floats([m, k], seed: 41).f, b = floats([k, n], seed: 42).f
        var want = [Float](repeating: 0, count: m * n), rowMajor = want, transposedOut = want
        var bt = [Float](repeating: 0, count: k * n)
        transpose(b, rows: k, cols: n, into: &bt)
        gemmReference(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, b: b, beta: 0, c: &want)
        gemmRowMajorB(m: m, n: n, k: k, a: a, lda: k, b: b, c: &rowMajor, accumulate: false)
        gemmTransposedB(m: m, n: n, k: k, a: a, lda: k, bt: bt, c: &transposedOut, accumulate: false)
        expectClose(rowMajor, want, rtol: 1e-4, atol: 1e-5)
        expectClose(transposedOut, want, rtol: 1e-4, atol: 1e-5)
        // accumulate = true adds onto C.
        gemmRowMajorB(m: m, n: n, k: k, a: a, lda: k, b: b, c: &rowMajor, accumulate: true)
        expectClose(rowMajor, want.map { 2 * $0 }, rtol: 1e-4, atol: 1e-5)
    }

    @Test func reluAndRowVectorAdd() {
        let x = floats([3, 13], seed: 43).f, b = floats([13], seed: 44).f
        var y = [Float](repeating: 0, count: 39)
        reluSIMD(x, &y, count: 39)
        #expect(y == x.map { max($0, 0) })
        addRowVectorSIMD(x, b, &y, rows: 3, n: 13)
        #expect(y == (0..<39).map { x[$0] + b[$0 % 13] })
    }

    @Test func arenaSharesMemoryBetweenDisjointLifetimes() {
        let (offsets, total) = ArenaAllocator.assign([
            .init(key: "a", start: 0, end: 1, bytes: 1000),
            .init(key: "b", start: 1, end: 2, bytes: 1000),
            .init(key: "c", start: 2, end: 3, bytes: 1000),
        ])
        #expect(offsets["a"] != offsets["b"])
        #expect(offsets["a"] == offsets["c"])  // a is dead when c is born
        #expect(total == 2 * 1024)
    }
}

@Suite struct PoolKernelTests {
    @Test(arguments: [(4, 4), (6, 22), (2, 34)])
    func maxPool2x2MatchesGeneric(inH: Int, inW: Int) {
        let x = floats([inH, inW], seed: 51).f
        let outH = inH / 2, outW = inW / 2
        var got = [Float](repeating: 0, count: outH * outW)
        maxPool2x2Stride2SIMD(x, inW: inW, &got, outH: outH, outW: outW)
        let want = (0..<outH * outW).map { o -> Float in
            let oy = o / outW, ox = o % outW
            return [x[2 * oy * inW + 2 * ox], x[2 * oy * inW + 2 * ox + 1], x[(2 * oy + 1) * inW + 2 * ox], x[(2 * oy + 1) * inW + 2 * ox + 1]].max()!
        }
        #expect(got == want)
    }
}
