/// Plain triple-loop matrix multiply, the oracle for the fast kernels.
///
/// Computes `C = alpha * op(A) * op(B) + beta * C` for row-major matrices, where `op(A)` is
/// `M×K` (A stored `K×M` when `transA`) and `op(B)` is `K×N` (B stored `N×K` when `transB`).
/// With `beta == 0`, C is not read (it may hold garbage).
public func gemmReference(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Double = 0
            for p in 0..<k {
                let av = transA ? a[p * m + i] : a[i * k + p]
                let bv = transB ? b[j * k + p] : b[p * n + j]
                sum += Double(av) * Double(bv)
            }
            let prior = beta == 0 ? 0 : beta * c[i * n + j]
            c[i * n + j] = alpha * Float(sum) + prior
        }
    }
}
