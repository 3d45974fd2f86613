import SwitchyardKServe
import SwitchyardRuntime

/// The mapping between protocol datatypes and runtime element types, as a switch: it runs for
/// every tensor of every request, where looking names up as strings measured as a visible share of
/// the bridge's cost.
enum DatatypeBridge {
    static func elementType(_ d: InferDatatype) -> ElementType? {
        switch d {
        case .bool: .bool
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        case .uint64: .uint64
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .fp16: .float16
        case .fp32: .float32
        case .fp64: .float64
        case .bytes: .string
        case .bf16: nil
        }
    }

    static func datatype(_ e: ElementType) -> InferDatatype {
        switch e {
        case .bool: .bool
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        case .uint64: .uint64
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .float16: .fp16
        case .float32: .fp32
        case .float64: .fp64
        case .string: .bytes
        }
    }
}
