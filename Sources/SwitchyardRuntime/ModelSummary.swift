/// What `switchyard model inspect` prints: a loaded model's interface, ops and size. Also
/// available for files the runtime rejects, via `ModelSummary.inspect(bytes:name:)`, which
/// reports the unsupported ops instead of failing on the first.
public struct ModelSummary: Sendable {
    public struct OpUse: Sendable {
        public let domain: String
        public let opType: String
        public let count: Int
        public let supported: Bool
    }

    public let name: String
    public let irVersion: Int
    public let producer: String
    public let opsets: [String: Int]
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    public let ops: [OpUse]
    /// Elements in all initializers (weights, biases, tree attributes are not counted).
    public let parameterCount: Int
    /// nil when the model loads; otherwise the load error.
    public let loadError: ModelError?

    public var allOpsSupported: Bool { ops.allSatisfy(\.supported) }

    /// Decodes and summarises a model, then tries to load it fully to report whether it runs.
    public static func inspect(bytes: [UInt8], name: String) throws(ModelError) -> ModelSummary {
        let graph = try ModelDecoder.decode(bytes, name: name)
        var counts: [String: (String, String, Int)] = [:]
        for node in graph.nodes {
            let key = "\(node.domain)::\(node.opType)"
            counts[key, default: (node.domain, node.opType, 0)].2 += 1
        }
        let ops = counts.values.map { OpUse(domain: $0.0.isEmpty ? "ai.onnx" : $0.0, opType: $0.1, count: $0.2,
                                            supported: OpRegistry.isSupported(domain: $0.0, opType: $0.1)) }
            .sorted { ($0.domain, $0.opType) < ($1.domain, $1.opType) }
        var loadError: ModelError?
        do { _ = try CompiledModel(bytes: bytes, name: name) } catch { loadError = error }
        return ModelSummary(name: graph.name, irVersion: graph.irVersion, producer: graph.producer,
                            opsets: Dictionary(uniqueKeysWithValues: graph.opsets.map { ($0.key.isEmpty ? "ai.onnx" : $0.key, $0.value) }),
                            inputs: graph.inputs, outputs: graph.outputs, ops: ops,
                            parameterCount: graph.initializers.values.reduce(0) { $0 + $1.count }, loadError: loadError)
    }

    /// The ops this runtime supports, as `domain::Op` strings.
    public static var supportedOps: [String] {
        OpRegistry.all.map { $0.domain.isEmpty ? $0.name : "\($0.domain)::\($0.name)" }.sorted()
    }
}

extension CompiledModel {
    /// Builds an input tensor from raw little-endian bytes (V2 binary extension, gRPC raw
    /// contents), checking name, element type and byte count against the model's declaration.
    /// - Throws: `InferenceError` naming the input and its expected shape.
    public func makeInput(name: String, elementType: ElementType, shape: [Int], bytes: some Collection<UInt8>) throws(InferenceError) -> Tensor {
        try InputValidator.makeTensor(name: name, elementType: elementType, shape: shape, bytes: bytes, expected: inputs)
    }

    /// Builds an input tensor from typed values, checking them against the model's declaration.
    public func makeInput<T: TensorScalar>(name: String, shape: [Int], values: [T]) throws(InferenceError) -> Tensor {
        guard let info = inputs.first(where: { $0.name == name }) else {
            throw InferenceError(.unknownInput, "unknown input '\(name)'; the model's inputs are \(inputs.map(\.description).joined(separator: ", "))")
        }
        guard T.elementType == info.elementType else {
            throw InferenceError(.wrongElementType, "input '\(name)' has element type \(T.elementType); the model expects \(info.elementType) \(info.shapeDescription)")
        }
        do { return try Tensor(shape: shape, values: values) } catch {
            throw InferenceError(.wrongElementCount, "input '\(name)': \(error.description); expected shape \(info.shapeDescription)")
        }
    }
}
