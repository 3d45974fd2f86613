/// ai.onnx.ml OneHotEncoder: appends a category axis; unknown categories give all zeros, or an
/// error when `zeros` = 0.
struct OneHotEncoder: Operator {
    let intCategories: [Int64: Int]
    let stringCategories: [String: Int]
    let count: Int
    let zeros: Bool

    static let spec = OpSpec("OneHotEncoder", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        let ints = try node.ints("cats_int64s", default: []).map { Int64($0) }
        let strings = try node.strings("cats_strings", default: [])
        guard ints.isEmpty != strings.isEmpty else {
            throw .node(node, .invalidAttribute, "exactly one of cats_int64s and cats_strings is required")
        }
        var intMap: [Int64: Int] = [:], stringMap: [String: Int] = [:]
        for (i, v) in ints.enumerated() where intMap[v] == nil { intMap[v] = i }
        for (i, v) in strings.enumerated() where stringMap[v] == nil { stringMap[v] = i }
        return OneHotEncoder(intCategories: intMap, stringCategories: stringMap, count: max(ints.count, strings.count),
                             zeros: try node.int("zeros", default: 1) != 0)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        if stringCategories.isEmpty { try Check.type(x, FeatureInput.types, "input X") } else { try Check.type(x, [.string], "input X") }
        return [ValueInfo(type: .float32, shape: x.shape + [count])]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let out = frame.pointer(y, Float.self)
        out.update(repeating: 0, count: y.count)
        let strings = x.type == .string ? frame.stringValues(x) : []
        for i in 0..<x.count {
            let index: Int?
            if x.type == .string {
                index = stringCategories[strings[i]]
            } else {
                let v: Int64
                switch x.type {
                case .int64: v = frame.pointer(x, Int64.self)[i]
                case .int32: v = Int64(frame.pointer(x, Int32.self)[i])
                default:
                    let f = x.type == .float32 ? Double(frame.pointer(x, Float.self)[i]) : frame.pointer(x, Double.self)[i]
                    v = f.isFinite ? Int64(exactly: f.rounded(.towardZero)) ?? .min : .min
                }
                index = intCategories[v]
            }
            if let index { out[i * count + index] = 1 } else if !zeros {
                throw OpError("input value at position \(i) is not one of the known categories")
            }
        }
    }
}
