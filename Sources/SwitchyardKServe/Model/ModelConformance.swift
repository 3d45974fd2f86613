/// Checks a decoded request against a model's metadata, so every transport (REST JSON, binary,
/// gRPC) rejects the same mismatches with the same 400 messages before the runtime sees them.
extension InferRequest {
    /// Throws when an input is unknown, missing, of another datatype, or of a shape that does not
    /// fit the model's (same rank; each fixed dimension equal, -1 matches any size), or when a
    /// requested output does not exist.
    public func validate(against model: ModelMetadata) throws(KServeError) {
        for t in inputs {
            guard let spec = model.inputs.first(where: { $0.name == t.name }) else {
                let expected = model.inputs.map { "'\($0.name)'" }.joined(separator: ", ")
                throw .invalidArgument("unexpected input '\(t.name)' for model '\(model.name)' (model inputs: \(expected))")
            }
            if t.datatype != spec.datatype {
                throw .invalidArgument("input '\(t.name)': datatype \(t.datatype) does not match the model's \(spec.datatype)")
            }
            if !Self.shape(t.shape, fits: spec.shape) {
                throw .invalidArgument("input '\(t.name)': shape \(ShapeText.format(t.shape)) does not match the model's \(ShapeText.format(spec.shape))")
            }
        }
        for spec in model.inputs where !inputs.contains(where: { $0.name == spec.name }) {
            throw .invalidArgument("missing input '\(spec.name)' for model '\(model.name)'")
        }
        for o in outputs ?? [] where !model.outputs.contains(where: { $0.name == o.name }) {
            throw .invalidArgument("unknown output '\(o.name)' requested for model '\(model.name)'")
        }
    }

    static func shape(_ shape: [Int64], fits spec: [Int64]) -> Bool {
        shape.count == spec.count && zip(shape, spec).allSatisfy { $1 < 0 || $0 == $1 }
    }
}
