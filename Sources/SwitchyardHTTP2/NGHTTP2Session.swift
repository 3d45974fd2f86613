private import CNghttp2
import SwitchyardCore

// The one file that talks to libnghttp2 (1.52: the `ssize_t` API). Everything else in the module
// is plain Swift. Callbacks are capture-free `@convention(c)` trampolines: they recover the
// session from `user_data` (passed unretained: the glue's connection table owns the session, and
// nghttp2 only calls back from inside calls the session itself makes) and forward to one Swift
// method in `HTTP2ServerSession+Events.swift`. None of them fails the connection: errors in
// what the peer sends are nghttp2's to answer (RST_STREAM or GOAWAY), ours are 413/431 answers.

// MARK: - Session lifecycle

extension HTTP2ServerSession {
    /// Creates the nghttp2 server session with our callbacks and options.
    ///
    /// Flood protections stay at nghttp2's defaults, which Debian's 1.52 patches include: at most
    /// 1000 queued outbound ACKs (SETTINGS/PING flood), 32 entries per SETTINGS, 8 CONTINUATION
    /// frames per header block (CVE-2024-28182), and a stream-reset rate limit of 1000 burst /
    /// 33 per second (rapid reset, CVE-2023-44487). Closed streams are not retained: we disable
    /// RFC 7540 priorities, which is the only thing they are kept for.
    ///
    /// With an allocator, the session allocates from its loop's block pool (`block_pool.h`:
    /// recycled blocks instead of a malloc and a free per stream structure and header buffer).
    static func makeLibrarySession(allocator: HTTP2Allocator?) throws(HTTP2Error) -> OpaquePointer {
        var callbacksOut: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacksOut) == 0, let callbacks = callbacksOut else {
            throw HTTP2Error("nghttp2: out of memory creating the callback table")
        }
        defer { nghttp2_session_callbacks_del(callbacks) }
        installCallbacks(callbacks)

        var optionOut: OpaquePointer?
        guard nghttp2_option_new(&optionOut) == 0, let option = optionOut else {
            throw HTTP2Error("nghttp2: out of memory creating session options")
        }
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_closed_streams(option, 1)

        var sessionOut: OpaquePointer?
        let rv: Int32
        if let allocator {
            sy_block_pool_bind(allocator.pool)   // sessions are made on their loop: it owns the pool
            rv = nghttp2_session_server_new3(&sessionOut, callbacks, nil, option, &allocator.pool.pointee.mem)
        } else {
            rv = nghttp2_session_server_new2(&sessionOut, callbacks, nil, option)
        }
        guard rv == 0, let session = sessionOut else {
            throw HTTP2Error("nghttp2_session_server_new failed: \(libraryErrorString(rv))")
        }
        return session
    }

    func attachToLibrarySession() {
        nghttp2_session_set_user_data(ng, Unmanaged.passUnretained(self).toOpaque())
    }

    func deleteLibrarySession() {
        nghttp2_session_del(ng)
    }

    /// Queues our SETTINGS and, when asked for more than the protocol's 65,535 bytes, a
    /// connection-level WINDOW_UPDATE.
    func submitInitialSettings() throws(HTTP2Error) {
        var entries: [nghttp2_settings_entry] = [
            entry(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, settings.maxConcurrentStreams),
            entry(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, settings.initialWindowSize),
            entry(NGHTTP2_SETTINGS_MAX_FRAME_SIZE, settings.maxFrameSize),
            entry(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, settings.maxHeaderListSize),
            entry(NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1),
        ]
        let rv = nghttp2_submit_settings(ng, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        if rv != 0 { throw HTTP2Error("nghttp2_submit_settings failed: \(libraryErrorString(rv))") }
        if settings.connectionWindowSize > 65_535 {
            let rv = nghttp2_session_set_local_window_size(ng, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0,
                                                           Int32(settings.connectionWindowSize))
            if rv != 0 { throw HTTP2Error("raising the connection window failed: \(libraryErrorString(rv))") }
        }
    }

    private func entry(_ id: nghttp2_settings_id, _ value: UInt32) -> nghttp2_settings_entry {
        nghttp2_settings_entry(settings_id: Int32(id.rawValue), value: value)
    }

    /// Applies the client's HTTP2-Settings and opens stream 1 half-closed (remote) for the
    /// upgrading request (RFC 7540 §3.2).
    func startUpgradedStream(_ request: HTTPRequest, settingsPayload: [UInt8]) throws(HTTP2Error) {
        let isHead: Int32 = request.method == .HEAD ? 1 : 0
        var payload = settingsPayload
        if payload.isEmpty { payload = [0] }  // a valid pointer; length 0 is passed below
        let count = settingsPayload.count
        let rv = payload.withUnsafeBufferPointer { buf in
            nghttp2_session_upgrade2(ng, buf.baseAddress, count, isHead, nil)
        }
        if rv != 0 {
            throw HTTP2Error("h2c upgrade rejected: HTTP2-Settings payload of \(count) bytes is malformed (\(libraryErrorString(rv)))")
        }
        // upgrade2 only checks the payload's shape; an illegal value (e.g. INITIAL_WINDOW_SIZE above
        // 2^31-1) makes nghttp2 queue a terminating GOAWAY instead of returning an error.
        if libraryIsTerminating {
            throw HTTP2Error("h2c upgrade rejected: HTTP2-Settings carries an illegal setting value")
        }
        registerUpgradedStream(request)
    }

    // MARK: - Receiving and sending

    /// Runs `nghttp2_session_mem_recv` over `bytes`; returns the connection error, if any.
    func libraryReceive(_ bytes: UnsafeRawBufferPointer) -> HTTP2Error? {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return nil }
        let base = start.assumingMemoryBound(to: UInt8.self)
        var offset = 0
        while offset < bytes.count {
            let rv = nghttp2_session_mem_recv(ng, base + offset, bytes.count - offset)
            if rv < 0 { return receiveFailed(Int32(truncatingIfNeeded: rv)) }
            if rv == 0 { break }
            offset += rv
        }
        if libraryIsTerminating {
            let detail = lastLibraryMessage.map { ": \($0)" } ?? ""
            return HTTP2Error("HTTP/2 connection error caused by the peer\(detail); GOAWAY queued")
        }
        return nil
    }

    /// `mem_recv` returned an error. A bad preface or a flood leaves the session usable for
    /// sending a GOAWAY, which we queue; anything else (out of memory) kills it.
    private func receiveFailed(_ rv: Int32) -> HTTP2Error {
        let reason = libraryErrorString(rv)
        switch rv {
        case NGHTTP2_ERR_BAD_CLIENT_MAGIC.rawValue:
            nghttp2_session_terminate_session(ng, NGHTTP2_PROTOCOL_ERROR.rawValue)
            return HTTP2Error("HTTP/2: the connection did not start with the client preface (\(reason)); GOAWAY queued")
        case NGHTTP2_ERR_FLOODED.rawValue:
            nghttp2_session_terminate_session(ng, NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
            return HTTP2Error("HTTP/2: peer flooded the connection (\(reason)); GOAWAY queued")
        default:
            isDead = true
            return HTTP2Error("HTTP/2: nghttp2 failed while receiving (\(reason)); connection unusable")
        }
    }

    /// True once nghttp2 has queued a terminating GOAWAY (a connection error it detected itself,
    /// or one we asked for). There is no getter for this in 1.52; `nghttp2_submit_goaway` returns 0
    /// without doing anything in that state, and otherwise rejects an even (server-side)
    /// last-stream-id with INVALID_ARGUMENT before queueing anything, so the probe has no effect.
    private var libraryIsTerminating: Bool {
        nghttp2_submit_goaway(ng, UInt8(NGHTTP2_FLAG_NONE.rawValue), 2, NGHTTP2_NO_ERROR.rawValue, nil, 0) == 0
    }

    /// Copies serialized frames out of nghttp2's buffer (valid only until its next call).
    func librarySend(into buffer: inout [UInt8], limit: Int) -> Bool {
        while buffer.count < limit {
            var data: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(ng, &data)
            if n < 0 {
                isDead = true
                failConnection(HTTP2Error("HTTP/2: nghttp2 failed while sending (\(libraryErrorString(Int32(truncatingIfNeeded: n))))"))
                return false
            }
            guard n > 0, let data else { return false }
            buffer.append(contentsOf: UnsafeBufferPointer(start: data, count: n))
        }
        return libraryWantsWrite
    }

    var libraryWantsRead: Bool { nghttp2_session_want_read(ng) != 0 }
    var libraryWantsWrite: Bool { nghttp2_session_want_write(ng) != 0 }

    // MARK: - Submitting

    /// Submits HEADERS (and a data provider when a body or trailers follow). nghttp2 copies the
    /// name/value bytes during the call, so `headers` only has to live until it returns.
    func librarySubmitResponse(streamID: Int32, headers: HTTP2HeaderBlock, withBody: Bool) -> Bool {
        withNameValues(headers) { nva, count in
            if withBody {
                var provider = nghttp2_data_provider()
                provider.read_callback = { _, streamID, buf, length, dataFlags, _, userData in
                    withOwner(userData) { $0.serveResponseBody(streamID: streamID, buf: buf, length: length, dataFlags: dataFlags) }
                }
                return nghttp2_submit_response(ng, streamID, nva, count, &provider) == 0
            }
            return nghttp2_submit_response(ng, streamID, nva, count, nil) == 0
        }
    }

    /// The data source read callback's body: copies the next slice, marks EOF, and on the last
    /// slice of a response with trailers submits them and keeps the stream open for them.
    fileprivate func serveResponseBody(streamID: Int32, buf: UnsafeMutablePointer<UInt8>?, length: Int,
                                       dataFlags: UnsafeMutablePointer<UInt32>?) -> Int {
        guard let dataFlags,
              let read = readResponseBody(streamID: streamID, into: UnsafeMutableRawBufferPointer(start: buf, count: length))
        else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        if read.finished {
            dataFlags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            if read.hasTrailers && submitTrailers(streamID: streamID) {
                dataFlags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
            }
        }
        return read.count
    }

    private func submitTrailers(streamID: Int32) -> Bool {
        guard let stream = streams[streamID], let trailers = stream.responseTrailers else { return false }
        stream.responseTrailers = nil
        var block = headerBlock
        headerBlock = HTTP2HeaderBlock()
        block.encodeTrailers(trailers)
        let ok = withNameValues(block) { nva, count in nghttp2_submit_trailer(ng, streamID, nva, count) == 0 }
        headerBlock = block
        return ok
    }

    func libraryResetStream(_ streamID: Int32, cancel: Bool) {
        let code = cancel ? NGHTTP2_CANCEL.rawValue : NGHTTP2_NO_ERROR.rawValue
        nghttp2_submit_rst_stream(ng, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, code)
    }

    func submitGracefulGoaway() {
        let last = nghttp2_session_get_last_proc_stream_id(ng)
        nghttp2_submit_goaway(ng, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, NGHTTP2_NO_ERROR.rawValue, nil, 0)
    }

    /// Points a stack-allocated `nghttp2_nv` array into `block`'s bytes for the duration of `body`.
    private func withNameValues<R>(_ block: HTTP2HeaderBlock,
                                   _ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        let count = block.fields.count
        return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(count, 1)) { nva in
            let nvBase = nva.baseAddress!
            return block.fields.withBytes { packed in
                var i = 0
                // nghttp2 takes `uint8_t *` but only reads during the submit call.
                HTTPHeaders.forEachField(in: packed) { name, value in
                    (nvBase + i).initialize(to: nghttp2_nv(
                        name: UnsafeMutablePointer(mutating: name.baseAddress!.assumingMemoryBound(to: UInt8.self)),
                        value: UnsafeMutablePointer(mutating: value.baseAddress!.assumingMemoryBound(to: UInt8.self)),
                        namelen: name.count, valuelen: value.count,
                        flags: UInt8((value.count > HTTP2HeaderBlock.indexedValueLimit || isNeverIndexed(name)) && !indexesOnce(name)
                                     ? NGHTTP2_NV_FLAG_NO_INDEX.rawValue : NGHTTP2_NV_FLAG_NONE.rawValue)))
                    i += 1
                }
                return body(UnsafePointer(nvBase), i)
            }
        }
    }

    /// Whether the long value of a field named `name` should be indexed this once: true the first
    /// time the name comes with a long value on this connection (for at most
    /// `HTTP2HeaderBlock.onceIndexedNameLimit` names), false after.
    ///
    /// Why: a never-indexed field can still take its *name* from the dynamic table, but only if an
    /// entry with that name is there. Without one, the name of every assignment token
    /// (`x-switchyard-assignment`, 23 bytes) was Huffman-coded on every routed response and decoded
    /// by the client: about 1,000 of the 4,000 instructions nghttp2 spent on a routed response's
    /// extra fields (callgrind, `instructions.sh routed-m16`). One indexed entry per name and
    /// connection (its first value, ~130 of the table's 4,096 bytes) makes the name an index.
    private func indexesOnce(_ name: UnsafeRawBufferPointer) -> Bool {
        if Self.contains(onceIndexedNames, name) { return false }
        guard onceIndexedNames.count < HTTP2HeaderBlock.onceIndexedNameLimit else { return false }
        onceIndexedNames.append(Array(name.bindMemory(to: UInt8.self)))
        return true
    }

    /// Whether `name` is one of `HTTP2Settings.neverIndexedNames`.
    @inline(__always)
    private func isNeverIndexed(_ name: UnsafeRawBufferPointer) -> Bool {
        neverIndexedLengths & (1 &<< UInt64(min(name.count, 63))) != 0 && Self.contains(neverIndexedNames, name)
    }

    private static func contains(_ names: [[UInt8]], _ name: UnsafeRawBufferPointer) -> Bool {
        for known in names where known.count == name.count {
            // memcmp, not `elementsEqual` (a byte-at-a-time iterator: ~10 instructions a byte).
            if known.isEmpty || known.withUnsafeBytes({ memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 }) { return true }
        }
        return false
    }

    /// Records nghttp2's diagnostic text for the error message `receive` may throw.
    fileprivate func libraryReported(_ message: String) {
        lastLibraryMessage = message
    }
}

/// Recycled memory for the nghttp2 sessions of one event loop (see `block_pool.h` for why and how).
/// Make one per loop and pass it to every session created on that loop; each session keeps it
/// alive. Sessions used or destroyed on another thread stay correct: the pool then falls back to
/// malloc and free.
public final class HTTP2Allocator: @unchecked Sendable {   // owner-thread checks inside the C pool
    fileprivate let pool: UnsafeMutablePointer<sy_block_pool>

    public init() {
        guard let pool = sy_block_pool_new() else { fatalError("out of memory creating an HTTP/2 block pool") }
        self.pool = pool
    }

    deinit { sy_block_pool_delete(pool) }
}

private func libraryErrorString(_ code: Int32) -> String {
    String(cString: nghttp2_strerror(code))
}

// MARK: - Callback trampolines

/// Runs `body` with the session behind `user_data`, without retaining it: the caller of the
/// nghttp2 function that is calling back already holds the session for the whole call.
@inline(__always)
private func withOwner<R>(_ userData: UnsafeMutableRawPointer?, _ body: (HTTP2ServerSession) -> R) -> R {
    Unmanaged<HTTP2ServerSession>.fromOpaque(userData!)._withUnsafeGuaranteedRef(body)
}

@inline(__always)
private func hasEndStream(_ flags: UInt8) -> Bool {
    flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
}

private func installCallbacks(_ callbacks: OpaquePointer) {
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
        guard let frame else { return 0 }
        let isTrailers = frame.pointee.headers.cat == NGHTTP2_HCAT_HEADERS
        withOwner(userData) { $0.beginHeaders(streamID: frame.pointee.hd.stream_id, isTrailers: isTrailers) }
        return 0
    }
    nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
        guard let frame else { return 0 }
        withOwner(userData) {
            $0.receivedField(streamID: frame.pointee.hd.stream_id,
                             name: UnsafeRawBufferPointer(start: name, count: nameLength),
                             value: UnsafeRawBufferPointer(start: value, count: valueLength))
        }
        return 0
    }
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
        withOwner(userData) { $0.receivedData(streamID: streamID, chunk: UnsafeRawBufferPointer(start: data, count: length)) }
        return 0
    }
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
        guard let frame else { return 0 }
        let hd = frame.pointee.hd
        switch UInt32(hd.type) {
        case NGHTTP2_HEADERS.rawValue:
            withOwner(userData) { $0.headerBlockEnded(streamID: hd.stream_id, endStream: hasEndStream(hd.flags)) }
        case NGHTTP2_DATA.rawValue where hasEndStream(hd.flags):
            withOwner(userData) { $0.requestEnded(streamID: hd.stream_id) }
        default:
            break
        }
        return 0
    }
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
        guard let frame else { return 0 }
        let hd = frame.pointee.hd
        let type = UInt32(hd.type)
        if (type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue) && hasEndStream(hd.flags) {
            withOwner(userData) { $0.responseEnded(streamID: hd.stream_id) }
        }
        return 0
    }
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, _, userData in
        withOwner(userData) { $0.streamClosed(streamID: streamID) }
        return 0
    }
    nghttp2_session_callbacks_set_error_callback2(callbacks) { _, _, message, length, userData in
        if let message {
            let text = String(decoding: UnsafeRawBufferPointer(start: message, count: length), as: UTF8.self)
            withOwner(userData) { $0.libraryReported(text) }
        }
        return 0
    }
}
