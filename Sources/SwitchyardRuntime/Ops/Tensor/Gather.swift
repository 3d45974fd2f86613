/// Gather along `axis` with INT64/INT32 indices (negative indices count from the end).
struct Gather: Operator {
    let axis: Int

    static let spec = OpSpec("Gather", since: 1) { node, _ throws(ModelError) in Gather(axis: try node.int("axis", default: 0)) }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0), i = try Check.input(inputs, 1, "indices")
        try Check.type(i, [.int64, .int32], "indices")
        let a = try Check.axis(axis, rank: x.rank)
        return [ValueInfo(type: x.type, shape: Array(x.shape.prefix(a)) + i.shape + Array(x.shape.suffix(from: a + 1)))]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), idx = args.input(1), y = args.outputs[0]
        let a = axis < 0 ? axis + x.rank : axis
        let outer = x.shape.prefix(a).reduce(1, *), inner = x.shape.suffix(from: a + 1).reduce(1, *)
        let length = x.shape[a]
        var indices: [Int] = []
        indices.reserveCapacity(idx.count)
        for k in 0..<idx.count {
            var v = idx.type == .int64 ? Int(frame.pointer(idx, Int64.self)[k]) : Int(frame.pointer(idx, Int32.self)[k])
            if v < 0 { v += length }
            guard v >= 0, v < length else { throw OpError("index \(v) is out of range for axis \(a) of size \(length)") }
            indices.append(v)
        }
        if x.type == .string {
            let values = frame.stringValues(x)
            var out: [String] = []
            out.reserveCapacity(y.count)
            for o in 0..<outer { for v in indices { for c in 0..<inner { out.append(values[(o * length + v) * inner + c]) } } }
            frame.setStrings(y, out)
            return
        }
        let chunk = inner * x.type.byteWidth
        let src = frame.raw(x), dst = frame.raw(y)
        var offset = 0
        for o in 0..<outer {
            for v in indices {
                dst.advanced(by: offset).copyMemory(from: src + (o * length + v) * chunk, byteCount: chunk)
                offset += chunk
            }
        }
    }
}
