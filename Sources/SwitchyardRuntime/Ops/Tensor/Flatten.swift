/// Flatten to 2-D at `axis` (default 1): `[prod(d[..<axis]), prod(d[axis...])]`.
struct Flatten: Operator {
    let axis: Int

    static let spec = OpSpec("Flatten", since: 1) { node, _ throws(ModelError) in Flatten(axis: try node.int("axis", default: 1)) }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        let a = axis < 0 ? axis + x.rank : axis
        guard a >= 0, a <= x.rank else { throw OpError("axis \(axis) is out of range for rank \(x.rank)") }
        return [ValueInfo(type: x.type, shape: [x.shape.prefix(a).reduce(1, *), x.shape.suffix(from: a).reduce(1, *)])]
    }

    var isView: Bool { true }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) { DataCopy.copy(args.input(0), to: args.outputs[0], frame) }
}
