/// ArgMax and ArgMin along one axis (INT64 indices), with `keepdims` and `select_last_index`.
struct ArgReduce: Operator {
    let isMax: Bool
    let axis: Int
    let keepDims: Bool
    let selectLast: Bool

    static func spec(max isMax: Bool) -> OpSpec {
        OpSpec(isMax ? "ArgMax" : "ArgMin", since: 1) { node, _ throws(ModelError) in
            ArgReduce(isMax: isMax, axis: try node.int("axis", default: 0), keepDims: try node.int("keepdims", default: 1) != 0,
                      selectLast: try node.int("select_last_index", default: 0) != 0)
        }
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, [.float32, .float64, .int64, .int32], "input")
        let a = try Check.axis(axis, rank: x.rank)
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return [ValueInfo(type: .int64, shape: shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0)
        switch x.type {
        case .float32: reduce(Float.self, x, args.outputs[0], frame)
        case .float64: reduce(Double.self, x, args.outputs[0], frame)
        case .int64: reduce(Int64.self, x, args.outputs[0], frame)
        case .int32: reduce(Int32.self, x, args.outputs[0], frame)
        default: throw OpError("unsupported element type \(x.type)")
        }
    }

    private func reduce<T: Comparable>(_: T.Type, _ x: Slot, _ y: Slot, _ frame: Frame) {
        let a = (axis < 0 ? axis + x.rank : axis)
        let length = x.shape[a]
        let outer = x.shape.prefix(a).reduce(1, *), inner = x.shape.suffix(from: a + 1).reduce(1, *)
        let px = frame.pointer(x, T.self), py = frame.pointer(y, Int64.self)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var best = 0
                for j in 1..<max(length, 1) {
                    let v = px[base + j * inner], b = px[base + best * inner]
                    let better = isMax ? (selectLast ? v >= b : v > b) : (selectLast ? v <= b : v < b)
                    if better { best = j }
                }
                py[o * inner + i] = Int64(best)
            }
        }
    }
}
