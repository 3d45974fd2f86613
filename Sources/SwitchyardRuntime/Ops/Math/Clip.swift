/// Clip: bounds from attributes (opset 6–10) or optional inputs 1 and 2 (opset 11+).
struct Clip: Operator {
    let attributeMin: Float
    let attributeMax: Float
    let boundsFromInputs: Bool

    static let spec = OpSpec("Clip", since: 6) { node, ctx throws(ModelError) in
        if ctx.opset < 11 {
            return Clip(attributeMin: try node.float("min", default: -.greatestFiniteMagnitude),
                        attributeMax: try node.float("max", default: .greatestFiniteMagnitude), boundsFromInputs: false)
        }
        return Clip(attributeMin: -.infinity, attributeMax: .infinity, boundsFromInputs: true)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, [.float32, .float64, .int64, .int32], "input")
        for i in 1..<min(inputs.count, 3) {
            if let bound = inputs[i] {
                guard bound.type == x.type, bound.count == 1 else { throw OpError("bound \(i) must be a scalar of type \(x.type)") }
            }
        }
        return [ValueInfo(type: x.type, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        switch x.type {
        case .float32: clip(Float.self, x, y, args, frame, lo: attributeMin, hi: attributeMax)
        case .float64: clip(Double.self, x, y, args, frame, lo: Double(attributeMin), hi: Double(attributeMax))
        case .int64: clip(Int64.self, x, y, args, frame, lo: .min, hi: .max)
        case .int32: clip(Int32.self, x, y, args, frame, lo: .min, hi: .max)
        default: throw OpError("unsupported element type \(x.type)")
        }
    }

    private func clip<T: Comparable>(_: T.Type, _ x: Slot, _ y: Slot, _ args: KernelArgs, _ frame: Frame, lo: T, hi: T) {
        var lo = lo, hi = hi
        if boundsFromInputs {
            if let s = args.optionalInput(1) { lo = frame.pointer(s, T.self)[0] }
            if let s = args.optionalInput(2) { hi = frame.pointer(s, T.self)[0] }
        }
        let px = frame.pointer(x, T.self), py = frame.pointer(y, T.self)
        for i in 0..<x.count { py[i] = min(max(px[i], lo), hi) }
    }
}
