/// Transpose by `perm` (default: reverse the axes). Works on any element type by moving
/// fixed-width elements (strings by index).
struct Transpose: Operator {
    let perm: [Int]?

    static let spec = OpSpec("Transpose", since: 1) { node, _ throws(ModelError) in
        Transpose(perm: node.has("perm") ? try node.ints("perm") : nil)
    }

    func permutation(rank: Int) -> [Int] { perm ?? Array((0..<rank).reversed()) }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        let p = permutation(rank: x.rank)
        guard p.count == x.rank, Set(p) == Set(0..<x.rank) else { throw OpError("perm \(p) is not a permutation of 0..<\(x.rank)") }
        return [ValueInfo(type: x.type, shape: p.map { x.shape[$0] })]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let p = permutation(rank: x.rank)
        var inStrides = [Int](repeating: 1, count: x.rank)
        for i in stride(from: x.rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * x.shape[i + 1] }
        let strides = p.map { inStrides[$0] }  // input stride for each output axis
        let n = y.count
        var index = [Int](repeating: 0, count: y.rank)
        var source = [Int](repeating: 0, count: n)
        var offset = 0
        for i in 0..<n {
            source[i] = offset
            var d = y.rank - 1
            while d >= 0 {
                index[d] += 1
                offset += strides[d]
                if index[d] < y.shape[d] { break }
                offset -= strides[d] * y.shape[d]
                index[d] = 0
                d -= 1
            }
        }
        if x.type == .string {
            let values = frame.stringValues(x)
            frame.setStrings(y, source.map { values[$0] })
            return
        }
        let width = x.type.byteWidth
        let src = frame.raw(x), dst = frame.raw(y)
        for i in 0..<n { (dst + i * width).copyMemory(from: src + source[i] * width, byteCount: width) }
    }
}
