import CNghttp2
import SwitchyardCore

/// What the test client saw for one stream.
final class ClientStream {
    var status: Int?
    var headers: [(String, String)] = []
    var trailers: [(String, String)] = []
    var body: [UInt8] = []
    var closed = false
    var closeErrorCode: UInt32?

    func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    func trailer(_ name: String) -> String? { trailers.first { $0.0 == name }?.1 }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A minimal nghttp2 client session for driving the server codec in-process.
final class TestClient {
    let session: OpaquePointer
    var streams: [Int32: ClientStream] = [:]
    /// Bodies served by the request data provider; `deferAfterBody` keeps the stream open.
    var requestBodies: [Int32: (bytes: [UInt8], offset: Int, endStream: Bool)] = [:]
    var goawayErrorCode: UInt32?
    var goawayLastStreamID: Int32?
    var receivedRstStream: [(streamID: Int32, errorCode: UInt32)] = []

    /// - Parameters:
    ///   - initialWindowSize: SETTINGS_INITIAL_WINDOW_SIZE the client advertises (default 65,535).
    ///   - upgradePayload: for an h2c client, the SETTINGS payload it sent in HTTP2-Settings.
    init(initialWindowSize: UInt32 = 65_535, upgradePayload: [UInt8]? = nil, upgradeIsHead: Bool = false) {
        var cbs: OpaquePointer?
        nghttp2_session_callbacks_new(&cbs)
        defer { nghttp2_session_callbacks_del(cbs) }
        nghttp2_session_callbacks_set_on_header_callback(cbs) { _, frame, name, namelen, value, valuelen, _, ud in
            let client = Unmanaged<TestClient>.fromOpaque(ud!).takeUnretainedValue()
            let n = String(decoding: UnsafeBufferPointer(start: name, count: namelen), as: UTF8.self)
            let v = String(decoding: UnsafeBufferPointer(start: value, count: valuelen), as: UTF8.self)
            let s = client.stream(frame!.pointee.hd.stream_id)
            if frame!.pointee.headers.cat == NGHTTP2_HCAT_HEADERS && s.status != nil {
                s.trailers.append((n, v))
            } else if n == ":status" {
                s.status = Int(v)
            } else {
                s.headers.append((n, v))
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs) { _, _, streamID, data, len, ud in
            let client = Unmanaged<TestClient>.fromOpaque(ud!).takeUnretainedValue()
            client.stream(streamID).body.append(contentsOf: UnsafeBufferPointer(start: data, count: len))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(cbs) { _, streamID, code, ud in
            let client = Unmanaged<TestClient>.fromOpaque(ud!).takeUnretainedValue()
            let s = client.stream(streamID)
            s.closed = true
            s.closeErrorCode = code
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(cbs) { _, frame, ud in
            let client = Unmanaged<TestClient>.fromOpaque(ud!).takeUnretainedValue()
            let f = frame!.pointee
            if UInt32(f.hd.type) == NGHTTP2_GOAWAY.rawValue {
                client.goawayErrorCode = f.goaway.error_code
                client.goawayLastStreamID = f.goaway.last_stream_id
            } else if UInt32(f.hd.type) == NGHTTP2_RST_STREAM.rawValue {
                client.receivedRstStream.append((f.hd.stream_id, f.rst_stream.error_code))
            }
            return 0
        }
        var s: OpaquePointer?
        nghttp2_session_client_new(&s, cbs, nil)
        session = s!
        nghttp2_session_set_user_data(session, Unmanaged.passUnretained(self).toOpaque())
        var iv = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: initialWindowSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: 100),
        ]
        if let upgradePayload {
            let rv = upgradePayload.withUnsafeBufferPointer {
                nghttp2_session_upgrade2(session, $0.baseAddress, $0.count, upgradeIsHead ? 1 : 0, nil)
            }
            precondition(rv == 0, "client upgrade2 failed: \(rv)")
        }
        nghttp2_submit_settings(session, 0, &iv, iv.count)
    }

    deinit { nghttp2_session_del(session) }

    /// The SETTINGS payload this client advertises, as an h2c client puts it in HTTP2-Settings.
    static func settingsPayload(initialWindowSize: UInt32 = 65_535) -> [UInt8] {
        var iv = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: initialWindowSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: 100),
        ]
        var buf = [UInt8](repeating: 0, count: 64)
        let n = buf.withUnsafeMutableBufferPointer { nghttp2_pack_settings_payload($0.baseAddress, $0.count, &iv, iv.count) }
        return Array(buf[0..<n])
    }

    func stream(_ id: Int32) -> ClientStream {
        if let s = streams[id] { return s }
        let s = ClientStream()
        streams[id] = s
        return s
    }

    /// Submits a request (`pseudoHeaders` replaces the usual four); `body` nil sends HEADERS with END_STREAM. With `endStream: false` the body
    /// is sent and the stream then stays open (the provider defers).
    @discardableResult
    func request(_ method: String = "GET", _ path: String = "/", authority: String = "example.test",
                 pseudoHeaders: [(String, String)]? = nil,
                 headers: [(String, String)] = [], body: [UInt8]? = nil, endStream: Bool = true) -> Int32 {
        var fields: [(String, String)] = pseudoHeaders
            ?? [(":method", method), (":scheme", "http"), (":path", path), (":authority", authority)]
        fields += headers
        var storage: [[UInt8]] = []
        for (n, v) in fields { storage.append(Array(n.utf8)); storage.append(Array(v.utf8)) }
        var nva: [nghttp2_nv] = []
        for i in 0..<fields.count {
            let n = storage[2 * i].withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress!) }
            let v = storage[2 * i + 1].withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress ?? UnsafePointer(bitPattern: 1)!) }
            nva.append(nghttp2_nv(name: n, value: v, namelen: storage[2 * i].count, valuelen: storage[2 * i + 1].count, flags: 0))
        }
        let id: Int32 = withExtendedLifetime(storage) {
            if body == nil {
                return nghttp2_submit_request(session, nil, nva, nva.count, nil, nil)
            }
            var provider = nghttp2_data_provider()
            provider.read_callback = { _, streamID, buf, length, flags, _, ud in
                let client = Unmanaged<TestClient>.fromOpaque(ud!).takeUnretainedValue()
                guard var entry = client.requestBodies[streamID] else { return Int(NGHTTP2_ERR_DEFERRED.rawValue) }
                let n = min(length, entry.bytes.count - entry.offset)
                if n == 0 && !entry.endStream { return Int(NGHTTP2_ERR_DEFERRED.rawValue) }
                entry.bytes.withUnsafeBytes { src in
                    UnsafeMutableRawPointer(buf!).copyMemory(from: src.baseAddress! + entry.offset, byteCount: n)
                }
                entry.offset += n
                client.requestBodies[streamID] = entry
                if entry.offset == entry.bytes.count && entry.endStream { flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
                return n
            }
            return nghttp2_submit_request(session, nil, nva, nva.count, &provider, nil)
        }
        precondition(id > 0, "submit_request failed: \(id)")
        if let body { requestBodies[id] = (body, 0, endStream) }
        return id
    }

    func reset(_ streamID: Int32, errorCode: UInt32 = NGHTTP2_CANCEL.rawValue) {
        nghttp2_submit_rst_stream(session, 0, streamID, errorCode)
    }

    /// Everything the client session has to send now.
    func output() -> [UInt8] {
        var out: [UInt8] = []
        while true {
            var p: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &p)
            if n <= 0 { break }
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
        return out
    }

    @discardableResult
    func input(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress, $0.count) }
    }
}
