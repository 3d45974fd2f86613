import Synchronization
import SwitchyardCore
import SwitchyardHTTP1
import SwitchyardHTTP2
import SwitchyardTransport

/// Immutable facts every connection driver of one server shares.
final class ServerShared: Sendable {
    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let http1Limits: HTTP1Limits
    let http2Settings: HTTP2Settings
    let idleTimeoutNs: UInt64
    let headerTimeoutNs: UInt64
    let bodyTimeoutNs: UInt64
    /// Connection drivers alive (HTTP/1.1 and HTTP/2): lets tests prove that a closed connection's
    /// driver, codec and nghttp2 session are freed once its last in-flight response is settled.
    let liveDrivers = Atomic<Int>(0)

    init(configuration: ServerConfiguration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
        self.http1Limits = configuration.http1Limits
        var http2 = configuration.http2Settings
        http2.neverIndexedNames += responder.perResponseFieldNames
        self.http2Settings = http2
        self.idleTimeoutNs = configuration.idleTimeout.clampedNanoseconds
        self.headerTimeoutNs = configuration.requestHeaderTimeout.clampedNanoseconds
        self.bodyTimeoutNs = configuration.bodyReadTimeout.clampedNanoseconds
    }
}

/// Per-loop mutable state shared by the connections of one loop (touched only on that loop).
final class LoopLocal {
    let dates = DateCache()
    /// Recycled nghttp2 memory for this loop's HTTP/2 sessions.
    let http2Allocator = HTTP2Allocator()
}

/// An HTTP/1.1 + h2c server on one port: every connection starts in protocol detection, which
/// hands it to the HTTP/1.1 driver or, on the HTTP/2 connection preface, the HTTP/2 driver.
/// Requests from either reach the same `HTTPResponder`.
public final class HTTPServer: Sendable {
    public let tcp: TCPServer
    let shared: ServerShared

    public init(group: EventLoopGroup, configuration: ServerConfiguration, responder: any HTTPResponder) throws {
        let shared = ServerShared(configuration: configuration, responder: responder)
        self.shared = shared
        let locals = group.loops.map { LoopBound(LoopLocal(), loop: $0) }
        let address = try SocketAddress(host: configuration.host, port: configuration.port)
        self.tcp = try TCPServer(group: group, configuration: .init(address: address, acceptMode: configuration.acceptMode)) { connection in
            ProtocolSniffer(shared: shared, local: locals[connection.loop.index].value)
        }
    }

    /// The bound address (the resolved port when configured with port 0).
    public var localAddress: SocketAddress { tcp.localAddress }
    public var connectionCount: Int { tcp.connectionCount }
    /// HTTP/1.1 and HTTP/2 connection drivers still allocated (0 once every connection is closed
    /// and every response it was owed has been completed or dropped).
    public var liveDriverCount: Int { shared.liveDrivers.load(ordering: .relaxed) }

    /// Stops accepting, lets in-flight requests finish (HTTP/2 peers get GOAWAY), waits up to `deadline`.
    @discardableResult
    public func shutdownGracefully(deadline: Duration) -> Int {
        tcp.shutdownGracefully(deadline: deadline)
    }
}
