/// Checks caller inputs against the graph's declared inputs before any planning, so errors name
/// the input and the expected type and shape.
enum InputValidator {
    static func order(_ inputs: [String: Tensor], expected: [TensorInfo]) throws(InferenceError) -> [Tensor] {
        for name in inputs.keys where !expected.contains(where: { $0.name == name }) {
            throw InferenceError(.unknownInput, "unknown input '\(name)'; the model's inputs are \(expected.map(\.description).joined(separator: ", "))")
        }
        var ordered: [Tensor] = []
        ordered.reserveCapacity(expected.count)
        for info in expected {
            guard let tensor = inputs[info.name] else {
                throw InferenceError(.missingInput, "missing input '\(info.name)' (\(info.elementType) \(info.shapeDescription))")
            }
            ordered.append(tensor)
        }
        try check(ordered, expected: expected)
        return ordered
    }

    static func check(_ inputs: [Tensor], expected: [TensorInfo]) throws(InferenceError) {
        guard inputs.count == expected.count else {
            throw InferenceError(.missingInput, "the model takes \(expected.count) inputs (\(expected.map(\.name).joined(separator: ", "))), got \(inputs.count)")
        }
        var symbols: [String: Int] = [:]
        for (tensor, info) in zip(inputs, expected) {
            guard tensor.elementType == info.elementType else {
                throw InferenceError(.wrongElementType, "input '\(info.name)' has element type \(tensor.elementType); the model expects \(info.elementType) \(info.shapeDescription)")
            }
            guard tensor.shape.count == info.shape.count else {
                throw InferenceError(.wrongRank, "input '\(info.name)' has shape \(tensor.shape) (rank \(tensor.shape.count)); the model expects rank \(info.shape.count): \(info.shapeDescription)")
            }
            for (axis, (got, want)) in zip(tensor.shape, info.shape).enumerated() {
                if want >= 0, got != want {
                    throw InferenceError(.wrongDimension, "input '\(info.name)' has shape \(tensor.shape); dimension \(axis) must be \(want): expected \(info.shapeDescription)")
                }
                if want < 0, expected.count > 1, let symbol = info.dimensionNames[axis] {
                    if let bound = symbols[symbol], bound != got {
                        throw InferenceError(.wrongDimension, "input '\(info.name)' has \(symbol) = \(got) at dimension \(axis), but another input has \(symbol) = \(bound)")
                    }
                    symbols[symbol] = got
                }
            }
        }
    }

    /// Builds an input tensor from raw little-endian bytes, checking it against the model's
    /// declaration of that input (element type, shape, byte count) with API-grade messages.
    static func makeTensor(name: String, elementType: ElementType, shape: [Int], bytes: some Collection<UInt8>,
                           expected: [TensorInfo]) throws(InferenceError) -> Tensor {
        guard let info = expected.first(where: { $0.name == name }) else {
            throw InferenceError(.unknownInput, "unknown input '\(name)'; the model's inputs are \(expected.map(\.description).joined(separator: ", "))")
        }
        guard elementType == info.elementType else {
            throw InferenceError(.wrongElementType, "input '\(name)' has element type \(elementType); the model expects \(info.elementType) \(info.shapeDescription)")
        }
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), bytes.count == count * elementType.byteWidth else {
            throw InferenceError(.wrongElementCount, "input '\(name)' with shape \(shape) needs \(count) \(elementType) values (\(count * elementType.byteWidth) bytes), got \(bytes.count) bytes; expected shape \(info.shapeDescription)")
        }
        return try! Tensor(elementType: elementType, shape: shape, bytes: bytes)
    }
}
