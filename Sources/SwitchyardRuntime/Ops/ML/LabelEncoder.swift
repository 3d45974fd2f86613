/// ai.onnx.ml LabelEncoder. Opset 1: `classes_strings` maps strings to their index and back.
/// Opset 2+: `keys_*` → `values_*` among strings, INT64 and FP32, with a typed default.
struct LabelEncoder: Operator {
    enum Key: Hashable, Sendable { case string(String), int(Int64), float(Float) }
    enum Value: Sendable { case string(String), int(Int64), float(Float) }

    let mapping: [Key: Value]
    let keyType: ElementType
    let valueType: ElementType
    let defaultValue: Value

    static let spec = OpSpec("LabelEncoder", domain: "ai.onnx.ml", since: 1, through: 3) { node, ctx throws(ModelError) in
        if ctx.opset == 1 {
            let classes = try node.strings("classes_strings", default: [])
            var map: [Key: Value] = [:]
            // Opset 1 works in both directions; the input type picks one at plan time.
            for (i, c) in classes.enumerated() { map[.string(c)] = .int(Int64(i)); map[.int(Int64(i))] = .string(c) }
            return LabelEncoder(mapping: map, keyType: .string, valueType: .int64,
                                defaultValue: .int(Int64(try node.int("default_int64", default: -1))))
        }
        let (keys, keyType): ([Key], ElementType)
        if node.has("keys_strings") { keys = try node.strings("keys_strings").map { .string($0) }; keyType = .string }
        else if node.has("keys_int64s") { keys = try node.ints("keys_int64s").map { .int(Int64($0)) }; keyType = .int64 }
        else if node.has("keys_floats") { keys = try node.floats("keys_floats").map { .float($0) }; keyType = .float32 }
        else { throw .node(node, .invalidAttribute, "one of keys_strings, keys_int64s, keys_floats is required (tensor keys are not supported)") }
        let (values, valueType, fallback): ([Value], ElementType, Value)
        if node.has("values_strings") {
            values = try node.strings("values_strings").map { .string($0) }; valueType = .string
            fallback = .string(try node.string("default_string", default: "_Unused"))
        } else if node.has("values_int64s") {
            values = try node.ints("values_int64s").map { .int(Int64($0)) }; valueType = .int64
            fallback = .int(Int64(try node.int("default_int64", default: -1)))
        } else if node.has("values_floats") {
            values = try node.floats("values_floats").map { .float($0) }; valueType = .float32
            fallback = .float(try node.float("default_float", default: -0.0))
        } else { throw .node(node, .invalidAttribute, "one of values_strings, values_int64s, values_floats is required") }
        guard keys.count == values.count else { throw .node(node, .invalidAttribute, "keys and values differ in length") }
        var map: [Key: Value] = [:]
        for (k, v) in zip(keys, values) where map[k] == nil { map[k] = v }
        return LabelEncoder(mapping: map, keyType: keyType, valueType: valueType, defaultValue: fallback)
    }

    /// Opset-1 encoders go string → INT64 or INT64 → string depending on the input.
    private var bidirectional: Bool { keyType == .string && valueType == .int64 && mapping.keys.contains { if case .int = $0 { true } else { false } } }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        if bidirectional {
            try Check.type(x, [.string, .int64], "input X")
            return [ValueInfo(type: x.type == .string ? .int64 : .string, shape: x.shape)]
        }
        try Check.type(x, [keyType], "input X")
        return [ValueInfo(type: valueType, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let strings = x.type == .string ? frame.stringValues(x) : []
        var out: [String] = []
        if y.type == .string { out.reserveCapacity(x.count) }
        for i in 0..<x.count {
            let key: Key
            switch x.type {
            case .string: key = .string(strings[i])
            case .int64: key = .int(frame.pointer(x, Int64.self)[i])
            default: key = .float(frame.pointer(x, Float.self)[i])
            }
            var value = mapping[key] ?? defaultValue
            if bidirectional, y.type == .string, mapping[key] == nil { value = .string("_Unused") }
            switch (value, y.type) {
            case (.string(let s), .string): out.append(s)
            case (.int(let v), .int64): frame.pointer(y, Int64.self)[i] = v
            case (.float(let v), .float32): frame.pointer(y, Float.self)[i] = v
            default: throw OpError("mapping produced a value of the wrong type")
            }
        }
        if y.type == .string { frame.setStrings(y, out) }
    }
}
