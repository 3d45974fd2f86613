/// 2×2, stride-2 max pooling of one plane whose windows all lie inside the image (the common CNN
/// downsampling step). Written as a select-only loop over interleaved pairs, which LLVM
/// vectorises (compare + blend on 8 lanes with AVX2); the stdlib's generic `pointwiseMax` and
/// `SIMD16.evenHalf` were measured to fall back to per-lane code.
public func maxPool2x2Stride2SIMD(_ src: UnsafePointer<Float>, inW: Int, _ dst: UnsafeMutablePointer<Float>,
                                  outH: Int, outW: Int) {
    for oy in 0..<outH {
        let r0 = src + 2 * oy * inW, r1 = r0 + inW, out = dst + oy * outW
        for ox in 0..<outW {
            let a = r0[2 * ox], b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1]
            let top = a > b ? a : b, bottom = c > d ? c : d
            out[ox] = top > bottom ? top : bottom
        }
    }
}
