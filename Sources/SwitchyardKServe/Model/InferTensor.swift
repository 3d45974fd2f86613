/// Tensor contents in the one representation every codec lands in: REST JSON, the binary
/// extension and gRPC (typed or raw) all decode into this, and all encoders read from it.
public enum TensorData: Sendable, Hashable {
    /// Fixed-size elements: contiguous, row-major, little-endian, `elementCount × byteSize` bytes
    /// (BOOL is one byte, 0 or 1).
    case raw([UInt8])
    /// BYTES elements, row-major, each element's bytes without a length prefix.
    case bytes([[UInt8]])
}

/// An input or output tensor of an inference request or response.
public struct InferTensor: Sendable, Hashable {
    public var name: String
    public var datatype: InferDatatype
    public var shape: [Int64]
    public var parameters: InferParameters
    public var data: TensorData

    /// Builds a tensor without checking that data matches shape; decoders check, and
    /// `validate()` is available to callers that build tensors themselves.
    public init(name: String, datatype: InferDatatype, shape: [Int64],
                parameters: InferParameters = InferParameters(), data: TensorData) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
        self.parameters = parameters
        self.data = data
    }

    /// A fixed-size tensor from Swift scalars (copied little-endian; this target only builds for
    /// little-endian hosts, see `InferTensor.hostIsLittleEndian`).
    public init<T: InferScalar>(name: String, shape: [Int64], values: [T],
                                parameters: InferParameters = InferParameters()) {
        let bytes: [UInt8]
        if T.self == Bool.self {
            bytes = values.map { ($0 as! Bool) ? 1 : 0 }
        } else {
            bytes = values.withUnsafeBytes { Array($0) }
        }
        self.init(name: name, datatype: T.inferDatatype, shape: shape, parameters: parameters, data: .raw(bytes))
    }

    /// A BYTES tensor from element byte strings.
    public init(name: String, shape: [Int64], elements: [[UInt8]], parameters: InferParameters = InferParameters()) {
        self.init(name: name, datatype: .bytes, shape: shape, parameters: parameters, data: .bytes(elements))
    }

    /// A BYTES tensor from strings (UTF-8).
    public init(name: String, shape: [Int64], strings: [String], parameters: InferParameters = InferParameters()) {
        self.init(name: name, shape: shape, elements: strings.map { Array($0.utf8) }, parameters: parameters)
    }

    static let hostIsLittleEndian: Bool = 1.littleEndian == 1

    /// Number of elements the data holds (not the shape's product).
    public var dataElementCount: Int {
        switch data {
        case .raw(let b): return datatype.byteSize.map { b.count / $0 } ?? 0
        case .bytes(let e): return e.count
        }
    }

    /// The raw bytes of a fixed-size tensor; nil for BYTES.
    public var rawBytes: [UInt8]? { if case .raw(let b) = data { return b } else { return nil } }

    /// The elements of a BYTES tensor; nil for fixed-size tensors.
    public var elements: [[UInt8]]? { if case .bytes(let e) = data { return e } else { return nil } }

    /// The elements as Swift scalars; nil when `T` does not match the datatype.
    public func values<T: InferScalar>(as type: T.Type) -> [T]? {
        guard T.inferDatatype == datatype, case .raw(let bytes) = data else { return nil }
        if T.self == Bool.self { return bytes.map { ($0 != 0) as! T } }
        let stride = MemoryLayout<T>.stride
        let n = bytes.count / stride
        return [T](unsafeUninitializedCapacity: n) { buffer, count in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<(n * stride)]))
            }
            count = n
        }
    }

    /// The tensor in the binary tensor extension's / gRPC raw contents' layout: the raw bytes,
    /// or for BYTES each element preceded by its 4-byte little-endian length.
    public func serializedBytes() -> [UInt8] {
        switch data {
        case .raw(let b): return b
        case .bytes(let elements): return BytesElementCodec.serialize(elements)
        }
    }

    /// Size of `serializedBytes()` without building it.
    public var serializedByteCount: Int {
        switch data {
        case .raw(let b): return b.count
        case .bytes(let elements): return elements.reduce(0) { $0 + 4 + $1.count }
        }
    }

    /// Product of the shape's dimensions, rejecting negative dimensions and overflow.
    public static func elementCount(of shape: [Int64]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0, d <= Int64(Int.max) else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: Int(d))
            if overflow { return nil }
            n = p
        }
        return n
    }

    /// Checks that the data holds exactly the shape's element count (for fixed-size types, the
    /// exact byte count). Decoders call this; builders of tensors may too.
    public func validate(role: String = "tensor") throws(KServeError) {
        guard let expected = Self.elementCount(of: shape) else {
            throw .invalidArgument("\(role) '\(name)': invalid shape \(ShapeText.format(shape))")
        }
        switch (data, datatype.byteSize) {
        case (.raw(let b), let size?):
            let (bytes, overflow) = expected.multipliedReportingOverflow(by: size)
            if overflow || b.count != bytes {
                throw .invalidArgument("\(role) '\(name)': shape \(ShapeText.format(shape)) of \(datatype) needs \(overflow ? "too many" : String(bytes)) bytes, got \(b.count)")
            }
        case (.bytes(let e), nil):
            if e.count != expected {
                throw .invalidArgument("\(role) '\(name)': shape \(ShapeText.format(shape)) needs \(expected) elements, got \(e.count)")
            }
        default:
            throw .invalidArgument("\(role) '\(name)': data representation does not match datatype \(datatype)")
        }
    }
}

/// Shapes in messages are written like JSON arrays: `[2,32]`.
enum ShapeText {
    static func format(_ shape: [Int64]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }
}
