import SwitchyardCore

/// The tensor element types of the Open Inference Protocol v2, spelled as on the wire.
///
/// BF16 is not in the OIP table but KServe lists it and Triton accepts it; like FP16 it has no
/// JSON representation and travels only as binary (binary tensor extension or raw gRPC contents).
public enum InferDatatype: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case bool = "BOOL"
    case uint8 = "UINT8"
    case uint16 = "UINT16"
    case uint32 = "UINT32"
    case uint64 = "UINT64"
    case int8 = "INT8"
    case int16 = "INT16"
    case int32 = "INT32"
    case int64 = "INT64"
    case fp16 = "FP16"
    case bf16 = "BF16"
    case fp32 = "FP32"
    case fp64 = "FP64"
    case bytes = "BYTES"

    /// Parses a wire name; names are case-sensitive as the protocol says.
    ///
    /// Compares against each case's name (small-string equality is a two-word compare) rather
    /// than the synthesized `init(rawValue:)`, whose string-switch lookup showed in the gRPC
    /// request profile.
    public init?(wireName: String) {
        guard let found = wireName.withUTF8Bytes({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = found
    }

    /// The datatype spelled by these bytes, compared without making Strings (gRPC requests carry
    /// the name as a protobuf string; looping over `rawValue`s cost ~400 instructions a tensor).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> InferDatatype? {
        for c in allCases where HTTPCommonText.equals(bytes, c.wireName) { return c }
        return nil
    }

    /// The wire name as a literal: encoders copy it without a String (same text as `rawValue`).
    public var wireName: StaticString {
        switch self {
        case .bool: "BOOL"
        case .uint8: "UINT8"
        case .uint16: "UINT16"
        case .uint32: "UINT32"
        case .uint64: "UINT64"
        case .int8: "INT8"
        case .int16: "INT16"
        case .int32: "INT32"
        case .int64: "INT64"
        case .fp16: "FP16"
        case .bf16: "BF16"
        case .fp32: "FP32"
        case .fp64: "FP64"
        case .bytes: "BYTES"
        }
    }

    public var description: String { rawValue }

    /// Size of one element in bytes; nil for BYTES, whose elements have their own lengths.
    public var byteSize: Int? {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .uint16, .int16, .fp16, .bf16: return 2
        case .uint32, .int32, .fp32: return 4
        case .uint64, .int64, .fp64: return 8
        case .bytes: return nil
        }
    }

    /// True for types JSON cannot carry (the spec calls them "problematic to communicate").
    public var isBinaryOnly: Bool { self == .fp16 || self == .bf16 }
}

/// Swift scalar types that map one-to-one onto a fixed-size datatype; used to build and read
/// tensors without touching raw bytes by hand.
public protocol InferScalar: Sendable {
    static var inferDatatype: InferDatatype { get }
}

extension Bool: InferScalar { public static var inferDatatype: InferDatatype { .bool } }
extension UInt8: InferScalar { public static var inferDatatype: InferDatatype { .uint8 } }
extension UInt16: InferScalar { public static var inferDatatype: InferDatatype { .uint16 } }
extension UInt32: InferScalar { public static var inferDatatype: InferDatatype { .uint32 } }
extension UInt64: InferScalar { public static var inferDatatype: InferDatatype { .uint64 } }
extension Int8: InferScalar { public static var inferDatatype: InferDatatype { .int8 } }
extension Int16: InferScalar { public static var inferDatatype: InferDatatype { .int16 } }
extension Int32: InferScalar { public static var inferDatatype: InferDatatype { .int32 } }
extension Int64: InferScalar { public static var inferDatatype: InferDatatype { .int64 } }
extension Float: InferScalar { public static var inferDatatype: InferDatatype { .fp32 } }
extension Double: InferScalar { public static var inferDatatype: InferDatatype { .fp64 } }
