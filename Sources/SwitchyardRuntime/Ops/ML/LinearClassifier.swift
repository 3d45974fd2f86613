import SwitchyardKernels

/// ai.onnx.ml LinearClassifier: scores = X·Wᵀ + b, label = arg-max class (or the sign of the
/// single score in the binary case), then the post-transform — onnxruntime's semantics,
/// including its two-column output for one-score binary models.
struct LinearClassifier: Operator {
    let weights: PackedWeights  // K = features, N = classes
    let intercepts: [Float]
    let intLabels: [Int64]
    let stringLabels: [String]
    let classCount: Int
    let transform: PostTransform

    static let spec = OpSpec("LinearClassifier", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        let coefficients = try node.floats("coefficients")
        let ints = try node.ints("classlabels_ints", default: []).map { Int64($0) }
        let strings = try node.strings("classlabels_strings", default: [])
        guard ints.isEmpty != strings.isEmpty else {
            throw .node(node, .invalidAttribute, "exactly one of classlabels_ints and classlabels_strings is required")
        }
        var intercepts = try node.floats("intercepts", default: [])
        let labelCount = max(ints.count, strings.count)
        let classCount = intercepts.isEmpty ? (labelCount == 2 && coefficients.count % 2 != 0 ? 1 : labelCount) : intercepts.count
        guard classCount > 0, coefficients.count % classCount == 0 else {
            throw .node(node, .invalidAttribute, "\(coefficients.count) coefficients do not divide into \(classCount) classes")
        }
        if intercepts.isEmpty { intercepts = Array(repeating: 0, count: classCount) }
        let features = coefficients.count / classCount
        return LinearClassifier(weights: PackedWeights(coefficients, k: features, n: classCount, storedTransposed: true),
                                intercepts: intercepts, intLabels: ints, stringLabels: strings, classCount: classCount,
                                transform: try PostTransform.read(node))
    }

    private var labelCount: Int { max(intLabels.count, stringLabels.count) }
    private var outputColumns: Int { classCount == 1 && labelCount == 2 ? 2 : classCount }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        let (rows, features) = try FeatureInput.rowsAndFeatures(x)
        guard features == weights.k else { throw OpError("input has \(features) features, the model has \(weights.k)") }
        return [ValueInfo(type: stringLabels.isEmpty ? .int64 : .string, shape: [rows]),
                ValueInfo(type: .float32, shape: [rows, outputColumns])]
    }

    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int {
        guard let x = inputs[0] else { return 0 }
        return (x.type == .float32 ? 0 : x.count * 4) + x.count / max(weights.k, 1) * classCount * 4
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), labels = args.outputs[0], z = args.outputs[1]
        let rows = labels.count, features = weights.k
        var scratch = frame.scratch(args).assumingMemoryBound(to: Float.self)
        var input = UnsafePointer(frame.pointer(x, Float.self))
        if x.type != .float32 {
            for i in 0..<x.count { scratch[i] = FeatureInput.value(x, i, frame) }
            input = UnsafePointer(scratch)
            scratch += x.count
        }
        let raw = scratch  // rows × classCount
        weights.multiply(m: rows, a: input, lda: features, c: raw)
        addRowVectorSIMD(raw, intercepts, raw, rows: rows, n: classCount)
        let out = frame.pointer(z, Float.self)
        for r in 0..<rows {
            let s = raw + r * classCount
            let chosen: Int
            if classCount == 1 {
                chosen = s[0] > 0 ? 1 : 0
            } else {
                var best = 0
                for c in 1..<classCount where s[c] > s[best] { best = c }
                chosen = best
            }
            writeLabel(chosen, row: r, labels, frame)
            let o = out + r * outputColumns
            if classCount == 1 {
                // onnxruntime applies only PROBIT to a single score; the second column is 1 − score.
                let v = transform == .probit ? PostTransform.probit(s[0]) : s[0]
                if outputColumns == 2 { o[0] = 1 - v; o[1] = v } else { o[0] = v }
            } else {
                o.update(from: s, count: classCount)
                transform.apply(o, count: classCount)
            }
        }
        if !stringLabels.isEmpty { frame.setStrings(labels, pendingStrings(rows, raw)) }
    }

    private func writeLabel(_ chosen: Int, row: Int, _ labels: Slot, _ frame: Frame) {
        guard stringLabels.isEmpty else { return }
        let value: Int64 = classCount == 1 && intLabels.count != 2 ? Int64(chosen) : intLabels[min(chosen, intLabels.count - 1)]
        frame.pointer(labels, Int64.self)[row] = value
    }

    private func pendingStrings(_ rows: Int, _ raw: UnsafeMutablePointer<Float>) -> [String] {
        (0..<rows).map { r in
            let s = raw + r * classCount
            if classCount == 1 {
                let positive = stringLabels.count == 2 ? stringLabels[1] : "1", negative = stringLabels.count == 2 ? stringLabels[0] : "0"
                return s[0] > 0 ? positive : negative
            }
            var best = 0
            for c in 1..<classCount where s[c] > s[best] { best = c }
            return stringLabels[best]
        }
    }
}
