/// The BYTES wire layout shared by the binary tensor extension and gRPC raw contents: each
/// element is a 4-byte little-endian unsigned length followed by that many bytes.
enum BytesElementCodec {
    static func serialize(_ elements: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(elements.reduce(0) { $0 + 4 + $1.count })
        append(elements, to: &out)
        return out
    }

    static func append(_ elements: [[UInt8]], to out: inout [UInt8]) {
        for e in elements {
            let n = UInt32(truncatingIfNeeded: e.count)
            out.append(UInt8(truncatingIfNeeded: n))
            out.append(UInt8(truncatingIfNeeded: n >> 8))
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            out.append(UInt8(truncatingIfNeeded: n >> 24))
            out.append(contentsOf: e)
        }
    }

    /// Splits a serialized BYTES blob into elements. `what` names the tensor in error messages.
    static func parse(_ blob: ArraySlice<UInt8>, what: String) throws(KServeError) -> [[UInt8]] {
        var elements: [[UInt8]] = []
        var i = blob.startIndex
        while i < blob.endIndex {
            guard blob.endIndex - i >= 4 else {
                throw .invalidArgument("\(what): BYTES element \(elements.count) has a truncated 4-byte length prefix (\(blob.endIndex - i) bytes left)")
            }
            let n = Int(blob[i]) | Int(blob[i + 1]) << 8 | Int(blob[i + 2]) << 16 | Int(blob[i + 3]) << 24
            i += 4
            guard blob.endIndex - i >= n else {
                throw .invalidArgument("\(what): BYTES element \(elements.count) declares \(n) bytes but only \(blob.endIndex - i) remain")
            }
            elements.append(Array(blob[i..<(i + n)]))
            i += n
        }
        return elements
    }
}
