/// `acc + a·b` on SIMD vectors: one fused instruction when the build enables FMA
/// (SWITCHYARD_FMA, set with `-mfma` in Package.swift), else a separate multiply and add —
/// never `addingProduct` without hardware FMA, which becomes a libcall per lane.
@inline(__always)
func multiplyAdd(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    #if SWITCHYARD_FMA
    return acc.addingProduct(a, b)
    #else
    return acc + a * b
    #endif
}
