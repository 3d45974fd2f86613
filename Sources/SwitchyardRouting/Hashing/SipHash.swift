/// SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012) with its 64-bit and
/// 128-bit outputs, exactly as the reference implementation (veorq/SipHash, `siphash.c`) computes
/// them; tests check both against its `vectors.h`.
///
/// One keyed function serves two needs: sticky assignment (`StableHash`, 64 bits: a stable, salted
/// placement) and the assignment token's tag (128 bits: a MAC, the use SipHash was designed for —
/// a PRF with a 128-bit key, so a tag cannot be forged without the key). No library on this
/// platform offers SipHash with a caller-chosen key (the standard library's `Hasher` is seeded per
/// process), and the algorithm is twenty lines.
struct SipHash24: Sendable, Equatable {
    let k0: UInt64
    let k1: UInt64

    init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// The key from 16 bytes, read as two little-endian words (as the reference does).
    init(key: some Collection<UInt8>) {
        precondition(key.count >= 16, "SipHash keys are 16 bytes")
        var a: UInt64 = 0, b: UInt64 = 0
        for (i, byte) in key.prefix(16).enumerated() {
            if i < 8 { a |= UInt64(byte) << (8 * UInt64(i)) } else { b |= UInt64(byte) << (8 * UInt64(i - 8)) }
        }
        self.init(k0: a, k1: b)
    }

    func hash64(_ message: UnsafeRawBufferPointer) -> UInt64 {
        var state = State(k0: k0, k1: k1, wide: false)
        state.absorb(message)
        return state.finish(0xff)
    }

    /// The 128-bit output as the reference writes it: two little-endian words, `low` first.
    func hash128(_ message: UnsafeRawBufferPointer) -> (low: UInt64, high: UInt64) {
        var state = State(k0: k0, k1: k1, wide: true)
        state.absorb(message)
        let low = state.finish(0xee)
        let high = state.finish(0xdd, intoV1: true)
        return (low, high)
    }

    private struct State {
        var v0, v1, v2, v3: UInt64

        init(k0: UInt64, k1: UInt64, wide: Bool) {
            v0 = 0x736f_6d65_7073_6575 ^ k0
            v1 = 0x646f_7261_6e64_6f6d ^ k1 ^ (wide ? 0xee : 0)
            v2 = 0x6c79_6765_6e65_7261 ^ k0
            v3 = 0x7465_6462_7974_6573 ^ k1
        }

        @inline(__always) mutating func round() {
            v0 &+= v1; v1 = v1.rotl(13); v1 ^= v0; v0 = v0.rotl(32)
            v2 &+= v3; v3 = v3.rotl(16); v3 ^= v2
            v0 &+= v3; v3 = v3.rotl(21); v3 ^= v0
            v2 &+= v1; v1 = v1.rotl(17); v1 ^= v2; v2 = v2.rotl(32)
        }

        @inline(__always) mutating func compress(_ m: UInt64) {
            v3 ^= m
            round(); round()
            v0 ^= m
        }

        /// Every full 8-byte word, then the last word (remaining bytes and the length in the top byte).
        mutating func absorb(_ message: UnsafeRawBufferPointer) {
            let count = message.count
            let fullBlocks = count / 8
            for block in 0..<fullBlocks {
                compress(UInt64(littleEndian: message.loadUnaligned(fromByteOffset: block * 8, as: UInt64.self)))
            }
            var last = UInt64(truncatingIfNeeded: count) << 56
            for i in 0..<(count % 8) {
                last |= UInt64(message[fullBlocks * 8 + i]) << (8 * UInt64(i))
            }
            compress(last)
        }

        /// Four finalization rounds after xoring `constant` into v2 (or, for the second half of a
        /// 128-bit output, into v1).
        @inline(__always) mutating func finish(_ constant: UInt64, intoV1: Bool = false) -> UInt64 {
            if intoV1 { v1 ^= constant } else { v2 ^= constant }
            round(); round(); round(); round()
            return v0 ^ v1 ^ v2 ^ v3
        }
    }
}

private extension UInt64 {
    @inline(__always) func rotl(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
