import Crypto

/// A keyed hash that gives the same value in every process, on every replica, forever.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot place a unit on the same variant
/// after a restart. This is SipHash-2-4 (Aumasson & Bernstein), a fixed, published algorithm with a
/// 128-bit key; the key is derived from the experiment's salt with SHA-256, so experiments with
/// different salts hash independently (a unit's placement in one experiment says nothing about
/// its placement in another).
public struct StableHash: Sendable, Equatable {
    private let k0: UInt64
    private let k1: UInt64

    /// Key = the first 16 bytes of SHA-256("switchyard-salt:" + salt), little-endian.
    public init(salt: String) {
        let digest = Array(SHA256.hash(data: Array("switchyard-salt:\(salt)".utf8)))
        var a: UInt64 = 0, b: UInt64 = 0
        for i in 0..<8 {
            a |= UInt64(digest[i]) << (8 * UInt64(i))
            b |= UInt64(digest[8 + i]) << (8 * UInt64(i))
        }
        k0 = a
        k1 = b
    }

    /// A hash with an explicit key (reference vectors).
    init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// SipHash-2-4 of `parts` joined by a 0x00 separator. Callers keep every part but the last free
    /// of NUL bytes (names are validated), so different part lists never collide by concatenation.
    public func hash(_ parts: String...) -> UInt64 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(parts.reduce(parts.count) { $0 + $1.utf8.count })
        for (i, part) in parts.enumerated() {
            if i > 0 { bytes.append(0) }
            bytes.append(contentsOf: part.utf8)
        }
        return sipHash24(bytes)
    }

    /// SipHash-2-4 of one string's UTF-8 bytes (the per-request path: no allocation for native strings).
    public func hash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { sipHash24(UnsafeRawBufferPointer($0)) }
    }

    func sipHash24(_ message: [UInt8]) -> UInt64 {
        message.withUnsafeBytes { sipHash24($0) }
    }

    /// Maps 64 random bits to (0, 1): 52 random bits, offset by half a step so that neither 0 nor
    /// 1 can occur (−ln(u) stays finite and positive; with 53 bits the top value would round to 1).
    public static func openUnit(_ bits: UInt64) -> Double {
        (Double(bits >> 12) + 0.5) * 0x1p-52
    }

    /// Maps 64 random bits to [0, 1).
    public static func halfOpenUnit(_ bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1p-53
    }

    /// SipHash-2-4 over raw bytes, reading little-endian 8-byte words.
    func sipHash24(_ message: UnsafeRawBufferPointer) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ k1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1

        @inline(__always) func round() {
            v0 &+= v1; v1 = v1.rotl(13); v1 ^= v0; v0 = v0.rotl(32)
            v2 &+= v3; v3 = v3.rotl(16); v3 ^= v2
            v0 &+= v3; v3 = v3.rotl(21); v3 ^= v0
            v2 &+= v1; v1 = v1.rotl(17); v1 ^= v2; v2 = v2.rotl(32)
        }

        let count = message.count
        let fullBlocks = count / 8
        for block in 0..<fullBlocks {
            let m = UInt64(littleEndian: message.loadUnaligned(fromByteOffset: block * 8, as: UInt64.self))
            v3 ^= m
            round(); round()
            v0 ^= m
        }
        var last = UInt64(truncatingIfNeeded: count) << 56
        for i in 0..<(count % 8) {
            last |= UInt64(message[fullBlocks * 8 + i]) << (8 * UInt64(i))
        }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}

private extension UInt64 {
    @inline(__always) func rotl(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}

/// SplitMix64 (Steele, Lea & Flood): derives independent-looking 64-bit streams from the one random
/// value a routing call receives, so that the weighted draw, shadow sampling and fault injection do
/// not reuse (and correlate through) the same bits.
public enum SplitMix64 {
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Stream `n` derived from `seed`.
    public static func stream(_ seed: UInt64, _ n: UInt64) -> UInt64 {
        mix(seed ^ mix(n &* 0xD1B5_4A32_D192_ED03))
    }
}
