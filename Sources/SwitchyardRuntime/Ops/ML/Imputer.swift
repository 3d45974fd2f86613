/// ai.onnx.ml Imputer: replaces `replaced_value` (NaN by default for floats) with the per-feature
/// (or single) imputed value. FP32 or INT64.
struct Imputer: Operator {
    let floatValues: [Float]
    let intValues: [Int64]
    let replacedFloat: Float
    let replacedInt: Int64

    static let spec = OpSpec("Imputer", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        let floats = try node.floats("imputed_value_floats", default: [])
        let ints = try node.ints("imputed_value_int64s", default: []).map { Int64($0) }
        guard floats.isEmpty != ints.isEmpty else {
            throw .node(node, .invalidAttribute, "exactly one of imputed_value_floats and imputed_value_int64s is required")
        }
        return Imputer(floatValues: floats, intValues: ints, replacedFloat: try node.float("replaced_value_float", default: 0),
                       replacedInt: Int64(try node.int("replaced_value_int64", default: 0)))
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, floatValues.isEmpty ? [.int64] : [.float32], "input X")
        let features = x.shape.last ?? 1
        let n = max(floatValues.count, intValues.count)
        guard n == 1 || n == features else { throw OpError("\(n) imputed values for \(features) features") }
        return [ValueInfo(type: x.type, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let features = x.shape.last ?? 1
        if x.type == .float32 {
            let p = frame.pointer(x, Float.self), o = frame.pointer(y, Float.self)
            for i in 0..<x.count {
                let v = p[i]
                let hit = replacedFloat.isNaN ? v.isNaN : v == replacedFloat
                o[i] = hit ? floatValues[floatValues.count == 1 ? 0 : i % features] : v
            }
        } else {
            let p = frame.pointer(x, Int64.self), o = frame.pointer(y, Int64.self)
            for i in 0..<x.count { o[i] = p[i] == replacedInt ? intValues[intValues.count == 1 ? 0 : i % features] : p[i] }
        }
    }
}
