/// Why a model could not be loaded: the file is not a valid ONNX model, or it uses something this
/// runtime does not support. `description` is written for an API user and names the node, the op
/// and what is supported instead.
public struct ModelError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The bytes are not a decodable ONNX ModelProto (corrupt or truncated).
        case corrupt
        /// IR version or opset import outside the supported range.
        case unsupportedVersion
        /// An op (or an op at this opset) this runtime does not implement.
        case unsupportedOperator
        /// A node attribute is missing, of the wrong type or has an unsupported value.
        case invalidAttribute
        /// An element type the runtime does not compute on, or a non-tensor input/output.
        case unsupportedType
        /// The graph is malformed: undefined values, cycles, shape mismatches.
        case invalidGraph
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// An error attributed to one node, formatted uniformly: `node 'name' (Op): message`.
    static func node(_ node: Node, _ kind: Kind, _ message: String) -> ModelError {
        ModelError(kind, "node '\(node.name)' (\(node.qualifiedOpType)): \(message)")
    }
}
