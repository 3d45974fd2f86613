/// Why an inference call was rejected. `description` names the input or output and what the model
/// expects, so it can be returned to the API caller as is.
public struct InferenceError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case unknownInput
        case missingInput
        case wrongElementType
        case wrongRank
        case wrongDimension
        case wrongElementCount
        case unknownOutput
        /// The data made an op fail (e.g. an index out of range in Gather).
        case executionFailed
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
