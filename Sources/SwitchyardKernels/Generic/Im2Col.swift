/// Geometry of a 2-D convolution or pooling window over one NCHW image.
public struct Window2D: Sendable, Equatable {
    public var kernelH, kernelW: Int
    public var strideH, strideW: Int
    public var dilationH, dilationW: Int
    public var padTop, padLeft: Int
    public var inH, inW: Int
    public var outH, outW: Int

    public init(kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, dilationH: Int, dilationW: Int,
                padTop: Int, padLeft: Int, inH: Int, inW: Int, outH: Int, outW: Int) {
        self.kernelH = kernelH; self.kernelW = kernelW
        self.strideH = strideH; self.strideW = strideW
        self.dilationH = dilationH; self.dilationW = dilationW
        self.padTop = padTop; self.padLeft = padLeft
        self.inH = inH; self.inW = inW
        self.outH = outH; self.outW = outW
    }
}

/// Unfolds `channels` planes of one image into a `(channels·kH·kW) × (outH·outW)` row-major
/// matrix, zero for padding, so a convolution becomes one GEMM with the `outC × (C·kH·kW)` weights.
public func im2col(_ input: UnsafePointer<Float>, channels: Int, window w: Window2D, into col: UnsafeMutablePointer<Float>) {
    let outPlane = w.outH * w.outW
    var row = 0
    for ch in 0..<channels {
        let plane = input + ch * w.inH * w.inW
        for kh in 0..<w.kernelH {
            for kw in 0..<w.kernelW {
                let dst = col + row * outPlane
                for oy in 0..<w.outH {
                    let iy = oy * w.strideH - w.padTop + kh * w.dilationH
                    let line = dst + oy * w.outW
                    if iy < 0 || iy >= w.inH {
                        line.update(repeating: 0, count: w.outW)
                        continue
                    }
                    let src = plane + iy * w.inW
                    let x0 = kw * w.dilationW - w.padLeft
                    if w.strideW == 1 {
                        // Contiguous middle part copied in one go; zero the padded edges.
                        let lo = min(max(-x0, 0), w.outW), hi = max(min(w.inW - x0, w.outW), lo)
                        if lo > 0 { line.update(repeating: 0, count: lo) }
                        if hi > lo { (line + lo).update(from: src + lo + x0, count: hi - lo) }
                        if hi < w.outW { (line + hi).update(repeating: 0, count: w.outW - hi) }
                    } else {
                        for ox in 0..<w.outW {
                            let ix = ox * w.strideW + x0
                            line[ox] = (ix >= 0 && ix < w.inW) ? src[ix] : 0
                        }
                    }
                }
                row += 1
            }
        }
    }
}

/// Reference direct convolution (NCHW, one image, one group), the oracle for im2col + GEMM.
public func conv2DReference(_ input: UnsafePointer<Float>, channels: Int, weights: UnsafePointer<Float>,
                            outChannels: Int, window w: Window2D, output: UnsafeMutablePointer<Float>) {
    for oc in 0..<outChannels {
        for oy in 0..<w.outH {
            for ox in 0..<w.outW {
                var sum: Double = 0
                for ch in 0..<channels {
                    for kh in 0..<w.kernelH {
                        for kw in 0..<w.kernelW {
                            let iy = oy * w.strideH - w.padTop + kh * w.dilationH
                            let ix = ox * w.strideW - w.padLeft + kw * w.dilationW
                            guard iy >= 0, iy < w.inH, ix >= 0, ix < w.inW else { continue }
                            let wv = weights[((oc * channels + ch) * w.kernelH + kh) * w.kernelW + kw]
                            sum += Double(wv) * Double(input[(ch * w.inH + iy) * w.inW + ix])
                        }
                    }
                }
                output[(oc * w.outH + oy) * w.outW + ox] = Float(sum)
            }
        }
    }
}
