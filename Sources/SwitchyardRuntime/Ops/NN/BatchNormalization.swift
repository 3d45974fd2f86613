import Foundation

/// BatchNormalization in inference mode: `y = scale·(x − mean)/√(var + ε) + bias` per channel
/// (axis 1). Training mode and the running-statistics outputs are rejected at load.
struct BatchNormalization: Operator {
    let epsilon: Float

    static let spec = OpSpec("BatchNormalization", since: 7) { node, _ throws(ModelError) in
        if try node.int("training_mode", default: 0) != 0 || node.outputs.dropFirst().contains(where: { !$0.isEmpty }) {
            throw .node(node, .unsupportedOperator, "only inference mode (one output, training_mode=0) is supported")
        }
        return BatchNormalization(epsilon: try node.float("epsilon", default: 1e-5))
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, [.float32], "input X")
        guard x.rank >= 2 else { throw OpError("input must have a channel axis, got \(x.shape)") }
        for i in 1...4 {
            let p = try Check.input(inputs, i)
            guard p.type == .float32, p.count == x.shape[1] else {
                throw OpError("parameter \(i) must be FP32 with \(x.shape[1]) values, got \(p.type) \(p.shape)")
            }
        }
        return [ValueInfo(type: .float32, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let scale = frame.pointer(args.input(1), Float.self), bias = frame.pointer(args.input(2), Float.self)
        let mean = frame.pointer(args.input(3), Float.self), variance = frame.pointer(args.input(4), Float.self)
        let channels = x.shape[1], inner = x.shape.suffix(from: 2).reduce(1, *)
        let px = frame.pointer(x, Float.self), py = frame.pointer(y, Float.self)
        for n in 0..<x.shape[0] {
            for c in 0..<channels {
                let a = scale[c] / (variance[c] + epsilon).squareRoot()
                let b = bias[c] - mean[c] * a
                let base = (n * channels + c) * inner
                for i in 0..<inner { py[base + i] = px[base + i] * a + b }
            }
        }
    }
}
