import SwitchyardKernels

/// Gemm: `Y = alpha·op(A)·op(B) + beta·C`, C broadcast to `M×N`. FP32 only (what converters
/// emit). Constant B is packed at load; transA goes through scratch memory.
struct Gemm: Operator {
    let transA: Bool
    let transB: Bool
    let alpha: Float
    let beta: Float
    let packed: PackedWeights?
    /// Set by the planner when a Relu consuming only this output was fused into it.
    var reluEpilogue = false

    func fusingRelu() -> (any Operator)? {
        var fused = self
        fused.reluEpilogue = true
        return fused
    }

    static let spec = OpSpec("Gemm", since: 7) { node, ctx throws(ModelError) in
        let transA = try node.int("transA", default: 0) != 0
        let transB = try node.int("transB", default: 0) != 0
        var packed: PackedWeights?
        if let b = ctx.constant(node, 1), b.elementType == .float32, b.shape.count == 2 {
            let (k, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
            packed = PackedWeights(b.scalars(as: Float.self)!, k: k, n: n, storedTransposed: transB)
        }
        return Gemm(transA: transA, transB: transB, alpha: try node.float("alpha", default: 1),
                    beta: try node.float("beta", default: 1), packed: packed)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let a = try Check.input(inputs, 0), b = try Check.input(inputs, 1)
        try Check.type(a, [.float32], "input A")
        guard b.type == .float32, a.rank == 2, b.rank == 2 else { throw OpError("A and B must be 2-D FP32 matrices, got A \(a.shape), B \(b.shape)") }
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kb else { throw OpError("inner dimensions differ: op(A) is \(m)×\(k), op(B) is \(kb)×\(n)") }
        if inputs.count > 2, let c = inputs[2] {
            guard c.type == .float32 else { throw OpError("C must be FP32") }
            guard (try? Broadcast.shape(c.shape, [m, n])) == [m, n] else {
                throw OpError("C of shape \(c.shape) cannot be broadcast to [\(m), \(n)]")
            }
        }
        return [ValueInfo(type: .float32, shape: [m, n])]
    }

    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int {
        transA ? (inputs[0]?.count ?? 0) * 4 : 0
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let a = args.input(0), b = args.input(1), y = args.outputs[0]
        let m = y.shape[0], n = y.shape[1]
        let k = transA ? a.shape[0] : a.shape[1]
        var pa = UnsafePointer(frame.pointer(a, Float.self))
        if transA {
            let t = frame.scratch(args).assumingMemoryBound(to: Float.self)
            transpose(pa, rows: a.shape[0], cols: a.shape[1], into: t)
            pa = UnsafePointer(t)
        }
        let py = frame.pointer(y, Float.self)
        if let packed {
            packed.multiply(m: m, a: pa, lda: k, c: py)
        } else {
            multiplyDynamic(m: m, n: n, k: k, a: pa, lda: k, b: frame.pointer(b, Float.self), bTransposed: transB, c: py)
        }
        if alpha != 1 { for i in 0..<(m * n) { py[i] *= alpha } }
        if beta != 0, let c = args.optionalInput(2) {
            let pc = frame.pointer(c, Float.self)
            if beta == 1, c.count == n, c.shape.last == n {
                addRowVectorSIMD(py, pc, py, rows: m, n: n)
            } else {
                let beta = beta
                Broadcast.apply(UnsafePointer(py), [m, n], pc, c.shape, py, [m, n]) { yv, cv in yv + beta * cv }
            }
        }
        if reluEpilogue { reluSIMD(py, py, count: m * n) }
    }
}
