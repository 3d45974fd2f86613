import SwitchyardKernels

/// MaxPool, AveragePool (2-D, NCHW) and GlobalAveragePool (any spatial rank).
struct Pool: Operator {
    enum Kind: String, Sendable { case max = "MaxPool", average = "AveragePool", globalAverage = "GlobalAveragePool" }
    let kind: Kind
    let geometry: ConvGeometry?
    let countIncludePad: Bool

    static func spec(_ kind: Kind) -> OpSpec {
        OpSpec(kind.rawValue, since: 1) { node, _ throws(ModelError) in
            if kind == .globalAverage { return Pool(kind: kind, geometry: nil, countIncludePad: false) }
            if node.outputs.count > 1, !node.outputs[1].isEmpty {
                throw .node(node, .unsupportedOperator, "the MaxPool Indices output is not supported")
            }
            if try node.int("storage_order", default: 0) != 0 {
                throw .node(node, .invalidAttribute, "storage_order=1 is not supported")
            }
            let geometry = try ConvGeometry(node)
            guard let k = geometry.kernelShape, k.count == 2 else {
                throw .node(node, .invalidAttribute, "kernel_shape with 2 values is required (only 2-D pooling is supported)")
            }
            return Pool(kind: kind, geometry: geometry, countIncludePad: try node.int("count_include_pad", default: 0) != 0)
        }
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, [.float32], "input X")
        guard let geometry, let k = geometry.kernelShape else {
            guard x.rank >= 3 else { throw OpError("expected an input of rank ≥ 3, got \(x.shape)") }
            return [ValueInfo(type: .float32, shape: [x.shape[0], x.shape[1]] + Array(repeating: 1, count: x.rank - 2))]
        }
        let win = try geometry.window(input: x.shape, kernel: (k[0], k[1]))
        return [ValueInfo(type: .float32, shape: [x.shape[0], x.shape[1], win.outH, win.outW])]
    }

    /// The general path's per-row and per-column tap ranges (two Ints each).
    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int {
        guard geometry != nil, let y = outputs.first, y.rank == 4 else { return 0 }
        return (y.shape[2] + y.shape[3]) * 2 * MemoryLayout<Int>.stride
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let px = frame.pointer(x, Float.self), py = frame.pointer(y, Float.self)
        let planes = x.shape[0] * x.shape[1]
        guard let geometry, let k = geometry.kernelShape else {
            let size = x.count / max(planes, 1)
            for p in 0..<planes {
                var sum: Float = 0
                for i in 0..<size { sum += px[p * size + i] }
                py[p] = sum / Float(size)
            }
            return
        }
        let w = try geometry.window(input: x.shape, kernel: (k[0], k[1]))
        let inside = w.padTop == 0 && w.padLeft == 0 && w.dilationH == 1 && w.dilationW == 1
            && (w.outH - 1) * w.strideH + w.kernelH <= w.inH && (w.outW - 1) * w.strideW + w.kernelW <= w.inW
        if kind == .max && inside && w.kernelH == 2 && w.kernelW == 2 && w.strideH == 2 && w.strideW == 2 {
            for p in 0..<planes {
                maxPool2x2Stride2SIMD(px + p * w.inH * w.inW, inW: w.inW, py + p * w.outH * w.outW, outH: w.outH, outW: w.outW)
            }
            return
        }
        if kind == .max && inside {
            // Every window lies inside the image (the usual 2×2/2 pooling): no bounds checks.
            for p in 0..<planes {
                let src = px + p * w.inH * w.inW, dst = py + p * w.outH * w.outW
                for oy in 0..<w.outH {
                    for ox in 0..<w.outW {
                        let corner = src + oy * w.strideH * w.inW + ox * w.strideW
                        var best = corner[0]
                        for kh in 0..<w.kernelH {
                            let line = corner + kh * w.inW
                            for kw in 0..<w.kernelW { best = max(best, line[kw]) }
                        }
                        dst[oy * w.outW + ox] = best
                    }
                }
            }
            return
        }
        // General case (padding, dilation, ceil mode): clip each window to the image once per
        // output row and column (into scratch, shared by every plane), then run guard-free loops
        // over the valid taps. Checking each tap against the borders, or clipping per output
        // (two integer divisions each), was measured at 20–25 ns per output on a small CNN.
        let ranges = frame.scratch(args).assumingMemoryBound(to: Int.self)
        let rows = ranges, cols = ranges + 2 * w.outH
        for oy in 0..<w.outH {
            (rows[2 * oy], rows[2 * oy + 1]) = Self.validTaps(start: oy * w.strideH - w.padTop, kernel: w.kernelH,
                                                              dilation: w.dilationH, size: w.inH)
        }
        for ox in 0..<w.outW {
            (cols[2 * ox], cols[2 * ox + 1]) = Self.validTaps(start: ox * w.strideW - w.padLeft, kernel: w.kernelW,
                                                              dilation: w.dilationW, size: w.inW)
        }
        let dilationH = w.dilationH, dilationW = w.dilationW, inW = w.inW
        for p in 0..<planes {
            let src = px + p * w.inH * w.inW, dst = py + p * w.outH * w.outW
            for oy in 0..<w.outH {
                let y0 = oy * w.strideH - w.padTop
                let kh0 = rows[2 * oy], kh1 = rows[2 * oy + 1]
                for ox in 0..<w.outW {
                    let x0 = ox * w.strideW - w.padLeft
                    let kw0 = cols[2 * ox], kw1 = cols[2 * ox + 1]
                    let out = dst + oy * w.outW + ox
                    if kind == .max {
                        var best = -Float.infinity
                        for kh in kh0..<kh1 {
                            let line = src + (y0 + kh * dilationH) * inW + x0
                            for kw in kw0..<kw1 { best = max(best, line[kw * dilationW]) }
                        }
                        out.pointee = best
                    } else {
                        var sum: Float = 0
                        for kh in kh0..<kh1 {
                            let line = src + (y0 + kh * dilationH) * inW + x0
                            for kw in kw0..<kw1 { sum += line[kw * dilationW] }
                        }
                        let n = (kh1 - kh0) * (kw1 - kw0)
                        let divisor = countIncludePad ? paddedCount(oy, ox, w) : n
                        out.pointee = sum / Float(max(divisor, 1))
                    }
                }
            }
        }
    }

    /// The taps `k` in `lower..<upper` of a window starting at `start` (may be negative) whose
    /// positions `start + k·dilation` fall inside `0..<size`; an empty range when none do.
    @inline(__always)
    static func validTaps(start: Int, kernel: Int, dilation: Int, size: Int) -> (Int, Int) {
        let lower = start >= 0 ? 0 : (-start + dilation - 1) / dilation
        guard start + (kernel - 1) * dilation >= 0, start < size else { return (0, 0) }
        let upper = min(kernel, (size - 1 - start) / dilation + 1)
        return (min(lower, upper), upper)
    }

    /// Window size counting padding but not the part beyond the padded input (onnxruntime's rule).
    private func paddedCount(_ oy: Int, _ ox: Int, _ w: Window2D) -> Int {
        let pads = geometry?.pads.count == 4 ? geometry!.pads : [w.padTop, w.padLeft, w.padTop, w.padLeft]
        let y0 = oy * w.strideH - w.padTop, x0 = ox * w.strideW - w.padLeft
        let y1 = min(y0 + (w.kernelH - 1) * w.dilationH + 1, w.inH + pads[2])
        let x1 = min(x0 + (w.kernelW - 1) * w.dilationW + 1, w.inW + pads[3])
        return ((y1 - y0 + w.dilationH - 1) / w.dilationH) * ((x1 - x0 + w.dilationW - 1) / w.dilationW)
    }
}
