/// The element type of a tensor, numbered as ONNX's `TensorProto.DataType` so values read from a
/// model file map directly. The V2 inference protocol names (`FP32`, `INT64`, ...) are what an API
/// user sees, so `description` prints those.
public enum ElementType: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32 = 1
    case uint8 = 2
    case int8 = 3
    case uint16 = 4
    case int16 = 5
    case int32 = 6
    case int64 = 7
    case string = 8
    case bool = 9
    case float16 = 10
    case float64 = 11
    case uint32 = 12
    case uint64 = 13

    /// Bytes per element in the contiguous little-endian layout (0 for strings, which are stored
    /// as Swift strings rather than bytes).
    public var byteWidth: Int {
        switch self {
        case .float32, .int32, .uint32: 4
        case .float64, .int64, .uint64: 8
        case .uint8, .int8, .bool: 1
        case .uint16, .int16, .float16: 2
        case .string: 0
        }
    }

    /// The Open Inference Protocol v2 datatype name.
    public var v2Name: String {
        switch self {
        case .float32: "FP32"
        case .float64: "FP64"
        case .float16: "FP16"
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .int32: "INT32"
        case .int64: "INT64"
        case .uint32: "UINT32"
        case .uint64: "UINT64"
        case .bool: "BOOL"
        case .string: "BYTES"
        }
    }

    /// Parses a V2 datatype name (`"FP32"`, `"BYTES"`, ...).
    public init?(v2Name: String) {
        guard let match = ElementType.allCases.first(where: { $0.v2Name == v2Name }) else { return nil }
        self = match
    }

    public var description: String { v2Name }

    /// Types the kernels compute on. The others are accepted at the API boundary only, so that a
    /// request carrying them gets a precise "the model expects X" error instead of a decode error.
    var isComputable: Bool {
        switch self {
        case .float32, .float64, .int64, .int32, .bool, .string: true
        default: false
        }
    }

    var isFloatingPoint: Bool { self == .float32 || self == .float64 }
}

/// Swift scalar types that can back a tensor, tying each to its `ElementType`.
public protocol TensorScalar: Sendable {
    static var elementType: ElementType { get }
}

extension Float: TensorScalar { public static var elementType: ElementType { .float32 } }
extension Double: TensorScalar { public static var elementType: ElementType { .float64 } }
extension Int64: TensorScalar { public static var elementType: ElementType { .int64 } }
extension Int32: TensorScalar { public static var elementType: ElementType { .int32 } }
extension Bool: TensorScalar { public static var elementType: ElementType { .bool } }
extension UInt8: TensorScalar { public static var elementType: ElementType { .uint8 } }
extension Int8: TensorScalar { public static var elementType: ElementType { .int8 } }
extension UInt16: TensorScalar { public static var elementType: ElementType { .uint16 } }
extension Int16: TensorScalar { public static var elementType: ElementType { .int16 } }
extension UInt32: TensorScalar { public static var elementType: ElementType { .uint32 } }
extension UInt64: TensorScalar { public static var elementType: ElementType { .uint64 } }
