/// Register-blocked single-precision matrix multiply on portable SIMD types (AVX2/FMA when the
/// target enables them, SSE or NEON otherwise). One thread: the gateway's event loops own the
/// other cores.
///
/// Two shapes of inner loop, picked by the caller through the B layout it hands in:
/// - `gemmRowMajorB`: B is `K×N` row-major; 4 rows of C × 16 columns stay in registers while k
///   runs (best when N ≥ 16: MLP hidden layers, im2col convolutions).
/// - `gemmTransposedB`: B is `N×K` (each output column's weights contiguous); 4 rows × 1 column
///   dot products vectorised along K (best for narrow outputs such as a 10-class head).
/// Both compute `C = A·B (+ C when accumulate)` with A `M×K` row-major.
public func gemmRowMajorB(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    var i = 0
    while i < m {
        let rows = min(4, m - i)
        if rows == 1 {  // batch 1, or the last row of a batch: see `row1`
            row1(row: i, n: n, k: k, a: a + i * lda, b: b, c: c, accumulate: accumulate)
            return
        }
        var j = 0
        while j + 16 <= n {
            block4x16(rows: rows, i: i, j: j, n: n, k: k, a: a, lda: lda, b: b, c: c, accumulate: accumulate)
            j += 16
        }
        while j < n {  // column tail, one at a time
            for r in 0..<rows {
                var sum: Float = accumulate ? c[(i + r) * n + j] : 0
                let arow = a + (i + r) * lda
                for p in 0..<k { sum += arow[p] * b[p * n + j] }
                c[(i + r) * n + j] = sum
            }
            j += 1
        }
        i += 4
    }
}

/// One row of C (batch-1 requests, the commonest case for a gateway). The 4-row block would
/// compute the same row four times (its missing rows alias the first), so a single row gets its
/// own loop: 32 columns in four accumulators (independent FMA chains), then 8-column steps, then
/// single columns. Measured on the `mlp` fixture (perf, batch 1): the two kernels' share of the
/// server's CPU fell from 4.4 % to 2.3 % (about 0.4 µs per request).
@inline(__always)
private func row1(row: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                  c: UnsafeMutablePointer<Float>, accumulate: Bool) {
    typealias V = SIMD8<Float>
    let bStride = n * MemoryLayout<Float>.stride
    let out = UnsafeMutableRawPointer(c + row * n)
    var j = 0
    while j + 32 <= n {
        var s0 = V(), s1 = V(), s2 = V(), s3 = V()
        var bp = UnsafeRawPointer(b + j)
        for p in 0..<k {
            let x = V(repeating: a[p])
            s0 = multiplyAdd(s0, x, bp.loadUnaligned(as: V.self))
            s1 = multiplyAdd(s1, x, bp.loadUnaligned(fromByteOffset: 32, as: V.self))
            s2 = multiplyAdd(s2, x, bp.loadUnaligned(fromByteOffset: 64, as: V.self))
            s3 = multiplyAdd(s3, x, bp.loadUnaligned(fromByteOffset: 96, as: V.self))
            bp += bStride
        }
        let o = j * MemoryLayout<Float>.stride
        if accumulate {
            s0 += out.loadUnaligned(fromByteOffset: o, as: V.self); s1 += out.loadUnaligned(fromByteOffset: o + 32, as: V.self)
            s2 += out.loadUnaligned(fromByteOffset: o + 64, as: V.self); s3 += out.loadUnaligned(fromByteOffset: o + 96, as: V.self)
        }
        out.storeBytes(of: s0, toByteOffset: o, as: V.self); out.storeBytes(of: s1, toByteOffset: o + 32, as: V.self)
        out.storeBytes(of: s2, toByteOffset: o + 64, as: V.self); out.storeBytes(of: s3, toByteOffset: o + 96, as: V.self)
        j += 32
    }
    while j + 8 <= n {
        var s = V()
        var bp = UnsafeRawPointer(b + j)
        for p in 0..<k {
            s = multiplyAdd(s, V(repeating: a[p]), bp.loadUnaligned(as: V.self))
            bp += bStride
        }
        let o = j * MemoryLayout<Float>.stride
        if accumulate { s += out.loadUnaligned(fromByteOffset: o, as: V.self) }
        out.storeBytes(of: s, toByteOffset: o, as: V.self)
        j += 8
    }
    while j < n {
        var sum: Float = accumulate ? c[row * n + j] : 0
        for p in 0..<k { sum += a[p] * b[p * n + j] }
        c[row * n + j] = sum
        j += 1
    }
}

@inline(__always)
private func block4x16(rows: Int, i: Int, j: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                       b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    let a0 = a + i * lda
    let a1 = a0 + (rows > 1 ? lda : 0)
    let a2 = a0 + (rows > 2 ? 2 * lda : 0)
    let a3 = a0 + (rows > 3 ? 3 * lda : 0)
    var bp = UnsafeRawPointer(b + j)
    let bStride = n * MemoryLayout<Float>.stride
    for p in 0..<k {
        let b0 = bp.loadUnaligned(as: V.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: V.self)
        let x0 = V(repeating: a0[p]), x1 = V(repeating: a1[p]), x2 = V(repeating: a2[p]), x3 = V(repeating: a3[p])
        c00 = multiplyAdd(c00, x0, b0); c01 = multiplyAdd(c01, x0, b1)
        c10 = multiplyAdd(c10, x1, b0); c11 = multiplyAdd(c11, x1, b1)
        c20 = multiplyAdd(c20, x2, b0); c21 = multiplyAdd(c21, x2, b1)
        c30 = multiplyAdd(c30, x3, b0); c31 = multiplyAdd(c31, x3, b1)
        bp += bStride
    }
    store(c00, c01, row: i, j: j, n: n, c: c, accumulate: accumulate)
    if rows > 1 { store(c10, c11, row: i + 1, j: j, n: n, c: c, accumulate: accumulate) }
    if rows > 2 { store(c20, c21, row: i + 2, j: j, n: n, c: c, accumulate: accumulate) }
    if rows > 3 { store(c30, c31, row: i + 3, j: j, n: n, c: c, accumulate: accumulate) }
}

@inline(__always)
private func store(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, row: Int, j: Int, n: Int,
                   c: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let out = UnsafeMutableRawPointer(c + row * n + j)
    var lo = lo, hi = hi
    if accumulate {
        lo += out.loadUnaligned(as: SIMD8<Float>.self)
        hi += out.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
    }
    out.storeBytes(of: lo, as: SIMD8<Float>.self)
    out.storeBytes(of: hi, toByteOffset: 32, as: SIMD8<Float>.self)
}

public func gemmTransposedB(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
    bt: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    typealias V = SIMD8<Float>
    let kv = k & ~7
    var i = 0
    while i < m {
        let rows = min(4, m - i)
        if rows == 1 {  // one row: plain dot products, two accumulators (the 4-row loop would repeat it)
            let a0 = a + i * lda
            for j in 0..<n {
                let w = bt + j * k
                var s0 = V(), s1 = V()
                var p = 0
                while p + 16 <= k {
                    s0 = multiplyAdd(s0, UnsafeRawPointer(a0 + p).loadUnaligned(as: V.self), UnsafeRawPointer(w + p).loadUnaligned(as: V.self))
                    s1 = multiplyAdd(s1, UnsafeRawPointer(a0 + p + 8).loadUnaligned(as: V.self), UnsafeRawPointer(w + p + 8).loadUnaligned(as: V.self))
                    p += 16
                }
                if p + 8 <= k {
                    s0 = multiplyAdd(s0, UnsafeRawPointer(a0 + p).loadUnaligned(as: V.self), UnsafeRawPointer(w + p).loadUnaligned(as: V.self))
                    p += 8
                }
                var t = (s0 + s1).sum()
                while p < k { t += a0[p] * w[p]; p += 1 }
                let idx = i * n + j
                c[idx] = accumulate ? c[idx] + t : t
            }
            return
        }
        let a0 = a + i * lda
        let a1 = a0 + (rows > 1 ? lda : 0)
        let a2 = a0 + (rows > 2 ? 2 * lda : 0)
        let a3 = a0 + (rows > 3 ? 3 * lda : 0)
        for j in 0..<n {
            let w = bt + j * k
            var s0 = V(), s1 = V(), s2 = V(), s3 = V()
            var p = 0
            while p < kv {
                let wv = UnsafeRawPointer(w + p).loadUnaligned(as: V.self)
                s0 = multiplyAdd(s0, UnsafeRawPointer(a0 + p).loadUnaligned(as: V.self), wv)
                s1 = multiplyAdd(s1, UnsafeRawPointer(a1 + p).loadUnaligned(as: V.self), wv)
                s2 = multiplyAdd(s2, UnsafeRawPointer(a2 + p).loadUnaligned(as: V.self), wv)
                s3 = multiplyAdd(s3, UnsafeRawPointer(a3 + p).loadUnaligned(as: V.self), wv)
                p += 8
            }
            var t0 = s0.sum(), t1 = s1.sum(), t2 = s2.sum(), t3 = s3.sum()
            while p < k {
                let wv = w[p]
                t0 += a0[p] * wv; t1 += a1[p] * wv; t2 += a2[p] * wv; t3 += a3[p] * wv
                p += 1
            }
            for r in 0..<rows {
                let v = r == 0 ? t0 : r == 1 ? t1 : r == 2 ? t2 : t3
                let idx = (i + r) * n + j
                c[idx] = accumulate ? c[idx] + v : v
            }
        }
        i += 4
    }
}

/// Transposes a row-major `rows×cols` matrix into `out` (`cols×rows`). Used to pre-pack weights.
public func transpose(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        for c in 0..<cols { out[c * rows + r] = src[r * cols + c] }
    }
}
