import SwitchyardCore
import SwitchyardTransport

/// Which wire protocol carried a request. Responders should not need it; it is there for logs,
/// statistics and the few places where the protocols differ (gRPC needs HTTP/2).
public enum WireProtocol: String, Sendable {
    case http1 = "HTTP/1.1"
    case http2 = "HTTP/2"
}

/// What a responder knows about a request besides its bytes.
public struct RequestContext: Sendable {
    /// The loop that owns the connection. Per-loop state (statistics shards) is indexed by
    /// `loop.index`; offloaded work returns its result to this loop.
    public let loop: EventLoop
    public let remoteAddress: SocketAddress?
    public let wireProtocol: WireProtocol
    /// Monotonic nanoseconds when the request was complete (the start of its latency).
    public let receivedAt: UInt64

    public init(loop: EventLoop, remoteAddress: SocketAddress?, wireProtocol: WireProtocol, receivedAt: UInt64) {
        self.loop = loop
        self.remoteAddress = remoteAddress
        self.wireProtocol = wireProtocol
        self.receivedAt = receivedAt
    }
}

/// The one interface between the wire protocols and the application: a complete request in,
/// exactly one response out through `writer`, now (on the loop) or later from any thread.
///
/// Class-bound: the drivers call it through `any HTTPResponder` for every request, and a
/// class-bound existential is one reference (a retain) where an open one is copied through its
/// value witnesses (~130 instructions a request).
public protocol HTTPResponder: AnyObject, Sendable {
    func respond(to request: HTTPRequest, context: RequestContext, writer: ResponseWriter)
    /// Response field names whose values change on every response (signed tokens): HTTP/2 sends
    /// them never-indexed (see `HTTP2Settings.neverIndexedNames`).
    var perResponseFieldNames: [String] { get }
}

extension HTTPResponder {
    public var perResponseFieldNames: [String] { [] }
}

/// Receives a response for a request it handed out (implemented by the HTTP/1.1 and HTTP/2 drivers).
protocol ResponseSink: AnyObject {
    /// `response` is consumed: the sink keeps it until written, without a copy.
    func complete(token: Int64, response: consuming HTTPResponse)
}

/// Completes one request. Cheap to copy; call `complete` exactly once, from any thread. When called
/// on the connection's loop (a synchronous responder) the response is queued immediately; from any
/// other thread it hops to the loop first. A response for a connection or stream that has gone away
/// is dropped.
public struct ResponseWriter: Sendable {
    let sink: LoopBound<any ResponseSink>
    let token: Int64
    let liveness: ConnectionLiveness

    /// The writer for request `token` of a driver (`sink`) serving `connection`. The sink is
    /// referenced per request, never stored by the driver: a stored reference to itself would keep
    /// every driver alive forever (it leaked each connection's codec and nghttp2 session);
    /// in-flight writers hold the driver only until they complete.
    init(sink: any ResponseSink, connection: Connection, token: Int64) {
        self.sink = LoopBound(sink, loop: connection.loop)
        self.token = token
        self.liveness = connection.liveness
    }

    /// True once nobody will read the response: the connection that carried the request closed,
    /// or (HTTP/2) the client reset the request's stream. Work not yet started for it (an
    /// offloaded inference) can be skipped. Readable from any thread; `complete` is still owed.
    public var isAbandoned: Bool { liveness.isAbandoned(token: token) }

    public func complete(_ response: consuming HTTPResponse) {
        let loop = sink.loop
        if loop.inEventLoop {
            sink.value.complete(token: token, response: consume response)
        } else {
            let sink = self.sink, token = self.token, response = copy response
            loop.execute { sink.value.complete(token: token, response: response) }
        }
    }
}

/// A responder made from a closure, for tests and small endpoints.
public final class ClosureResponder: HTTPResponder {
    let body: @Sendable (HTTPRequest, RequestContext, ResponseWriter) -> Void
    public init(_ body: @escaping @Sendable (HTTPRequest, RequestContext, ResponseWriter) -> Void) { self.body = body }
    public func respond(to request: HTTPRequest, context: RequestContext, writer: ResponseWriter) {
        body(request, context, writer)
    }
}
