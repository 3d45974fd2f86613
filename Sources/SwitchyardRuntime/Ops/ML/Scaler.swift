/// ai.onnx.ml Scaler: `Y = (X − offset) · scale`, per feature (or one value for all), FP32 out.
struct Scaler: Operator {
    let offset: [Float]
    let scale: [Float]

    static let spec = OpSpec("Scaler", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        Scaler(offset: try node.floats("offset", default: [0]), scale: try node.floats("scale", default: [1]))
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        let (_, features) = try FeatureInput.rowsAndFeatures(x)
        for (name, v) in [("offset", offset), ("scale", scale)] where v.count != 1 && v.count != features {
            throw OpError("\(name) has \(v.count) values; the input has \(features) features")
        }
        return [ValueInfo(type: .float32, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let features = x.shape.last ?? 1
        let out = frame.pointer(y, Float.self)
        let (no, ns) = (offset.count, scale.count)
        for i in 0..<x.count {
            let f = i % features
            out[i] = (FeatureInput.value(x, i, frame) - offset[no == 1 ? 0 : f]) * scale[ns == 1 ? 0 : f]
        }
    }
}
