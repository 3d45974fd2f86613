import SwitchyardKernels

/// 2-D convolution (NCHW, FP32) with pads, strides, dilations and groups: per image and group,
/// im2col into scratch and one SIMD GEMM against the `M/g × (C/g·kH·kW)` weights, then bias.
struct Conv: Operator {
    let geometry: ConvGeometry
    let group: Int
    /// Set by the planner when a Relu consuming only this output was fused into it.
    var reluEpilogue = false

    func fusingRelu() -> (any Operator)? {
        var fused = self
        fused.reluEpilogue = true
        return fused
    }

    static let spec = OpSpec("Conv", since: 1) { node, _ throws(ModelError) in
        let group = try node.int("group", default: 1)
        guard group >= 1 else { throw .node(node, .invalidAttribute, "group must be ≥ 1") }
        return Conv(geometry: try ConvGeometry(node), group: group)
    }

    private func window(_ x: some ShapeCollection, _ w: some ShapeCollection) throws(OpError) -> Window2D {
        try geometry.window(input: x, kernel: (w[2], w[3]))
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0), w = try Check.input(inputs, 1, "weights")
        try Check.type(x, [.float32], "input X")
        guard w.type == .float32, w.rank == 4, x.rank == 4 else {
            throw OpError("only 2-D FP32 convolution is supported (X \(x.shape), W \(w.shape))")
        }
        guard x.shape[1] == w.shape[1] * group, w.shape[0] % group == 0 else {
            throw OpError("channels do not match: X has \(x.shape[1]), W expects \(w.shape[1]) × group \(group)")
        }
        if let k = geometry.kernelShape, k != [w.shape[2], w.shape[3]] {
            throw OpError("kernel_shape \(k) does not match the weights \(w.shape)")
        }
        if inputs.count > 2, let b = inputs[2], b.count != w.shape[0] { throw OpError("bias has \(b.count) values, expected \(w.shape[0])") }
        let win = try window(x.shape, w.shape)
        return [ValueInfo(type: .float32, shape: [x.shape[0], w.shape[0], win.outH, win.outW])]
    }

    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int {
        guard let w = inputs[1], let y = outputs.first else { return 0 }
        return w.shape[1] * w.shape[2] * w.shape[3] * y.shape[2] * y.shape[3] * 4
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), w = args.input(1), y = args.outputs[0]
        let win = try window(x.shape, w.shape)
        let cg = w.shape[1], mg = w.shape[0] / group
        let kSize = cg * win.kernelH * win.kernelW, plane = win.outH * win.outW
        let px = frame.pointer(x, Float.self), pw = frame.pointer(w, Float.self), py = frame.pointer(y, Float.self)
        let col = frame.scratch(args).assumingMemoryBound(to: Float.self)
        let pointwise = win.kernelH == 1 && win.kernelW == 1 && win.strideH == 1 && win.strideW == 1 && win.padTop == 0 && win.padLeft == 0
            && win.outH == win.inH && win.outW == win.inW
        for n in 0..<x.shape[0] {
            for g in 0..<group {
                let image = px + (n * x.shape[1] + g * cg) * win.inH * win.inW
                let source: UnsafePointer<Float>
                if pointwise { source = UnsafePointer(image) } else {
                    im2col(image, channels: cg, window: win, into: col)
                    source = UnsafePointer(col)
                }
                let out = py + (n * w.shape[0] + g * mg) * plane
                gemmRowMajorB(m: mg, n: plane, k: kSize, a: pw + g * mg * kSize, lda: kSize, b: source, c: out, accumulate: false)
            }
            if let b = args.optionalInput(2) {
                let pb = frame.pointer(b, Float.self)
                for m in 0..<w.shape[0] {
                    let out = py + (n * w.shape[0] + m) * plane
                    let bias = pb[m]
                    for i in 0..<plane { out[i] += bias }
                }
            }
            if reluEpilogue {
                let image = py + n * w.shape[0] * plane
                reluSIMD(image, image, count: w.shape[0] * plane)
            }
        }
    }
}
