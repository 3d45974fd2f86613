/// An output the client asked for, with its parameters (e.g. `binary_data`).
public struct InferRequestedOutput: Sendable, Hashable {
    public var name: String
    public var parameters: InferParameters

    public init(name: String, parameters: InferParameters = InferParameters()) {
        self.name = name
        self.parameters = parameters
    }

    /// The binary tensor extension's per-output choice, when the client made one.
    public var binaryData: Bool? { parameters[BinaryTensorParameters.binaryData]?.boolValue }
}

/// An inference request as the protocol defines it; the model name and version come from the
/// URL (REST) or the message (gRPC) and travel beside it.
public struct InferRequest: Sendable, Hashable {
    public var id: String?
    public var parameters: InferParameters
    public var inputs: [InferTensor]
    /// nil: the client named no outputs, so all outputs are returned with default settings.
    public var outputs: [InferRequestedOutput]?

    public init(id: String? = nil, parameters: InferParameters = InferParameters(),
                inputs: [InferTensor], outputs: [InferRequestedOutput]? = nil) {
        self.id = id
        self.parameters = parameters
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The request-level `binary_data_output` parameter (all outputs binary by default).
    public var binaryDataOutput: Bool {
        parameters[BinaryTensorParameters.binaryDataOutput]?.boolValue ?? false
    }

    /// Whether output `name` goes back as binary data: its own `binary_data` wins, else the
    /// request's `binary_data_output` (the rule of Triton's http_server.cc).
    public func wantsBinary(output name: String) -> Bool {
        if let out = outputs?.first(where: { $0.name == name }), let b = out.binaryData { return b }
        return binaryDataOutput
    }
}

/// An inference response.
public struct InferResponse: Sendable, Hashable {
    public var modelName: String
    /// Absent when the server does not do versioning (the spec says to omit it then).
    public var modelVersion: String?
    /// Echo of the request id; omitted when the request had none (as Triton does).
    public var id: String?
    public var parameters: InferParameters
    public var outputs: [InferTensor]

    public init(modelName: String, modelVersion: String? = nil, id: String? = nil,
                parameters: InferParameters = InferParameters(), outputs: [InferTensor]) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.id = id
        self.parameters = parameters
        self.outputs = outputs
    }
}

/// Parameter names of the binary tensor data extension.
public enum BinaryTensorParameters {
    /// The spelling decoders compare member keys with, without making a String.
    public static let binaryDataSizeName: StaticString = "binary_data_size"
    public static let binaryDataSize = binaryDataSizeName.description
    public static let binaryData = "binary_data"
    public static let binaryDataOutput = "binary_data_output"
}
