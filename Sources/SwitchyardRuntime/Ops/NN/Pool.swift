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

    /// The general path's tap ranges and divisors, plus the channels-last copies when that path
    /// applies (see `Pool+ChannelsLast.swift`).
    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int {
        guard geometry != nil, let x = inputs.first ?? nil, x.rank == 4, let y = outputs.first, y.rank == 4 else { return 0 }
        // Valid kh range per output row, valid ox run per kernel column, valid kw range per
        // output column, a divisor per output.
        let kernelW = geometry?.kernelShape?.last ?? 1
        var bytes = (y.shape[2] + kernelW + y.shape[3]) * 2 * MemoryLayout<Int>.stride + y.shape[2] * y.shape[3] * MemoryLayout<Float>.stride
        let planes = x.shape[0] * x.shape[1]
        if Self.prefersChannelsLast(planes: planes, outW: y.shape[3]) {
            bytes += planes * (x.shape[2] * x.shape[3] + y.shape[2] * y.shape[3]) * MemoryLayout<Float>.stride
        }
        return bytes
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
        // General case (padding, dilation, ceil mode). Tap by tap, each tap's contribution is
        // added (or max-ed) into a whole output row at once: for every kernel column the outputs
        // whose tap lands inside the image form one contiguous run, so the inner loop is a
        // guard-free, vectorisable pass over that run. Each output still sees its taps in
        // row-major kernel order, so results equal the one-output-at-a-time form exactly; that
        // form (a dependent add per tap, with border checks) was measured at 20–25 ns per output
        // on a small CNN. Tap ranges and divisors are computed once per call into scratch.
        let scratch = frame.scratch(args)
        let rows = scratch.assumingMemoryBound(to: Int.self)            // per oy: valid kh range
        let runs = rows + 2 * w.outH                                     // per kw: valid ox range
        let cols = runs + 2 * w.kernelW                                  // per ox: valid kw range
        let divisors = UnsafeMutableRawPointer(cols + 2 * w.outW).assumingMemoryBound(to: Float.self)
        for oy in 0..<w.outH {
            (rows[2 * oy], rows[2 * oy + 1]) = Self.validTaps(start: oy * w.strideH - w.padTop, kernel: w.kernelH,
                                                              dilation: w.dilationH, size: w.inH)
        }
        for kw in 0..<w.kernelW {
            (runs[2 * kw], runs[2 * kw + 1]) = Self.validOutputs(offset: kw * w.dilationW - w.padLeft, stride: w.strideW,
                                                                 size: w.inW, outputs: w.outW)
        }
        for ox in 0..<w.outW {
            (cols[2 * ox], cols[2 * ox + 1]) = Self.validTaps(start: ox * w.strideW - w.padLeft, kernel: w.kernelW,
                                                              dilation: w.dilationW, size: w.inW)
        }
        if kind == .average {
            for oy in 0..<w.outH {
                for ox in 0..<w.outW {
                    let n = (rows[2 * oy + 1] - rows[2 * oy]) * (cols[2 * ox + 1] - cols[2 * ox])
                    divisors[oy * w.outW + ox] = Float(max(countIncludePad ? paddedCount(oy, ox, w) : n, 1))
                }
            }
        }
        if Self.prefersChannelsLast(planes: planes, outW: w.outW) {
            let copies = UnsafeMutableRawPointer(divisors + w.outH * w.outW).assumingMemoryBound(to: Float.self)
            poolChannelsLast(px, py, planes: planes, w, rows: rows, cols: cols, divisors: divisors, scratch: copies)
            return
        }
        let isMax = kind == .max, strideW = w.strideW, outW = w.outW, inW = w.inW
        for p in 0..<planes {
            let src = px + p * w.inH * w.inW, dst = py + p * w.outH * w.outW
            for oy in 0..<w.outH {
                let out = dst + oy * outW
                out.update(repeating: isMax ? -Float.infinity : 0, count: outW)
                let y0 = oy * w.strideH - w.padTop
                for kh in rows[2 * oy]..<rows[2 * oy + 1] {
                    let line = src + (y0 + kh * w.dilationH) * inW
                    for kw in 0..<w.kernelW {
                        let lo = runs[2 * kw], hi = runs[2 * kw + 1]
                        guard lo < hi else { continue }
                        let tap = line + kw * w.dilationW - w.padLeft  // + ox·strideW, valid for ox in lo..<hi
                        if strideW == 1 {
                            if isMax { for ox in lo..<hi { out[ox] = max(out[ox], tap[ox]) } }
                            else { for ox in lo..<hi { out[ox] += tap[ox] } }
                        } else {
                            if isMax { for ox in lo..<hi { out[ox] = max(out[ox], tap[ox * strideW]) } }
                            else { for ox in lo..<hi { out[ox] += tap[ox * strideW] } }
                        }
                    }
                }
                if !isMax {
                    let d = divisors + oy * outW
                    for ox in 0..<outW { out[ox] /= d[ox] }
                }
            }
        }
    }

    /// The outputs `ox` in `lower..<upper` whose tap at `ox·stride + offset` lies inside
    /// `0..<size` (offset = the kernel column's position relative to the window start).
    @inline(__always)
    static func validOutputs(offset: Int, stride: Int, size: Int, outputs: Int) -> (Int, Int) {
        // ox·stride + offset ≥ 0  ⇔  ox ≥ ⌈−offset / stride⌉;  ox·stride + offset ≤ size − 1.
        let lower = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        guard size - 1 - offset >= 0 else { return (0, 0) }
        let upper = min(outputs, (size - 1 - offset) / stride + 1)
        return (min(lower, upper), upper)
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
