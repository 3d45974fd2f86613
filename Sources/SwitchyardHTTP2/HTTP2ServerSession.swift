import SwitchyardCore

/// The server side of one HTTP/2 connection: bytes in, complete requests out, responses in,
/// bytes out. No sockets, no threads.
///
/// The session is confined to the thread (event loop) that created it and is deliberately not
/// `Sendable`: nghttp2 keeps per-connection state that must never be touched concurrently.
/// Typical driving loop in the glue:
///
///     try session.receive(bytesFromSocket)   // delegate.didReceive may fire from here
///     session.respond(to: id, with: response) // later, same thread
///     var more = true
///     while more {                            // a false return may still have appended bytes
///         more = session.flush(into: &out, limit: 64 << 10)
///         write(out); out.removeAll(keepingCapacity: true)
///     }
///     if session.isFinished { close() }       // also after a throwing receive, once the GOAWAY is written
///
/// The delegate is held `unowned`: the glue owns the session and is its delegate, so it outlives
/// it. (Not `weak`: a weak reference gives the delegate a side table, which sends every retain and
/// release of the connection driver down the runtime's slow path, measured at about 5 % of the
/// CPU of an HTTP/2 request.)
/// Every nghttp2 call lives in `NGHTTP2Session.swift`; this file is the Swift state machine the
/// callbacks drive.
public final class HTTP2ServerSession {
    let settings: HTTP2Settings
    unowned let delegate: any HTTP2SessionDelegate

    /// The nghttp2 session (`nghttp2_session *`); owned, deleted in `deinit`.
    var ng: OpaquePointer
    /// The loop's block pool the nghttp2 session allocates from (nil: malloc). Held so that the
    /// pool outlives the session.
    let allocator: HTTP2Allocator?

    /// Closed streams kept for reuse (`HTTP2Stream.recycle`), at most `spareStreamLimit`.
    var spareStreams: [HTTP2Stream] = []
    static let spareStreamLimit = 16

    /// Open streams by id. Entries appear at a request's first HEADERS and leave when nghttp2
    /// reports the stream closed.
    var streams = HTTP2StreamTable()
    /// The stream whose header block is being decoded (HEADERS + CONTINUATION arrive back to back),
    /// so per-field callbacks skip the table lookup.
    ///
    /// Unretained, so that a header field costs no retain and release of the stream (a strong or
    /// even `unowned(unsafe)` optional is copied out strongly). Safe because `streams` holds the
    /// stream for as long as this is set: it is cleared when the block ends, when that stream
    /// closes and when the connection fails.
    var headerStream: Unmanaged<HTTP2Stream>?
    /// Reused encoding space for response and trailer header blocks.
    var headerBlock = HTTP2HeaderBlock()
    /// Names of long-valued response fields already indexed once on this connection (see
    /// `indexesOnce` in `NGHTTP2Session.swift`).
    var onceIndexedNames: [[UInt8]] = []
    /// `settings.neverIndexedNames`, lower-cased bytes, and a bit per length among them (below
    /// 64): most fields of a response are ruled out by their name's length alone.
    let neverIndexedNames: [[UInt8]]
    let neverIndexedLengths: UInt64
    /// True while nghttp2 is running (inside `mem_recv`/`mem_send`); guards against re-entrant
    /// `receive`/`flush` calls from delegate methods.
    var inLibraryCall = false
    /// The connection failed; every later `receive` rethrows this.
    var connectionError: HTTP2Error?
    /// nghttp2 reported a fatal error: the session must not be used any more.
    var isDead = false
    /// The last diagnostic nghttp2 reported during the current `receive` (for error messages).
    var lastLibraryMessage: String?
    var shutdownStarted = false
    /// The h2c upgrade request waiting to be delivered as stream 1.
    var pendingUpgradeRequest: HTTPRequest?

    /// A session for a connection that starts with the HTTP/2 client preface (prior knowledge).
    /// Queues the server SETTINGS and the connection WINDOW_UPDATE; `flush` produces them.
    public convenience init(settings: HTTP2Settings, delegate: any HTTP2SessionDelegate,
                            allocator: HTTP2Allocator? = nil) throws(HTTP2Error) {
        try self.init(settings: settings, delegate: delegate, allocator: allocator, upgrade: nil)
    }

    /// A session for a connection switching from HTTP/1.1 (`Upgrade: h2c`, RFC 7540 §3.2).
    ///
    /// `settingsPayload` is the decoded `HTTP2-Settings` header (see `decodeSettingsHeader`). The
    /// upgrading request becomes stream 1, already half-closed by the client. It is delivered to the
    /// delegate by `deliverUpgradedRequest()` if the glue calls it (after writing the 101 answer), and
    /// otherwise at the end of the first `receive` call that does not fail (that is, once the client
    /// preface has been checked). The glue writes `101 Switching Protocols`, then what `flush` produces.
    public convenience init(upgrading request: HTTPRequest, settingsPayload: [UInt8], settings: HTTP2Settings,
                            delegate: any HTTP2SessionDelegate, allocator: HTTP2Allocator? = nil) throws(HTTP2Error) {
        try self.init(settings: settings, delegate: delegate, allocator: allocator,
                      upgrade: (request: request, payload: settingsPayload))
    }

    private init(settings: HTTP2Settings, delegate: any HTTP2SessionDelegate, allocator: HTTP2Allocator?,
                 upgrade: (request: HTTPRequest, payload: [UInt8])?) throws(HTTP2Error) {
        try settings.validate()
        self.settings = settings
        neverIndexedNames = settings.neverIndexedNames.map { Array($0.lowercased().utf8) }
        neverIndexedLengths = neverIndexedNames.reduce(0) { $0 | ($1.count < 64 ? 1 << UInt64($1.count) : 1 << 63) }
        self.delegate = delegate
        self.allocator = allocator
        self.ng = try Self.makeLibrarySession(allocator: allocator)
        streams = HTTP2StreamTable(capacity: Int(min(settings.maxConcurrentStreams, 64)))
        attachToLibrarySession()
        if let upgrade {
            try startUpgradedStream(upgrade.request, settingsPayload: upgrade.payload)
        }
        try submitInitialSettings()
    }

    deinit { deleteLibrarySession() }

    // MARK: Public API

    /// Feeds socket bytes (starting with the client preface). Complete requests are handed to
    /// the delegate before this returns. Throws on a connection error (bad preface, protocol
    /// violation, flood, ...): a GOAWAY is then queued, `flush` still produces it and the glue closes
    /// after writing it. Throws without doing anything if called from inside a delegate method.
    public func receive(_ bytes: UnsafeRawBufferPointer) throws(HTTP2Error) {
        if let connectionError { throw connectionError }
        if inLibraryCall { throw HTTP2Error("HTTP/2: receive called re-entrantly from a delegate method") }
        lastLibraryMessage = nil
        inLibraryCall = true
        let failure = libraryReceive(bytes)
        inLibraryCall = false
        if let failure {
            failConnection(failure)
            throw failure
        }
        if pendingUpgradeRequest != nil { deliverUpgradedRequest() }
    }

    /// Queues the response for a delivered request: HEADERS (:status + headers without
    /// connection-specific ones), DATA (the body, as flow control allows), then trailers as a final
    /// HEADERS with END_STREAM when `trailers` is non-nil. A HEAD request gets no DATA.
    /// Ignored if the stream is gone (reset, connection failed) or was already answered.
    public func respond(to streamID: Int32, with response: HTTPResponse) {
        guard !isDead, let stream = streams[streamID], stream.delivered, !stream.responseSubmitted else { return }
        submitResponse(response, on: stream)
    }

    /// Serializes pending frames (copied out of nghttp2's buffer), appending to `buffer` until
    /// nothing is pending or `buffer.count >= limit`; returns true if more output is still pending.
    /// A frame is never split, so `buffer` may end up to one frame beyond `limit`. Called from inside
    /// a delegate method it does nothing and returns false (nghttp2 cannot serialize while it is
    /// parsing); the glue flushes after `receive` returns anyway.
    public func flush(into buffer: inout [UInt8], limit: Int) -> Bool {
        if isDead || inLibraryCall { return false }
        inLibraryCall = true
        defer { inLibraryCall = false }
        return librarySend(into: &buffer, limit: limit)
    }

    /// Graceful shutdown: GOAWAY (NO_ERROR, last-stream-id = highest processed) so no new streams
    /// start; in-flight streams complete. `isFinished` becomes true once nothing is left.
    public func startGracefulShutdown() {
        guard !shutdownStarted, !isDead else { return }
        shutdownStarted = true
        submitGracefulGoaway()
    }

    /// Nothing is left to read or write: the glue may close the socket (after writing everything
    /// `flush` produced).
    public var isFinished: Bool { isDead || (!libraryWantsRead && !libraryWantsWrite) }

    /// Streams opened by the client and not yet closed.
    public var openStreamCount: Int { streams.count }

    /// nghttp2 has frames to send (possibly blocked by flow control; `flush` then returns false).
    public var wantsWrite: Bool { !isDead && libraryWantsWrite }

    /// Delivers the h2c upgrade request (stream 1) now, if not yet delivered; otherwise does nothing.
    public func deliverUpgradedRequest() {
        guard let request = pendingUpgradeRequest else { return }
        pendingUpgradeRequest = nil
        guard let stream = streams[1] else { return }
        stream.delivered = true
        delegate.http2Session(self, didReceive: request, streamID: 1)
    }

    // MARK: Responses

    /// Submits `response` on `stream`, for a delivered request or a rejection of our own.
    func submitResponse(_ response: HTTPResponse, on stream: HTTP2Stream) {
        stream.responseSubmitted = true
        let code = response.status.code
        let isHead = stream.isHeadRequest
        let bodyAllowed = !isHead && code >= 200 && code != 204 && code != 304
        stream.responseBody = bodyAllowed ? response.body : []
        stream.responseOffset = 0
        stream.responseTrailers = isHead ? nil : response.trailers
        var block = headerBlock
        headerBlock = HTTP2HeaderBlock()
        block.encodeResponseHead(response, isHeadRequest: isHead)
        let needsDataFrames = !stream.responseBody.isEmpty || stream.responseTrailers != nil
        if !librarySubmitResponse(streamID: stream.id, headers: block, withBody: needsDataFrames) {
            stream.responseBody = []
            stream.responseTrailers = nil
        }
        headerBlock = block
    }

    /// Answers a request the application will never see (413, 431) and stops assembling it.
    func reject(_ stream: HTTP2Stream, status: HTTPStatus, message: String) {
        stream.rejected = true
        stream.body = []
        stream.headers = HTTPHeaders()
        stream.trailers = nil
        if !stream.responseSubmitted {
            submitResponse(.error(status, message), on: stream)
        }
    }
}
