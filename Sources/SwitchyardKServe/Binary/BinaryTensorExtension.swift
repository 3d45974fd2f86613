import SwitchyardCore

/// The binary tensor data extension's framing (Triton extension_binary_data.md, http_server.cc):
/// a JSON header of `Inference-Header-Content-Length` bytes, then each binary tensor's bytes in
/// the order the tensors appear in the JSON.
public enum BinaryTensorExtension {
    /// The header's name as HTTP/2 and our lower-cased HTTPHeaders spell it.
    public static let headerName = "inference-header-content-length"

    /// Interprets the header. nil value (header absent) means the whole body is JSON. A value
    /// must be an int32 with 0 ≤ v ≤ body length (Triton's rule), else 400.
    public static func jsonHeaderLength(_ value: String?, bodyLength: Int) throws(KServeError) -> Int {
        guard let value else { return bodyLength }
        // The usual value is plain digits: read them in place (trimming made two copies).
        // Up to 9 digits always fit an int32; longer values take the checked path below.
        let plain = value.withUTF8Bytes { $0.count <= 9 ? HTTPCommonText.decimal(UnsafeRawBufferPointer($0)) : nil }
        if let plain {
            guard plain <= bodyLength else {
                throw .invalidArgument("Inference-Header-Content-Length \(plain) exceeds the body length \(bodyLength)")
            }
            return plain
        }
        let trimmed = value.trimmingASCIIWhitespace()
        guard let v = Int32(trimmed) else {
            throw .invalidArgument("Inference-Header-Content-Length '\(value)' is not a 32-bit integer")
        }
        guard v >= 0 else {
            throw .invalidArgument("Inference-Header-Content-Length \(v) must not be negative")
        }
        guard Int(v) <= bodyLength else {
            throw .invalidArgument("Inference-Header-Content-Length \(v) exceeds the body length \(bodyLength)")
        }
        return Int(v)
    }

    /// Resolves pending tensors against the binary section, in JSON order.
    static func resolve(_ pending: [PendingTensor], binary: ArraySlice<UInt8>, headerPresent: Bool,
                        jsonLength: Int) throws(KServeError) -> [InferTensor] {
        var tensors: [InferTensor] = []
        tensors.reserveCapacity(pending.count)
        var cursor = binary.startIndex
        for t in pending {
            let data: TensorData
            if let json = t.data {
                data = try TensorJSONDecoding.data(json, of: t, documentLength: jsonLength)
            } else {
                let size = t.binarySize!
                let left = binary.endIndex - cursor
                guard size <= left else {
                    let hint = headerPresent ? "" : " (the request has no Inference-Header-Content-Length header, so the whole body was read as JSON)"
                    throw .invalidArgument("\(t.label): binary_data_size \(size) exceeds the \(left) bytes of binary data left in the body\(hint)")
                }
                data = try blob(binary[cursor..<(cursor + size)], of: t)
                cursor += size
            }
            tensors.append(InferTensor(name: t.name, datatype: t.datatype, shape: t.shape, parameters: t.parameters, data: data))
        }
        if cursor != binary.endIndex {
            throw .invalidArgument("body has \(binary.endIndex - cursor) bytes of binary data beyond the tensors' binary_data_size total")
        }
        return tensors
    }

    /// Checks one tensor's blob against its shape and datatype.
    static func blob(_ bytes: ArraySlice<UInt8>, of t: PendingTensor) throws(KServeError) -> TensorData {
        let expected = try TensorJSONDecoding.elementCount(t.shape, label: t.label)
        if t.datatype == .bytes {
            let elements = try BytesElementCodec.parse(bytes, what: t.label)
            guard elements.count == expected else {
                throw .invalidArgument("\(t.label): shape \(ShapeText.format(t.shape)) needs \(expected) elements, got \(elements.count) BYTES elements in the binary data")
            }
            return .bytes(elements)
        }
        let (need, overflow) = expected.multipliedReportingOverflow(by: t.datatype.byteSize!)
        guard !overflow, bytes.count == need else {
            throw .invalidArgument("\(t.label): binary data has \(bytes.count) bytes, shape \(ShapeText.format(t.shape)) of \(t.datatype) needs \(overflow ? "more" : String(need))")
        }
        if t.datatype == .bool, let bad = bytes.firstIndex(where: { $0 > 1 }) {
            throw .invalidArgument("\(t.label): BOOL element \(bad - bytes.startIndex) is \(bytes[bad]), expected 0 or 1")
        }
        return .raw(Array(bytes))
    }

    /// The raw single-input form (`Inference-Header-Content-Length: 0`): the body is the bytes
    /// of the model's only input. At most one dimension may be variable (-1); it is resolved from
    /// the body size, so a batched model's input becomes one batch of whatever size fits. BYTES
    /// requires the model shape to hold exactly one element, and the body is that element's
    /// bytes (no length prefix). All outputs are returned as binary, as Triton does.
    public static func rawRequest(body: ArraySlice<UInt8>, input: TensorMetadata) throws(KServeError) -> InferRequest {
        let label = "input '\(input.name)'"
        let variable = input.shape.indices.filter { input.shape[$0] < 0 }
        guard variable.count <= 1 else {
            throw .invalidArgument("raw binary request (Inference-Header-Content-Length: 0): \(label) has more than one variable dimension in \(ShapeText.format(input.shape))")
        }
        var shape = input.shape
        let data: TensorData
        if input.datatype == .bytes {
            for i in variable { shape[i] = 1 }
            guard InferTensor.elementCount(of: shape) == 1 else {
                throw .invalidArgument("raw binary request (Inference-Header-Content-Length: 0): BYTES \(label) must have shape [1], has \(ShapeText.format(input.shape))")
            }
            data = .bytes([Array(body)])
        } else {
            let size = input.datatype.byteSize!
            var fixed = shape
            for i in variable { fixed[i] = 1 }
            guard let perUnit = InferTensor.elementCount(of: fixed).map({ $0 * size }) else {
                throw .invalidArgument("\(label): invalid model shape \(ShapeText.format(input.shape))")
            }
            if let v = variable.first {
                guard perUnit > 0, body.count % perUnit == 0 else {
                    throw .invalidArgument("raw binary request (Inference-Header-Content-Length: 0): body of \(body.count) bytes is not a whole number of \(ShapeText.format(input.shape)) \(input.datatype) rows (\(perUnit) bytes each) for \(label)")
                }
                shape[v] = Int64(body.count / perUnit)
            } else if body.count != perUnit {
                throw .invalidArgument("raw binary request (Inference-Header-Content-Length: 0): \(label) of shape \(ShapeText.format(shape)) \(input.datatype) needs \(perUnit) bytes, body has \(body.count)")
            }
            data = .raw(Array(body))
        }
        var parameters = InferParameters()
        parameters[BinaryTensorParameters.binaryDataOutput] = .bool(true)
        return InferRequest(parameters: parameters,
                            inputs: [InferTensor(name: input.name, datatype: input.datatype, shape: shape, data: data)])
    }
}
