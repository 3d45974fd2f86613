import Foundation
import Testing
import SwitchyardGateway
import SwitchyardRouting

/// Progressive canaries driven by the gateway's own telemetry: traffic over loopback, the clock
/// moved by hand, the driver called as the gateway's one-second timer calls it.
@Suite(.enabled(if: ExperimentGateway.available)) struct CanaryEndToEndTests {
    static func config(fault: String = "", gates: String = "max_error_rate_delta: 0.02") -> String {
        """
        experiments:
          - name: release
            variants:
              - { name: stable, model: classifier, version: 1, weight: 100, control: true }
              - name: next
                model: classifier
                version: 2
                weight: 0
        \(fault)
            canary:
              variant: next
              steps: [10, 50, 100]
              interval: 60s
              gates:
                min_requests: 20
                \(gates)
        """
    }

    /// Sends requests until both variants have at least `each` in the current window.
    static func traffic(_ g: ExperimentGateway, requests: Int) throws -> [String: Int] {
        let c = try g.client()
        var seen: [String: Int] = [:]
        for _ in 0..<requests {
            let r = try c.post("/v2/models/release/infer", json: ExperimentGateway.row)
            seen[r.headers["x-switchyard-variant"] ?? "?", default: 0] += 1
        }
        return seen
    }

    @Test func aHealthyCandidateIsPromotedThroughEveryStep() throws {
        let g = try ExperimentGateway(config: Self.config()); defer { g.stop(); g.removeFiles() }
        var weights: [Double] = []
        for _ in 0..<2 {
            weights.append(try #require(g.service.control.current.canaries["release"]).weight)
            // Before the interval has passed nothing is judged.
            #expect(g.service.evaluateCanaries().allSatisfy { $0.verdict == .skipped })
            _ = try Self.traffic(g, requests: 400)
            g.clock.advance(61)
            let result = try #require(g.service.evaluateCanaries().first)
            #expect(result.verdict == (weights.count < 2 ? .advanced : .promoted), "\(result)")
        }
        // Passing at 50 % promotes (the 100 % step is the promotion: control would get no traffic).
        #expect(weights == [10, 50])
        let store = g.service.control.current
        #expect(store.canaries["release"]?.status == .promoted)
        let experiment = try #require(store.config.experiment(named: "release"))
        #expect(experiment.variants.first { $0.name == "next" }?.control == true)
        #expect(experiment.variants.first { $0.name == "next" }?.weight == 100)
        // Every step is a revision in the audit log, made by the canary.
        let canaryEntries = store.auditLog.filter { $0.who == "canary" }
        #expect(canaryEntries.count == 2)
        #expect(canaryEntries.last?.action.contains("promoted") == true)
        // All traffic now goes to the promoted candidate.
        let seen = try Self.traffic(g, requests: 50)
        #expect(seen == ["next": 50])
    }

    @Test func aCandidateWithInjectedErrorsIsRolledBackWithTheReasonAudited() throws {
        let fault = "        fault: { abort: { percent: 50, status: 503 } }"
        let g = try ExperimentGateway(config: Self.config(fault: fault)); defer { g.stop(); g.removeFiles() }
        let seen = try Self.traffic(g, requests: 400)
        #expect((seen["next"] ?? 0) >= 20)
        g.clock.advance(61)
        let result = try #require(g.service.evaluateCanaries().first)
        #expect(result.verdict == .rolledBack)
        let store = g.service.control.current
        let state = try #require(store.canaries["release"])
        #expect(state.status == .rolledBack)
        #expect(state.weight == 0)
        let entry = try #require(store.auditLog.last)
        #expect(entry.who == "canary")
        #expect(entry.why.contains("error_rate_delta"), "\(entry.why)")
        // Rolled back at once: the candidate gets no more traffic.
        #expect(try Self.traffic(g, requests: 50) == ["stable": 50])
    }

    @Test func aSlowCandidateIsRolledBackOnTheLatencyGate() throws {
        let fault = "        fault: { delay: { percent: 100, duration: 30ms } }"
        let g = try ExperimentGateway(config: Self.config(fault: fault, gates: "max_p50_latency_ratio: 1.5"))
        defer { g.stop(); g.removeFiles() }
        _ = try Self.traffic(g, requests: 300)
        g.clock.advance(61)
        let result = try #require(g.service.evaluateCanaries().first)
        #expect(result.verdict == .rolledBack, "\(result)")
        let why = try #require(g.service.control.current.auditLog.last?.why)
        #expect(why.contains("p50_latency_ratio"), "\(why)")
    }

    @Test func noTrafficIsNotYetNeverAPass() throws {
        let g = try ExperimentGateway(config: Self.config()); defer { g.stop(); g.removeFiles() }
        g.clock.advance(61)
        let result = try #require(g.service.evaluateCanaries().first)
        #expect(result.verdict == .notYet)
        #expect(g.service.control.current.canaries["release"]?.weight == 10)
    }

    @Test func pauseResumeAndAbortThroughTheAdminAPI() throws {
        let g = try ExperimentGateway(config: Self.config()); defer { g.stop(); g.removeFiles() }
        let paused = try g.admin("POST", "/admin/experiments/release/canary/pause", json: #"{"reason":"investigating"}"#)
        #expect(paused.status == 200, "\(paused.text)")
        _ = try Self.traffic(g, requests: 200)
        g.clock.advance(61)
        #expect(g.service.evaluateCanaries().allSatisfy { $0.verdict == .skipped })
        let again = try g.admin("POST", "/admin/experiments/release/canary/pause")
        #expect(again.status == 409, "\(again.text)")
        #expect(try g.admin("POST", "/admin/experiments/release/canary/resume").status == 200)
        let aborted = try g.admin("POST", "/admin/experiments/release/canary/abort", json: #"{"reason":"not today"}"#)
        #expect(aborted.status == 200)
        #expect(g.service.control.current.canaries["release"]?.status == .aborted)
        #expect(g.service.control.current.auditLog.last?.who == "alice")
        #expect(g.service.control.current.auditLog.last?.why == "not today")
        #expect(try g.admin("POST", "/admin/experiments/release/canary/bogus").status == 404)
    }
}
