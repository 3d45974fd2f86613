import Foundation
import SwitchyardCore
import SwitchyardGateway
import SwitchyardServer
import SwitchyardTransport

/// A gateway server on 127.0.0.1 with an OS-chosen port, in the test process.
final class TestServer {
    let group: EventLoopGroup
    let server: HTTPServer
    var port: Int { server.localAddress.port }
    var base: String { "http://127.0.0.1:\(port)" }

    let gateway: Gateway

    init(configure: (inout ServerConfiguration) -> Void = { _ in }, responder: (any HTTPResponder)? = nil,
         loops: Int = 2, modelRoot: URL? = nil, options: GatewayOptions = GatewayOptions()) throws {
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        configure(&config)
        // A short tick so timeout tests run in a fraction of a second.
        group = try EventLoopGroup(count: loops, tickInterval: .milliseconds(20))
        group.start()
        let repository = ModelRepository(root: modelRoot ?? FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-empty-repo"))
        let gateway = Gateway(repository: repository, group: group, options: options)
        if modelRoot != nil { repository.loadAll() }
        gateway.markReady()
        self.gateway = gateway
        server = try HTTPServer(group: group, configuration: config, responder: responder ?? gateway)
    }

    func stop() {
        server.shutdownGracefully(deadline: .seconds(2))
        group.stopAndJoin()
    }
}

/// Paths the tests need: the repository root, the test venv's python.
enum Paths {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static var python: String? {
        let p = root.appendingPathComponent(".build/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }
    static var scripts: URL { root.appendingPathComponent("Tests/SwitchyardIntegrationTests/Scripts") }
    static func tool(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
