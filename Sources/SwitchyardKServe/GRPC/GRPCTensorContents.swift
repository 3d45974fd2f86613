#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Typed `InferTensorContents` ↔ raw little-endian storage. Each datatype has exactly one
/// field (INT8/16/32 share `int_contents`, UINT8/16/32 share `uint_contents`); narrower types
/// are range-checked because the wire field is wider.
enum GRPCTensorContents {
    static func decode(_ c: Inference_InferTensorContents, of t: PendingTensor) throws(KServeError) -> TensorData {
        let expected = try TensorJSONDecoding.elementCount(t.shape, label: t.label)
        func count(_ n: Int, _ field: String) throws(KServeError) {
            guard n == expected else {
                throw .invalidArgument("\(t.label): shape \(ShapeText.format(t.shape)) needs \(expected) elements, got \(n) in \(field)")
            }
        }
        switch t.datatype {
        case .bool:
            try count(c.boolContents.count, "bool_contents")
            return .raw(c.boolContents.map { $0 ? 1 : 0 })
        case .int8: try count(c.intContents.count, "int_contents"); return .raw(try narrow(c.intContents, Int8.self, t))
        case .int16: try count(c.intContents.count, "int_contents"); return .raw(try narrow(c.intContents, Int16.self, t))
        case .int32: try count(c.intContents.count, "int_contents"); return .raw(bytes(of: c.intContents))
        case .int64: try count(c.int64Contents.count, "int64_contents"); return .raw(bytes(of: c.int64Contents))
        case .uint8: try count(c.uintContents.count, "uint_contents"); return .raw(try narrow(c.uintContents, UInt8.self, t))
        case .uint16: try count(c.uintContents.count, "uint_contents"); return .raw(try narrow(c.uintContents, UInt16.self, t))
        case .uint32: try count(c.uintContents.count, "uint_contents"); return .raw(bytes(of: c.uintContents))
        case .uint64: try count(c.uint64Contents.count, "uint64_contents"); return .raw(bytes(of: c.uint64Contents))
        case .fp32: try count(c.fp32Contents.count, "fp32_contents"); return .raw(bytes(of: c.fp32Contents))
        case .fp64: try count(c.fp64Contents.count, "fp64_contents"); return .raw(bytes(of: c.fp64Contents))
        case .bytes:
            try count(c.bytesContents.count, "bytes_contents")
            return .bytes(c.bytesContents.map { Array($0) })
        case .fp16, .bf16:
            throw .invalidArgument("\(t.label): datatype \(t.datatype) has no typed contents field; send it in raw_input_contents")
        }
    }

    /// Typed contents for a tensor (FP16/BF16 have none and yield empty contents).
    static func encode(_ t: InferTensor) -> Inference_InferTensorContents {
        var c = Inference_InferTensorContents()
        switch t.data {
        case .bytes(let elements): c.bytesContents = elements.map { Data($0) }
        case .raw:
            switch t.datatype {
            case .bool: c.boolContents = t.values(as: Bool.self) ?? []
            case .int8: c.intContents = (t.values(as: Int8.self) ?? []).map(Int32.init)
            case .int16: c.intContents = (t.values(as: Int16.self) ?? []).map(Int32.init)
            case .int32: c.intContents = t.values(as: Int32.self) ?? []
            case .int64: c.int64Contents = t.values(as: Int64.self) ?? []
            case .uint8: c.uintContents = (t.values(as: UInt8.self) ?? []).map(UInt32.init)
            case .uint16: c.uintContents = (t.values(as: UInt16.self) ?? []).map(UInt32.init)
            case .uint32: c.uintContents = t.values(as: UInt32.self) ?? []
            case .uint64: c.uint64Contents = t.values(as: UInt64.self) ?? []
            case .fp32: c.fp32Contents = t.values(as: Float.self) ?? []
            case .fp64: c.fp64Contents = t.values(as: Double.self) ?? []
            case .fp16, .bf16, .bytes: break
            }
        }
        return c
    }

    private static func bytes<T>(of values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    private static func narrow<Wide: FixedWidthInteger, Narrow: FixedWidthInteger>(
        _ values: [Wide], _: Narrow.Type, _ t: PendingTensor) throws(KServeError) -> [UInt8] {
        var out = [Narrow]()
        out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard let n = Narrow(exactly: v) else {
                throw .invalidArgument("\(t.label): element \(i) (\(v)) is out of range for \(t.datatype)")
            }
            out.append(n)
        }
        return bytes(of: out)
    }
}

/// `map<string, InferParameter>` ↔ `InferParameters`. Protobuf maps are unordered, so decoded
/// parameters are sorted by name to stay deterministic.
enum GRPCParameters {
    static func decode(_ map: [String: Inference_InferParameter], owner: @autoclosure () -> String) throws(KServeError) -> InferParameters {
        // Most messages carry no parameters: skip sorting the (empty) key set.
        if map.isEmpty { return InferParameters() }
        var out = InferParameters()
        for key in map.keys.sorted() {
            switch map[key]!.parameterChoice {
            case .boolParam(let v)?: out[key] = .bool(v)
            case .int64Param(let v)?: out[key] = .int64(v)
            case .uint64Param(let v)?: out[key] = .uint64(v)
            case .doubleParam(let v)?: out[key] = .double(v)
            case .stringParam(let v)?: out[key] = .string(v)
            case nil: throw .invalidArgument("\(owner()): parameter '\(key)' has no value")
            }
        }
        return out
    }

    static func encode(_ parameters: InferParameters) -> [String: Inference_InferParameter] {
        var map: [String: Inference_InferParameter] = [:]
        for e in parameters {
            var p = Inference_InferParameter()
            switch e.value {
            case .bool(let v): p.boolParam = v
            case .int64(let v): p.int64Param = v
            case .uint64(let v): p.uint64Param = v
            case .double(let v): p.doubleParam = v
            case .string(let v): p.stringParam = v
            }
            map[e.name] = p
        }
        return map
    }
}
