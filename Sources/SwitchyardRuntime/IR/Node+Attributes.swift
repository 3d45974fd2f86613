/// Typed attribute access for op constructors. A missing attribute falls back to the given
/// default (ONNX's documented default); a present attribute of the wrong type is a `ModelError`.
extension Node {
    func int(_ name: String, default value: Int? = nil) throws(ModelError) -> Int {
        switch attributes[name] {
        case .int(let v): return v
        case nil:
            if let value { return value }
            throw .node(self, .invalidAttribute, "required INT attribute '\(name)' is missing")
        case let other?: throw wrongType(name, "INT", other)
        }
    }

    func float(_ name: String, default value: Float? = nil) throws(ModelError) -> Float {
        switch attributes[name] {
        case .float(let v): return v
        case .int(let v): return Float(v)
        case nil:
            if let value { return value }
            throw .node(self, .invalidAttribute, "required FLOAT attribute '\(name)' is missing")
        case let other?: throw wrongType(name, "FLOAT", other)
        }
    }

    func string(_ name: String, default value: String? = nil) throws(ModelError) -> String {
        switch attributes[name] {
        case .string(let v): return v
        case nil:
            if let value { return value }
            throw .node(self, .invalidAttribute, "required STRING attribute '\(name)' is missing")
        case let other?: throw wrongType(name, "STRING", other)
        }
    }

    func ints(_ name: String, default value: [Int]? = nil) throws(ModelError) -> [Int] {
        switch attributes[name] {
        case .ints(let v): return v
        case .int(let v): return [v]
        case nil:
            if let value { return value }
            throw .node(self, .invalidAttribute, "required INTS attribute '\(name)' is missing")
        case let other?: throw wrongType(name, "INTS", other)
        }
    }

    func floats(_ name: String, default value: [Float]? = nil) throws(ModelError) -> [Float] {
        switch attributes[name] {
        case .floats(let v): return v
        case .float(let v): return [v]
        case nil:
            if let value { return value }
            throw .node(self, .invalidAttribute, "required FLOATS attribute '\(name)' is missing")
        case let other?: throw wrongType(name, "FLOATS", other)
        }
    }

    func strings(_ name: String, default value: [String]? = nil) throws(ModelError) -> [String] {
        switch attributes[name] {
        case .strings(let v): return v
        case .string(let v): return [v]
        case nil:
            if let value { return value }
            throw .node(self, .invalidAttribute, "required STRINGS attribute '\(name)' is missing")
        case let other?: throw wrongType(name, "STRINGS", other)
        }
    }

    func tensor(_ name: String) throws(ModelError) -> Tensor? {
        switch attributes[name] {
        case .tensor(let v): return v
        case nil: return nil
        case let other?: throw wrongType(name, "TENSOR", other)
        }
    }

    func has(_ name: String) -> Bool { attributes[name] != nil }

    /// Checks that a string attribute is one of `allowed`.
    func choice(_ name: String, default value: String, allowed: [String]) throws(ModelError) -> String {
        let v = try string(name, default: value)
        guard allowed.contains(v) else {
            throw .node(self, .invalidAttribute, "attribute '\(name)' = '\(v)' is not supported (supported: \(allowed.joined(separator: ", ")))")
        }
        return v
    }

    private func wrongType(_ name: String, _ expected: String, _ got: Attribute) -> ModelError {
        .node(self, .invalidAttribute, "attribute '\(name)' must be \(expected), got \(got.typeName)")
    }
}
