/// `GET /v2` answer.
public struct ServerMetadata: Sendable, Hashable {
    public var name: String
    public var version: String
    public var extensions: [String]

    public init(name: String, version: String, extensions: [String]) {
        self.name = name
        self.version = version
        self.extensions = extensions
    }
}

/// A tensor as model metadata describes it; a variable dimension is -1.
public struct TensorMetadata: Sendable, Hashable {
    public var name: String
    public var datatype: InferDatatype
    public var shape: [Int64]

    public init(name: String, datatype: InferDatatype, shape: [Int64]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }
}

/// `GET /v2/models/{m}[/versions/{v}]` answer.
public struct ModelMetadata: Sendable, Hashable {
    public var name: String
    /// Available versions; empty means the field is omitted (it is optional).
    public var versions: [String]
    /// `<project>_<format>`, e.g. `onnx_onnxv1`.
    public var platform: String
    public var inputs: [TensorMetadata]
    public var outputs: [TensorMetadata]

    public init(name: String, versions: [String], platform: String, inputs: [TensorMetadata], outputs: [TensorMetadata]) {
        self.name = name
        self.versions = versions
        self.platform = platform
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// `GET /v2/models/{m}[/versions/{v}]/ready` answer (the OIP JSON form; the status code alone
/// also carries the answer for clients that follow KServe's "empty body" wording).
public struct ModelReadiness: Sendable, Hashable {
    public var name: String
    public var ready: Bool
    public init(name: String, ready: Bool) { self.name = name; self.ready = ready }
}

/// One entry of Triton's repository index (`POST /v2/repository/index`).
public struct RepositoryIndexEntry: Sendable, Hashable {
    public var name: String
    public var version: String?
    /// Triton's states: UNKNOWN, READY, UNAVAILABLE, LOADING, UNLOADING.
    public var state: String?
    /// Why the model is in that state (e.g. the load error); omitted when empty.
    public var reason: String?

    public init(name: String, version: String? = nil, state: String? = nil, reason: String? = nil) {
        self.name = name
        self.version = version
        self.state = state
        self.reason = reason
    }
}

/// Body of `POST /v2/repository/index`: `{"ready": bool}`, optional.
public struct RepositoryIndexRequest: Sendable, Hashable {
    /// Only models ready for inferencing.
    public var readyOnly: Bool
    public init(readyOnly: Bool = false) { self.readyOnly = readyOnly }
}
