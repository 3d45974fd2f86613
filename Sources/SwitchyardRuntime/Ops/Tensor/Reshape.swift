/// Reshape (opset 5+: the target shape is input 1). `0` copies the input dimension (unless
/// `allowzero`), `-1` is inferred. The shape input must be constant for the plan (an initializer
/// or computed from `Shape`), which is what converters emit.
struct Reshape: Operator {
    let allowZero: Bool

    static let spec = OpSpec("Reshape", since: 5) { node, _ throws(ModelError) in
        Reshape(allowZero: try node.int("allowzero", default: 0) != 0)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0), s = try Check.input(inputs, 1, "shape input")
        guard s.type == .int64, s.rank == 1, let target = s.constant?.scalars(as: Int64.self) else {
            throw OpError("the shape input must be a constant 1-D INT64 tensor (data-dependent shapes are not supported)")
        }
        return [ValueInfo(type: x.type, shape: try Self.resolve(target.map { Int($0) }, input: x.shape, allowZero: allowZero))]
    }

    static func resolve(_ target: [Int], input: [Int], allowZero: Bool) throws(OpError) -> [Int] {
        var shape = target
        var inferred: Int?
        for (i, d) in target.enumerated() {
            if d == 0 && !allowZero {
                guard i < input.count else { throw OpError("shape \(target) copies dimension \(i), but the input \(input) has rank \(input.count)") }
                shape[i] = input[i]
            } else if d == -1 {
                guard inferred == nil else { throw OpError("shape \(target) has more than one -1") }
                inferred = i
            } else if d < -1 {
                throw OpError("shape \(target) has an invalid dimension \(d)")
            }
        }
        let total = input.reduce(1, *)
        if let i = inferred {
            let known = shape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            guard known > 0, total % known == 0 else { throw OpError("cannot reshape \(input) to \(target)") }
            shape[i] = total / known
        }
        guard shape.reduce(1, *) == total else { throw OpError("cannot reshape \(input) (\(total) elements) to \(target)") }
        return shape
    }

    var isView: Bool { true }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) { DataCopy.copy(args.input(0), to: args.outputs[0], frame) }
}
