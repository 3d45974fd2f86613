import SwitchyardCore
import SwitchyardServer

/// The endpoints that exist before any model is involved: health (as the Open Inference Protocol
/// defines it) and an echo endpoint that the transport tests and load tests use.
///
/// Health answers carry a JSON body (`{"live":true}`) as KServe's server does; clients that go by
/// the status code alone (as Triton's do) are served too.
public struct BasicRoutes: HTTPResponder {
    /// Answers requests this responder does not know.
    let fallback: (any HTTPResponder)?
    let isReady: @Sendable () -> Bool

    public init(isReady: @escaping @Sendable () -> Bool = { true }, fallback: (any HTTPResponder)? = nil) {
        self.isReady = isReady
        self.fallback = fallback
    }

    static let live = HTTPResponse.json(.ok, #"{"live":true}"#)
    static let ready = HTTPResponse.json(.ok, #"{"ready":true}"#)

    public func respond(to request: HTTPRequest, context: RequestContext, writer: ResponseWriter) {
        let path = request.head.path
        switch path {
        case "/v2/health/live":
            writer.complete(Self.methodCheck(request, allow: [.GET, .HEAD]) ?? Self.live)
        case "/v2/health/ready":
            writer.complete(Self.methodCheck(request, allow: [.GET, .HEAD])
                            ?? (isReady() ? Self.ready : .error(.serviceUnavailable, "server is not ready")))
        case "/echo":
            // Echo: the body back with the request's content type, for transport tests and benchmarks.
            var headers = HTTPHeaders()
            headers.addLowercased(name: "content-type", value: request.head.headers["content-type"] ?? "application/octet-stream")
            writer.complete(HTTPResponse(status: .ok, headers: headers, body: request.body))
        default:
            if let fallback {
                fallback.respond(to: request, context: context, writer: writer)
            } else {
                writer.complete(.error(.notFound, "no route for \(request.head.method) \(path)"))
            }
        }
    }

    static func methodCheck(_ request: HTTPRequest, allow: [HTTPMethod]) -> HTTPResponse? {
        if allow.contains(request.head.method) { return nil }
        var h = HTTPHeaders()
        h.addLowercased(name: "allow", value: allow.map(\.rawValue).joined(separator: ", "))
        return .error(.methodNotAllowed, "method \(request.head.method) is not allowed on \(request.head.path)", headers: h)
    }
}
