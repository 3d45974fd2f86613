/// Shape (with opset-15 `start`/`end`). Always folded at plan time: shapes are concrete per plan.
struct ShapeOp: Operator {
    let start: Int
    let end: Int?

    static let spec = OpSpec("Shape", since: 1) { node, _ throws(ModelError) in
        ShapeOp(start: try node.int("start", default: 0), end: node.has("end") ? try node.int("end") : nil)
    }

    var dependsOnlyOnShapes: Bool { true }

    private func range(_ rank: Int) -> Range<Int> {
        let clamp = { (v: Int) in min(max(v < 0 ? v + rank : v, 0), rank) }
        let s = clamp(start), e = clamp(end ?? rank)
        return s..<max(s, e)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        return [ValueInfo(type: .int64, shape: [range(x.rank).count])]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = frame.pointer(args.outputs[0], Int64.self)
        for (k, d) in range(x.rank).enumerated() { y[k] = Int64(x.shape[d]) }
    }
}
