import SwitchyardCore
import SwitchyardHTTP1
import SwitchyardHTTP2
import SwitchyardTransport

/// Everything the HTTP server can be told: where to listen, limits and timeouts.
public struct ServerConfiguration: Sendable {
    public var host: String = "0.0.0.0"
    public var port: Int = 8000
    public var acceptMode: AcceptMode = .reusePort
    /// Request line + headers; beyond it HTTP/1.1 answers 431 and HTTP/2 refuses the stream.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Request body; beyond it 413.
    public var maxBodyBytes: Int = 64 * 1024 * 1024
    /// A keep-alive connection with nothing in flight is closed after this.
    public var idleTimeout: Duration = .seconds(60)
    /// A request head must be complete within this from its first byte (slow-header clients are cut off with 408).
    public var requestHeaderTimeout: Duration = .seconds(10)
    /// While a body is being received, the peer must send something at least this often (408 otherwise).
    public var bodyReadTimeout: Duration = .seconds(30)
    /// Pipelined HTTP/1.1 requests accepted ahead of their responses before reading pauses.
    public var maxPipelinedRequests: Int = 32
    public var http2: HTTP2Settings = HTTP2Settings()

    public init() {}

    var http1Limits: HTTP1Limits { HTTP1Limits(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes) }

    var http2Settings: HTTP2Settings {
        var s = http2
        s.maxHeaderListSize = UInt32(clamping: maxHeaderBytes)
        s.maxBodyBytes = maxBodyBytes
        return s
    }
}
