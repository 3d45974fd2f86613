import SwitchyardKernels

/// A constant FP32 `K×N` right-hand matrix packed once at load in the layout the chosen GEMM
/// kernel streams best: row-major for wide outputs, transposed for narrow ones.
struct PackedWeights: Sendable {
    let k: Int
    let n: Int
    let transposed: Bool
    let data: [Float]

    /// Packs `b`, stored `K×N` (or `N×K` when `storedTransposed`).
    init(_ b: [Float], k: Int, n: Int, storedTransposed: Bool) {
        self.k = k
        self.n = n
        transposed = n < 16
        if transposed == storedTransposed {
            data = b
        } else {
            var out = [Float](repeating: 0, count: k * n)
            b.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    if storedTransposed { transpose(src.baseAddress!, rows: n, cols: k, into: dst.baseAddress!) }
                    else { transpose(src.baseAddress!, rows: k, cols: n, into: dst.baseAddress!) }
                }
            }
            data = out
        }
    }

    /// `C[m×n] = A[m×k] · W` (lda = row stride of A).
    func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>) {
        data.withUnsafeBufferPointer { w in
            if transposed {
                gemmTransposedB(m: m, n: n, k: k, a: a, lda: lda, bt: w.baseAddress!, c: c, accumulate: false)
            } else {
                gemmRowMajorB(m: m, n: n, k: k, a: a, lda: lda, b: w.baseAddress!, c: c, accumulate: false)
            }
        }
    }
}

/// `C = A·B` for FP32 operands known only at run time, picking the kernel by B's layout.
func multiplyDynamic(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                     bTransposed: Bool, c: UnsafeMutablePointer<Float>) {
    if bTransposed {
        gemmTransposedB(m: m, n: n, k: k, a: a, lda: lda, bt: b, c: c, accumulate: false)
    } else {
        gemmRowMajorB(m: m, n: n, k: k, a: a, lda: lda, b: b, c: c, accumulate: false)
    }
}
