import Crypto
import Foundation

/// What an assignment token states: this unit was assigned this variant of this experiment.
public struct AssignmentClaims: Sendable, Equatable {
    public var experiment: String
    public var variant: String
    /// The unit key, or the request id for requests without one.
    public var unit: String
    /// Unix seconds, as passed in by the caller.
    public var issuedAt: Int64
    /// The signing key's id.
    public var keyID: String

    public init(experiment: String, variant: String, unit: String, issuedAt: Int64, keyID: String) {
        self.experiment = experiment
        self.variant = variant
        self.unit = unit
        self.issuedAt = issuedAt
        self.keyID = keyID
    }
}

/// Why a token was refused.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedVersion(String)
    case unknownKey(String)
    case badSignature
    case expired(ageSeconds: Int64)
    case issuedInFuture(Int64)
    case wrongExperiment(expected: String, found: String)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed assignment token: \(why)"
        case .unsupportedVersion(let v): return "unsupported assignment token version \"\(v)\""
        case .unknownKey(let id): return "assignment token signed with unknown key id \"\(id)\""
        case .badSignature: return "assignment token signature does not match (forged or tampered)"
        case .expired(let age): return "assignment token expired (issued \(age)s ago)"
        case .issuedInFuture(let t): return "assignment token issued in the future (at \(t))"
        case .wrongExperiment(let expected, let found):
            return "assignment token is for experiment \"\(found)\", not \"\(expected)\""
        }
    }
}

/// Signs and verifies assignment tokens.
///
/// Format: `sy3.<base64url(payload ‖ tag)>`, base64url without padding (URL-, header- and
/// cookie-safe). The payload is binary: issued-at (4 bytes, big-endian unsigned seconds), then key
/// id, experiment, variant and unit, each as a 1-byte length and UTF-8 bytes. The tag is the 8-byte
/// (little-endian) SipHash-2-4 of the payload, keyed with the first 16 bytes of
/// HMAC-SHA256(secret, `"switchyard-assignment-v3"`), compared in constant time. Tokens are signed,
/// not encrypted: the unit key is readable by whoever holds the token (the application that sent it).
///
/// An assignment that does not fit that layout (a field over 255 bytes — a long unit key — or an
/// issue time outside 1970–2106) is signed in the `sy2` format instead: `sy2.<payload>.<tag>`, the
/// payload with an 8-byte time and 2-byte lengths, the tag SipHash-2-4's 128-bit output under the
/// key derived with `"switchyard-assignment-v2"`. Both are verified, as are the `sy1` tokens below.
///
/// Why `sy3`: every routed response carries a token, and its length is paid per byte several
/// times — base64, the MAC's blocks, the copies, and on HTTP/2 nghttp2's Huffman coding of the
/// never-indexed value on the server and its decoding on the client. The `sy2` token of a typical
/// routed response was 70 characters; this one is 47. A 64-bit tag is the tag SipHash was designed
/// to produce: forging one takes 2^63 tries on average against the outcomes endpoint.
///
/// Why SipHash and not HMAC-SHA256 (the `sy1` tokens of earlier releases, still verified so that
/// outcomes for tokens handed out before an upgrade are accepted): every routed response carries a
/// token, so the tag is computed on the request path. HMAC-SHA256 takes at least three SHA-256
/// blocks per token (this CPU has no SHA extensions), and with the library's state copies it cost
/// about 1.4 µs of a routed request's 25 µs — most of routing's overhead. SipHash is a PRF built
/// as a MAC for short messages (128-bit key; 64-bit tag in `sy3`, 128-bit in `sy2`); a ~60-byte
/// payload takes about 70 ns.
/// The key derivation through HMAC keeps each version's keys independent for the same secret.
public struct AssignmentTokenSigner: Sendable {
    public static let tagLength = 16
    static let compactTagLength = 8
    private static let domain = Array("switchyard-assignment-v1".utf8)
    private static let domainV2 = Array("switchyard-assignment-v2".utf8)
    private static let domainV3 = Array("switchyard-assignment-v3".utf8)
    static let prefix = "sy3"
    static let prefixV2 = "sy2"
    private static let prefixV1 = "sy1"

    /// The SipHash keys derived from each key id's secret (for `sy3` and `sy2`), and the secret (for `sy1`).
    private let keys: [String: Key]
    /// What signing needs, alone: the current key's id and its two SipHash words. Every routed
    /// request signs, on every loop at once; copying the whole signer per token would retain
    /// its key table and secrets, reference counts that then bounce between the loops' cores.
    public let signingKey: SigningKey

    public struct SigningKey: Sendable {
        let keyID: String
        /// The `sy2` key (fallback format) and the `sy3` key.
        let sip: SipHash24
        let sip3: SipHash24

        /// A token for this assignment (see `AssignmentTokenSigner` for the format).
        public func sign(experiment: String, variant: String, unit: String, issuedAt: Int64) -> String {
            let layout = layout(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt)
            return String(unsafeUninitializedCapacity: layout.length) { out in
                write(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt, layout: layout,
                      into: UnsafeMutableRawBufferPointer(out))
            }
        }

        /// The format and length of the token for these fields: worked out once per response, for
        /// reserving its room and then writing it.
        public struct TokenLayout: Sendable {
            /// The `sy3` payload's length; nil when the fields need the `sy2` format.
            let compactPayload: Int?
            /// The token's length in bytes (ASCII: bytes = characters).
            public let length: Int
        }

        public func layout(experiment: String, variant: String, unit: String, issuedAt: Int64) -> TokenLayout {
            let fields = (keyID, experiment, variant, unit)
            if let payload = AssignmentTokenSigner.compactPayloadLength(issuedAt: issuedAt, fields: fields) {
                return TokenLayout(compactPayload: payload, length: AssignmentTokenSigner.prefix.utf8.count + 1
                    + Base64URL.encodedCount(payload + AssignmentTokenSigner.compactTagLength))
            }
            let payload = AssignmentTokenSigner.payloadLength(fields: fields)
            return TokenLayout(compactPayload: nil, length: AssignmentTokenSigner.prefixV2.utf8.count + 1
                + Base64URL.encodedCount(payload) + 1 + Base64URL.encodedCount(AssignmentTokenSigner.tagLength))
        }

        /// The length of the token `write` produces for these fields.
        public func tokenLength(experiment: String, variant: String, unit: String, issuedAt: Int64) -> Int {
            layout(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt).length
        }

        /// Writes the token into `out` (at least `tokenLength` bytes) and returns its length.
        @discardableResult
        public func write(experiment: String, variant: String, unit: String, issuedAt: Int64,
                          into out: UnsafeMutableRawBufferPointer) -> Int {
            write(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt,
                  layout: layout(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt), into: out)
        }

        /// `write` with the layout already worked out for these fields (`layout(...)`).
        @discardableResult
        public func write(experiment: String, variant: String, unit: String, issuedAt: Int64, layout: TokenLayout,
                          into out: UnsafeMutableRawBufferPointer) -> Int {
            let fields = (keyID, experiment, variant, unit)
            let chars = out.bindMemory(to: UInt8.self)
            var o = 0
            if let length = layout.compactPayload {
                for b in AssignmentTokenSigner.prefix.utf8 { chars[o] = b; o += 1 }
                chars[o] = UInt8(ascii: "."); o += 1
                let sip3 = self.sip3, start = o
                return AssignmentTokenSigner.withCompactPayload(issuedAt: issuedAt, fields: fields, length: length) { signed in
                    // The payload, then its tag in the last eight bytes: one base64 run for both.
                    let tag = sip3.hash64(UnsafeRawBufferPointer(start: signed.baseAddress, count: length))
                    UnsafeMutableRawPointer(signed.baseAddress! + length).storeBytes(of: tag.littleEndian, as: UInt64.self)
                    return start + Base64URL.encode(UnsafeBufferPointer(signed), into: UnsafeMutableBufferPointer(rebasing: chars[start...]))
                }
            }
            let sip = self.sip
            return AssignmentTokenSigner.withPayload(issuedAt: issuedAt, fields: fields) { payload in
                AssignmentTokenSigner.withTag(UnsafeRawBufferPointer(payload), sip: sip) { tag in
                    for b in AssignmentTokenSigner.prefixV2.utf8 { chars[o] = b; o += 1 }
                    chars[o] = UInt8(ascii: "."); o += 1
                    o += Base64URL.encode(payload, into: UnsafeMutableBufferPointer(rebasing: chars[o...]))
                    chars[o] = UInt8(ascii: "."); o += 1
                    o += Base64URL.encode(tag, into: UnsafeMutableBufferPointer(rebasing: chars[o...]))
                    return o
                }
            }
        }
    }

    struct Key: Sendable {
        let secret: [UInt8]
        let sip: SipHash24
        let sip3: SipHash24

        init(secret: [UInt8]) {
            self.secret = secret
            sip = Self.derive(secret, AssignmentTokenSigner.domainV2)
            sip3 = Self.derive(secret, AssignmentTokenSigner.domainV3)
        }

        /// A SipHash key: the first 16 bytes of HMAC-SHA256(secret, domain).
        private static func derive(_ secret: [UInt8], _ domain: [UInt8]) -> SipHash24 {
            var mac = HMAC<SHA256>(key: SymmetricKey(data: secret))
            mac.update(data: domain)
            return SipHash24(key: Array(mac.finalize()))
        }
    }

    /// The `sy2` tag: SipHash-2-4-128, its two words little-endian, low word first.
    static func withTag<R>(_ payload: UnsafeRawBufferPointer, sip: SipHash24, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let words = sip.hash128(payload)
        return withUnsafeBytes(of: (words.low.littleEndian, words.high.littleEndian)) {
            body($0.bindMemory(to: UInt8.self))
        }
    }

    public init(_ config: TokenConfig) {
        let current = Key(secret: Array(config.current.secret.utf8))
        var keys = [config.current.keyID: current]
        for key in config.previous {
            keys[key.keyID] = Key(secret: Array(key.secret.utf8))
        }
        self.keys = keys
        signingKey = SigningKey(keyID: config.current.keyID, sip: current.sip, sip3: current.sip3)
    }

    /// A token for this assignment, signed with the current key.
    ///
    /// On the request path (every routed response): the payload is written into a temporary
    /// (stack) buffer and the token's text in one pass, so signing allocates only the result.
    public func sign(experiment: String, variant: String, unit: String, issuedAt: Int64) -> String {
        signingKey.sign(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt)
    }

    /// Verifies signature and structure; optionally also the experiment and the age. Accepts the
    /// current `sy3` tokens, their `sy2` fallback, and the HMAC-SHA256 `sy1` tokens of earlier releases.
    /// - Parameters:
    ///   - now: unix seconds, required when `maxAgeSeconds` is given.
    public func verify(_ token: String, experiment: String? = nil, now: Int64? = nil,
                       maxAgeSeconds: Int64? = nil) throws(TokenError) -> AssignmentClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let claims: AssignmentClaims
        switch parts.first {
        case Substring(Self.prefix)?:
            guard parts.count == 2 else { throw .malformed("expected 2 dot-separated parts in a \(Self.prefix) token, found \(parts.count)") }
            guard let signed = Base64URL.decode(parts[1]) else { throw .malformed("token is not base64url") }
            guard signed.count >= 4 + Self.compactTagLength else { throw .malformed("token is \(signed.count) bytes, too short") }
            let payload = Array(signed.dropLast(Self.compactTagLength)), tag = Array(signed.suffix(Self.compactTagLength))
            claims = try Self.decodeCompact(payload)
            guard let key = keys[claims.keyID] else { throw .unknownKey(claims.keyID) }
            let expected = Self.compactTag(payload, sip: key.sip3)
            guard Self.constantTimeEqual(expected, tag) else { throw .badSignature }
        case Substring(Self.prefixV2)?, Substring(Self.prefixV1)?:
            guard parts.count == 3 else { throw .malformed("expected 3 dot-separated parts in a \(parts[0]) token, found \(parts.count)") }
            guard let payload = Base64URL.decode(parts[1]) else { throw .malformed("payload is not base64url") }
            guard let tag = Base64URL.decode(parts[2]) else { throw .malformed("tag is not base64url") }
            guard tag.count == Self.tagLength else { throw .malformed("tag must be \(Self.tagLength) bytes, found \(tag.count)") }
            claims = try Self.decode(payload)
            guard let key = keys[claims.keyID] else { throw .unknownKey(claims.keyID) }
            let expected = parts[0] == Self.prefixV2 ? payload.withUnsafeBytes { Self.withTag($0, sip: key.sip) { Array($0) } }
                                                     : Self.tag(payload, key: key.secret)
            guard Self.constantTimeEqual(expected, tag) else { throw .badSignature }
        default:
            throw .unsupportedVersion(String((parts.first ?? "").prefix(16)))
        }
        if let experiment, experiment != claims.experiment {
            throw .wrongExperiment(expected: experiment, found: claims.experiment)
        }
        if let now, let maxAgeSeconds {
            if claims.issuedAt > now + 300 { throw .issuedInFuture(claims.issuedAt) }
            if now - claims.issuedAt > maxAgeSeconds { throw .expired(ageSeconds: now - claims.issuedAt) }
        }
        return claims
    }

    /// The `sy1` tag: HMAC-SHA256 over `"switchyard-assignment-v1" ‖ payload`, truncated to its
    /// first 16 bytes (RFC 2104 §5).
    static func tag(_ payload: [UInt8], key: [UInt8]) -> [UInt8] {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: domain)
        mac.update(data: payload)
        return Array(Array(mac.finalize()).prefix(tagLength))
    }

    /// The `sy2` tag computed from the secret (tests compare it with what `sign` produced).
    static func tagV2(_ payload: [UInt8], secret: [UInt8]) -> [UInt8] {
        payload.withUnsafeBytes { withTag($0, sip: Key(secret: secret).sip) { Array($0) } }
    }

    /// The `sy3` tag computed from the secret (tests).
    static func tagV3(_ payload: [UInt8], secret: [UInt8]) -> [UInt8] {
        compactTag(payload, sip: Key(secret: secret).sip3)
    }

    /// The `sy3` tag of `payload`: SipHash-2-4's 64-bit output, little-endian.
    private static func compactTag(_ payload: [UInt8], sip: SipHash24) -> [UInt8] {
        withUnsafeBytes(of: payload.withUnsafeBytes { sip.hash64($0) }.littleEndian) { Array($0) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func encode(_ claims: AssignmentClaims) -> [UInt8] {
        withPayload(issuedAt: claims.issuedAt, fields: (claims.keyID, claims.experiment, claims.variant, claims.unit)) { Array($0) }
    }

    /// Calls `body` with the payload bytes in a temporary buffer (on the stack when small).
    /// Fields longer than 65535 bytes are cut: unit keys come from clients and must not make
    /// signing fail; names are validated far shorter.
    static func withPayload<R>(issuedAt: Int64, fields: (String, String, String, String),
                               _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let limit = Int(UInt16.max)
        var (keyID, experiment, variant, unit) = fields
        let total = payloadLength(fields: fields)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { out in
            let time = UInt64(bitPattern: issuedAt)
            for i in 0..<8 { out[i] = UInt8(truncatingIfNeeded: time >> UInt64(56 - 8 * i)) }
            var o = 8
            func field(_ text: inout String) {
                text.withUTF8 { utf8 in
                    let count = min(utf8.count, limit)
                    out[o] = UInt8(count >> 8); out[o + 1] = UInt8(count & 0xff)
                    o += 2
                    if count > 0 { (out.baseAddress! + o).update(from: utf8.baseAddress!, count: count) }
                    o += count
                }
            }
            field(&keyID); field(&experiment); field(&variant); field(&unit)
            return body(UnsafeBufferPointer(out))
        }
    }

    /// The `sy3` payload's length, or nil when the assignment does not fit its layout (a field
    /// over 255 bytes, a time outside 0...UInt32.max): it is then signed as `sy2`.
    @inline(__always)
    static func compactPayloadLength(issuedAt: Int64, fields: (String, String, String, String)) -> Int? {
        let counts = (fields.0.utf8.count, fields.1.utf8.count, fields.2.utf8.count, fields.3.utf8.count)
        guard UInt64(bitPattern: issuedAt) <= UInt64(UInt32.max),
              max(max(counts.0, counts.1), max(counts.2, counts.3)) <= Int(UInt8.max) else { return nil }
        return 8 + counts.0 + counts.1 + counts.2 + counts.3
    }

    /// Calls `body` with a temporary buffer of `length + compactTagLength` bytes whose first
    /// `length` hold the `sy3` payload (`length` from `compactPayloadLength`).
    static func withCompactPayload<R>(issuedAt: Int64, fields: (String, String, String, String), length: Int,
                                      _ body: (UnsafeMutableBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length + compactTagLength) { out in
            let time = UInt32(truncatingIfNeeded: issuedAt)
            for i in 0..<4 { out[i] = UInt8(truncatingIfNeeded: time >> UInt32(24 - 8 * i)) }
            // Offsets threaded through return values: a variable captured by the fields' closures
            // would be boxed, with a dynamic exclusivity check per access (this module keeps them).
            var o = compactField(fields.0, out, at: 4)
            o = compactField(fields.1, out, at: o)
            o = compactField(fields.2, out, at: o)
            _ = compactField(fields.3, out, at: o)
            return body(out)
        }
    }

    /// Writes `text` as a 1-byte length and its UTF-8 at `offset`; returns the offset after it.
    @inline(__always)
    private static func compactField(_ text: String, _ out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        var text = text
        return text.withUTF8 { utf8 in
            out[offset] = UInt8(utf8.count)
            if utf8.count > 0 { (out.baseAddress! + offset + 1).update(from: utf8.baseAddress!, count: utf8.count) }
            return offset + 1 + utf8.count
        }
    }

    /// The claims of an `sy3` payload.
    static func decodeCompact(_ bytes: [UInt8]) throws(TokenError) -> AssignmentClaims {
        guard bytes.count >= 4 else { throw .malformed("payload shorter than 4 bytes") }
        var time: UInt32 = 0
        for i in 0..<4 { time = time << 8 | UInt32(bytes[i]) }
        let fields = try decodeFields(bytes, from: 4, lengthBytes: 1)
        return AssignmentClaims(experiment: fields[1], variant: fields[2], unit: fields[3], issuedAt: Int64(time), keyID: fields[0])
    }

    /// Key id, experiment, variant and unit from `offset` to the end of `bytes`, each a big-endian
    /// length of `lengthBytes` bytes and that many bytes of UTF-8.
    private static func decodeFields(_ bytes: [UInt8], from start: Int, lengthBytes: Int) throws(TokenError) -> [String] {
        var offset = start
        var fields: [String] = []
        for name in ["key id", "experiment", "variant", "unit"] {
            guard offset + lengthBytes <= bytes.count else { throw .malformed("payload ends before the \(name) length") }
            var length = 0
            for i in 0..<lengthBytes { length = length << 8 | Int(bytes[offset + i]) }
            offset += lengthBytes
            guard offset + length <= bytes.count else { throw .malformed("payload ends inside the \(name)") }
            guard let text = String(validating: bytes[offset..<offset + length], as: UTF8.self) else {
                throw .malformed("\(name) is not UTF-8")
            }
            fields.append(text)
            offset += length
        }
        guard offset == bytes.count else { throw .malformed("\(bytes.count - offset) trailing bytes in payload") }
        return fields
    }

    /// The payload's length for these fields (each cut at 65535 bytes, as `withPayload` does).
    static func payloadLength(fields: (String, String, String, String)) -> Int {
        let limit = Int(UInt16.max)
        return 16 + min(fields.0.utf8.count, limit) + min(fields.1.utf8.count, limit)
            + min(fields.2.utf8.count, limit) + min(fields.3.utf8.count, limit)
    }

    static func decode(_ bytes: [UInt8]) throws(TokenError) -> AssignmentClaims {
        guard bytes.count >= 8 else { throw .malformed("payload shorter than 8 bytes") }
        var time: UInt64 = 0
        for i in 0..<8 { time = time << 8 | UInt64(bytes[i]) }
        let fields = try decodeFields(bytes, from: 8, lengthBytes: 2)
        return AssignmentClaims(experiment: fields[1], variant: fields[2], unit: fields[3],
                                issuedAt: Int64(bitPattern: time), keyID: fields[0])
    }
}

