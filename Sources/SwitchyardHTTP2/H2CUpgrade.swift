import SwitchyardCore

/// HTTP/1.1 → h2c upgrade support (RFC 7540 §3.2; RFC 9113 dropped the mechanism but clients such
/// as curl still use it).
extension HTTP2ServerSession {
    /// Decodes an `HTTP2-Settings` header value: base64url (RFC 4648 §5) with padding optional,
    /// surrounding whitespace ignored. Returns nil when the text is not base64url or when the decoded
    /// payload is not a whole number of 6-byte SETTINGS entries (the glue then refuses the upgrade).
    public static func decodeSettingsHeader(_ value: String) -> [UInt8]? {
        var sextets: [UInt8] = []
        sextets.reserveCapacity(value.utf8.count)
        var sawPadding = false
        for c in value.utf8 {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if !sextets.isEmpty && !sawPadding { sawPadding = true }  // trailing whitespace only
                continue
            case UInt8(ascii: "="):
                sawPadding = true
                continue
            default:
                break
            }
            if sawPadding { return nil }  // data after padding or inner whitespace
            guard let v = sextet(c) else { return nil }
            sextets.append(v)
        }
        if sextets.count % 4 == 1 { return nil }  // a single leftover character encodes no byte
        var out: [UInt8] = []
        out.reserveCapacity(sextets.count * 3 / 4)
        var i = 0
        while i + 4 <= sextets.count {
            let n = UInt32(sextets[i]) << 18 | UInt32(sextets[i + 1]) << 12 | UInt32(sextets[i + 2]) << 6 | UInt32(sextets[i + 3])
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            out.append(UInt8(truncatingIfNeeded: n >> 8))
            out.append(UInt8(truncatingIfNeeded: n))
            i += 4
        }
        let rest = sextets.count - i
        if rest >= 2 {
            let n = UInt32(sextets[i]) << 18 | UInt32(sextets[i + 1]) << 12 | (rest == 3 ? UInt32(sextets[i + 2]) << 6 : 0)
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            if rest == 3 { out.append(UInt8(truncatingIfNeeded: n >> 8)) }
        }
        return out.count % 6 == 0 ? out : nil
    }

    private static func sextet(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): return 62
        case UInt8(ascii: "_"): return 63
        default: return nil
        }
    }

    /// Fields of the HTTP/1.1 request that only concerned the upgrade or that HTTP/2 forbids.
    private static let upgradeOnlyFields: Set<String> = [
        "connection", "upgrade", "http2-settings", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    ]

    /// Makes stream 1 for the upgrading request (already complete: the client sent it whole over
    /// HTTP/1.1) and keeps the request, rewritten as HTTP/2, for delivery.
    func registerUpgradedStream(_ request: HTTPRequest) {
        let stream = HTTP2Stream(id: 1)
        stream.method = request.method
        stream.path = request.head.target
        stream.remoteClosed = true
        streams.insert(stream)

        // Fields named by `Connection` are hop-by-hop too (RFC 9110 §7.6.1).
        var dropped = Self.upgradeOnlyFields
        for value in request.headers.values("connection") {
            for token in value.split(separator: ",") {
                dropped.insert(HTTPHeaders.lowercase(token.trimmingSpaces()))
            }
        }
        var fields = HTTPHeaders()
        for (name, value) in request.headers where !dropped.contains(name) {
            fields.addLowercased(name: name, value: value)
        }
        var head = request.head
        head.version = .http2
        head.headers = fields
        pendingUpgradeRequest = HTTPRequest(head: head, body: request.body, trailers: request.trailers)
    }
}

private extension Substring {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
