import Foundation
import SwiftProtobuf

/// Converts ONNX `TensorProto`s (initializers, `Constant` values, tensor attributes) into
/// `Tensor`s, from either `raw_data` or the typed repeated fields, checking that the data matches
/// the declared dims.
enum TensorProtoDecoder {
    static func decode(_ proto: Onnx_TensorProto, context: String) throws(ModelError) -> Tensor {
        if proto.dataLocation == .external {
            throw ModelError(.unsupportedType, "\(context): external tensor data is not supported; embed the weights in the model file")
        }
        guard let type = ElementType(rawValue: Int(proto.dataType)) else {
            throw ModelError(.unsupportedType, "\(context): tensor data type \(proto.dataType) is not supported")
        }
        let shape = proto.dims.map { Int($0) }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ModelError(.invalidGraph, "\(context): negative dimension in \(shape)")
        }
        let count = shape.reduce(1, *)
        func mismatch(_ got: Int) -> ModelError {
            ModelError(.invalidGraph, "\(context): shape \(shape) needs \(count) elements of \(type), the data holds \(got)")
        }
        if type == .string {
            guard proto.stringData.count == count else { throw mismatch(proto.stringData.count) }
            let strings = proto.stringData.map { String(decoding: $0, as: UTF8.self) }
            return try! Tensor(shape: shape, strings: strings)
        }
        if !proto.rawData.isEmpty {
            guard proto.rawData.count == count * type.byteWidth else { throw mismatch(proto.rawData.count / max(type.byteWidth, 1)) }
            return try! Tensor(elementType: type, shape: shape, bytes: proto.rawData)
        }
        do {
            switch type {
            case .float32:
                guard proto.floatData.count == count else { throw mismatch(proto.floatData.count) }
                return try Tensor(shape: shape, values: proto.floatData)
            case .float64:
                guard proto.doubleData.count == count else { throw mismatch(proto.doubleData.count) }
                return try Tensor(shape: shape, values: proto.doubleData)
            case .int64:
                guard proto.int64Data.count == count else { throw mismatch(proto.int64Data.count) }
                return try Tensor(shape: shape, values: proto.int64Data)
            case .uint64, .uint32:
                guard proto.uint64Data.count == count else { throw mismatch(proto.uint64Data.count) }
                if type == .uint64 { return try Tensor(shape: shape, values: proto.uint64Data) }
                return try Tensor(shape: shape, values: proto.uint64Data.map { UInt32(truncatingIfNeeded: $0) })
            case .int32, .int16, .int8, .uint16, .uint8, .bool, .float16:
                // ONNX stores all of these widened to int32 in `int32_data` (fp16 as raw bits).
                guard proto.int32Data.count == count else { throw mismatch(proto.int32Data.count) }
                let v = proto.int32Data
                switch type {
                case .int32: return try Tensor(shape: shape, values: v)
                case .int16: return try Tensor(shape: shape, values: v.map { Int16(truncatingIfNeeded: $0) })
                case .int8: return try Tensor(shape: shape, values: v.map { Int8(truncatingIfNeeded: $0) })
                case .uint16, .float16:
                    let t = try Tensor(shape: shape, values: v.map { UInt16(truncatingIfNeeded: $0) })
                    return try Tensor(elementType: type, shape: shape, bytes: t.rawBytes)
                case .uint8: return try Tensor(shape: shape, values: v.map { UInt8(truncatingIfNeeded: $0) })
                default: return try Tensor(shape: shape, values: v.map { $0 != 0 })
                }
            case .string:
                preconditionFailure("handled above")
            }
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError(.invalidGraph, "\(context): \(error)")
        }
    }
}
