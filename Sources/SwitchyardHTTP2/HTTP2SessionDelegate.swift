import SwitchyardCore

/// What a server session reports to its owner. Both methods are called synchronously from inside
/// `receive` (and `streamCancelled` also from inside `flush`), on the session's own thread; the
/// delegate may call `respond` or `startGracefulShutdown` from them, but must not call `receive` or
/// `flush` re-entrantly (the session ignores such calls, see their documentation).
public protocol HTTP2SessionDelegate: AnyObject {
    /// A complete request (END_STREAM seen): pseudo-headers turned into HTTPRequestHead
    /// (method, target = :path, version .http2, headers without pseudo-headers; `:authority` → `host`
    /// if no host), body assembled.
    func http2Session(_ session: HTTP2ServerSession, didReceive request: HTTPRequest, streamID: Int32)
    /// The stream ended before its response was fully sent (RST_STREAM from the peer, connection
    /// error): the application may drop the work for it. Not called for streams that completed
    /// normally, nor for streams never delivered (the session answered them itself, e.g. 413/431).
    func http2Session(_ session: HTTP2ServerSession, streamCancelled streamID: Int32)
}
