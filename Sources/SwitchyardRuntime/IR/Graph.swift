/// A node attribute value, decoded from ONNX's `AttributeProto` into the few shapes ops use.
enum Attribute: Sendable {
    case float(Float)
    case int(Int)
    case string(String)
    case floats([Float])
    case ints([Int])
    case strings([String])
    case tensor(Tensor)

    var typeName: String {
        switch self {
        case .float: "FLOAT"
        case .int: "INT"
        case .string: "STRING"
        case .floats: "FLOATS"
        case .ints: "INTS"
        case .strings: "STRINGS"
        case .tensor: "TENSOR"
        }
    }
}

/// One graph node, frontend-independent.
struct Node: Sendable {
    var name: String
    var opType: String
    /// "" for the default `ai.onnx` domain.
    var domain: String
    /// Input value names; "" marks an omitted optional input.
    var inputs: [String]
    var outputs: [String]
    var attributes: [String: Attribute]

    /// `ai.onnx.ml::TreeEnsembleClassifier` for non-default domains, plain `Relu` otherwise.
    var qualifiedOpType: String { domain.isEmpty || domain == "ai.onnx" ? opType : "\(domain)::\(opType)" }
}

/// The model's graph after decoding: nodes in topological order, constant initializers, and the
/// graph's (non-initializer) inputs and outputs.
struct Graph: Sendable {
    var name: String
    var nodes: [Node]
    var initializers: [String: Tensor]
    var inputs: [TensorInfo]
    var outputs: [TensorInfo]
    /// Opset version per domain ("" is `ai.onnx`).
    var opsets: [String: Int]
    var irVersion: Int
    var producer: String
}
