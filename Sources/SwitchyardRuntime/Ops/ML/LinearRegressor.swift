/// ai.onnx.ml LinearRegressor: `Y = X·Wᵀ + b` for `targets` outputs, then the post-transform.
struct LinearRegressor: Operator {
    let weights: PackedWeights
    let intercepts: [Float]
    let transform: PostTransform

    static let spec = OpSpec("LinearRegressor", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        let coefficients = try node.floats("coefficients")
        let targets = try node.int("targets", default: 1)
        guard targets > 0, coefficients.count % targets == 0 else {
            throw .node(node, .invalidAttribute, "\(coefficients.count) coefficients do not divide into \(targets) targets")
        }
        var intercepts = try node.floats("intercepts", default: [])
        if intercepts.isEmpty { intercepts = Array(repeating: 0, count: targets) }
        guard intercepts.count == targets else { throw .node(node, .invalidAttribute, "intercepts must have \(targets) values") }
        let transform = try PostTransform.read(node)
        return LinearRegressor(weights: PackedWeights(coefficients, k: coefficients.count / targets, n: targets, storedTransposed: true),
                               intercepts: intercepts, transform: transform)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        let (rows, features) = try FeatureInput.rowsAndFeatures(x)
        guard features == weights.k else { throw OpError("input has \(features) features, the model has \(weights.k)") }
        return [ValueInfo(type: .float32, shape: [rows, weights.n])]
    }

    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int {
        inputs[0].map { $0.type == .float32 ? 0 : $0.count * 4 } ?? 0
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let rows = y.shape[0], targets = weights.n
        var input = UnsafePointer(frame.pointer(x, Float.self))
        if x.type != .float32 {
            let scratch = frame.scratch(args).assumingMemoryBound(to: Float.self)
            for i in 0..<x.count { scratch[i] = FeatureInput.value(x, i, frame) }
            input = UnsafePointer(scratch)
        }
        let out = frame.pointer(y, Float.self)
        weights.multiply(m: rows, a: input, lda: weights.k, c: out)
        for r in 0..<rows {
            let o = out + r * targets
            for t in 0..<targets { o[t] += intercepts[t] }
            transform.apply(o, count: targets)
        }
    }
}
