import SwitchyardCore

/// Reads the common shape of a ModelInfer request straight from its protobuf bytes into a
/// `GRPCInferCall`, or answers nil so that the caller decodes it with swift-protobuf instead.
///
/// Why not the library on this one path: decoding `inference.ModelInferRequest` with it, then
/// converting the message (`inferCall()`) and freeing it, took ~10,000 of the ~60,000
/// instructions of a batch-1 ModelInfer call (callgrind, `loadtests/profile/instructions.sh
/// grpc`): a class-backed storage per message, a `Data` per raw input copied again into an array,
/// an extension map per message. This reader covers what tritonclient and the KServe SDK send
/// for raw tensors: the model name, version and id, inputs with name, datatype and shape (packed
/// or not), requested outputs by name, and `raw_input_contents`.
///
/// Anything else — parameters, typed `contents`, unknown fields, malformed or truncated bytes,
/// invalid UTF-8, or a request that `inferCall()` would refuse — returns nil, and the library
/// path decodes, converts and reports it exactly as before. So this reader never decides an
/// error message; a test compares both paths on generated requests.
public enum GRPCInferRequestDecoder {
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> GRPCInferCall? {
        var r = Reader(bytes)
        var modelName = "", modelVersion = "", id = ""
        var inputs: [RawInput] = []
        var outputs: [InferRequestedOutput] = []
        var raw: [UnsafeRawBufferPointer] = []
        while !r.atEnd {
            guard let (field, wire) = r.tag() else { return nil }
            switch (field, wire) {
            case (1, 2): guard let s = r.string() else { return nil }; modelName = s
            case (2, 2): guard let s = r.string() else { return nil }; modelVersion = s
            case (3, 2): guard let s = r.string() else { return nil }; id = s
            case (5, 2): guard let m = r.lengthDelimited(), let input = RawInput.read(m) else { return nil }; inputs.append(input)
            case (6, 2): guard let m = r.lengthDelimited(), let name = outputName(m) else { return nil }
                outputs.append(InferRequestedOutput(name: name))
            case (7, 2): guard let b = r.lengthDelimited() else { return nil }; raw.append(b)
            default: return nil  // parameters (4), or anything unexpected: the library's path
            }
        }
        // What `inferCall()` requires of raw inputs; otherwise it reports the problem.
        guard !raw.isEmpty, raw.count == inputs.count else { return nil }
        var tensors: [InferTensor] = []
        tensors.reserveCapacity(inputs.count)
        for (k, input) in inputs.enumerated() {
            if tensors.contains(where: { $0.name == input.name }) { return nil }
            if input.shape.contains(where: { $0 < 0 }) { return nil }
            let pending = PendingTensor(name: input.name, datatype: input.datatype, shape: input.shape,
                                        parameters: InferParameters(), data: nil, binarySize: nil, role: "input")
            guard let data = try? BinaryTensorExtension.blob(ByteArrays.copy(raw[k])[...], of: pending) else { return nil }
            tensors.append(InferTensor(name: input.name, datatype: input.datatype, shape: input.shape, data: data))
        }
        let request = InferRequest(id: id.isEmpty ? nil : id, inputs: tensors, outputs: outputs.isEmpty ? nil : outputs)
        return GRPCInferCall(model: ModelReference(name: modelName, version: modelVersion.isEmpty ? nil : modelVersion),
                             request: request)
    }

    /// An `InferInputTensor` without parameters or typed contents.
    private struct RawInput {
        var name = ""
        var datatype = InferDatatype.bool
        var shape: [Int64] = []

        static func read(_ bytes: UnsafeRawBufferPointer) -> RawInput? {
            var r = Reader(bytes)
            var t = RawInput()
            var sawDatatype = false
            while !r.atEnd {
                guard let (field, wire) = r.tag() else { return nil }
                switch (field, wire) {
                case (1, 2): guard let s = r.string() else { return nil }; t.name = s
                case (2, 2):
                    guard let b = r.lengthDelimited(), let d = InferDatatype.parse(b) else { return nil }
                    t.datatype = d
                    sawDatatype = true
                case (3, 2):  // packed
                    guard let b = r.lengthDelimited() else { return nil }
                    var p = Reader(b)
                    while !p.atEnd {
                        guard let v = p.varint() else { return nil }
                        t.shape.append(Int64(bitPattern: v))
                    }
                case (3, 0):  // unpacked, which parsers must accept too
                    guard let v = r.varint() else { return nil }
                    t.shape.append(Int64(bitPattern: v))
                default: return nil
                }
            }
            return sawDatatype ? t : nil
        }
    }

    /// An `InferRequestedOutputTensor` that names an output and nothing else.
    private static func outputName(_ bytes: UnsafeRawBufferPointer) -> String? {
        var r = Reader(bytes)
        var name = ""
        while !r.atEnd {
            guard let (field, wire) = r.tag(), field == 1, wire == 2, let s = r.string() else { return nil }
            name = s
        }
        return name
    }

    /// Bounds-checked protobuf wire reading; every failure is nil.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { offset >= bytes.count }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count && shift < 64 {
                let b = bytes[offset]
                offset += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func tag() -> (Int, Int)? {
            guard let v = varint(), v >> 3 > 0, v >> 3 <= UInt64(Int32.max) else { return nil }
            return (Int(v >> 3), Int(v & 7))
        }

        mutating func lengthDelimited() -> UnsafeRawBufferPointer? {
            guard let n = varint(), n <= UInt64(bytes.count - offset) else { return nil }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(n)])
            offset += Int(n)
            return slice
        }

        /// A proto3 string: valid UTF-8 or nothing.
        mutating func string() -> String? {
            guard let b = lengthDelimited() else { return nil }
            return String(validating: b, as: UTF8.self)
        }
    }
}
