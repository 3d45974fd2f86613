/// Constant: a `value` tensor or one of the scalar/list attributes (`value_float(s)`,
/// `value_int(s)`, `value_string(s)`). Folded at plan time.
struct Constant: Operator {
    let value: Tensor

    static let spec = OpSpec("Constant", since: 1) { node, _ throws(ModelError) in
        do {
            if let t = try node.tensor("value") { return Constant(value: t) }
            if node.has("value_float") { return Constant(value: try Tensor(shape: [], values: [try node.float("value_float")])) }
            if node.has("value_floats") { let v = try node.floats("value_floats"); return Constant(value: try Tensor(shape: [v.count], values: v)) }
            if node.has("value_int") { return Constant(value: try Tensor(shape: [], values: [Int64(try node.int("value_int"))])) }
            if node.has("value_ints") { let v = try node.ints("value_ints").map { Int64($0) }; return Constant(value: try Tensor(shape: [v.count], values: v)) }
            if node.has("value_string") { return Constant(value: try Tensor(shape: [], strings: [try node.string("value_string")])) }
            if node.has("value_strings") { let v = try node.strings("value_strings"); return Constant(value: try Tensor(shape: [v.count], strings: v)) }
        } catch let error as ModelError {
            throw error
        } catch {
            throw .node(node, .invalidAttribute, "\(error)")
        }
        throw .node(node, .invalidAttribute, "needs one of value, value_float(s), value_int(s), value_string(s) (sparse_value is not supported)")
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        guard value.elementType.isComputable else { throw OpError("constant of type \(value.elementType) is not supported") }
        return [ValueInfo(type: value.elementType, shape: value.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let y = args.outputs[0]
        if value.elementType == .string { frame.setStrings(y, value.stringValues); return }
        value.withUnsafeRawBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 { frame.raw(y).copyMemory(from: base, byteCount: raw.count) }
        }
    }
}
