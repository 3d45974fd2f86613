import SwitchyardKernels

/// Add, Sub, Mul, Div with broadcasting on FP32, FP64, INT64, INT32 (one family file, like
/// onnxruntime's element_wise_ops: the four differ only in the scalar function).
struct BinaryArithmetic: Operator {
    enum Kind: String, Sendable { case add = "Add", sub = "Sub", mul = "Mul", div = "Div" }
    let kind: Kind
    /// Set by the planner when a Relu consuming only this (FP32) output was fused into it: the
    /// bias add between MatMul and Relu in converted MLPs.
    var reluEpilogue = false

    func fusingRelu() -> (any Operator)? {
        var fused = self
        fused.reluEpilogue = true
        return fused
    }

    static func spec(_ kind: Kind) -> OpSpec {
        OpSpec(kind.rawValue, since: 7) { _, _ throws(ModelError) in BinaryArithmetic(kind: kind) }
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let a = try Check.input(inputs, 0), b = try Check.input(inputs, 1)
        try Check.type(a, [.float32, .float64, .int64, .int32], "input A")
        guard a.type == b.type else { throw OpError("inputs have different element types \(a.type) and \(b.type)") }
        return [ValueInfo(type: a.type, shape: try Broadcast.shape(a.shape, b.shape))]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let a = args.input(0), b = args.input(1), o = args.outputs[0]
        switch o.type {
        case .float32:
            computeFloat(a, b, o, frame)
            if reluEpilogue { reluSIMD(frame.pointer(o, Float.self), frame.pointer(o, Float.self), count: o.count) }
        case .float64: compute(Double.self, a, b, o, frame)
        case .int64: try computeInt(Int64.self, a, b, o, frame)
        case .int32: try computeInt(Int32.self, a, b, o, frame)
        default: throw OpError("unsupported element type \(o.type)")
        }
    }

    private func computeFloat(_ a: Slot, _ b: Slot, _ o: Slot, _ frame: Frame) {
        // Bias add after MatMul, in either operand order: the hot case. A vector whose count
        // equals its last dimension and the output's last dimension repeats along every row.
        if kind == .add, let n = o.shape.last, n > 0 {
            if a.count == o.count, b.count == n, b.shape.last == n {
                addRowVectorSIMD(frame.pointer(a, Float.self), frame.pointer(b, Float.self), frame.pointer(o, Float.self),
                                 rows: o.count / n, n: n)
                return
            }
            if b.count == o.count, a.count == n, a.shape.last == n {
                addRowVectorSIMD(frame.pointer(b, Float.self), frame.pointer(a, Float.self), frame.pointer(o, Float.self),
                                 rows: o.count / n, n: n)
                return
            }
        }
        compute(Float.self, a, b, o, frame)
    }

    private func compute<T: FloatingPoint>(_: T.Type, _ a: Slot, _ b: Slot, _ o: Slot, _ frame: Frame) {
        let pa = frame.pointer(a, T.self), pb = frame.pointer(b, T.self), po = frame.pointer(o, T.self)
        switch kind {
        case .add: Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape, +)
        case .sub: Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape, -)
        case .mul: Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape, *)
        case .div: Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape, /)
        }
    }

    private func computeInt<T: FixedWidthInteger>(_: T.Type, _ a: Slot, _ b: Slot, _ o: Slot, _ frame: Frame) throws(OpError) {
        let pa = frame.pointer(a, T.self), pb = frame.pointer(b, T.self), po = frame.pointer(o, T.self)
        switch kind {
        case .add: Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape, &+)
        case .sub: Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape, &-)
        case .mul: Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape, &*)
        case .div:
            for i in 0..<b.count where pb[i] == 0 { throw OpError("integer division by zero") }
            Broadcast.apply(pa, a.shape, pb, b.shape, po, o.shape) { x, y in x.dividedReportingOverflow(by: y).partialValue }
        }
    }
}
