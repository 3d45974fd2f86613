import SwitchyardKernels

/// Attribute and shape logic shared by Conv and the pooling ops (kept apart from compute, like
/// onnxruntime's conv_attributes.h): kernel, strides, dilations, pads and `auto_pad`.
struct ConvGeometry: Sendable {
    var kernelShape: [Int]?
    var strides: [Int]
    var dilations: [Int]
    var pads: [Int]
    var autoPad: String
    var ceilMode: Bool

    init(_ node: Node) throws(ModelError) {
        kernelShape = node.has("kernel_shape") ? try node.ints("kernel_shape") : nil
        strides = try node.ints("strides", default: [])
        dilations = try node.ints("dilations", default: [])
        pads = try node.ints("pads", default: [])
        autoPad = try node.choice("auto_pad", default: "NOTSET", allowed: ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"])
        ceilMode = try node.int("ceil_mode", default: 0) != 0
        if strides.contains(where: { $0 < 1 }) || dilations.contains(where: { $0 < 1 }) || pads.contains(where: { $0 < 0 }) {
            throw .node(node, .invalidAttribute, "strides and dilations must be ≥ 1 and pads ≥ 0")
        }
    }

    /// The window over a 4-D NCHW input for a `kH×kW` kernel.
    func window(input: some ShapeCollection, kernel: (Int, Int)) throws(OpError) -> Window2D {
        guard input.count == 4 else { throw OpError("expected a 4-D NCHW input, got shape \(input)") }
        let (kh, kw) = kernel
        let s = strides.isEmpty ? [1, 1] : strides
        let d = dilations.isEmpty ? [1, 1] : dilations
        guard s.count == 2, d.count == 2 else { throw OpError("strides/dilations must have 2 values for 2-D") }
        var p = pads.isEmpty ? [0, 0, 0, 0] : pads
        guard p.count == 4 else { throw OpError("pads must have 4 values for 2-D") }
        let inH = input[2], inW = input[3]
        let extentH = (kh - 1) * d[0] + 1, extentW = (kw - 1) * d[1] + 1
        var outH: Int, outW: Int
        switch autoPad {
        case "VALID":
            p = [0, 0, 0, 0]
            outH = (inH - extentH) / s[0] + 1
            outW = (inW - extentW) / s[1] + 1
        case "SAME_UPPER", "SAME_LOWER":
            outH = (inH + s[0] - 1) / s[0]
            outW = (inW + s[1] - 1) / s[1]
            let totalH = max((outH - 1) * s[0] + extentH - inH, 0), totalW = max((outW - 1) * s[1] + extentW - inW, 0)
            let upper = autoPad == "SAME_UPPER"
            p = [upper ? totalH / 2 : totalH - totalH / 2, upper ? totalW / 2 : totalW - totalW / 2,
                 upper ? totalH - totalH / 2 : totalH / 2, upper ? totalW - totalW / 2 : totalW / 2]
        default:
            outH = Self.outputSize(inH + p[0] + p[2], extentH, s[0], ceil: ceilMode, padBegin: p[0], input: inH)
            outW = Self.outputSize(inW + p[1] + p[3], extentW, s[1], ceil: ceilMode, padBegin: p[1], input: inW)
        }
        guard outH > 0, outW > 0 else { throw OpError("the window does not fit the input \(input) (output would be \(outH)×\(outW))") }
        return Window2D(kernelH: kh, kernelW: kw, strideH: s[0], strideW: s[1], dilationH: d[0], dilationW: d[1],
                        padTop: p[0], padLeft: p[1], inH: inH, inW: inW, outH: outH, outW: outW)
    }

    private static func outputSize(_ padded: Int, _ extent: Int, _ stride: Int, ceil: Bool, padBegin: Int, input: Int) -> Int {
        let span = padded - extent
        guard span >= 0 else { return 0 }
        var out = (ceil ? (span + stride - 1) / stride : span / stride) + 1
        // With ceil_mode the last window must start inside the input or the leading padding.
        if ceil && (out - 1) * stride >= input + padBegin { out -= 1 }
        return out
    }
}
