/// Squeeze and Unsqueeze. Axes come from the `axes` attribute before opset 13 and from a constant
/// INT64 input from 13 on.
struct Squeeze: Operator {
    let unsqueeze: Bool
    let attributeAxes: [Int]?

    static func spec(unsqueeze: Bool) -> OpSpec {
        OpSpec(unsqueeze ? "Unsqueeze" : "Squeeze", since: 1) { node, ctx throws(ModelError) in
            Squeeze(unsqueeze: unsqueeze, attributeAxes: ctx.opset < 13 ? (node.has("axes") ? try node.ints("axes") : []) : nil)
        }
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        var axes = attributeAxes ?? []
        if attributeAxes == nil, inputs.count > 1, let a = inputs[1] {
            guard a.type == .int64, let values = a.constant?.scalars(as: Int64.self) else {
                throw OpError("the axes input must be a constant INT64 tensor")
            }
            axes = values.map { Int($0) }
        }
        if unsqueeze {
            let rank = x.rank + axes.count
            var normalised: [Int] = []
            for a in axes { normalised.append(try Check.axis(a, rank: rank)) }
            guard Set(normalised).count == normalised.count else { throw OpError("axes \(axes) repeat") }
            var shape: [Int] = []
            var source = x.shape.makeIterator()
            for i in 0..<rank { shape.append(normalised.contains(i) ? 1 : source.next()!) }
            return [ValueInfo(type: x.type, shape: shape)]
        }
        var normalised: [Int] = []
        for a in axes { normalised.append(try Check.axis(a, rank: x.rank)) }
        for a in normalised where x.shape[a] != 1 { throw OpError("cannot squeeze axis \(a) of size \(x.shape[a])") }
        let shape = x.shape.enumerated().filter { normalised.isEmpty ? $0.element != 1 : !normalised.contains($0.offset) }.map(\.element)
        return [ValueInfo(type: x.type, shape: shape)]
    }

    var isView: Bool { true }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) { DataCopy.copy(args.input(0), to: args.outputs[0], frame) }
}
