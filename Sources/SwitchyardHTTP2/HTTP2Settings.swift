/// The HTTP/2 limits one server connection advertises and enforces.
///
/// `maxConcurrentStreams`, `initialWindowSize`, `maxFrameSize` and `maxHeaderListSize` go out in the
/// server's first SETTINGS frame; `connectionWindowSize` is reached with a WINDOW_UPDATE on stream 0
/// right after it (the protocol fixes the initial connection window at 65,535 bytes, too small for
/// request bodies of inference payloads). `maxHeaderListSize` and `maxBodyBytes` are also enforced
/// locally per stream (431 and 413 answers) because a peer is free to ignore advertised limits.
public struct HTTP2Settings: Sendable {
    public var maxConcurrentStreams: UInt32 = 256
    /// Per-stream receive window we advertise (SETTINGS_INITIAL_WINDOW_SIZE).
    public var initialWindowSize: UInt32 = 1 << 20
    /// Connection receive window, raised with WINDOW_UPDATE on stream 0 at start.
    public var connectionWindowSize: UInt32 = 16 << 20
    public var maxFrameSize: UInt32 = 16_384
    /// Sum of name + value + 32 over all header fields of a request (RFC 9113 §6.5.2); matches
    /// the HTTP/1.1 codec's 431 limit.
    public var maxHeaderListSize: UInt32 = 16_384
    /// Per request; beyond it the stream gets a 413 response and is then reset with NO_ERROR.
    public var maxBodyBytes: Int = 64 << 20
    /// Response field names whose values differ on every response (signed tokens, ids): sent as
    /// never-indexed literals (RFC 7541 §6.2.3, §7.1.3) whatever their length. Indexing them would
    /// add an entry to both ends' 4 KiB table per response and evict the fields that do repeat.
    /// Values longer than `HTTP2HeaderBlock.indexedValueLimit` are never indexed anyway; this
    /// covers the shorter ones, where length alone cannot tell.
    public var neverIndexedNames: [String] = []

    public init() {}

    /// Rejects values the protocol forbids (RFC 9113 §6.5.2, §6.9.1) or that make no sense, so a
    /// bad configuration fails when the session is made rather than as a peer's PROTOCOL_ERROR.
    func validate() throws(HTTP2Error) {
        let maxWindow: UInt32 = (1 << 31) - 1
        if maxConcurrentStreams == 0 {
            throw HTTP2Error("HTTP/2 settings: maxConcurrentStreams must be at least 1")
        }
        if initialWindowSize > maxWindow {
            throw HTTP2Error("HTTP/2 settings: initialWindowSize \(initialWindowSize) exceeds 2^31-1")
        }
        if connectionWindowSize > maxWindow {
            throw HTTP2Error("HTTP/2 settings: connectionWindowSize \(connectionWindowSize) exceeds 2^31-1")
        }
        if maxFrameSize < 16_384 || maxFrameSize > (1 << 24) - 1 {
            throw HTTP2Error("HTTP/2 settings: maxFrameSize \(maxFrameSize) is outside 16384...16777215")
        }
        if maxHeaderListSize < 64 {
            throw HTTP2Error("HTTP/2 settings: maxHeaderListSize \(maxHeaderListSize) is too small for any request")
        }
        if maxBodyBytes < 0 {
            throw HTTP2Error("HTTP/2 settings: maxBodyBytes must not be negative")
        }
    }
}

/// A connection-level HTTP/2 failure: the connection cannot continue. When `receive` throws it,
/// a GOAWAY has been queued and `flush` still produces it; the glue writes that and closes.
public struct HTTP2Error: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
