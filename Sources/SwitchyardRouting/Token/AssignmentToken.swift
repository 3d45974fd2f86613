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
    /// Secret bytes by key id (SymmetricKey is not Sendable; one is built per use, which is cheap).
    private let keys: [String: [UInt8]]

    public init(_ config: TokenConfig) {
        currentKeyID = config.current.keyID
        var keys: [String: [UInt8]] = [:]
        for key in [config.current] + config.previous {
            keys[key.keyID] = Array(key.secret.utf8)
        }
        self.keys = keys
    }

    /// A token for this assignment, signed with the current key.
    public func sign(experiment: String, variant: String, unit: String, issuedAt: Int64) -> String {
        let claims = AssignmentClaims(experiment: experiment, variant: variant, unit: unit, issuedAt: issuedAt,
                                      keyID: currentKeyID)
        let payload = Self.encode(claims)
        let tag = Self.tag(payload, key: keys[currentKeyID]!)
        return "\(Self.prefix).\(Base64URL.encode(payload)).\(Base64URL.encode(tag))"
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
        guard let key = keys[claims.keyID] else { throw .unknownKey(claims.keyID) }
        guard Self.constantTimeEqual(Self.tag(payload, key: key), tag) else { throw .badSignature }
        if let experiment, experiment != claims.experiment {
            throw .wrongExperiment(expected: experiment, found: claims.experiment)
        }
        if let now, let maxAgeSeconds {
            if claims.issuedAt > now + 300 { throw .issuedInFuture(claims.issuedAt) }
            if now - claims.issuedAt > maxAgeSeconds { throw .expired(ageSeconds: now - claims.issuedAt) }
        }
        return claims
    }

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
        var bytes: [UInt8] = []
        let time = UInt64(bitPattern: claims.issuedAt)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: time >> UInt64(shift))) }
        for field in [claims.keyID, claims.experiment, claims.variant, claims.unit] {
            // Fields longer than 65535 bytes are cut: unit keys come from clients and must not
            // make signing fail; names are validated far shorter.
            let utf8 = Array(field.utf8.prefix(Int(UInt16.max)))
            bytes.append(UInt8(utf8.count >> 8))
            bytes.append(UInt8(utf8.count & 0xff))
            bytes.append(contentsOf: utf8)
        }
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

/// RFC 4648 §5 base64url without padding.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        guard text.count % 4 != 1 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard.append("=") }
        guard let bytes = Data(base64Encoded: standard).map({ Array($0) }) else { return nil }
        // Only the canonical spelling is accepted (unused low bits zero), so a token has exactly
        // one text form and flipping a padding bit cannot produce a "different" valid token.
        return encode(bytes) == text ? bytes : nil
    }
}
