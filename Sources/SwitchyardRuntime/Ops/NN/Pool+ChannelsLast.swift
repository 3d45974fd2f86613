import SwitchyardKernels

/// Pooling over many small planes, channels-last.
///
/// With narrow output rows (a few columns, as in small CNNs at batch > 1) the row-run loops of the
/// general path are a few elements long and their per-loop overhead dominates. Every plane of a
/// call shares one geometry, so this path transposes the input to `[H·W][planes]`, pools each
/// output position as one vector operation over all planes per tap, and transposes back. Taps
/// are visited in the same row-major kernel order per output, so results are identical to the
/// other paths.
extension Pool {
    /// Channels-last pays for its two transposes when there are enough planes to fill vectors
    /// and rows are too short to.
    static func prefersChannelsLast(planes: Int, outW: Int) -> Bool { planes >= 8 && outW < 16 }

    /// - Parameters:
    ///   - rows, cols: valid kh range per output row, valid kw range per output column (pairs).
    ///   - divisors: per output position (average only).
    ///   - scratch: room for `planes·(inH·inW + outH·outW)` floats.
    func poolChannelsLast(_ px: UnsafePointer<Float>, _ py: UnsafeMutablePointer<Float>, planes: Int, _ w: Window2D,
                          rows: UnsafePointer<Int>, cols: UnsafePointer<Int>, divisors: UnsafePointer<Float>,
                          scratch: UnsafeMutablePointer<Float>) {
        let inPlane = w.inH * w.inW, outPlane = w.outH * w.outW
        let xT = scratch, yT = scratch + planes * inPlane
        transpose(px, rows: planes, cols: inPlane, into: xT)
        let isMax = kind == .max
        for oy in 0..<w.outH {
            let y0 = oy * w.strideH - w.padTop
            for ox in 0..<w.outW {
                let x0 = ox * w.strideW - w.padLeft
                let o = yT + (oy * w.outW + ox) * planes
                o.update(repeating: isMax ? -Float.infinity : 0, count: planes)
                for kh in rows[2 * oy]..<rows[2 * oy + 1] {
                    let line = xT + (y0 + kh * w.dilationH) * w.inW * planes
                    for kw in cols[2 * ox]..<cols[2 * ox + 1] {
                        let t = line + (x0 + kw * w.dilationW) * planes
                        if isMax { for p in 0..<planes { o[p] = max(o[p], t[p]) } }
                        else { for p in 0..<planes { o[p] += t[p] } }
                    }
                }
                if !isMax {
                    let d = divisors[oy * w.outW + ox]
                    for p in 0..<planes { o[p] /= d }
                }
            }
        }
        transpose(yT, rows: outPlane, cols: planes, into: py)
    }
}
