import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
import SwitchyardTestSupport

/// The real binary re-reads its configuration file on SIGHUP: a valid edit becomes a revision, an
/// invalid one is refused and the previous revision keeps serving.
@Suite(.enabled(if: ExperimentGateway.available)) struct ConfigReloadTests {
    @Test func sighupAppliesAValidEditAndRefusesAnInvalidOne() throws {
        let binary = Paths.root.appendingPathComponent(".build/debug/switchyard").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the switchyard product first")
        let repository = try ExperimentGateway.makeRepository()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-hup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: repository) }
        let config = dir.appendingPathComponent("experiments.yaml")
        try Data(ExperimentRoutingTests.abConfig.utf8).write(to: config)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--loops", "1",
                       "--repository", repository.path, "--config", config.path, "--state-dir", dir.appendingPathComponent("state").path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        var log = ""
        func readLog(until marker: String) {
            while !log.contains(marker) {
                let d = err.fileHandleForReading.availableData
                if d.isEmpty { return }
                log += String(decoding: d, as: UTF8.self)
            }
        }
        readLog(until: "ready in")
        let admin = try #require(log.split(separator: "\n").first { $0.contains("admin API on") }
            .flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }, "no admin port in: \(log)")
        let token = try String(contentsOf: dir.appendingPathComponent("state/admin-token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        func weights() throws -> [Double] {
            let r = try HTTPTestClient(port: admin).request("GET", "/admin/experiments/ab", headers: ["authorization": "Bearer \(token)"])
            let variants = try #require(try r.json()["variants"] as? [[String: Any]])
            return variants.compactMap { $0["weight"] as? Double }
        }
        #expect(try weights() == [50, 50])

        try Data(ExperimentRoutingTests.abConfig.replacingOccurrences(of: "weight: 50, control: true", with: "weight: 80, control: true").utf8)
            .write(to: config)
        kill(p.processIdentifier, SIGHUP)
        readLog(until: "reloaded as revision 2")
        #expect(try weights() == [80, 50])

        try Data("experiments: [ { name: broken } ]\n".utf8).write(to: config)
        kill(p.processIdentifier, SIGHUP)
        readLog(until: "reload refused")
        #expect(log.contains("still serving revision 2"), "\(log)")
        #expect(try weights() == [80, 50])

        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }
}
