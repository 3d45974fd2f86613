/// Copies a value's data unchanged into an output of the same element count: the compute of
/// Identity, Reshape, Flatten, Squeeze and Unsqueeze, which only change the shape.
enum DataCopy {
    static func copy(_ x: Slot, to y: Slot, _ frame: Frame) {
        if x.type == .string {
            frame.setStrings(y, frame.stringValues(x))
            return
        }
        let bytes = x.count * x.type.byteWidth
        let src = frame.raw(x), dst = frame.raw(y)
        if bytes > 0 && src != dst { dst.copyMemory(from: src, byteCount: bytes) }
    }
}

/// Identity.
struct Identity: Operator {
    static let spec = OpSpec("Identity", since: 1) { _, _ throws(ModelError) in Identity() }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        return [ValueInfo(type: x.type, shape: x.shape)]
    }

    var isView: Bool { true }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) { DataCopy.copy(args.input(0), to: args.outputs[0], frame) }
}
