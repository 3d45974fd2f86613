/// ReduceSum and ReduceMean over `axes` (attribute before opset 13/18, constant input after),
/// with `keepdims` and `noop_with_empty_axes`.
struct Reduce: Operator {
    let mean: Bool
    let attributeAxes: [Int]?
    let keepDims: Bool
    let noopWithEmptyAxes: Bool

    static func spec(mean: Bool) -> OpSpec {
        OpSpec(mean ? "ReduceMean" : "ReduceSum", since: 1) { node, ctx throws(ModelError) in
            let axesAsInput = ctx.opset >= (mean ? 18 : 13)
            return Reduce(mean: mean, attributeAxes: axesAsInput ? nil : try node.ints("axes", default: []),
                          keepDims: try node.int("keepdims", default: 1) != 0,
                          noopWithEmptyAxes: try node.int("noop_with_empty_axes", default: 0) != 0)
        }
    }

    private func axes(_ inputs: [ValueInfo?], rank: Int) throws(OpError) -> [Int] {
        var raw = attributeAxes ?? []
        if attributeAxes == nil, inputs.count > 1, let a = inputs[1] {
            guard let values = a.constant?.scalars(as: Int64.self) else { throw OpError("the axes input must be a constant INT64 tensor") }
            raw = values.map { Int($0) }
        }
        if raw.isEmpty { return noopWithEmptyAxes ? [] : Array(0..<rank) }
        var result: [Int] = []
        for a in raw { result.append(try Check.axis(a, rank: rank)) }
        return result.sorted()
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, [.float32, .float64, .int64, .int32], "input")
        let ax = try axes(inputs, rank: x.rank)
        var shape: [Int] = []
        for (d, size) in x.shape.enumerated() {
            if ax.contains(d) { if keepDims { shape.append(1) } } else { shape.append(size) }
        }
        return [ValueInfo(type: x.type, shape: shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let ax = try axes(args.inputs.map { $0.map { ValueInfo(type: $0.type, shape: $0.shape.array, constant: constantAxes($0, frame)) } }, rank: x.rank)
        switch x.type {
        case .float32: reduce(Float.self, x, y, ax, frame) { $0 / Float($1) }
        case .float64: reduce(Double.self, x, y, ax, frame) { $0 / Double($1) }
        case .int64: reduce(Int64.self, x, y, ax, frame) { $0 / Int64($1) }
        case .int32: reduce(Int32.self, x, y, ax, frame) { $0 / Int32($1) }
        default: throw OpError("unsupported element type \(x.type)")
        }
    }

    private func constantAxes(_ slot: Slot, _ frame: Frame) -> Tensor? {
        guard slot.type == .int64 else { return nil }
        let p = frame.pointer(slot, Int64.self)
        return try? Tensor(shape: slot.shape.array, values: Array(UnsafeBufferPointer(start: p, count: slot.count)))
    }

    private func reduce<T: Numeric>(_: T.Type, _ x: Slot, _ y: Slot, _ axes: [Int], _ frame: Frame, _ divide: (T, Int) -> T) {
        let px = frame.pointer(x, T.self), py = frame.pointer(y, T.self)
        for i in 0..<y.count { py[i] = 0 }
        // Output index of each input element: drop (or zero) the reduced coordinates.
        var outStrides = [Int](repeating: 0, count: x.rank)
        var step = 1
        for d in stride(from: x.rank - 1, through: 0, by: -1) where !axes.contains(d) {
            outStrides[d] = step
            step *= x.shape[d]
        }
        var index = [Int](repeating: 0, count: x.rank)
        var o = 0
        for i in 0..<x.count {
            py[o] += px[i]
            var d = x.rank - 1
            while d >= 0 {
                index[d] += 1
                o += outStrides[d]
                if index[d] < x.shape[d] { break }
                o -= outStrides[d] * x.shape[d]
                index[d] = 0
                d -= 1
            }
        }
        if mean {
            let n = axes.reduce(1) { $0 * x.shape[$1] }
            for i in 0..<y.count { py[i] = divide(py[i], max(n, 1)) }
        }
    }
}
