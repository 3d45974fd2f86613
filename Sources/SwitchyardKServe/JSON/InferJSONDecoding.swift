/// Decoding of whole documents: inference requests and responses (JSON header part), parameter
/// maps and the small repository bodies.
enum InferJSONDecoding {
    static func parameters(_ value: JSONValue, owner: @autoclosure () -> String) throws(KServeError) -> InferParameters {
        var unused: InferParameterValue?
        return try parameters(value, owner: owner(), extracting: nil, into: &unused)
    }

    /// Reads a `parameters` object. The member named `reserved` (a transport detail such as
    /// `binary_data_size`) goes to `extracted` instead of the list, so a tensor whose only
    /// parameter it is builds no list at all.
    static func parameters(_ value: JSONValue, owner: @autoclosure () -> String, extracting reserved: StaticString?,
                           into extracted: inout InferParameterValue?) throws(KServeError) -> InferParameters {
        guard value.kind == .object else {
            throw .invalidArgument("\(owner()): 'parameters' must be an object, got \(value.kind.noun)")
        }
        var out = InferParameters()
        try value.forEachMember { k, v throws(KServeError) in
            let parameter: InferParameterValue
            switch v.kind {
            case .bool: parameter = .bool(v.boolValue!)
            case .int64: parameter = .int64(v.int64Value!)
            case .uint64: parameter = .uint64(v.uint64Value!)
            case .double: parameter = .double(v.doubleValue)
            case .string: parameter = .string(v.stringValue!)
            case .array, .object, .null:
                throw .invalidArgument("\(owner()): parameter '\(k.string)' must be a string, number or boolean, got \(v.kind.noun)")
            }
            if let reserved, k.is(reserved) {
                extracted = parameter  // the last one wins, as for any repeated member
            } else {
                out[k.string] = parameter
            }
        }
        return out
    }

    /// The parsed header of an inference request: everything but the tensor data.
    struct RequestHeader {
        var id: String?
        var parameters: InferParameters
        var inputs: [PendingTensor]
        var outputs: [InferRequestedOutput]?
    }

    static func requestHeader(_ root: JSONValue) throws(KServeError) -> RequestHeader {
        guard root.kind == .object else {
            throw .invalidArgument("inference request must be a JSON object, got \(root.kind.noun)")
        }
        var header = RequestHeader(id: nil, parameters: InferParameters(), inputs: [], outputs: nil)
        var inputsValue: JSONValue?
        try root.forEachMember { key, v throws(KServeError) in
            if key.is("id") {
                guard let s = v.stringValue else { throw .invalidArgument("request 'id' must be a string, got \(v.kind.noun)") }
                header.id = s
            } else if key.is("parameters") {
                header.parameters = try parameters(v, owner: "request")
            } else if key.is("inputs") {
                inputsValue = v
            } else if key.is("outputs") {
                header.outputs = try requestedOutputs(v)
            }
        }
        guard let inputsValue else { throw .invalidArgument("inference request has no 'inputs'") }
        guard inputsValue.kind == .array else {
            throw .invalidArgument("'inputs' must be an array, got \(inputsValue.kind.noun)")
        }
        try inputsValue.forEachElement { i, v throws(KServeError) in
            let t = try TensorJSONDecoding.pendingTensor(v, role: "input", position: i, list: "inputs")
            if header.inputs.contains(where: { $0.name == t.name }) {
                throw .invalidArgument("input '\(t.name)' appears more than once")
            }
            header.inputs.append(t)
        }
        return header
    }

    static func requestedOutputs(_ value: JSONValue) throws(KServeError) -> [InferRequestedOutput] {
        guard value.kind == .array else { throw .invalidArgument("'outputs' must be an array, got \(value.kind.noun)") }
        var outputs: [InferRequestedOutput] = []
        try value.forEachElement { i, v throws(KServeError) in
            guard v.kind == .object else { throw .invalidArgument("outputs[\(i)] must be an object, got \(v.kind.noun)") }
            var name: String?
            var params = InferParameters()
            try v.forEachMember { key, m throws(KServeError) in
                if key.is("name") {
                    guard let s = m.stringValue else { throw .invalidArgument("outputs[\(i)]: 'name' must be a string, got \(m.kind.noun)") }
                    name = s
                } else if key.is("parameters") {
                    params = try parameters(m, owner: "outputs[\(i)]")
                }
            }
            guard let name else { throw .invalidArgument("outputs[\(i)] has no 'name'") }
            if outputs.contains(where: { $0.name == name }) {
                throw .invalidArgument("output '\(name)' is requested more than once")
            }
            if let b = params[BinaryTensorParameters.binaryData], b.boolValue == nil {
                throw .invalidArgument("output '\(name)': binary_data must be a boolean, got \(b)")
            }
            outputs.append(InferRequestedOutput(name: name, parameters: params))
        }
        return outputs
    }

    /// The parsed header of an inference response.
    struct ResponseHeader {
        var modelName: String
        var modelVersion: String?
        var id: String?
        var parameters: InferParameters
        var outputs: [PendingTensor]
    }

    static func responseHeader(_ root: JSONValue) throws(KServeError) -> ResponseHeader {
        guard root.kind == .object else {
            throw .invalidArgument("inference response must be a JSON object, got \(root.kind.noun)")
        }
        var header = ResponseHeader(modelName: "", modelVersion: nil, id: nil, parameters: InferParameters(), outputs: [])
        var sawName = false
        var outputsValue: JSONValue?
        for (key, v) in root.objectMembers {
            switch key {
            case "model_name":
                guard let s = v.stringValue else { throw .invalidArgument("response 'model_name' must be a string") }
                header.modelName = s
                sawName = true
            case "model_version":
                guard let s = v.stringValue else { throw .invalidArgument("response 'model_version' must be a string") }
                header.modelVersion = s
            case "id":
                guard let s = v.stringValue else { throw .invalidArgument("response 'id' must be a string") }
                header.id = s
            case "parameters": header.parameters = try parameters(v, owner: "response")
            case "outputs": outputsValue = v
            default: break
            }
        }
        guard sawName else { throw .invalidArgument("inference response has no 'model_name'") }
        if let outputsValue {
            guard outputsValue.kind == .array else { throw .invalidArgument("'outputs' must be an array") }
            for (i, v) in outputsValue.arrayElements.enumerated() {
                header.outputs.append(try TensorJSONDecoding.pendingTensor(v, role: "output", position: i, list: "outputs"))
            }
        }
        return header
    }
}
