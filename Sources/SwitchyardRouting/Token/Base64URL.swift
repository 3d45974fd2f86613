/// RFC 4648 §5 base64url without padding, by table: tokens are encoded for every routed response,
/// and Foundation's base64 plus character replacement cost several microseconds per token.
enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// 0xFF marks bytes outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// The length of the encoding of `count` bytes (no padding).
    static func encodedCount(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { source in
            String(unsafeUninitializedCapacity: encodedCount(source.count)) { encode(source, into: $0) }
        }
    }

    /// Writes the encoding of `bytes` at the start of `out` (room for `encodedCount(bytes.count)`
    /// characters); returns the number of characters written.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        alphabet.withUnsafeBufferPointer { a in
            var o = 0, i = 0
            while i + 3 <= bytes.count {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out[o] = a[Int(v >> 18 & 63)]; out[o + 1] = a[Int(v >> 12 & 63)]
                out[o + 2] = a[Int(v >> 6 & 63)]; out[o + 3] = a[Int(v & 63)]
                o += 4; i += 3
            }
            let rest = bytes.count - i
            if rest > 0 {
                let v = UInt32(bytes[i]) << 16 | (rest > 1 ? UInt32(bytes[i + 1]) << 8 : 0)
                out[o] = a[Int(v >> 18 & 63)]; out[o + 1] = a[Int(v >> 12 & 63)]
                o += 2
                if rest > 1 { out[o] = a[Int(v >> 6 & 63)]; o += 1 }
            }
            return o
        }
    }

    /// Only the canonical spelling is accepted (unused low bits zero), so a token has exactly one
    /// text form and flipping a padding bit cannot produce a "different" valid token.
    static func decode(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var buffer: UInt32 = 0, bits = 0
        for c in chars {
            let v = values[Int(c)]
            guard v != 0xFF else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        guard buffer == 0 else { return nil }
        return out
    }
}
