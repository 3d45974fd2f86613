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
    /// The stream ended while the application still owed its response (RST_STREAM from the peer,
    /// connection error): the work for it may be dropped, and a later `respond` is ignored. Called
    /// at most once per delivered stream and only before `respond`: not for streams already
    /// answered (a response cut short by a reset leaves the application nothing to drop), nor for
    /// streams never delivered (the session answered them itself, e.g. 413/431).
    func http2Session(_ session: HTTP2ServerSession, streamCancelled streamID: Int32)
}
