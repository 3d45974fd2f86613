import SwitchyardCore

/// Decodes OIP v2 REST bodies: inference requests (pure JSON or with the binary tensor
/// extension), inference responses, and the repository extension's small bodies.
///
/// Holds a simdjson parser whose buffers are reused across calls, so keep one per event loop
/// (it is not thread-safe and not Sendable). An inference request of the common shape is read
/// directly (`InferJSONFastPath`); any other body parses once (DOM), walks the small structural
/// part from Swift and converts each `data` array in one C++ call that writes numbers straight
/// into the tensor's byte buffer; see CSimdjson.h for why.
public final class KServeJSONDecoder {
    private let parser = SimdjsonParser()

    public init() {}

    /// Decodes an inference request body. `inferenceHeaderContentLength` is the header's value
    /// (nil when absent: the body is pure JSON). A value of 0 is the raw single-input form, for
    /// which `rawInput` must describe the model's only input (nil: the model does not have
    /// exactly one input, and the request is rejected). It is evaluated only for such a request:
    /// reading a model's metadata copies shared arrays, which every other request skips.
    public func decodeInferRequest(body: [UInt8], inferenceHeaderContentLength: String? = nil,
                                   rawInput: @autoclosure () -> TensorMetadata? = nil) throws(KServeError) -> InferRequest {
        let headerLength = try BinaryTensorExtension.jsonHeaderLength(inferenceHeaderContentLength, bodyLength: body.count)
        if headerLength == 0 && inferenceHeaderContentLength != nil {
            guard let rawInput = rawInput() else {
                throw .invalidArgument("raw binary request (Inference-Header-Content-Length: 0) requires a model with exactly one input")
            }
            return try BinaryTensorExtension.rawRequest(body: body[...], input: rawInput)
        }
        // The common request is read directly; anything else, and every error, is simdjson's.
        if let request = InferJSONFastPath.decode(body, jsonLength: headerLength, binaryHeader: inferenceHeaderContentLength != nil) {
            return request
        }
        return try libraryDecode(body, headerLength: headerLength, binaryHeader: inferenceHeaderContentLength != nil)
    }

    /// The simdjson path alone (what the direct reader must agree with; tests call it).
    func libraryDecode(_ body: [UInt8], headerLength: Int, binaryHeader: Bool) throws(KServeError) -> InferRequest {
        try withJSON(body, headerLength, what: "request") { root throws(KServeError) in
            let header = try InferJSONDecoding.requestHeader(root)
            let inputs = try BinaryTensorExtension.resolve(header.inputs, binary: body[headerLength...],
                                                           headerPresent: binaryHeader,
                                                           jsonLength: headerLength)
            return InferRequest(id: header.id, parameters: header.parameters, inputs: inputs, outputs: header.outputs)
        }
    }

    /// Decodes an inference response body (JSON, or JSON header plus binary outputs).
    public func decodeInferResponse(body: [UInt8], inferenceHeaderContentLength: String? = nil) throws(KServeError) -> InferResponse {
        let headerLength = try BinaryTensorExtension.jsonHeaderLength(inferenceHeaderContentLength, bodyLength: body.count)
        return try withJSON(body, headerLength, what: "response") { root throws(KServeError) in
            let header = try InferJSONDecoding.responseHeader(root)
            let outputs = try BinaryTensorExtension.resolve(header.outputs, binary: body[headerLength...],
                                                            headerPresent: inferenceHeaderContentLength != nil,
                                                           jsonLength: headerLength)
            return InferResponse(modelName: header.modelName, modelVersion: header.modelVersion, id: header.id,
                                 parameters: header.parameters, outputs: outputs)
        }
    }

    /// `POST /v2/repository/index` body: empty, or `{"ready": bool}`.
    public func decodeRepositoryIndexRequest(body: [UInt8]) throws(KServeError) -> RepositoryIndexRequest {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return RepositoryIndexRequest() }
        return try withJSON(body, body.count, what: "repository index request") { root throws(KServeError) in
            guard root.kind == .object else { throw .invalidArgument("repository index request must be a JSON object") }
            var request = RepositoryIndexRequest()
            for (key, v) in root.objectMembers where key == "ready" {
                guard let b = v.boolValue else { throw .invalidArgument("repository index request: 'ready' must be a boolean, got \(v.kind.noun)") }
                request.readyOnly = b
            }
            return request
        }
    }

    /// Load/unload bodies: empty, or `{"parameters": {...}}`.
    public func decodeRepositoryParameters(body: [UInt8]) throws(KServeError) -> InferParameters {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return InferParameters() }
        return try withJSON(body, body.count, what: "repository request") { root throws(KServeError) in
            guard root.kind == .object else { throw .invalidArgument("repository request must be a JSON object") }
            for (key, v) in root.objectMembers where key == "parameters" {
                return try InferJSONDecoding.parameters(v, owner: "repository request")
            }
            return InferParameters()
        }
    }

    private func withJSON<R>(_ body: [UInt8], _ length: Int, what: String,
                             _ work: (JSONValue) throws(KServeError) -> R) throws(KServeError) -> R {
        let result: Result<R, KServeError> = body.withUnsafeBytes { raw in
            do throws(KServeError) {
                let root = try parser.parse(UnsafeRawBufferPointer(rebasing: raw[0..<length]), what: what)
                return .success(try work(root))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
