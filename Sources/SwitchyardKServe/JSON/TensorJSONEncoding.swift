/// Writes tensor data as a flat JSON array, reading the raw little-endian buffer directly.
enum TensorJSONEncoding {
    static func appendData(of tensor: InferTensor, to out: inout JSONOutput) throws(KServeError) {
        switch tensor.data {
        case .bytes(let elements):
            guard tensor.datatype == .bytes else { throw mismatch(tensor) }
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                // Triton copies BYTES into JSON strings unchecked, which yields invalid JSON for
                // non-UTF-8 bytes; we refuse instead and point at the binary form.
                let ok = e.withUnsafeBufferPointer { buf -> Bool in
                    guard String(validating: buf, as: UTF8.self) != nil else { return false }
                    JSONNumberFormatting.appendQuoted(utf8: buf, to: &out)
                    return true
                }
                if !ok {
                    throw .invalidArgument("output '\(tensor.name)': BYTES element \(i) is not valid UTF-8 and cannot be written as a JSON string; request this output with binary_data")
                }
            }
            out.append(UInt8(ascii: "]"))
        case .raw(let raw):
            guard let size = tensor.datatype.byteSize, raw.count % size == 0 else { throw mismatch(tensor) }
            if tensor.datatype.isBinaryOnly {
                throw .invalidArgument("output '\(tensor.name)': datatype \(tensor.datatype) cannot be written as JSON; request this output with binary_data")
            }
            out.append(UInt8(ascii: "["))
            raw.withUnsafeBytes { buf in
                switch tensor.datatype {
                case .bool: each(buf, UInt8.self, &out) { v, o in o.append(v != 0 ? "true" : "false") }
                case .uint8: each(buf, UInt8.self, &out) { v, o in JSONNumberFormatting.appendUInt64(UInt64(v), to: &o) }
                case .uint16: each(buf, UInt16.self, &out) { v, o in JSONNumberFormatting.appendUInt64(UInt64(v), to: &o) }
                case .uint32: each(buf, UInt32.self, &out) { v, o in JSONNumberFormatting.appendUInt64(UInt64(v), to: &o) }
                case .uint64: each(buf, UInt64.self, &out) { v, o in JSONNumberFormatting.appendUInt64(v, to: &o) }
                case .int8: each(buf, Int8.self, &out) { v, o in JSONNumberFormatting.appendInt64(Int64(v), to: &o) }
                case .int16: each(buf, Int16.self, &out) { v, o in JSONNumberFormatting.appendInt64(Int64(v), to: &o) }
                case .int32: each(buf, Int32.self, &out) { v, o in JSONNumberFormatting.appendInt64(Int64(v), to: &o) }
                case .int64: each(buf, Int64.self, &out) { v, o in JSONNumberFormatting.appendInt64(v, to: &o) }
                case .fp32: each(buf, Float.self, &out) { v, o in JSONNumberFormatting.appendFloat(v, to: &o) }
                case .fp64: each(buf, Double.self, &out) { v, o in JSONNumberFormatting.appendDouble(v, to: &o) }
                case .fp16, .bf16, .bytes: break
                }
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    @inline(__always)
    private static func each<T>(_ buf: UnsafeRawBufferPointer, _ type: T.Type, _ out: inout JSONOutput,
                                _ write: (T, inout JSONOutput) -> Void) {
        let stride = MemoryLayout<T>.size
        let n = buf.count / stride
        for i in 0..<n {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            write(buf.loadUnaligned(fromByteOffset: i * stride, as: T.self), &out)
        }
    }

    private static func mismatch(_ tensor: InferTensor) -> KServeError {
        .internalError("output '\(tensor.name)': data representation does not match datatype \(tensor.datatype)")
    }
}
