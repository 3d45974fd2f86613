/// Vectorisable `exp` for FP32 and the activations built on it (Sigmoid, Softmax rows).
///
/// `expf` from libm is a call per element that LLVM cannot vectorise; on the classifier heads
/// (Sigmoid, Softmax, the ML post-transforms) it was the largest kernel cost at batch 64. This is
/// the Cephes `expf` scheme written with selects, integer bit operations and fused multiply-adds
/// only, so a plain loop over it compiles to 8-lane AVX2 code:
///
/// - `x` is clamped to [-104, 89]; below that the result rounds to 0, above it overflows to +inf
///   (both still come out of the arithmetic, not special cases), and NaN passes through the clamp.
/// - `n = round(x / ln 2)` by the 1.5·2²³ magic-number trick (its bits also give `n` as an
///   integer without a trapping conversion); `r = x − n·ln 2` in two parts (Cody–Waite), exact for
///   the range of `n`, so |r| ≤ ln 2 / 2.
/// - `exp(r)` by Cephes' degree-6 minimax polynomial (≈ 1 ulp on that interval).
/// - `2ⁿ` is applied as two factors `2^⌊n/2⌋ · 2^(n−⌊n/2⌋)`, each a normal float for every `n` in
///   [-150, 129], so results in the subnormal range and the overflow to +inf are rounded by the
///   final multiplications as IEEE requires.
///
/// Relative error against `Foundation.expf` is below 2e-7 over the normal range (tested).
@inline(__always)
public func fastExp(_ x: Float) -> Float {
    let clamped = x < -104 ? -104 : (x > 89 ? 89 : x)  // NaN fails both tests and stays NaN
    let magic: Float = 12_582_912  // 1.5 · 2²³: adding it rounds to an integer in the low bits
    let t = fusedMultiplyAdd(clamped, 1.442_695_04, magic)
    let n = t - magic
    let nInt = Int32(bitPattern: t.bitPattern) &- Int32(bitPattern: magic.bitPattern)
    var r = fusedMultiplyAdd(-n, 0.693_359_375, clamped)
    r = fusedMultiplyAdd(-n, -2.121_944_4e-4, r)
    var p: Float = 1.987_569_15e-4
    p = fusedMultiplyAdd(p, r, 1.398_199_95e-3)
    p = fusedMultiplyAdd(p, r, 8.333_451_9e-3)
    p = fusedMultiplyAdd(p, r, 4.166_579_59e-2)
    p = fusedMultiplyAdd(p, r, 1.666_666_55e-1)
    p = fusedMultiplyAdd(p, r, 5.000_000_1e-1)
    let e = fusedMultiplyAdd(p, r * r, r) + 1
    let half = nInt >> 1, rest = nInt &- half
    let scale1 = Float(bitPattern: UInt32(bitPattern: (half &+ 127) << 23))
    let scale2 = Float(bitPattern: UInt32(bitPattern: (rest &+ 127) << 23))
    return e * scale1 * scale2
}

/// `a·b + c`: one instruction with hardware FMA (SWITCHYARD_FMA), else a multiply and an add —
/// never the `fmaf` libcall, which would also stop vectorisation.
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    #if SWITCHYARD_FMA
    return c.addingProduct(a, b)
    #else
    return a * b + c
    #endif
}

/// `y[i] = exp(x[i])` (in place allowed).
public func expSIMD(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = fastExp(x[i]) }
}

/// `y[i] = 1 / (1 + exp(-x[i]))` (in place allowed). No sign split is needed: for very negative
/// `x` the exponential overflows to +inf and the quotient is exactly 0, for very positive `x` it
/// is 0 and the quotient 1; in between the only rounding is exp's and one division's.
public func sigmoidSIMD(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] = 1 / (1 + fastExp(-x[i])) }
}

/// Softmax of one contiguous row of `count` scores (in place allowed): `exp(x − max) / Σ`.
/// Subtracting the maximum keeps every exponent ≤ 0, so the sum cannot overflow.
public func softmaxRowSIMD(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    var m = x[0]
    for i in 1..<count { let v = x[i]; m = v > m ? v : m }
    // Exponentials first (a vectorisable loop), then the sum: a float reduction in the same loop
    // would keep LLVM from vectorising either.
    for i in 0..<count { y[i] = fastExp(x[i] - m) }
    var sum: Float = 0
    for i in 0..<count { sum += y[i] }
    let scale = 1 / sum
    for i in 0..<count { y[i] *= scale }
}

/// Softmax of `rows` contiguous rows of `length` scores each (in place allowed).
///
/// Classifier heads have a handful of classes, too few for a row's exp loop to fill one 8-lane
/// vector; for short rows the maxima are subtracted row by row and the exponentials then taken
/// over the whole block in one vectorised pass.
public func softmaxRowsSIMD(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, length: Int) {
    guard length > 0, rows > 0 else { return }
    if length >= 16 || rows == 1 {
        for r in 0..<rows { softmaxRowSIMD(x + r * length, y + r * length, count: length) }
        return
    }
    for r in 0..<rows {
        let xr = x + r * length, yr = y + r * length
        var m = xr[0]
        for i in 1..<length { let v = xr[i]; m = v > m ? v : m }
        for i in 0..<length { yr[i] = xr[i] - m }
    }
    expSIMD(y, y, count: rows * length)
    for r in 0..<rows {
        let yr = y + r * length
        var sum: Float = 0
        for i in 0..<length { sum += yr[i] }
        let scale = 1 / sum
        for i in 0..<length { yr[i] *= scale }
    }
}
