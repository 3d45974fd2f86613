/// Vectorised element-wise loops for the activations and bias adds on the hot path.

/// `out = max(x, 0)` (in place allowed). A select loop that LLVM turns into `vmaxps`; the
/// stdlib's generic `SIMD.replacing(with:where:)` was measured to run per lane.
public func reluSIMD(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count {
        let v = x[i]
        out[i] = v > 0 ? v : 0
    }
}

/// Adds a length-`n` row vector to each of `rows` rows of `x` into `out`.
public func addRowVectorSIMD(_ x: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             rows: Int, n: Int) {
    typealias V = SIMD8<Float>
    for r in 0..<rows {
        let xr = x + r * n, or = out + r * n
        var j = 0
        while j + 8 <= n {
            let v = UnsafeRawPointer(xr + j).loadUnaligned(as: V.self) + UnsafeRawPointer(bias + j).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(or + j).storeBytes(of: v, as: V.self)
            j += 8
        }
        while j < n { or[j] = xr[j] + bias[j]; j += 1 }
    }
}
