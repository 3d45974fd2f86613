/// Concat along `axis` (any element type).
struct Concat: Operator {
    let axis: Int

    static let spec = OpSpec("Concat", since: 4) { node, _ throws(ModelError) in Concat(axis: try node.int("axis")) }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let present = inputs.compactMap { $0 }
        guard let first = present.first else { throw OpError("Concat needs at least one input") }
        let a = try Check.axis(axis, rank: first.rank)
        var shape = first.shape
        shape[a] = 0
        for v in present {
            guard v.type == first.type, v.rank == first.rank else { throw OpError("inputs differ in element type or rank") }
            for d in 0..<v.rank where d != a && v.shape[d] != first.shape[d] {
                throw OpError("input shapes \(first.shape) and \(v.shape) differ outside axis \(a)")
            }
            shape[a] += v.shape[a]
        }
        return [ValueInfo(type: first.type, shape: shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let y = args.outputs[0]
        let a = axis < 0 ? axis + y.rank : axis
        let outer = y.shape.prefix(a).reduce(1, *)
        let inner = y.shape.suffix(from: a + 1).reduce(1, *)
        if y.type == .string {
            var out = [String](repeating: "", count: y.count)
            var offset = 0
            for case let x? in args.inputs {
                let values = frame.stringValues(x), chunk = x.shape[a] * inner
                for o in 0..<outer { for c in 0..<chunk { out[o * y.shape[a] * inner + offset + c] = values[o * chunk + c] } }
                offset += chunk
            }
            frame.setStrings(y, out)
            return
        }
        let width = y.type.byteWidth, rowBytes = y.shape[a] * inner * width
        let dst = frame.raw(y)
        var offset = 0
        for case let x? in args.inputs {
            let chunk = x.shape[a] * inner * width
            let src = frame.raw(x)
            for o in 0..<outer where chunk > 0 { (dst + o * rowBytes + offset).copyMemory(from: src + o * chunk, byteCount: chunk) }
            offset += chunk
        }
    }
}
