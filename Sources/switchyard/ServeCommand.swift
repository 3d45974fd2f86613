import ArgumentParser
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import SwitchyardAdminAPI
import SwitchyardGateway
import SwitchyardRouting
import SwitchyardServer
import SwitchyardTransport
import Foundation

/// `switchyard serve`: run the gateway until SIGTERM/SIGINT, then shut down gracefully.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway (HTTP/1.1, h2c and gRPC on one port).",
        discussion: """
        Listens on --host/--port. Use --port 0 to let the system choose; the bound address is printed \
        as "switchyard listening on HOST:PORT". On SIGTERM or SIGINT the gateway stops accepting, \
        finishes in-flight requests (HTTP/2 clients get GOAWAY) for up to --shutdown-timeout, and exits 0.
        """
    )

    @Option(help: "Address to listen on: an IPv4 or IPv6 literal; '::' is dual-stack.")
    var host: String = "0.0.0.0"

    @Option(help: "Port to listen on (0: any free port).")
    var port: Int = 8000

    @Option(help: "Model repository: <repository>/<model>/<version>/model.onnx (+ optional <model>/config.yaml). Default: the configuration file's `repository` (relative to the file), else ./models.")
    var repository: String?

    @Option(name: .customLong("config"), help: "Experiments configuration (YAML; schema: docs/CONFIGURATION.md). Re-read on SIGHUP.")
    var configFile: String?

    @Option(help: "State directory: configuration revisions, audit log, canary progress, statistics snapshots, secrets.")
    var stateDir: String = ".switchyard"

    @Option(help: "Address of the admin API listener (loopback by default: the admin API changes traffic).")
    var adminHost: String = AdminDefaults.host

    @Option(help: "Port of the admin API listener (0: any free port).")
    var adminPort: Int = AdminDefaults.port

    @Option(help: "Admin tokens file: one `name token` per line (the name is recorded in the audit log). Default: $SWITCHYARD_ADMIN_TOKEN, else a token generated into <state-dir>/admin-token.")
    var adminTokens: String?

    @Option(help: "Seconds between statistics snapshots written to the state directory (also written on shutdown).")
    var statsSnapshotInterval: Double = 10

    @Option(help: "Requests estimated to take at most this many microseconds run on the event loop; others go to the offload pool.")
    var inlineThresholdUs: Double = 50

    @Option(help: "Event-loop threads (default: one per core).")
    var loops: Int = EventLoopGroup.coreCount

    @Option(help: "How connections reach the loops: reuseport (a listener per loop) or handoff (one acceptor).")
    var accept: AcceptModeArgument = .reuseport

    @Option(help: "Largest request head (request line + headers) in bytes; larger gets 431.")
    var maxHeaderBytes: Int = 16 * 1024

    @Option(help: "Largest request body in bytes; larger gets 413.")
    var maxBodyBytes: Int = 64 * 1024 * 1024

    @Option(help: "Seconds an idle keep-alive connection is kept.")
    var idleTimeout: Double = 60

    @Option(help: "Seconds a client has to send a complete request head (slow clients get 408).")
    var headerTimeout: Double = 10

    @Option(help: "Seconds a client may pause while sending a body (408 after).")
    var bodyTimeout: Double = 30

    @Option(help: "Seconds in-flight requests get to finish on shutdown.")
    var shutdownTimeout: Double = 10

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard (0...65535).contains(adminPort) else { throw ValidationError("--admin-port must be in 0...65535") }
        guard statsSnapshotInterval > 0 else { throw ValidationError("--stats-snapshot-interval must be positive") }
        guard loops >= 1 && loops <= 256 else { throw ValidationError("--loops must be in 1...256") }
        guard maxHeaderBytes >= 1024 else { throw ValidationError("--max-header-bytes must be at least 1024") }
        guard inlineThresholdUs >= 0 else { throw ValidationError("--inline-threshold-us must not be negative") }
        guard maxBodyBytes >= 0 else { throw ValidationError("--max-body-bytes must not be negative") }
        for (name, v) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout),
                          ("--body-timeout", bodyTimeout), ("--shutdown-timeout", shutdownTimeout)] where !(v > 0) {
            throw ValidationError("\(name) must be a positive number of seconds")
        }
    }

    func run() throws {
        var config = ServerConfiguration()
        config.host = host
        config.port = port
        config.acceptMode = accept.mode
        config.maxHeaderBytes = maxHeaderBytes
        config.maxBodyBytes = maxBodyBytes
        config.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        config.requestHeaderTimeout = .milliseconds(Int64(headerTimeout * 1000))
        config.bodyReadTimeout = .milliseconds(Int64(bodyTimeout * 1000))

        let started = monotonicNanos()
        let experiments = try ExperimentsSetup.start(configFile: configFile, stateDirectory: stateDir, loops: loops)
        let repository = self.repository ?? experiments.service.control.current.config.repository.map { path in
            guard let configFile = self.configFile, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: configFile).deletingLastPathComponent().appendingPathComponent(path).path
        } ?? "models"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repository, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("model repository '\(repository)' is not a directory")
        }
        let tokens = try experiments.adminTokens(file: adminTokens)
        let group = try EventLoopGroup(count: loops)
        group.start()
        var options = GatewayOptions()
        options.inlineThresholdNanos = UInt64(inlineThresholdUs * 1000)
        options.maxDecodedBodyBytes = maxBodyBytes   // an LZ4 body may not decode to more than an uncompressed one may be
        let models = ModelRepository(root: URL(fileURLWithPath: repository))
        let gateway = Gateway(repository: models, group: group, options: options, experiments: experiments.service)
        let server: HTTPServer
        do {
            server = try HTTPServer(group: group, configuration: config, responder: gateway)
        } catch {
            throw ValidationError("cannot listen on \(host):\(port): \(error)")
        }
        var adminConfig = config
        adminConfig.host = adminHost
        adminConfig.port = adminPort
        adminConfig.acceptMode = .handoff
        let admin: HTTPServer
        do {
            admin = try HTTPServer(group: group, configuration: adminConfig,
                                   responder: AdminResponder(gateway: gateway, experiments: experiments.service, tokens: tokens))
        } catch {
            throw ValidationError("cannot listen for the admin API on \(adminHost):\(adminPort): \(error)")
        }
        log("switchyard listening on \(server.localAddress) (HTTP/1.1, h2c, gRPC) with \(loops) event loops, accept=\(accept.rawValue)")
        log("switchyard admin API on \(admin.localAddress)")
        let timers = experiments.startTimers(snapshotInterval: statsSnapshotInterval)
        // Health/live answers while models load; /v2/health/ready turns true once they are loaded.
        let failures = models.loadAll()
        for (name, reason) in failures.sorted(by: { $0.key < $1.key }) { log("switchyard: model '\(name)' failed to load: \(reason)") }
        for m in models.loadedModels {
            let where_ = m.nanosPerRow <= options.inlineThresholdNanos ? "inline on the event loop" : "offloaded"
            log("switchyard: \(m.name)/\(m.version): \(Double(m.nanosPerRow) / 1000) µs per row measured at load; batch-1 requests run \(where_)")
        }
        let loaded = models.loadedModels.map { "\($0.name)/\($0.version)" }
        gateway.markReady()
        log("switchyard ready in \((monotonicNanos() - started) / 1_000_000) ms: \(loaded.count) model versions loaded (\(loaded.joined(separator: ", ")))")

        let reload = SignalWatcher(signals: [SIGHUP]) { _ in experiments.reload(configFile: configFile) }
        let stop = DispatchSemaphore(value: 0)
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { sig in
            log("switchyard: signal \(sig), shutting down")
            stop.signal()
        }
        stop.wait()
        let forced = server.shutdownGracefully(deadline: .milliseconds(Int64(shutdownTimeout * 1000)))
        _ = admin.shutdownGracefully(deadline: .seconds(1))
        group.stopAndJoin()
        for timer in timers { timer.cancel() }
        experiments.service.persistStatistics()
        gateway.shadowPool.shutdown()
        signals.cancel()
        reload.cancel()
        log("switchyard: stopped" + (forced > 0 ? " (\(forced) connections closed at the deadline)" : ""))
    }
}

enum AcceptModeArgument: String, ExpressibleByArgument, CaseIterable {
    case reuseport, handoff
    var mode: AcceptMode { self == .reuseport ? .reusePort : .handoff }
}

/// Writes a line to standard error (unbuffered: `stderr` is not a concurrency-safe global in Swift 6).
func log(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}
