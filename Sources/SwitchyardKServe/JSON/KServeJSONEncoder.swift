import SwitchyardCore

/// An encoded inference body: the JSON header, then any binary tensors.
public struct EncodedInferBody: Sendable, Hashable {
    public var bytes: [UInt8]
    /// Length of the JSON header when binary tensors follow it (the value of the
    /// `Inference-Header-Content-Length` header); nil when the body is pure JSON.
    public var jsonHeaderLength: Int?

    /// `application/octet-stream` when binary data is present, else `application/json`, as
    /// Triton's http_server.cc sets it.
    public var contentType: String { jsonHeaderLength == nil ? "application/json" : "application/octet-stream" }

    /// A 200 response carrying this body with its content type and, for binary bodies, the
    /// `Inference-Header-Content-Length` header.
    public func httpResponse(status: HTTPStatus = .ok) -> HTTPResponse {
        guard let n = jsonHeaderLength else { return HTTPResponse(status: status, headers: Self.jsonHeaders, body: bytes) }
        var headers = Self.binaryHeaders
        headers.append(name: "inference-header-content-length", decimal: n)  // BinaryTensorExtension.headerName, digits in place
        return HTTPResponse(status: status, headers: headers, body: bytes)
    }

    // Built once: every response shares the same content-type field (copying is one retain).
    private static let jsonHeaders: HTTPHeaders = ["content-type": "application/json"]
    private static let binaryHeaders: HTTPHeaders = {
        var h: HTTPHeaders = ["content-type": "application/octet-stream"]
        h.reserveCapacity(2)
        return h
    }()
}

/// Encoders for OIP v2 REST bodies. No Foundation: see `JSONWriter`.
public enum KServeJSONEncoder {
    /// Encodes a response; outputs the request asked for as binary (per-output `binary_data`, or
    /// `binary_data_output`) go after the JSON header with `binary_data_size` set.
    public static func encode(_ response: InferResponse, for request: InferRequest) throws(KServeError) -> EncodedInferBody {
        try encode(response, binaryOutput: { request.wantsBinary(output: $0) })
    }

    /// Encodes a response, choosing per output name whether it goes as binary.
    public static func encode(_ response: InferResponse, binaryOutput: (String) -> Bool) throws(KServeError) -> EncodedInferBody {
        try encodeResponse(modelName: response.modelName, modelVersion: response.modelVersion, id: response.id,
                           parameters: response.parameters, outputs: response.outputs, binaryOutput: binaryOutput)
    }

    /// Encodes a response from its parts. The gateway's infer path holds the parts already:
    /// assembling an `InferResponse` only to encode it copied each of them in and destroyed
    /// them after (about ten reference-count operations, atomic ones, per request).
    public static func encodeResponse(modelName: String, modelVersion: String?, id: String?,
                                      parameters: InferParameters = InferParameters(), outputs: [InferTensor],
                                      binaryOutput: (String) -> Bool) throws(KServeError) -> EncodedInferBody {
        let binary = BinaryFlags(outputs.count) { binaryOutput(outputs[$0].name) }
        var w = JSONWriter(capacity: estimatedCapacity(outputs, binary))
        w.beginObject()
        w.literalKey("model_name"); w.string(modelName)
        if let v = modelVersion { w.literalKey("model_version"); w.string(v) }
        if let id { w.literalKey("id"); w.string(id) }
        if !parameters.isEmpty { w.literalKey("parameters"); w.parameters(parameters) }
        w.literalKey("outputs")
        try tensors(outputs, binary: binary, into: &w)
        w.endObject()
        return finish(w, outputs, binary)
    }

    /// Encodes a request (used by clients, proxies and tests); `binaryInputs` sends every input
    /// through the binary extension.
    public static func encode(_ request: InferRequest, binaryInputs: Bool = false) throws(KServeError) -> EncodedInferBody {
        let binary = BinaryFlags(request.inputs.count) { _ in binaryInputs }
        var w = JSONWriter(capacity: estimatedCapacity(request.inputs, binary))
        w.beginObject()
        if let id = request.id { w.key("id"); w.string(id) }
        if !request.parameters.isEmpty { w.key("parameters"); w.parameters(request.parameters) }
        w.key("inputs")
        try tensors(request.inputs, binary: binary, into: &w)
        if let outputs = request.outputs {
            w.key("outputs")
            w.beginArray()
            for o in outputs {
                w.beginObject()
                w.key("name"); w.string(o.name)
                if !o.parameters.isEmpty { w.key("parameters"); w.parameters(o.parameters) }
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        return finish(w, request.inputs, binary)
    }

    // Each tensor is read once through a pointer (`let t = p.pointee`: one copy, its retains
    // inlined). Indexing the array into a `borrowing` parameter, as before, made the compiler call
    // outlined copy and destroy functions for the tensor's fields: 507 more instructions for the
    // `mlp` fixture's two-output response (callgrind, `instructions.sh json`; reading every field
    // through `p.pointee` instead retained each field at each use, 24 reference-count calls
    // instead of 16).
    private static func tensors(_ tensors: [InferTensor], binary: BinaryFlags, into w: inout JSONWriter) throws(KServeError) {
        w.beginArray()
        try tensors.withUnsafeBufferPointer { buffer throws(KServeError) in
            for i in buffer.indices {
                w.beginObject()
                try tensor(buffer.baseAddress! + i, isBinary: binary[i], into: &w)
                w.endObject()
            }
        }
        w.endArray()
    }

    private static func tensor(_ p: UnsafePointer<InferTensor>, isBinary: Bool, into w: inout JSONWriter) throws(KServeError) {
        let t = p.pointee
        w.literalKey("name"); w.string(t.name)
        w.literalKey("datatype"); w.literalString(t.datatype.wireName)
        w.literalKey("shape"); w.shape(t.shape)
        if isBinary {
            // The tensor's parameters with binary_data_size set (replacing one in place, else
            // appended), written without building a modified copy of the parameter list.
            let size = Int64(t.serializedByteCount)
            w.literalKey("parameters")
            w.beginObject()
            var wroteSize = false
            for entry in t.parameters {
                w.key(entry.name)
                if entry.name == BinaryTensorParameters.binaryDataSize {
                    w.int(size)
                    wroteSize = true
                } else {
                    w.parameter(entry.value)
                }
            }
            if !wroteSize { w.literalKey("binary_data_size"); w.int(size) }
            w.endObject()
        } else {
            if !t.parameters.isEmpty { w.literalKey("parameters"); w.parameters(t.parameters) }
            w.literalKey("data"); try w.tensorData(t)
        }
    }

    private static func finish(_ json: consuming JSONWriter, _ tensors: [InferTensor], _ binary: BinaryFlags) -> EncodedInferBody {
        guard binary.any else { return EncodedInferBody(bytes: json.finish(), jsonHeaderLength: nil) }
        let jsonLength = json.count
        var extra = 0
        for i in tensors.indices where binary[i] { extra += tensors[i].serializedByteCount }
        var bytes = json.finish(reservingExtra: extra)
        for i in tensors.indices where binary[i] {
            switch tensors[i].data {
            case .raw(let b): bytes.append(contentsOf: b)
            case .bytes(let e): BytesElementCodec.append(e, to: &bytes)
            }
        }
        return EncodedInferBody(bytes: bytes, jsonHeaderLength: jsonLength)
    }

    private static func estimatedCapacity(_ tensors: [InferTensor], _ binary: BinaryFlags) -> Int {
        var n = 256
        for i in tensors.indices {
            n += 128 + (binary[i] ? tensors[i].serializedByteCount : tensors[i].dataElementCount * 12)
        }
        return n
    }
}

/// Which tensors of a body go as binary, one bit each up to 64 tensors (an array beyond): the
/// flags of every response without a `[Bool]` allocated for them (~230 instructions a response).
struct BinaryFlags {
    private var bits: UInt64 = 0
    private var overflow: [Bool] = []   // empty (no allocation) for up to 64 tensors

    init(_ count: Int, _ isBinary: (Int) -> Bool) {
        if count <= 64 {
            for i in 0..<count where isBinary(i) { bits |= 1 << UInt64(i) }
        } else {
            overflow = (0..<count).map(isBinary)
            bits = overflow.contains(true) ? 1 : 0
        }
    }

    subscript(i: Int) -> Bool { overflow.isEmpty ? bits & (1 << UInt64(i)) != 0 : overflow[i] }

    /// Whether any tensor goes as binary.
    var any: Bool { bits != 0 }
}
