/// Vectorised element-wise loops for the activations and bias adds on the hot path.

/// `x = max(x, 0)` in place or into `out`.
public func reluSIMD(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
    typealias V = SIMD8<Float>
    var i = 0
    let zero = V()
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: v.replacing(with: zero, where: v .< zero), as: V.self)
        i += 8
    }
    while i < count { out[i] = max(x[i], 0); i += 1 }
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
