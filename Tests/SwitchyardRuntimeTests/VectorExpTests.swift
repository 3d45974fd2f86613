import Foundation
import SwitchyardKernels
@testable import SwitchyardRuntime
import Testing

/// The vectorised transcendental kernels against libm, across their whole range.
@Suite struct VectorExpTests {
    /// Relative error bound for normal results; subnormal results may also be off by a few units
    /// of the smallest subnormal (the final scaling rounds twice there).
    static func expectExpClose(_ got: Float, _ x: Float, sourceLocation: SourceLocation = #_sourceLocation) {
        let want = Foundation.expf(x)
        if want.isNaN { #expect(got.isNaN, "exp(\(x)) = \(got), expected NaN", sourceLocation: sourceLocation); return }
        if want.isInfinite || want == 0 {
            #expect(got == want, "exp(\(x)) = \(got), expected \(want)", sourceLocation: sourceLocation)
            return
        }
        let tolerance = want >= Float.leastNormalMagnitude ? 3e-7 * want : 4 * Float.leastNonzeroMagnitude
        #expect(abs(got - want) <= tolerance, "exp(\(x)) = \(got), expected \(want)", sourceLocation: sourceLocation)
    }

    @Test func matchesFoundationAcrossTheRange() {
        // A dense sweep over everything between full underflow and overflow, plus beyond.
        var xs: [Float] = []
        var x: Float = -110
        while x < 95 { xs.append(x); x += 0.0137 }
        xs += (0..<2000).map { Float($0 - 1000) * 1e-4 }  // around 0, where relative error is most visible
        var ys = [Float](repeating: 0, count: xs.count)
        expSIMD(xs, &ys, count: xs.count)  // the loop as the kernels run it (vectorised)
        var worst: Float = 0
        for (x, y) in zip(xs, ys) {
            Self.expectExpClose(y, x)
            let want = Foundation.expf(x)
            if want >= Float.leastNormalMagnitude, want.isFinite { worst = max(worst, abs(y - want) / want) }
        }
        #expect(worst < 3e-7)
    }

    @Test func specialValuesAndEdges() {
        let cases: [Float] = [0, -0.0, 1, -1, .nan, .infinity, -.infinity, 88.72, 88.7228, 88.73, 89, 100, 1e30,
                              -87.33, -87.34, -100, -103.9, -104, -105, -1e30, .leastNonzeroMagnitude,
                              Float.ulpOfOne, -Float.ulpOfOne, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for x in cases { Self.expectExpClose(fastExp(x), x) }
        #expect(fastExp(0) == 1)
        #expect(fastExp(88.73) == .infinity)
        #expect(fastExp(-105) == 0)
        #expect(fastExp(-95) > 0)  // subnormal, not flushed
    }

    @Test func sigmoidMatchesDoubleReference() {
        var xs: [Float] = stride(from: Float(-120), through: 120, by: 0.031).map { $0 }
        xs += [.nan, .infinity, -.infinity, 0, -0.0, 1e-8, -1e-8]
        var ys = [Float](repeating: 0, count: xs.count)
        sigmoidSIMD(xs, &ys, count: xs.count)
        for (x, y) in zip(xs, ys) {
            if x.isNaN { #expect(y.isNaN); continue }
            let want = Float(1 / (1 + Foundation.exp(-Double(x))))
            #expect(abs(y - want) <= 1e-7 + 4e-7 * want, "sigmoid(\(x)) = \(y), expected \(want)")
            #expect(y >= 0 && y <= 1)
        }
    }

    @Test(arguments: [1, 3, 7, 8, 9, 17, 33])
    func softmaxRowMatchesDoubleReference(length: Int) {
        for scale in [Float(1), 30, 1000] {
            let x = floats([length], seed: UInt64(length) * 7 + UInt64(scale)).f.map { $0 * scale }
            var y = [Float](repeating: -1, count: length)
            softmaxRowSIMD(x, &y, count: length)
            let m = Double(x.max()!)
            let e = x.map { Foundation.exp(Double($0) - m) }
            let sum = e.reduce(0, +)
            expectClose(y, e.map { Float($0 / sum) }, rtol: 1e-6, atol: 1e-7)
            #expect(abs(y.reduce(0, +) - 1) < 1e-5)
        }
        // In place, and a NaN poisons its row.
        var z: [Float] = [1, .nan, 2]
        z.withUnsafeMutableBufferPointer { softmaxRowSIMD($0.baseAddress!, $0.baseAddress!, count: 3) }
        #expect(z.contains { $0.isNaN })
    }

    @Test(arguments: [(1, 4), (5, 3), (64, 4), (9, 10), (3, 17)])
    func softmaxRowsMatchesRowByRow(rows: Int, length: Int) {
        let x = floats([rows, length], seed: UInt64(rows * 31 + length)).f.map { $0 * 20 }
        var block = [Float](repeating: -1, count: rows * length), single = block
        softmaxRowsSIMD(x, &block, rows: rows, length: length)
        for r in 0..<rows {
            x.withUnsafeBufferPointer { src in
                single.withUnsafeMutableBufferPointer { dst in
                    softmaxRowSIMD(src.baseAddress! + r * length, dst.baseAddress! + r * length, count: length)
                }
            }
        }
        expectClose(block, single, rtol: 1e-6, atol: 1e-7)
    }
}
