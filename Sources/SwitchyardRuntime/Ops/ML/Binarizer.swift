/// ai.onnx.ml Binarizer: `Y = X > threshold ? 1 : 0`, same type as X.
struct Binarizer: Operator {
    let threshold: Float

    static let spec = OpSpec("Binarizer", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        Binarizer(threshold: try node.float("threshold", default: 0))
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, FeatureInput.types, "input X")
        return [ValueInfo(type: x.type, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        switch x.type {
        case .float32: let p = frame.pointer(x, Float.self), o = frame.pointer(y, Float.self); for i in 0..<x.count { o[i] = p[i] > threshold ? 1 : 0 }
        case .float64: let p = frame.pointer(x, Double.self), o = frame.pointer(y, Double.self); for i in 0..<x.count { o[i] = p[i] > Double(threshold) ? 1 : 0 }
        case .int64: let p = frame.pointer(x, Int64.self), o = frame.pointer(y, Int64.self); for i in 0..<x.count { o[i] = Float(p[i]) > threshold ? 1 : 0 }
        default: let p = frame.pointer(x, Int32.self), o = frame.pointer(y, Int32.self); for i in 0..<x.count { o[i] = Float(p[i]) > threshold ? 1 : 0 }
        }
    }
}
