import SwitchyardCore

/// A tensor's JSON header (name, datatype, shape, parameters) with its data still unresolved:
/// either a JSON `data` value, or a blob of `binary_data_size` bytes after the JSON header.
struct PendingTensor {
    var name: String
    var datatype: InferDatatype
    var shape: [Int64]
    var parameters: InferParameters
    var data: JSONValue?
    var binarySize: Int?
    /// "input" or "output", for messages.
    var role: String

    var label: String { "\(role) '\(name)'" }
}

/// Reading tensor headers and `data` arrays out of a parsed document.
enum TensorJSONDecoding {
    /// Reads one entry of `inputs` (or a response's `outputs`). `position` is its index, used in
    /// messages until the name is known.
    static func pendingTensor(_ value: JSONValue, role: String, position: Int, list: String) throws(KServeError) -> PendingTensor {
        guard value.kind == .object else {
            throw .invalidArgument("\(list)[\(position)] must be an object, got \(value.kind.noun)")
        }
        var name: String?
        var datatypeValue: JSONValue?
        var shapeValue: JSONValue?
        var parametersValue: JSONValue?
        var data: JSONValue?
        try value.forEachMember { key, v throws(KServeError) in
            if key.is("name") {
                guard let s = v.stringValue else { throw .invalidArgument("\(list)[\(position)]: 'name' must be a string, got \(v.kind.noun)") }
                name = s
            } else if key.is("datatype") {
                datatypeValue = v
            } else if key.is("shape") {
                shapeValue = v
            } else if key.is("parameters") {
                parametersValue = v
            } else if key.is("data") {
                data = v
            }
            // unknown members are ignored, as Triton and KServe do
        }
        guard let name else { throw .invalidArgument("\(list)[\(position)] has no 'name'") }
        // Built only for messages: a successful decode never formats it.
        func label() -> String { "\(role) '\(name)'" }
        guard let datatypeValue else { throw .invalidArgument("\(label()): missing 'datatype'") }
        guard let datatype = datatypeValue.datatype else {
            guard let dtName = datatypeValue.stringValue else {
                throw .invalidArgument("\(label()): 'datatype' must be a string, got \(datatypeValue.kind.noun)")
            }
            throw .invalidArgument("\(label()): unknown datatype '\(dtName)'")
        }
        guard let shapeValue else { throw .invalidArgument("\(label()): missing 'shape'") }
        let shape = try Self.shape(shapeValue, label: label())
        var parameters = InferParameters()
        var binarySize: Int?
        if let parametersValue {
            // binary_data_size is a transport detail: taken out here so it does not reach the
            // model's parameters (and a binary input's list is not built only to be emptied).
            var size: InferParameterValue?
            parameters = try InferJSONDecoding.parameters(parametersValue, owner: label(),
                                                          extracting: BinaryTensorParameters.binaryDataSizeName, into: &size)
            if let p = size {
                guard let n = p.int64Value, n >= 0, n <= Int64(Int32.max) else {
                    throw .invalidArgument("\(label()): binary_data_size must be a non-negative integer, got \(p)")
                }
                binarySize = Int(n)
            }
        }
        if data != nil && binarySize != nil {
            throw .invalidArgument("\(label()): has both 'data' and binary_data_size")
        }
        if data == nil && binarySize == nil {
            throw .invalidArgument("\(label()): missing 'data' (or binary_data_size for binary data)")
        }
        return PendingTensor(name: name, datatype: datatype, shape: shape, parameters: parameters,
                             data: data, binarySize: binarySize, role: role)
    }

    static func shape(_ value: JSONValue, label: @autoclosure () -> String) throws(KServeError) -> [Int64] {
        guard value.kind == .array else {
            throw .invalidArgument("\(label()): 'shape' must be an array of non-negative integers, got \(value.kind.noun)")
        }
        // The usual shape, non-negative integers, in one call; the loop below names any problem.
        if let dims = value.int64Array, !dims.contains(where: { $0 < 0 }) { return dims }
        var shape: [Int64] = []
        shape.reserveCapacity(value.arrayCount)
        try value.forEachElement { _, d throws(KServeError) in
            if let v = d.int64Value, v >= 0 { shape.append(v); return }
            if let v = d.int64Value { throw .invalidArgument("\(label()): shape dimension \(v) is negative") }
            if d.kind == .uint64 { throw .invalidArgument("\(label()): shape dimension \(d.uint64Value ?? 0) is too large") }
            throw .invalidArgument("\(label()): 'shape' must be an array of non-negative integers, found \(d.kind.noun)")
        }
        return shape
    }

    /// Expected element count of a shape, or a 400 naming the tensor.
    static func elementCount(_ shape: [Int64], label: @autoclosure () -> String) throws(KServeError) -> Int {
        guard let n = InferTensor.elementCount(of: shape), n <= Int(UInt32.max) * 16 else {
            throw .invalidArgument("\(label()): shape \(ShapeText.format(shape)) has too many elements")
        }
        return n
    }

    /// Converts the JSON `data` of a tensor into its storage, checking types, ranges and count.
    /// `documentLength` bounds the allocation: a JSON text of n bytes holds at most (n+1)/2
    /// scalars, so a shape claiming more cannot match and is only counted, never allocated for
    /// (a tiny body with shape [1000000000] must not reserve gigabytes).
    static func data(_ data: JSONValue, of t: PendingTensor, documentLength: Int) throws(KServeError) -> TensorData {
        if t.datatype.isBinaryOnly {
            throw .invalidArgument("\(t.label): datatype \(t.datatype) has no JSON representation; send it as binary data (binary_data_size) or as gRPC raw contents")
        }
        let expected = try elementCount(t.shape, label: t.label)
        if expected > documentLength / 2 + 1 {
            let fill = t.datatype == .bytes ? data.fillStrings(capacity: 0).0 : data.fillNumeric(t.datatype, into: nil, capacity: 0)
            try check(fill, expected: expected, of: t)
        }
        if t.datatype == .bytes {
            let (fill, elements) = data.fillStrings(capacity: expected)
            try check(fill, expected: expected, of: t)
            return .bytes(elements)
        }
        let size = t.datatype.byteSize!
        var fill = JSONValue.Fill.empty
        let datatype = t.datatype  // the closure captures this, not the whole pending tensor
        let bytes = ByteArrays.make(count: expected * size) { buffer in
            fill = data.fillNumeric(datatype, into: buffer.baseAddress, capacity: expected)
            // On error or short data the tail is unspecified; the array is discarded below.
        }
        try check(fill, expected: expected, of: t)
        return .raw(bytes)
    }

    private static func check(_ fill: JSONValue.Fill, expected: Int, of t: PendingTensor) throws(KServeError) {
        switch fill.status {
        case .ok: break
        case .wrongType(let found):
            throw .invalidArgument("\(t.label): data element \(fill.index) is \(found.noun), expected \(expectation(t.datatype))")
        case .outOfRange:
            throw .invalidArgument("\(t.label): data element \(fill.index) is out of range for \(t.datatype)")
        case .tooDeep:
            throw .invalidArgument("\(t.label): 'data' is nested too deeply")
        }
        if fill.count != expected {
            throw .invalidArgument("\(t.label): shape \(ShapeText.format(t.shape)) needs \(expected) elements, got \(fill.count)")
        }
    }

    private static func expectation(_ t: InferDatatype) -> String {
        switch t {
        case .bool: return "true or false for BOOL"
        case .fp32, .fp64: return "a number for \(t)"
        case .bytes: return "a string for BYTES"
        default: return "an integer for \(t)"
        }
    }
}
