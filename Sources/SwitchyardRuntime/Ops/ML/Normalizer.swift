/// ai.onnx.ml Normalizer: each row divided by its MAX, L1 or L2 norm (FP32 out).
struct Normalizer: Operator {
    /// An enum rather than the attribute string: `run` switches on it once per row.
    enum Norm: String, Sendable { case max = "MAX", l1 = "L1", l2 = "L2" }
    let norm: Norm

    static let spec = OpSpec("Normalizer", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        Normalizer(norm: Norm(rawValue: try node.choice("norm", default: "MAX", allowed: ["MAX", "L1", "L2"]))!)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        _ = try FeatureInput.rowsAndFeatures(x)
        return [ValueInfo(type: .float32, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let features = x.shape.last ?? 1
        let rows = x.count / max(features, 1)
        let out = frame.pointer(y, Float.self)
        for r in 0..<rows {
            let o = out + r * features
            for f in 0..<features { o[f] = FeatureInput.value(x, r * features + f, frame) }
            switch norm {
            case .max:
                var m = -Float.greatestFiniteMagnitude
                for f in 0..<features { m = max(m, o[f]) }
                if m != 0 { for f in 0..<features { o[f] /= m } }
            case .l1:
                var s: Float = 0
                for f in 0..<features { s += abs(o[f]) }
                if s != 0 { for f in 0..<features { o[f] /= s } }
            case .l2:
                var s: Float = 0
                for f in 0..<features { s += o[f] * o[f] }
                let n = s.squareRoot()
                if n != 0 { for f in 0..<features { o[f] /= n } }
            }
        }
    }
}
