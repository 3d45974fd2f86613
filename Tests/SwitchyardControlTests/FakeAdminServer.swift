import Foundation
import SwitchyardAdminAPI
import SwitchyardCore
import SwitchyardServer
import SwitchyardTransport

/// A real HTTP server on 127.0.0.1 (OS-chosen port) that speaks the admin API's outer contract:
/// it checks the bearer token, dispatches with the shared ``AdminRoute/match(method:path:)`` and
/// answers what the test's closure returns. It records every request so tests can assert on the
/// method, target, headers and body the client sent.
final class FakeAdminServer: @unchecked Sendable {
    struct Seen: Sendable {
        var method: String
        var target: String
        var authorization: String?
        var contentType: String?
        var accept: String?
        var body: [UInt8]
        var route: AdminRoute?
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    let group: EventLoopGroup
    private(set) var server: HTTPServer!
    private let lock = NSLock()
    private var seenRequests: [Seen] = []
    private var stopped = false

    var port: Int { server.localAddress.port }
    var base: String { "http://127.0.0.1:\(port)" }

    init(token: String = "s3cret-token",
         answer: @escaping @Sendable (AdminRoute, HTTPRequest) -> HTTPResponse) throws {
        group = try EventLoopGroup(count: 1, tickInterval: .milliseconds(20))
        group.start()
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        let responder = ClosureResponder { [unowned self] request, _, writer in
            let match = AdminRoute.match(method: request.method.rawValue, path: String(request.path))
            var route: AdminRoute?
            if case .route(let r) = match { route = r }
            self.record(Seen(method: request.method.rawValue, target: request.head.target,
                             authorization: request.headers["authorization"], contentType: request.headers["content-type"],
                             accept: request.headers["accept"], body: request.body, route: route))
            guard request.headers["authorization"] == "Bearer \(token)" else {
                // As the gateway answers: with a challenge, which URLSession must not try to satisfy.
                var headers = HTTPHeaders()
                headers.addLowercased(name: "www-authenticate", value: "Bearer realm=\"switchyard-admin\"")
                writer.complete(.error(.unauthorized, "missing or invalid admin token (Authorization: Bearer <token>)", headers: headers))
                return
            }
            switch match {
            case .route(let r): writer.complete(answer(r, request))
            case .methodNotAllowed: writer.complete(.error(.methodNotAllowed, "method not allowed"))
            case .notFound: writer.complete(.error(.notFound, "no admin route \(request.path)"))
            }
        }
        server = try HTTPServer(group: group, configuration: config, responder: responder)
    }

    private func record(_ seen: Seen) {
        lock.lock()
        defer { lock.unlock() }
        seenRequests.append(seen)
    }

    var seen: [Seen] {
        lock.lock()
        defer { lock.unlock() }
        return seenRequests
    }

    var last: Seen? { seen.last }

    func stop() {
        guard !stopped else { return }
        stopped = true
        server.shutdownGracefully(deadline: .seconds(2))
        group.stopAndJoin()
    }

    /// A JSON answer from an encodable value.
    static func json(_ value: some Encodable, status: HTTPStatus = .ok) -> HTTPResponse {
        .json(status, Array((try? JSONEncoder().encode(value)) ?? Data("{}".utf8)))
    }
}
