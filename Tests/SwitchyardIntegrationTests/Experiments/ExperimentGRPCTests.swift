import Foundation
import Testing
import SwitchyardGateway

/// Routed gRPC calls with the real clients: tritonclient (variant in the response parameters) and
/// grpcio (variant, experiment and token in the initial metadata); a sticky unit keeps its variant.
@Suite(.enabled(if: ExperimentGateway.available && Paths.python != nil)) struct ExperimentGRPCTests {
    @Test func routedGRPCCallsNameTheirVariant() throws {
        let g = try ExperimentGateway(config: ExperimentRoutingTests.abConfig); defer { g.stop(); g.removeFiles() }
        let script = Paths.scripts.appendingPathComponent("experiment_grpc.py").path
        let r = try run(Paths.python!, [script, String(g.port), "ab"], timeout: 120)
        let line = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let result = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                                  "stdout \(r.stdout) stderr \(r.stderr.suffix(2000))")
        let triton = try #require(result["tritonclient"] as? [[String: Any]])
        let grpcio = try #require(result["grpcio"] as? [[String: Any]])
        #expect(triton.count == 20 && grpcio.count == 5)
        // One sticky user: one variant, the same through both clients.
        let variants = Set(triton.compactMap { $0["variant"] as? String } + grpcio.compactMap { $0["variant"] as? String })
        #expect(variants.count == 1, "\(variants)")
        let variant = try #require(variants.first)
        #expect(["control", "candidate"].contains(variant))
        #expect(triton.allSatisfy { $0["token"] as? String == "sy3." && $0["probabilities"] as? Int == 4 })
        #expect(grpcio.allSatisfy { $0["token"] as? String == "sy3." && $0["experiment"] as? String == "ab" })
        // The metadata field and the response parameter carry one token (signed once).
        #expect(grpcio.allSatisfy { $0["same_token"] as? Bool == true })
        let version = variant == "control" ? "1" : "2"
        #expect(grpcio.allSatisfy { $0["model_version"] as? String == version })
        let direct = try #require(result["direct"] as? [String: Any])
        #expect(direct["variant"] is NSNull || direct["variant"] == nil)
        #expect(direct["model_version"] as? String == "1")
        let telemetry = try #require(g.service.stats("ab")).recorder.telemetry()
        #expect(telemetry.variants.reduce(0) { $0 + $1.requests } == 25)
    }
}
