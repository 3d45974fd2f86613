import Foundation
import Testing
import SwitchyardGateway
import SwitchyardRouting

/// The analyst's loop end to end: traffic through the gateway, outcome events posted back with
/// the assignment tokens, results read from the admin API.
@Suite(.enabled(if: ExperimentGateway.available)) struct OutcomesEndToEndTests {
    static let config = """
    experiments:
      - name: checkout
        variants:
          - { name: control, model: classifier, version: 1, weight: 50, control: true }
          - { name: treatment, model: classifier, version: 2, weight: 50 }
        metrics:
          - { name: converted, kind: binary }
          - { name: revenue, kind: continuous }
      - name: other
        variants:
          - { name: a, model: classifier, version: 1, weight: 1, control: true }
          - { name: b, model: classifier, version: 2, weight: 1 }
        metrics:
          - { name: converted, kind: binary }
    """

    @Test func outcomesWithTokensDetectAHigherConversionRate() throws {
        let g = try ExperimentGateway(config: Self.config); defer { g.stop(); g.removeFiles() }
        let c = try g.client()
        var rng = SplitMix(seed: 42)
        var requests: [String: Int] = [:], conversions: [String: Int] = [:]
        var events: [String] = []
        for i in 0..<3000 {
            let r = try c.post("/v2/models/checkout/infer", json: ExperimentGateway.row)
            let variant = try #require(r.headers["x-switchyard-variant"])
            let token = try #require(r.headers["x-switchyard-assignment"])
            requests[variant, default: 0] += 1
            // The treatment converts at 30 %, the control at 10 %.
            if rng.uniform() < (variant == "treatment" ? 0.30 : 0.10) {
                conversions[variant, default: 0] += 1
                events.append(#"{"token":"\#(token)","metric":"converted","value":1,"event_id":"order-\#(i)"}"#)
                events.append(#"{"token":"\#(token)","metric":"revenue","value":\#(20 + Int(rng.uniform() * 10)),"event_id":"rev-\#(i)"}"#)
            }
            if events.count >= 100 {
                let posted = try c.post("/v2/experiments/checkout/outcomes", json: #"{"events":[\#(events.joined(separator: ","))]}"#)
                #expect(posted.status == 200, "\(posted.text)")
                #expect(try posted.json()["accepted"] as? Int == events.count)
                // A retry of the same batch is recognised: nothing counted twice.
                let retry = try c.post("/v2/experiments/checkout/outcomes", json: #"{"events":[\#(events.joined(separator: ","))]}"#)
                #expect(try retry.json()["duplicates"] as? Int == events.count)
                events.removeAll()
            }
        }
        if !events.isEmpty {
            #expect(try c.post("/v2/experiments/checkout/outcomes", json: #"{"events":[\#(events.joined(separator: ","))]}"#).status == 200)
        }
        let r = try g.admin("GET", "/admin/experiments/checkout/results")
        #expect(r.status == 200, "\(r.text)")
        let results = try r.json()
        #expect(results["experiment"] as? String == "checkout")
        let variants = try #require(results["variants"] as? [[String: Any]])
        for v in variants {
            let summary = try #require(v["summary"] as? [String: Any])
            let name = try #require(summary["variant"] as? String)
            #expect(summary["requests"] as? Int == requests[name], "\(name)")
        }
        let metrics = try #require(results["metrics"] as? [[String: Any]])
        let converted = try #require(metrics.first { $0["name"] as? String == "converted" })
        let control = try #require(converted["control"] as? [String: Any])
        #expect(control["successes"] as? Int == conversions["control"])
        #expect(control["n"] as? Int == requests["control"], "binary metrics count every routed request as an exposure")
        let comparison = try #require((converted["comparisons"] as? [[String: Any]])?.first)
        #expect(comparison["variant"] as? String == "treatment")
        #expect(comparison["verdict"] as? String == "significant improvement", "\(comparison)")
        let p = try #require((comparison["alwaysValidP"] as? [String: Any])?["value"] as? Double)
        #expect(p < 0.001)
        #expect((comparison["chanceToBeatControl"] as? Double ?? 0) > 0.99)
        let srm = try #require(results["srm"] as? [String: Any])
        #expect(srm["detected"] as? Bool == false)
    }

    @Test func forgedOrMisdirectedTokensAreRejectedAndNothingIsRecorded() throws {
        let g = try ExperimentGateway(config: Self.config); defer { g.stop(); g.removeFiles() }
        let c = try g.client()
        let r = try c.post("/v2/models/checkout/infer", json: ExperimentGateway.row)
        let token = try #require(r.headers["x-switchyard-assignment"])
        // Flip the claimed variant inside the payload, keeping the tag (the token's last eight
        // bytes): the signature no longer matches.
        let parts = token.split(separator: ".").map(String.init)
        #expect(parts.count == 2 && parts[0] == "sy3", "\(token)")
        var payload = Array(Data(base64Encoded: Self.padded(parts[1]))!)
        let variant = r.headers["x-switchyard-variant"]!
        let other = variant == "control" ? "treatment" : "control"
        if let range = Self.find(Array(variant.utf8), in: payload) {
            payload.replaceSubrange(range, with: Array(other.utf8))
            payload[range.lowerBound - 1] = UInt8(other.utf8.count)
        }
        let forged = "\(parts[0]).\(Data(payload).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))"
        let batch = #"{"events":[{"token":"\#(token)","metric":"converted","value":1},{"token":"\#(forged)","metric":"converted","value":1}]}"#
        let refused = try c.post("/v2/experiments/checkout/outcomes", json: batch)
        #expect(refused.status == 400)
        #expect(refused.text.contains("signature"), "\(refused.text)")
        #expect(refused.text.contains("nothing was recorded"))
        let stats = try #require(g.service.stats("checkout")).recorder.state()
        #expect(stats.metrics[0].allSatisfy { $0.successes == 0 })

        // A token issued by another experiment is refused.
        let foreign = try #require(try c.post("/v2/models/other/infer", json: ExperimentGateway.row).headers["x-switchyard-assignment"])
        let misdirected = try c.post("/v2/experiments/checkout/outcomes", json: #"{"token":"\#(foreign)","metric":"converted","value":1}"#)
        #expect(misdirected.status == 400)
        #expect(misdirected.text.contains("other"), "\(misdirected.text)")
        let unknownMetric = try c.post("/v2/experiments/checkout/outcomes", json: #"{"token":"\#(token)","metric":"clicks","value":1}"#)
        #expect(unknownMetric.status == 400)
        #expect(unknownMetric.text.contains("unknown metric 'clicks'"))
        let unknownExperiment = try c.post("/v2/experiments/nope/outcomes", json: #"{"token":"\#(token)","metric":"converted","value":1}"#)
        #expect(unknownExperiment.status == 404)
        let notJSON = try c.post("/v2/experiments/checkout/outcomes", json: "converted=1")
        #expect(notJSON.status == 400)
        let unitWithoutSticky = try c.post("/v2/experiments/checkout/outcomes", json: #"{"unit":"u1","metric":"converted","value":1}"#)
        #expect(unitWithoutSticky.status == 400)
        #expect(unitWithoutSticky.text.contains("not sticky"))
    }

    @Test func modelOutputsAreSummarisedPerVariant() throws {
        let config = """
        experiments:
          - name: summarised
            variants:
              - { name: v1, model: classifier, version: 1, weight: 1, control: true }
              - { name: v2, model: classifier, version: 2, weight: 1 }
            metrics:
              - { name: top_probability, kind: continuous, score: probabilities }
            labels: { output: label, classes: ["0", "1", "2", "3"] }
        """
        let g = try ExperimentGateway(config: config); defer { g.stop(); g.removeFiles() }
        let c = try g.client()
        var rng = SplitMix(seed: 7)
        for _ in 0..<200 {
            let row = (0..<6).map { _ in String(Double(Int(rng.uniform() * 600) - 300) / 100) }.joined(separator: ",")
            #expect(try c.post("/v2/models/summarised/infer", json: #"{"inputs":[{"name":"input","shape":[1,6],"datatype":"FP32","data":[\#(row)]}]}"#).status == 200)
        }
        let summaries = try #require(g.service.stats("summarised")).recorder.telemetry().summaries
        for s in summaries {
            #expect(s.labelCounts.count == 4)
            #expect(s.labelCounts.reduce(0, +) == s.requests, "every answer's label is counted")
            #expect(s.scoreCount == s.requests)
            #expect((s.scoreMean ?? -1) >= 0 && (s.scoreMean ?? 2) <= 1, "a probability")
        }
        #expect(summaries.reduce(0) { $0 + $1.requests } == 200)
        // The score metric has one observation per routed response.
        let results = try #require(g.service.results("summarised"))
        #expect(results.metrics.first?.control.n == summaries[0].requests)
    }

    static func padded(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return t
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        for i in stride(from: haystack.count - needle.count, through: 0, by: -1) where Array(haystack[i..<(i + needle.count)]) == needle {
            return i..<(i + needle.count)
        }
        return nil
    }
}

/// A seeded stream (routing's SplitMix64) so the simulated conversions are the same on every run.
struct SplitMix {
    var seed: UInt64
    var counter: UInt64 = 0
    init(seed: UInt64) { self.seed = seed }
    mutating func uniform() -> Double {
        counter += 1
        return Double(SplitMix64.stream(seed, counter) >> 11) / Double(1 << 53)
    }
}
