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
/// Format: `sy1.<payload>.<tag>`, both parts base64url without padding (URL-, header- and
/// cookie-safe). The payload is binary: issued-at (8 bytes, big-endian two's complement), then key
/// id, experiment, variant and unit, each as a 2-byte big-endian length and UTF-8 bytes. The tag is
/// HMAC-SHA256 over `"switchyard-assignment-v1" ‖ payload`, **truncated to its first 16 bytes**
/// (128 bits — the truncation RFC 2104 §5 allows, well beyond what forging an outcome is worth),
/// compared in constant time. Tokens are signed, not encrypted: the unit key is readable by whoever
/// holds the token (the application that sent it).
public struct AssignmentTokenSigner: Sendable {
    public static let tagLength = 16
    private static let domain = Array("switchyard-assignment-v1".utf8)
    private static let prefix = "sy1"

    private let currentKeyID: String
    /// Per key id, the HMAC's inner and outer SHA-256 states after the key pads (and the domain
    /// string), computed once. Every routed response carries a token, so signing is on the request
    /// path: starting from these copies (the library's hash state is copy-on-write) saves hashing
    /// the key pads per token, and `update(bufferPointer:)` avoids the generic `DataProtocol`
    /// path that `HMAC.update(data:)` takes (measured: a fresh `HMAC` per token plus Foundation's
    /// base64 took about a third of a routed request's CPU). Tests check every tag against
    /// `Crypto.HMAC<SHA256>` computed from scratch.
    private let keyed: [String: KeyedHMAC]
    /// The current key's states, without a dictionary lookup per token.
    private let current: KeyedHMAC

    struct KeyedHMAC: @unchecked Sendable {
        // SHA256 is not marked Sendable: its state is a reference with copy-on-write. These two
        // are never mutated after init; every use mutates its own copy, which the library
        // un-shares first (isKnownUniquelyReferenced), so concurrent signing is safe.
        let inner: SHA256
        let outer: SHA256

        /// RFC 2104 with SHA-256 (block size 64): keys longer than a block are hashed first.
        init(secret: [UInt8], domain: [UInt8]) {
            var key = secret.count > 64 ? Array(SHA256.hash(data: secret)) : secret
            key += [UInt8](repeating: 0, count: 64 - key.count)
            var inner = SHA256(), outer = SHA256()
            inner.update(data: key.map { $0 ^ 0x36 })
            outer.update(data: key.map { $0 ^ 0x5c })
            inner.update(data: domain)
            self.inner = inner
            self.outer = outer
        }

        func tag(_ payload: [UInt8], length: Int) -> [UInt8] {
            withTag(payload, length: length) { Array($0) }
        }

        /// Calls `body` with the first `length` bytes of the tag (no array for the digest).
        func withTag<R>(_ payload: [UInt8], length: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            var inner = self.inner
            payload.withUnsafeBytes { inner.update(bufferPointer: $0) }
            let innerDigest = inner.finalize()
            var outer = self.outer
            innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
            return outer.finalize().withUnsafeBytes { raw in
                body(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self).prefix(length)))
            }
        }
    }

    public init(_ config: TokenConfig) {
        currentKeyID = config.current.keyID
        var keyed: [String: KeyedHMAC] = [:]
        for key in [config.current] + config.previous {
            keyed[key.keyID] = KeyedHMAC(secret: Array(key.secret.utf8), domain: Self.domain)
        }
        self.keyed = keyed
        current = KeyedHMAC(secret: Array(config.current.secret.utf8), domain: Self.domain)
    }

    /// A token for this assignment, signed with the current key.
    ///
    /// On the request path (every routed response): the payload is encoded into one buffer and
    /// the token's text written in one pass, so signing allocates the payload, the hash states'
    /// copies and the result, nothing else.
    public func sign(experiment: String, variant: String, unit: String, issuedAt: Int64) -> String {
        let claims = AssignmentClaims(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt,
                                      keyID: currentKeyID)
        let payload = Self.encode(claims)
        return current.withTag(payload, length: Self.tagLength) { tag in
            let payloadChars = (payload.count * 4 + 2) / 3, tagChars = (tag.count * 4 + 2) / 3
            let total = Self.prefix.utf8.count + 1 + payloadChars + 1 + tagChars
            return String(unsafeUninitializedCapacity: total) { out in
                var o = 0
                for b in Self.prefix.utf8 { out[o] = b; o += 1 }
                out[o] = UInt8(ascii: "."); o += 1
                o += payload.withUnsafeBufferPointer { Base64URL.encode($0, into: UnsafeMutableBufferPointer(rebasing: out[o...])) }
                out[o] = UInt8(ascii: "."); o += 1
                o += Base64URL.encode(tag, into: UnsafeMutableBufferPointer(rebasing: out[o...]))
                return o
            }
        }
    }

    /// Verifies signature and structure; optionally also the experiment and the age.
    /// - Parameters:
    ///   - now: unix seconds, required when `maxAgeSeconds` is given.
    public func verify(_ token: String, experiment: String? = nil, now: Int64? = nil,
                       maxAgeSeconds: Int64? = nil) throws(TokenError) -> AssignmentClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected 3 dot-separated parts, found \(parts.count)") }
        guard parts[0] == Self.prefix else { throw .unsupportedVersion(String(parts[0].prefix(16))) }
        guard let payload = Base64URL.decode(parts[1]) else { throw .malformed("payload is not base64url") }
        guard let tag = Base64URL.decode(parts[2]) else { throw .malformed("tag is not base64url") }
        guard tag.count == Self.tagLength else { throw .malformed("tag must be \(Self.tagLength) bytes, found \(tag.count)") }
        let claims = try Self.decode(payload)
        guard let key = keyed[claims.keyID] else { throw .unknownKey(claims.keyID) }
        guard Self.constantTimeEqual(Self.tag(payload, keyed: key), tag) else { throw .badSignature }
        if let experiment, experiment != claims.experiment {
            throw .wrongExperiment(expected: experiment, found: claims.experiment)
        }
        if let now, let maxAgeSeconds {
            if claims.issuedAt > now + 300 { throw .issuedInFuture(claims.issuedAt) }
            if now - claims.issuedAt > maxAgeSeconds { throw .expired(ageSeconds: now - claims.issuedAt) }
        }
        return claims
    }

    static func tag(_ payload: [UInt8], keyed: KeyedHMAC) -> [UInt8] {
        keyed.tag(payload, length: tagLength)
    }

    /// The tag computed from scratch (tests check that the pre-keyed copy gives the same bytes).
    static func tag(_ payload: [UInt8], key: [UInt8]) -> [UInt8] {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: domain)
        mac.update(data: payload)
        return Array(Array(mac.finalize()).prefix(tagLength))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func encode(_ claims: AssignmentClaims) -> [UInt8] {
        // Fields longer than 65535 bytes are cut: unit keys come from clients and must not make
        // signing fail; names are validated far shorter.
        let limit = Int(UInt16.max)
        let lengths = (min(claims.keyID.utf8.count, limit), min(claims.experiment.utf8.count, limit),
                       min(claims.variant.utf8.count, limit), min(claims.unit.utf8.count, limit))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + 8 + lengths.0 + lengths.1 + lengths.2 + lengths.3)
        let time = UInt64(bitPattern: claims.issuedAt)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: time >> UInt64(shift))) }
        func field(_ text: String, _ count: Int) {
            bytes.append(UInt8(count >> 8))
            bytes.append(UInt8(count & 0xff))
            bytes.append(contentsOf: text.utf8.prefix(count))
        }
        field(claims.keyID, lengths.0)
        field(claims.experiment, lengths.1)
        field(claims.variant, lengths.2)
        field(claims.unit, lengths.3)
        return bytes
    }

    static func decode(_ bytes: [UInt8]) throws(TokenError) -> AssignmentClaims {
        guard bytes.count >= 8 else { throw .malformed("payload shorter than 8 bytes") }
        var time: UInt64 = 0
        for i in 0..<8 { time = time << 8 | UInt64(bytes[i]) }
        var offset = 8
        var fields: [String] = []
        for name in ["key id", "experiment", "variant", "unit"] {
            guard offset + 2 <= bytes.count else { throw .malformed("payload ends before the \(name) length") }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
            guard offset + length <= bytes.count else { throw .malformed("payload ends inside the \(name)") }
            guard let text = String(validating: bytes[offset..<offset + length], as: UTF8.self) else {
                throw .malformed("\(name) is not UTF-8")
            }
            fields.append(text)
            offset += length
        }
        guard offset == bytes.count else { throw .malformed("\(bytes.count - offset) trailing bytes in payload") }
        return AssignmentClaims(experiment: fields[1], variant: fields[2], unit: fields[3],
                                issuedAt: Int64(bitPattern: time), keyID: fields[0])
    }
}

