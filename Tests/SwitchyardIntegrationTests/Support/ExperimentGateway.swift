import Foundation
import Synchronization
import SwitchyardGateway
import SwitchyardRouting
import SwitchyardServer
import SwitchyardTransport

/// A clock the tests move by hand, so canary intervals pass in microseconds.
final class TestClock: Sendable {
    private let value = Mutex<Double>(1_800_000_000)
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}

/// The gateway with experiments, in the test process: a repository holding two versions of the
/// example classifier (version 2 is a different model with the same inputs and outputs), a
/// configuration file, a state directory, the data listener and the admin listener.
final class ExperimentGateway {
    static let adminToken = "test-admin-token-0123456789"
    static let row = #"{"inputs":[{"name":"input","shape":[1,6],"datatype":"FP32","data":[0.5,1.2,0.5,-1.9,1.3,0.6]}]}"#

    let group: EventLoopGroup
    let server: HTTPServer
    let admin: HTTPServer
    let gateway: Gateway
    let service: ExperimentService
    let clock: TestClock
    let repository: URL
    let stateDirectory: URL
    let configFile: URL
    var port: Int { server.localAddress.port }
    var adminPort: Int { admin.localAddress.port }

    static var available: Bool {
        FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("classifier_v2.onnx").path)
    }

    static var fixtures: URL { Paths.root.appendingPathComponent("Tests/Fixtures/models") }

    /// A repository with classifier versions 1 and 2 and the regressor.
    static func makeRepository() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-exp-repo-\(UUID().uuidString)")
        for (file, model, version) in [("classifier", "classifier", 1), ("classifier_v2", "classifier", 2), ("regressor", "regressor", 1)] {
            let dir = root.appendingPathComponent("\(model)/\(version)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("\(file).onnx"), to: dir.appendingPathComponent("model.onnx"))
        }
        try Data("version_policy: { all: {} }\n".utf8).write(to: root.appendingPathComponent("classifier/config.yaml"))
        return root
    }

    /// Starts a gateway on `config`; pass `restarting` to reuse another's repository, state directory and clock.
    init(config: String, restarting previous: ExperimentGateway? = nil, loops: Int = 2) throws {
        clock = previous?.clock ?? TestClock()
        repository = try previous?.repository ?? Self.makeRepository()
        stateDirectory = previous?.stateDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-state-\(UUID().uuidString)")
        configFile = stateDirectory.deletingLastPathComponent().appendingPathComponent("\(stateDirectory.lastPathComponent).yaml")
        try Data(config.utf8).write(to: configFile)
        let clock = self.clock
        service = try ExperimentService(configFile: configFile, stateDirectory: try StateDirectory(stateDirectory), loops: loops,
                                        clock: { clock.now })
        _ = service.restoreStatistics()
        group = try EventLoopGroup(count: loops, tickInterval: .milliseconds(20))
        group.start()
        let models = ModelRepository(root: repository)
        models.loadAll()
        gateway = Gateway(repository: models, group: group, experiments: service)
        gateway.markReady()
        var serverConfig = ServerConfiguration()
        serverConfig.host = "127.0.0.1"
        serverConfig.port = 0
        server = try HTTPServer(group: group, configuration: serverConfig, responder: gateway)
        var adminConfig = serverConfig
        adminConfig.acceptMode = .handoff
        admin = try HTTPServer(group: group, configuration: adminConfig,
                               responder: AdminResponder(gateway: gateway, experiments: service,
                                                         tokens: AdminTokens([(name: "alice", token: Self.adminToken)])))
    }

    /// Stops serving and writes the statistics snapshots, as `serve` does on SIGTERM.
    func stop() {
        server.shutdownGracefully(deadline: .seconds(2))
        admin.shutdownGracefully(deadline: .seconds(1))
        group.stopAndJoin()
        service.persistStatistics()
        gateway.shadowPool.shutdown()
    }

    func removeFiles() {
        for url in [repository, stateDirectory, configFile] { try? FileManager.default.removeItem(at: url) }
    }

    func client() throws -> HTTPTestClient { try HTTPTestClient(port: port) }
    func adminClient() throws -> HTTPTestClient { try HTTPTestClient(port: adminPort) }

    /// An authenticated admin request.
    func admin(_ method: String, _ path: String, json: String? = nil) throws -> HTTPTestClient.Response {
        var headers = ["authorization": "Bearer \(Self.adminToken)"]
        if json != nil { headers["content-type"] = "application/json" }
        return try adminClient().request(method, path, headers: headers, body: Array((json ?? "").utf8))
    }

    /// The experiment's shadow report (`shadows` of `/admin/experiments/{name}/shadow`) once every
    /// shadow has accounted for `total` requests — compared, failed or dropped — or as it stands
    /// after ~5 s. Shadows run on idle-priority threads, after the primary's answer.
    func shadows(of experiment: String, settlingAt total: Int) throws -> [[String: Any]] {
        var shadows: [[String: Any]] = []
        for _ in 0..<250 {
            shadows = try admin("GET", "/admin/experiments/\(experiment)/shadow").json()["shadows"] as? [[String: Any]] ?? []
            let done = shadows.map { ($0["comparisons"] as? Int ?? 0) + ($0["shadowErrors"] as? Int ?? 0) + ($0["dropped"] as? Int ?? 0) }
            if !done.isEmpty && done.allSatisfy({ $0 == total }) { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return shadows
    }
}
