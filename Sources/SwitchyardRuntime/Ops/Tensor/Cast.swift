/// Cast between FP32, FP64, INT64, INT32, BOOL and STRING (numbers print and parse in their
/// shortest round-trip form; floats to integers truncate toward zero, as onnxruntime does).
struct Cast: Operator {
    let to: ElementType

    static let spec = OpSpec("Cast", since: 6) { node, _ throws(ModelError) in
        let raw = try node.int("to")
        guard let type = ElementType(rawValue: raw), type.isComputable else {
            throw .node(node, .unsupportedType, "cast target type \(raw) is not supported (supported: FP32, FP64, INT64, INT32, BOOL, STRING)")
        }
        return Cast(to: type)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, [.float32, .float64, .int64, .int32, .bool, .string], "input")
        return [ValueInfo(type: to, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        if x.type == y.type {
            if x.type == .string { frame.setStrings(y, frame.stringValues(x)) }
            else { frame.raw(y).copyMemory(from: frame.raw(x), byteCount: x.count * x.type.byteWidth) }
            return
        }
        if x.type == .string {
            let values = frame.stringValues(x)
            for i in 0..<values.count {
                guard let d = Double(values[i]) else { throw OpError("cannot cast string '\(values[i])' to \(y.type)") }
                store(d, y, i, frame)
            }
            return
        }
        if y.type == .string {
            var out: [String] = []
            out.reserveCapacity(x.count)
            for i in 0..<x.count {
                switch x.type {
                case .float32: out.append(String(frame.pointer(x, Float.self)[i]))
                case .float64: out.append(String(frame.pointer(x, Double.self)[i]))
                case .int64: out.append(String(frame.pointer(x, Int64.self)[i]))
                case .int32: out.append(String(frame.pointer(x, Int32.self)[i]))
                default: out.append(frame.pointer(x, UInt8.self)[i] != 0 ? "1" : "0")
                }
            }
            frame.setStrings(y, out)
            return
        }
        // Numeric → numeric through Double (exact for every INT32/FP32 and for |INT64| < 2^53);
        // INT64 → INT64-like paths never go through here (same type handled above).
        if x.type == .int64 && (y.type == .int32) {
            let px = frame.pointer(x, Int64.self), py = frame.pointer(y, Int32.self)
            for i in 0..<x.count { py[i] = Int32(truncatingIfNeeded: px[i]) }
            return
        }
        for i in 0..<x.count { store(load(x, i, frame), y, i, frame) }
    }

    @inline(__always)
    private func load(_ s: Slot, _ i: Int, _ frame: Frame) -> Double {
        switch s.type {
        case .float32: Double(frame.pointer(s, Float.self)[i])
        case .float64: frame.pointer(s, Double.self)[i]
        case .int64: Double(frame.pointer(s, Int64.self)[i])
        case .int32: Double(frame.pointer(s, Int32.self)[i])
        default: frame.pointer(s, UInt8.self)[i] != 0 ? 1 : 0
        }
    }

    @inline(__always)
    private func store(_ v: Double, _ s: Slot, _ i: Int, _ frame: Frame) {
        switch s.type {
        case .float32: frame.pointer(s, Float.self)[i] = Float(v)
        case .float64: frame.pointer(s, Double.self)[i] = v
        case .int64: frame.pointer(s, Int64.self)[i] = v.isFinite ? Int64(clamping: Int64(exactly: v.rounded(.towardZero)) ?? (v < 0 ? .min : .max)) : .min
        case .int32: frame.pointer(s, Int32.self)[i] = v.isFinite ? Int32(clamping: Int64(exactly: v.rounded(.towardZero)) ?? (v < 0 ? .min : .max)) : .min
        default: frame.pointer(s, UInt8.self)[i] = v != 0 ? 1 : 0
        }
    }
}
