/// MatMul with NumPy semantics: 1-D operands are promoted, leading (batch) dimensions broadcast.
/// FP32 goes through the SIMD GEMM (constant 2-D weights pre-packed at load); FP64 and integer
/// types use a plain loop.
struct MatMul: Operator {
    let packed: PackedWeights?

    static let spec = OpSpec("MatMul", since: 1) { node, ctx throws(ModelError) in
        if let b = ctx.constant(node, 1), b.elementType == .float32, b.shape.count == 2 {
            return MatMul(packed: PackedWeights(b.scalars(as: Float.self)!, k: b.shape[0], n: b.shape[1], storedTransposed: false))
        }
        return MatMul(packed: nil)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let a = try Check.input(inputs, 0), b = try Check.input(inputs, 1)
        try Check.type(a, [.float32, .float64, .int64, .int32], "input A")
        guard a.type == b.type else { throw OpError("inputs have different element types \(a.type) and \(b.type)") }
        guard a.rank >= 1, b.rank >= 1 else { throw OpError("MatMul needs operands of rank ≥ 1") }
        let ka = a.shape[a.rank - 1]
        let kb = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
        guard ka == kb else { throw OpError("inner dimensions differ: A \(a.shape) · B \(b.shape)") }
        let aBatch = a.rank > 2 ? Array(a.shape.dropLast(2)) : []
        let bBatch = b.rank > 2 ? Array(b.shape.dropLast(2)) : []
        var shape = try Broadcast.shape(aBatch, bBatch)
        if a.rank >= 2 { shape.append(a.shape[a.rank - 2]) }
        if b.rank >= 2 { shape.append(b.shape[b.rank - 1]) }
        return [ValueInfo(type: a.type, shape: shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let a = args.input(0), b = args.input(1), o = args.outputs[0]
        let k = a.shape[a.rank - 1]
        let n = b.rank == 1 ? 1 : b.shape[b.rank - 1]
        let m = a.rank == 1 ? 1 : a.shape[a.rank - 2]
        if b.rank <= 2, a.type == .float32 {
            // Fold every leading dimension of A into M: one GEMM.
            let rows = a.count / max(k, 1)
            if let packed {
                packed.multiply(m: rows, a: frame.pointer(a, Float.self), lda: k, c: frame.pointer(o, Float.self))
            } else {
                multiplyDynamic(m: rows, n: n, k: k, a: frame.pointer(a, Float.self), lda: k, b: frame.pointer(b, Float.self),
                                bTransposed: b.rank == 1, c: frame.pointer(o, Float.self))
            }
            return
        }
        // General batched case.
        let batch = o.count / max(m * n, 1)
        let outBatchShape = Array(o.shape.prefix(max(o.rank - (a.rank >= 2 ? 1 : 0) - (b.rank >= 2 ? 1 : 0), 0)))
        let aBatch = a.rank > 2 ? Array(a.shape.dropLast(2)) : []
        let bBatch = b.rank > 2 ? Array(b.shape.dropLast(2)) : []
        let sa = Broadcast.strides(aBatch, outBatchShape), sb = Broadcast.strides(bBatch, outBatchShape)
        switch a.type {
        case .float32: batched(Float.self, a, b, o, frame, batch, m, n, k, outBatchShape, sa, sb)
        case .float64: batched(Double.self, a, b, o, frame, batch, m, n, k, outBatchShape, sa, sb)
        case .int64: batched(Int64.self, a, b, o, frame, batch, m, n, k, outBatchShape, sa, sb)
        case .int32: batched(Int32.self, a, b, o, frame, batch, m, n, k, outBatchShape, sa, sb)
        default: throw OpError("unsupported element type \(a.type)")
        }
    }

    private func batched<T: Numeric>(_: T.Type, _ a: Slot, _ b: Slot, _ o: Slot, _ frame: Frame, _ batch: Int,
                                     _ m: Int, _ n: Int, _ k: Int, _ batchShape: [Int], _ sa: [Int], _ sb: [Int]) {
        let pa = frame.pointer(a, T.self), pb = frame.pointer(b, T.self), po = frame.pointer(o, T.self)
        for bi in 0..<batch {
            var rem = bi, offA = 0, offB = 0
            for d in stride(from: batchShape.count - 1, through: 0, by: -1) {
                let idx = rem % batchShape[d]
                rem /= batchShape[d]
                offA += idx * sa[d]
                offB += idx * sb[d]
            }
            let ab = pa + offA * m * k, bb = pb + offB * k * n, ob = po + bi * m * n
            for i in 0..<m {
                for j in 0..<n {
                    var sum: T = 0
                    for p in 0..<k { sum += ab[i * k + p] * bb[p * n + j] }
                    ob[i * n + j] = sum
                }
            }
        }
    }
}
