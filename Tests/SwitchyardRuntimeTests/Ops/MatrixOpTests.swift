import SwitchyardKernels
@testable import SwitchyardRuntime
import Testing

@Suite struct MatrixOpTests {
    func reference(_ a: Tensor, _ b: Tensor, m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false,
                   alpha: Float = 1) -> [Float] {
        var out = [Float](repeating: 0, count: m * n)
        a.f.withUnsafeBufferPointer { pa in b.f.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
            gemmReference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, b: pb.baseAddress!,
                          beta: 0, c: po.baseAddress!)
        } } }
        return out
    }

    @Test(arguments: [(1, 32, 64), (5, 16, 4), (7, 33, 17), (64, 10, 3)])
    func matMulWithConstantWeights(m: Int, k: Int, n: Int) throws {
        let a = floats([m, k], seed: 11), b = floats([k, n], seed: 12)
        var t = OpTester("MatMul")
        t.input("A", a); t.constant("B", b)
        expectClose(try t.run()[0].f, reference(a, b, m: m, n: n, k: k), rtol: 1e-4, atol: 1e-5)
    }

    @Test func matMulBatchedAndDynamic() throws {
        let a = floats([2, 3, 4], seed: 13), b = floats([2, 4, 5], seed: 14)
        var t = OpTester("MatMul")
        t.input("A", a); t.input("B", b)
        let y = try t.run()[0]
        #expect(y.shape == [2, 3, 5])
        for batch in 0..<2 {
            let sa = try Tensor(shape: [3, 4], values: Array(a.f[batch * 12..<(batch + 1) * 12]))
            let sb = try Tensor(shape: [4, 5], values: Array(b.f[batch * 20..<(batch + 1) * 20]))
            expectClose(Array(y.f[batch * 15..<(batch + 1) * 15]), reference(sa, sb, m: 3, n: 5, k: 4), rtol: 1e-4, atol: 1e-5)
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmTransposesAlphaBetaAndBias(transA: Bool, transB: Bool) throws {
        let (m, k, n) = (6, 9, 20)
        let a = floats(transA ? [k, m] : [m, k], seed: 15), b = floats(transB ? [n, k] : [k, n], seed: 16)
        let c = floats([n], seed: 17)
        var t = OpTester("Gemm")
        t.attributes = ["transA": .int(transA ? 1 : 0), "transB": .int(transB ? 1 : 0), "alpha": .float(0.5), "beta": .float(2)]
        t.input("A", a); t.constant("B", b); t.constant("C", c)
        let base = reference(a, b, m: m, n: n, k: k, transA: transA, transB: transB, alpha: 0.5)
        expectClose(try t.run()[0].f, base.enumerated().map { $1 + 2 * c.f[$0 % n] }, rtol: 1e-4, atol: 1e-5)
    }

    @Test func gemmWithDynamicBAndMatrixBias() throws {
        let a = floats([3, 4], seed: 18), b = floats([4, 2], seed: 19), c = floats([3, 2], seed: 20)
        var t = OpTester("Gemm")
        t.input("A", a); t.input("B", b); t.input("C", c)
        let base = reference(a, b, m: 3, n: 2, k: 4)
        expectClose(try t.run()[0].f, base.enumerated().map { $1 + c.f[$0] }, rtol: 1e-4, atol: 1e-5)
    }

    @Test func gemmRejectsMismatchedInnerDimensionsAtLoad() throws {
        var t = OpTester("Gemm")
        t.input("A", floats([3, 4])); t.constant("B", floats([5, 2]))
        #expect(throws: ModelError.self) { try t.load() }
    }
}
