import Crypto

/// A keyed hash that gives the same value in every process, on every replica, forever.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot place a unit on the same variant
/// after a restart. This is SipHash-2-4 (Aumasson & Bernstein), a fixed, published algorithm with a
/// 128-bit key; the key is derived from the experiment's salt with SHA-256, so experiments with
/// different salts hash independently (a unit's placement in one experiment says nothing about
/// its placement in another).
public struct StableHash: Sendable, Equatable {
    private let sip: SipHash24

    /// Key = the first 16 bytes of SHA-256("switchyard-salt:" + salt), little-endian.
    public init(salt: String) {
        sip = SipHash24(key: Array(SHA256.hash(data: Array("switchyard-salt:\(salt)".utf8))))
    }

    /// A hash with an explicit key (reference vectors).
    init(k0: UInt64, k1: UInt64) {
        sip = SipHash24(k0: k0, k1: k1)
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
        return text.withUTF8 { sip.hash64(UnsafeRawBufferPointer($0)) }
    }

    func sipHash24(_ message: [UInt8]) -> UInt64 {
        message.withUnsafeBytes { sip.hash64($0) }
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
