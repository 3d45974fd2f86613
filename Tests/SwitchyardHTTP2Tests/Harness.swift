import SwitchyardCore
import SwitchyardHTTP2

/// Records what the server session delivers; optionally answers inline.
final class Recorder: HTTP2SessionDelegate {
    var requests: [(streamID: Int32, request: HTTPRequest)] = []
    var cancelled: [Int32] = []
    /// If set, called from inside `didReceive` (the synchronous-response path).
    var autoRespond: ((HTTPRequest) -> HTTPResponse)?

    func http2Session(_ session: HTTP2ServerSession, didReceive request: HTTPRequest, streamID: Int32) {
        requests.append((streamID, request))
        if let autoRespond { session.respond(to: streamID, with: autoRespond(request)) }
    }

    func http2Session(_ session: HTTP2ServerSession, streamCancelled streamID: Int32) {
        cancelled.append(streamID)
    }

    func request(on streamID: Int32) -> HTTPRequest? { requests.first { $0.streamID == streamID }?.request }
}

/// A server session, a client session and the pipe between them.
final class Harness {
    let recorder: Recorder
    let server: HTTP2ServerSession
    let client: TestClient
    /// Everything the server produced, in order (frames only: a server sends no preface magic).
    var serverBytes: [UInt8] = []
    /// Everything the client produced (starts with the 24-byte preface).
    var clientBytes: [UInt8] = []

    convenience init(settings: HTTP2Settings = HTTP2Settings(), clientWindow: UInt32 = 65_535) throws {
        try self.init(client: TestClient(initialWindowSize: clientWindow)) {
            try HTTP2ServerSession(settings: settings, delegate: $0)
        }
    }

    init(client: TestClient, makeServer: (Recorder) throws -> HTTP2ServerSession) throws {
        let recorder = Recorder()
        self.recorder = recorder
        self.client = client
        self.server = try makeServer(recorder)
    }

    /// Client → server bytes only. Returns what the client sent.
    @discardableResult
    func sendClient() throws(HTTP2Error) -> [UInt8] {
        let out = client.output()
        clientBytes += out
        if !out.isEmpty { try server.feed(out) }
        return out
    }

    /// Server → client bytes only (one full flush). Returns what the server sent.
    @discardableResult
    func sendServer(deliver: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        var chunk: [UInt8] = []
        var more = true
        while more {
            more = server.flush(into: &chunk, limit: 16 << 10)
            out += chunk
            chunk.removeAll(keepingCapacity: true)
        }
        serverBytes += out
        if deliver && !out.isEmpty { client.input(out) }
        return out
    }

    /// Moves bytes both ways until neither side has anything to say.
    func pump(maxRounds: Int = 1000) throws(HTTP2Error) {
        for _ in 0..<maxRounds {
            let c = try sendClient()
            let s = sendServer()
            if c.isEmpty && s.isEmpty { return }
        }
    }
}

/// One HTTP/2 frame as seen on the wire.
struct Frame {
    var type: UInt8
    var flags: UInt8
    var streamID: Int32
    var payload: [UInt8]

    static let data: UInt8 = 0, headers: UInt8 = 1, rstStream: UInt8 = 3, settings: UInt8 = 4
    static let goaway: UInt8 = 7, windowUpdate: UInt8 = 8

    var endStream: Bool { flags & 0x1 != 0 }
    /// First 32-bit big-endian word of the payload masked to 31 bits (WINDOW_UPDATE increment,
    /// GOAWAY last-stream-id) and the error code of RST_STREAM / GOAWAY.
    func word(at offset: Int) -> UInt32 {
        payload[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
    var errorCode: UInt32 { type == Frame.goaway ? word(at: 4) : word(at: 0) }

    /// Splits a byte stream into frames (skipping a leading client preface).
    static func parse(_ bytes: [UInt8]) -> [Frame] {
        var i = 0
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        if bytes.starts(with: preface) { i = preface.count }
        var frames: [Frame] = []
        while i + 9 <= bytes.count {
            let len = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
            guard i + 9 + len <= bytes.count else { break }
            let sid = Int32(bitPattern: (UInt32(bytes[i + 5]) << 24 | UInt32(bytes[i + 6]) << 16 | UInt32(bytes[i + 7]) << 8 | UInt32(bytes[i + 8])) & 0x7fff_ffff)
            frames.append(Frame(type: bytes[i + 3], flags: bytes[i + 4], streamID: sid, payload: Array(bytes[(i + 9)..<(i + 9 + len)])))
            i += 9 + len
        }
        return frames
    }

    /// Serializes a raw frame (for injecting what a well-behaved client would never send).
    static func raw(type: UInt8, flags: UInt8, streamID: Int32, payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        let sid = UInt32(streamID)
        return [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff), type, flags,
                UInt8(sid >> 24 & 0x7f), UInt8(sid >> 16 & 0xff), UInt8(sid >> 8 & 0xff), UInt8(sid & 0xff)] + payload
    }
}

/// base64url without padding (what h2c clients put in HTTP2-Settings).
func base64url(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    var out = ""
    var i = 0
    while i < bytes.count {
        let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
        let n = b0 << 16 | b1 << 8 | b2
        let remaining = bytes.count - i
        let chars = remaining >= 3 ? 4 : remaining + 1
        for k in 0..<chars { out.append(alphabet[Int(n >> (18 - 6 * UInt32(k)) & 63)]) }
        i += 3
    }
    return out
}

extension HTTP2ServerSession {
    /// `receive` for an array (withUnsafeBytes is not typed-throws).
    func feed(_ bytes: [UInt8]) throws(HTTP2Error) {
        let result = bytes.withUnsafeBytes { b in Result { () throws(HTTP2Error) in try self.receive(b) } }
        try result.get()
    }
}
