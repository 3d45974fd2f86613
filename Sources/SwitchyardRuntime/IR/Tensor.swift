/// A dense, row-major tensor value: element type, shape and contiguous storage.
///
/// This is the runtime's exchange type; the gateway converts protocol tensors to it. Numeric and
/// boolean data is stored as contiguous little-endian bytes (bools as one byte, 0 or 1); strings
/// as Swift strings. Copies share storage (the data is immutable once built).
public struct Tensor: Sendable {
    public let elementType: ElementType
    public let shape: [Int]
    let storage: RawStorage?
    let stringValues: [String]

    /// Number of elements (the product of the shape; 1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// Size of the raw data in bytes (0 for strings).
    public var byteCount: Int { count * elementType.byteWidth }

    init(elementType: ElementType, shape: [Int], storage: RawStorage) {
        self.elementType = elementType
        self.shape = shape
        self.storage = storage
        self.stringValues = []
    }

    /// A zero-filled tensor.
    public init(zeros elementType: ElementType, shape: [Int]) {
        precondition(elementType != .string, "use init(shape:strings:) for strings")
        let count = shape.reduce(1, *)
        self.init(elementType: elementType, shape: shape,
                  storage: RawStorage(byteCount: count * elementType.byteWidth))
    }

    /// Builds a tensor from raw little-endian bytes (the V2 binary extension / gRPC
    /// `raw_contents` layout).
    /// - Throws: `TensorError` when the byte count does not match the shape.
    public init(elementType: ElementType, shape: [Int], bytes: some Collection<UInt8>) throws(TensorError) {
        guard elementType != .string else { throw TensorError("STRING tensors are built from strings, not raw bytes") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError("shape \(shape) has a negative dimension") }
        let expected = shape.reduce(1, *) * elementType.byteWidth
        guard bytes.count == expected else {
            throw TensorError("\(elementType) tensor of shape \(shape) needs \(expected) bytes, got \(bytes.count)")
        }
        // Every byte is copied over: no zero-filling first (a second pass over large inputs).
        let storage = RawStorage(uninitializedByteCount: expected)
        // Contiguous sources (the usual [UInt8] / ArraySlice) are one memcpy; the generic
        // `copyBytes(from:)` is not specialized across modules and cost ~900 instructions a call.
        let copied = bytes.withContiguousStorageIfAvailable { source in
            if let base = source.baseAddress { storage.pointer.copyMemory(from: base, byteCount: expected) }
        }
        if copied == nil {
            UnsafeMutableRawBufferPointer(start: storage.pointer, count: expected).copyBytes(from: bytes)
        }
        self.init(elementType: elementType, shape: shape, storage: storage)
    }

    /// Builds a tensor from typed scalars.
    /// - Throws: `TensorError` when the count does not match the shape.
    public init<T: TensorScalar>(shape: [Int], values: [T]) throws(TensorError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError("shape \(shape) has a negative dimension") }
        let expected = shape.reduce(1, *)
        guard values.count == expected else {
            throw TensorError("tensor of shape \(shape) needs \(expected) values, got \(values.count)")
        }
        let width = T.elementType.byteWidth
        let storage = RawStorage(uninitializedByteCount: expected * width)   // every byte is written below
        if T.self == Bool.self {
            let out = storage.pointer.assumingMemoryBound(to: UInt8.self)
            for (i, v) in values.enumerated() { out[i] = (v as! Bool) ? 1 : 0 }
        } else {
            values.withUnsafeBytes { raw in
                if let base = raw.baseAddress { storage.pointer.copyMemory(from: base, byteCount: expected * width) }
            }
        }
        self.init(elementType: T.elementType, shape: shape, storage: storage)
    }

    /// Builds a STRING tensor.
    public init(shape: [Int], strings: [String]) throws(TensorError) {
        let expected = shape.reduce(1, *)
        guard strings.count == expected, shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError("tensor of shape \(shape) needs \(expected) strings, got \(strings.count)")
        }
        elementType = .string
        self.shape = shape
        storage = nil
        stringValues = strings
    }

    /// The raw little-endian bytes (empty for strings).
    public var rawBytes: [UInt8] {
        guard let storage else { return [] }
        return Array(UnsafeRawBufferPointer(start: storage.pointer, count: storage.byteCount))
    }

    /// Calls `body` with the raw bytes without copying.
    public func withUnsafeRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage?.pointer, count: storage?.byteCount ?? 0))
    }

    /// The elements as `T`, or nil when `T` is not this tensor's element type.
    public func scalars<T: TensorScalar>(as type: T.Type = T.self) -> [T]? {
        guard T.elementType == elementType, let storage else { return nil }
        if T.self == Bool.self {
            let bytes = storage.pointer.assumingMemoryBound(to: UInt8.self)
            return (0..<count).map { bytes[$0] != 0 } as? [T]
        }
        return Array(UnsafeBufferPointer(start: storage.pointer.assumingMemoryBound(to: T.self), count: count))
    }

    /// The elements of a STRING tensor, or nil for other types.
    public var strings: [String]? { elementType == .string ? stringValues : nil }

    /// The same data under another shape with the same element count (used by the runtime for
    /// views such as Reshape of constants).
    func reshaped(_ newShape: [Int]) -> Tensor {
        if let storage { return Tensor(elementType: elementType, shape: newShape, storage: storage) }
        return try! Tensor(shape: newShape, strings: stringValues)
    }
}

/// A tensor could not be built from the given data.
public struct TensorError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
