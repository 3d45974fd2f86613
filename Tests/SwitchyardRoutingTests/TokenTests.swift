import Crypto
import Foundation
import Testing
@testable import SwitchyardRouting

@Suite struct TokenTests {
    let signer = AssignmentTokenSigner(TokenConfig(current: TokenKey(keyID: "k2", secret: "new-secret-0123456789"),
                                                   previous: [TokenKey(keyID: "k1", secret: "old-secret-0123456789")]))

    @Test func roundTrip() throws {
        let token = signer.sign(experiment: "fraud", variant: "candidate", unit: "user-42", issuedAt: 1_700_000_000)
        #expect(token.hasPrefix("sy3."))
        // 4 bytes of time, four 1-byte lengths, the fields, an 8-byte tag: 56 characters.
        #expect(token.utf8.count == 4 + Base64URL.encodedCount(4 + 4 + 2 + 5 + 9 + 7 + 8), "compact: \(token)")
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }, "URL-safe")
        let claims = try signer.verify(token, experiment: "fraud", now: 1_700_000_100, maxAgeSeconds: 3600)
        #expect(claims == AssignmentClaims(experiment: "fraud", variant: "candidate", unit: "user-42",
                                           issuedAt: 1_700_000_000, keyID: "k2"))
    }

    @Test func writtenTokensAreTheSignedText() throws {
        let key = signer.signingKey
        // sy3 fields, then units too long for it (sy2, one cut at 65535 bytes).
        for unit in ["", "user-42", "ünïcødé 🙂", String(repeating: "y", count: 255), String(repeating: "x", count: 256),
                     String(repeating: "x", count: 70_000)] {
            let text = key.sign(experiment: "fraud", variant: "candidate", unit: unit, issuedAt: 1_700_000_000)
            #expect(text.hasPrefix(unit.utf8.count <= 255 ? "sy3." : "sy2."))
            let length = key.tokenLength(experiment: "fraud", variant: "candidate", unit: unit, issuedAt: 1_700_000_000)
            #expect(length == text.utf8.count)
            var bytes = [UInt8](repeating: 0, count: length + 8)
            let written = bytes.withUnsafeMutableBytes {
                key.write(experiment: "fraud", variant: "candidate", unit: unit, issuedAt: 1_700_000_000, into: $0)
            }
            #expect(written == length)
            #expect(Array(bytes[..<written]) == Array(text.utf8))
            #expect(bytes[written...].allSatisfy { $0 == 0 }, "nothing written past the token")
        }
    }

    @Test func unicodeAndEmptyUnits() throws {
        for unit in ["", "ünïcødé 🙂", String(repeating: "x", count: 5000)] {
            for issuedAt: Int64 in [-5, 0, 1_700_000_000, Int64(UInt32.max), Int64(UInt32.max) + 1] {
                let token = signer.sign(experiment: "e", variant: "v", unit: unit, issuedAt: issuedAt)
                // sy3 holds times of 1970-2106 and fields up to 255 bytes; the rest is signed as sy2.
                let compact = unit.utf8.count <= 255 && (0...Int64(UInt32.max)).contains(issuedAt)
                #expect(token.hasPrefix(compact ? "sy3." : "sy2."), "\(issuedAt), \(unit.utf8.count) bytes")
                #expect(try signer.verify(token).unit == unit)
                #expect(try signer.verify(token).issuedAt == issuedAt)
            }
        }
    }

    @Test func previousKeyStillVerifies() throws {
        let old = AssignmentTokenSigner(TokenConfig(current: TokenKey(keyID: "k1", secret: "old-secret-0123456789")))
        let token = old.sign(experiment: "e", variant: "v", unit: "u", issuedAt: 1)
        #expect(try signer.verify(token).keyID == "k1")
    }

    @Test func wrongKeyIsRejected() {
        let other = AssignmentTokenSigner(TokenConfig(current: TokenKey(keyID: "k2", secret: "another-secret-xxxxxx")))
        let token = other.sign(experiment: "e", variant: "v", unit: "u", issuedAt: 1)
        #expect(throws: TokenError.badSignature) { try signer.verify(token) }
        let unknown = AssignmentTokenSigner(TokenConfig(current: TokenKey(keyID: "k9", secret: "another-secret-xxxxxx")))
        #expect(throws: TokenError.unknownKey("k9")) {
            try signer.verify(unknown.sign(experiment: "e", variant: "v", unit: "u", issuedAt: 1))
        }
    }

    @Test func tamperedCompactTokenIsRejected() throws {
        let token = signer.sign(experiment: "fraud", variant: "control", unit: "u", issuedAt: 1)
        let body = String(token.dropFirst(4))
        let tag = Array(Base64URL.decode(Substring(body))!.suffix(8))
        // Forge: the same claims with another variant, carrying the original tag.
        var payload: [UInt8] = [0, 0, 0, 1]
        for field in ["k2", "fraud", "candidate", "u"] { payload += [UInt8(field.utf8.count)] + Array(field.utf8) }
        #expect(throws: TokenError.badSignature) { try signer.verify("sy3.\(Base64URL.encode(payload + tag))") }
        // Flip every single character in turn: never accepted.
        var chars = Array(body)
        for i in chars.indices {
            let original = chars[i]
            chars[i] = original == "A" ? "B" : "A"
            #expect(throws: TokenError.self) { try signer.verify("sy3.\(String(chars))") }
            chars[i] = original
        }
        // The token's bytes presented as the other versions: refused.
        #expect(throws: TokenError.self) { try signer.verify("sy2.\(body).\(body)") }
        #expect(throws: TokenError.malformed("expected 2 dot-separated parts in a sy3 token, found 3")) {
            try signer.verify("sy3.\(body).AAAA")
        }
    }

    @Test func tamperedPayloadIsRejected() throws {
        // A unit longer than 255 bytes: signed as sy2.
        let unit = String(repeating: "u", count: 300)
        let token = signer.sign(experiment: "fraud", variant: "control", unit: unit, issuedAt: 1)
        #expect(token.hasPrefix("sy2."))
        let parts = token.split(separator: ".").map(String.init)
        // Forge: the same claims with another variant, carrying the original tag.
        let forged = AssignmentClaims(experiment: "fraud", variant: "candidate", unit: unit, issuedAt: 1, keyID: "k2")
        let forgedToken = "sy2.\(Base64URL.encode(AssignmentTokenSigner.encode(forged))).\(parts[2])"
        #expect(throws: TokenError.badSignature) { try signer.verify(forgedToken) }
        // Flip every single character of the payload in turn: never accepted.
        var payload = Array(parts[1])
        for i in payload.indices {
            let original = payload[i]
            payload[i] = original == "A" ? "B" : "A"
            let mutated = "sy2.\(String(payload)).\(parts[2])"
            #expect(throws: TokenError.self) { try signer.verify(mutated) }
            payload[i] = original
        }
        var tag = Array(parts[2])
        tag[0] = tag[0] == "A" ? "B" : "A"
        #expect(throws: TokenError.badSignature) { try signer.verify("sy2.\(parts[1]).\(String(tag))") }
        // The same payload and tag presented as the other version: the other MAC, so refused.
        #expect(throws: TokenError.badSignature) { try signer.verify("sy1.\(parts[1]).\(parts[2])") }
    }

    @Test func malformedTokensSayWhy() {
        let cases: [(String, TokenError)] = [
            ("", .unsupportedVersion("")),
            ("sy1.abc", .malformed("expected 3 dot-separated parts in a sy1 token, found 2")),
            ("sy3.!!!", .malformed("token is not base64url")),
            ("sy3.AAAAAAAAAAAAAAA", .malformed("token is 11 bytes, too short")),
            ("sy3.AAAAAAAAAAAAAAAAAA", .malformed("payload ends before the experiment length")),
            ("sy3.AAAAAAUAAAAAAAAAAAAAAA", .malformed("payload ends inside the key id")),
            ("sy9.AAAA.AAAA", .unsupportedVersion("sy9")),
            ("sy1.!!!.AAAA", .malformed("payload is not base64url")),
            ("sy1.AAAA.AAAA", .malformed("tag must be 16 bytes, found 3")),
            ("sy1.AAAA.AAAAAAAAAAAAAAAAAAAAAA", .malformed("payload shorter than 8 bytes")),
            ("sy1.AAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", .malformed("payload ends before the experiment length")),
            ("sy1.AAAAAAAAAAAABQ.AAAAAAAAAAAAAAAAAAAAAA", .malformed("payload ends inside the key id")),
            ("sy1.AAB.AAAAAAAAAAAAAAAAAAAAAA", .malformed("payload is not base64url")),
        ]
        for (token, expected) in cases {
            #expect(throws: expected) { try signer.verify(token) }
        }
    }

    @Test func experimentAndAgeChecks() {
        let token = signer.sign(experiment: "fraud", variant: "v", unit: "u", issuedAt: 1000)
        #expect(throws: TokenError.wrongExperiment(expected: "search", found: "fraud")) {
            try signer.verify(token, experiment: "search")
        }
        #expect(throws: TokenError.expired(ageSeconds: 9000)) { try signer.verify(token, now: 10_000, maxAgeSeconds: 3600) }
        #expect(throws: TokenError.issuedInFuture(1000)) { try signer.verify(token, now: 0, maxAgeSeconds: 3600) }
    }

    @Test func snapshotCarriesTheSigner() throws {
        let config = try ConfigParser.parse(exampleYAML)
        let snap = try RoutingSnapshot(revision: 1, config: config)
        let signer = try #require(snap.tokenSigner)
        let token = signer.sign(experiment: "fraud", variant: "control", unit: "u", issuedAt: 5)
        #expect(try signer.verify(token).variant == "control")
    }

    @Test func base64URLMatchesFoundationAndRejectsNonCanonicalText() throws {
        var rng = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            let encoded = Base64URL.encode(bytes)
            #expect(encoded == expected)
            #expect(Base64URL.decode(Substring(encoded)) == bytes)
        }
        #expect(Base64URL.decode("AB") == nil, "unused low bits set: not the canonical spelling of any bytes")
        #expect(Base64URL.decode("AA") == [0])
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("AA+A") == nil)
        #expect(Base64URL.decode("AA=") == nil)
    }

    @Test(arguments: ["a secret of sixteen bytes+", String(repeating: "long key ", count: 12)])
    func tagsEqualSipHashUnderTheDerivedKey(secret: String) {
        let signer = AssignmentTokenSigner(TokenConfig(current: TokenKey(keyID: "k", secret: secret)))
        for i in 0..<50 {
            let token = signer.sign(experiment: "e", variant: "v\(i % 3)", unit: "unit-\(i)" + String(repeating: "x", count: i * 3),
                                    issuedAt: Int64(i))
            let signed = Base64URL.decode(token.dropFirst(4))!
            #expect(Array(signed.suffix(8)) == AssignmentTokenSigner.tagV3(Array(signed.dropLast(8)), secret: Array(secret.utf8)))
            #expect(Array(signed.suffix(8)) != Array(AssignmentTokenSigner.tagV2(Array(signed.dropLast(8)), secret: Array(secret.utf8)).prefix(8)))
        }
        for i in 0..<20 {
            let token = signer.sign(experiment: "e", variant: "v\(i % 3)", unit: String(repeating: "x", count: 256 + i * 3),
                                    issuedAt: Int64(i))
            let parts = token.split(separator: ".")
            let payload = Base64URL.decode(parts[1])!
            #expect(Base64URL.decode(parts[2]) == AssignmentTokenSigner.tagV2(payload, secret: Array(secret.utf8)))
            #expect(Base64URL.decode(parts[2]) != AssignmentTokenSigner.tag(payload, key: Array(secret.utf8)))
        }
    }

    /// The key is the first 16 bytes of HMAC-SHA256(secret, "switchyard-assignment-v2"), computed
    /// here with the library directly; the tag is SipHash-2-4-128 under it.
    @Test func v2KeyDerivation() {
        let secret = Array("derivation-secret-0123".utf8)
        let payload = AssignmentTokenSigner.encode(AssignmentClaims(experiment: "e", variant: "v", unit: "u", issuedAt: 7, keyID: "k"))
        var mac = HMAC<SHA256>(key: SymmetricKey(data: secret))
        mac.update(data: Array("switchyard-assignment-v2".utf8))
        let sip = SipHash24(key: Array(mac.finalize()))
        let words = payload.withUnsafeBytes { sip.hash128($0) }
        let expected = withUnsafeBytes(of: (words.low.littleEndian, words.high.littleEndian)) { Array($0) }
        #expect(AssignmentTokenSigner.tagV2(payload, secret: secret) == expected)
    }

    /// Tokens handed out by earlier releases (HMAC-SHA256, `sy1`) still verify, so outcomes for
    /// them are accepted after an upgrade; tampering with them is still refused.
    @Test func v1TokensStillVerify() throws {
        let claims = AssignmentClaims(experiment: "fraud", variant: "control", unit: "user-7", issuedAt: 1_700_000_000, keyID: "k1")
        let payload = AssignmentTokenSigner.encode(claims)
        let tag = AssignmentTokenSigner.tag(payload, key: Array("old-secret-0123456789".utf8))
        let token = "sy1.\(Base64URL.encode(payload)).\(Base64URL.encode(tag))"
        #expect(try signer.verify(token, experiment: "fraud") == claims)
        var forged = claims
        forged.variant = "candidate"
        let forgedToken = "sy1.\(Base64URL.encode(AssignmentTokenSigner.encode(forged))).\(Base64URL.encode(tag))"
        #expect(throws: TokenError.badSignature) { try signer.verify(forgedToken) }
    }

    /// The sy3 key is the first 16 bytes of HMAC-SHA256(secret, "switchyard-assignment-v3"); the
    /// tag is SipHash-2-4 (64-bit) under it, little-endian, after the payload.
    @Test func v3LayoutAndKeyDerivation() throws {
        let secret = "derivation-secret-0123"
        let signer = AssignmentTokenSigner(TokenConfig(current: TokenKey(keyID: "k", secret: secret)))
        let token = signer.sign(experiment: "ex", variant: "v", unit: "", issuedAt: 0x0102)
        let signed = try #require(Base64URL.decode(token.dropFirst(4)))
        let payload: [UInt8] = [0, 0, 1, 2, 1, 0x6b, 2, 0x65, 0x78, 1, 0x76, 0]
        #expect(Array(signed.dropLast(8)) == payload)
        var mac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        mac.update(data: Array("switchyard-assignment-v3".utf8))
        let sip = SipHash24(key: Array(mac.finalize()))
        let tag = withUnsafeBytes(of: payload.withUnsafeBytes { sip.hash64($0) }.littleEndian) { Array($0) }
        #expect(Array(signed.suffix(8)) == tag)
    }

    @Test func payloadLayout() {
        let bytes = AssignmentTokenSigner.encode(AssignmentClaims(experiment: "ex", variant: "v", unit: "", issuedAt: 0x0102, keyID: "k"))
        #expect(bytes == [0, 0, 0, 0, 0, 0, 1, 2, 0, 1, 0x6b, 0, 2, 0x65, 0x78, 0, 1, 0x76, 0, 0])
    }
}
