/// ai.onnx.ml ArrayFeatureExtractor: selects elements of the last axis of X by INT64 indices
/// (`Y[..., i] = X[..., indices[i]]`); any element type, including STRING and INT64.
struct ArrayFeatureExtractor: Operator {
    static let spec = OpSpec("ArrayFeatureExtractor", domain: "ai.onnx.ml", since: 1, through: 5) { _, _ throws(ModelError) in
        ArrayFeatureExtractor()
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0), i = try Check.input(inputs, 1, "indices")
        try Check.type(i, [.int64], "indices")
        guard x.rank >= 1 else { throw OpError("X must have rank ≥ 1") }
        let shape = x.rank == 1 ? [1, i.count] : Array(x.shape.dropLast()) + [i.count]
        return [ValueInfo(type: x.type, shape: shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), idx = args.input(1), y = args.outputs[0]
        let last = x.shape[x.rank - 1], rows = x.count / max(last, 1)
        let pi = frame.pointer(idx, Int64.self)
        for k in 0..<idx.count where pi[k] < 0 || pi[k] >= last {
            throw OpError("index \(pi[k]) is out of range for the last axis of size \(last)")
        }
        if x.type == .string {
            let values = frame.stringValues(x)
            var out: [String] = []
            out.reserveCapacity(y.count)
            for r in 0..<rows { for k in 0..<idx.count { out.append(values[r * last + Int(pi[k])]) } }
            frame.setStrings(y, out)
            return
        }
        let width = x.type.byteWidth
        let src = frame.raw(x), dst = frame.raw(y)
        var o = 0
        for r in 0..<rows {
            for k in 0..<idx.count {
                (dst + o * width).copyMemory(from: src + (r * last + Int(pi[k])) * width, byteCount: width)
                o += 1
            }
        }
    }
}
