import Foundation
import Testing
import SwitchyardGateway

/// Experiments routed through the real gateway over loopback HTTP/1.1.
@Suite(.enabled(if: ExperimentGateway.available)) struct ExperimentRoutingTests {
    static let abConfig = """
    experiments:
      - name: ab
        sticky: { header: x-user-id }
        variants:
          - { name: control, model: classifier, version: 1, weight: 50, control: true }
          - { name: candidate, model: classifier, version: 2, weight: 50 }
        overrides:
          - { header: x-force-variant, value: candidate, variant: candidate }
          - { header: x-team, prefix: "qa-", variant: control }
        metrics:
          - { name: converted, kind: binary }
    """

    @Test func routedResponsesNameTheirVariantAndDirectAddressingBypasses() throws {
        let g = try ExperimentGateway(config: Self.abConfig); defer { g.stop(); g.removeFiles() }
        let c = try g.client()
        let r = try c.post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-user-id": "u1"])
        #expect(r.status == 200, "\(r.text)")
        let variant = try #require(r.headers["x-switchyard-variant"])
        #expect(["control", "candidate"].contains(variant))
        #expect(r.headers["x-switchyard-experiment"] == "ab")
        let token = try #require(r.headers["x-switchyard-assignment"])
        #expect(token.hasPrefix("sy3."))
        let json = try r.json()
        #expect(json["model_version"] as? String == (variant == "control" ? "1" : "2"))

        let direct = try c.post("/v2/models/classifier/versions/2/infer", json: ExperimentGateway.row)
        #expect(direct.status == 200)
        #expect(direct.headers["x-switchyard-variant"] == nil)
        #expect(try direct.json()["model_version"] as? String == "2")
    }

    @Test func overridesWinOverWeightsAndStickiness() throws {
        let g = try ExperimentGateway(config: Self.abConfig); defer { g.stop(); g.removeFiles() }
        let c = try g.client()
        for user in 0..<50 {
            let forced = try c.post("/v2/models/ab/infer", json: ExperimentGateway.row,
                                    headers: ["x-user-id": "u\(user)", "x-force-variant": "candidate"])
            #expect(forced.headers["x-switchyard-variant"] == "candidate")
            let qa = try c.post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-user-id": "u\(user)", "x-team": "qa-berlin"])
            #expect(qa.headers["x-switchyard-variant"] == "control")
        }
    }

    @Test func stickyUnitsKeepTheirVariantAcrossARestart() throws {
        let first = try ExperimentGateway(config: Self.abConfig)
        var before: [String: String] = [:]
        do {
            let c = try first.client()
            for user in 0..<200 {
                let r = try c.post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-user-id": "user-\(user)"])
                before["user-\(user)"] = r.headers["x-switchyard-variant"]
                // Asking again gives the same answer.
                let again = try c.post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-user-id": "user-\(user)"])
                #expect(again.headers["x-switchyard-variant"] == before["user-\(user)"])
            }
        }
        first.stop()
        let second = try ExperimentGateway(config: Self.abConfig, restarting: first)
        defer { second.stop(); second.removeFiles() }
        let c = try second.client()
        var moved = 0
        for (user, variant) in before {
            let r = try c.post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-user-id": user])
            if r.headers["x-switchyard-variant"] != variant { moved += 1 }
        }
        #expect(moved == 0)
        #expect(Set(before.values) == ["control", "candidate"])
        // The statistics survived the restart too.
        let stats = try #require(second.service.stats("ab")).recorder.telemetry()
        #expect(stats.variants.reduce(0) { $0 + $1.requests } == 600)
    }

    @Test func badInputToARoutedEndpointIsTheClientsErrorAndIsCounted() throws {
        let g = try ExperimentGateway(config: Self.abConfig); defer { g.stop(); g.removeFiles() }
        let c = try g.client()
        let r = try c.post("/v2/models/ab/infer", json: #"{"inputs":[{"name":"input","shape":[1,5],"datatype":"FP32","data":[1,2,3,4,5]}]}"#,
                           headers: ["x-user-id": "u1"])
        #expect(r.status == 400, "\(r.text)")
        #expect(r.headers["x-switchyard-variant"] != nil)
        let t = try #require(g.service.stats("ab")).recorder.telemetry()
        #expect(t.variants.reduce(0) { $0 + $1.clientErrors } == 1)
        #expect(t.variants.reduce(0) { $0 + $1.serverErrors } == 0)
    }

    @Test func aVariantWhoseModelIsNotLoadedAnswers503AndCountsAsServerError() throws {
        let config = """
        experiments:
          - name: broken
            variants:
              - { name: a, model: classifier, version: 1, weight: 0, control: true }
              - { name: b, model: classifier, version: 9, weight: 100 }
        """
        let g = try ExperimentGateway(config: config); defer { g.stop(); g.removeFiles() }
        let r = try g.client().post("/v2/models/broken/infer", json: ExperimentGateway.row)
        #expect(r.status == 503)
        #expect(r.text.contains("variant 'b' of experiment 'broken'"), "\(r.text)")
        #expect(try #require(g.service.stats("broken")).recorder.telemetry().variants[1].serverErrors == 1)
    }

    /// Each loop keeps its variants' model versions resolved; unloading and reloading the model
    /// must reach routed requests at once, on connections that routed before.
    @Test func unloadingAndReloadingAVariantsModelReachesRoutedRequestsAtOnce() throws {
        let config = """
        experiments:
          - name: only
            variants:
              - { name: a, model: classifier, version: 2, weight: 100, control: true }
              - { name: b, model: classifier, version: 1, weight: 0 }
        """
        let g = try ExperimentGateway(config: config); defer { g.stop(); g.removeFiles() }
        let clients = try (0..<4).map { _ in try g.client() }
        for c in clients {
            let r = try c.post("/v2/models/only/infer", json: ExperimentGateway.row)
            #expect(r.status == 200, "\(r.text)")
            #expect(try r.json()["model_version"] as? String == "2")
        }
        try g.gateway.repository.unload("classifier")
        for c in clients {
            let r = try c.post("/v2/models/only/infer", json: ExperimentGateway.row)
            #expect(r.status == 503, "\(r.text)")
            #expect(r.text.contains("variant 'a' of experiment 'only'"), "\(r.text)")
        }
        try g.gateway.repository.load("classifier")
        for c in clients {
            let r = try c.post("/v2/models/only/infer", json: ExperimentGateway.row)
            #expect(r.status == 200, "\(r.text)")
            #expect(try r.json()["model_version"] as? String == "2")
        }
    }

    @Test func shadowNeverChangesThePrimaryAndIsCompared() throws {
        let config = """
        experiments:
          - name: shadowed
            variants:
              - { name: main, model: classifier, version: 1, weight: 100, control: true }
              - { name: other, model: classifier, version: 2, weight: 0 }
            shadow:
              - { name: v2, model: classifier, version: 2, percent: 100, sampling: random }
              - { name: self, model: classifier, version: 1, percent: 100, sampling: random }
              - { name: wrong-model, model: regressor, version: 1, percent: 100, sampling: random }
        """
        let g = try ExperimentGateway(config: config); defer { g.stop(); g.removeFiles() }
        let c = try g.client()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let row = (0..<6).map { _ in String(Double(Int.random(in: -300...300, using: &rng)) / 100) }.joined(separator: ",")
            let body = #"{"inputs":[{"name":"input","shape":[1,6],"datatype":"FP32","data":[\#(row)]}]}"#
            let routed = try c.post("/v2/models/shadowed/infer", json: body)
            let direct = try c.post("/v2/models/classifier/versions/1/infer", json: body)
            #expect(routed.status == 200 && direct.status == 200)
            // Byte for byte the answer of version 1 addressed directly: the shadows changed nothing.
            #expect(routed.body == direct.body, "routed \(routed.text) direct \(direct.text)")
        }
        let shadows = try g.shadows(of: "shadowed", settlingAt: 40)
        let byName = Dictionary(uniqueKeysWithValues: shadows.map { ($0["shadow"] as? String ?? "", $0) })
        let selfShadow = try #require(byName["self"])
        #expect(selfShadow["comparisons"] as? Int == 40)
        let selfOutputs = try #require(selfShadow["outputs"] as? [String: [String: Any]])
        #expect(selfOutputs["probabilities"]?["agreeingElements"] as? Int == 160)
        #expect(selfOutputs["probabilities"]?["maxAbsDiff"] as? Double == 0)
        #expect(selfOutputs["label"]?["agreeingElements"] as? Int == 40)
        let v2 = try #require(byName["v2"])
        #expect(v2["comparisons"] as? Int == 40)
        let v2Outputs = try #require(v2["outputs"] as? [String: [String: Any]])
        #expect((v2Outputs["probabilities"]?["maxAbsDiff"] as? Double ?? 0) > 0, "a different model disagrees somewhere")
        #expect(v2Outputs["probabilities"]?["argmaxRows"] as? Int == 40)
        // The regressor takes 5 features: every shadow call fails, the primary never noticed.
        #expect(byName["wrong-model"]?["shadowErrors"] as? Int == 40)
    }

    /// Shadow models are resolved with the loop's view too: unloading one turns its next shadows
    /// into shadow errors at once, reloading it brings comparisons back; the primary is untouched.
    @Test func unloadingAndReloadingAShadowsModelReachesShadowsAtOnce() throws {
        let config = """
        experiments:
          - name: shadowed
            variants:
              - { name: main, model: classifier, version: 1, weight: 100, control: true }
              - { name: other, model: classifier, version: 1, weight: 0 }
            shadow:
              - { name: cand, model: candidate, version: 1, percent: 100, sampling: random }
        """
        let g = try ExperimentGateway(config: config); defer { g.stop(); g.removeFiles() }
        let dir = g.repository.appendingPathComponent("candidate/1")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ExperimentGateway.fixtures.appendingPathComponent("classifier_v2.onnx"),
                                         to: dir.appendingPathComponent("model.onnx"))
        try g.gateway.repository.load("candidate")
        let c = try g.client()
        func send(_ n: Int) throws {
            for _ in 0..<n { #expect(try c.post("/v2/models/shadowed/infer", json: ExperimentGateway.row).status == 200) }
        }
        /// (comparisons, shadow errors) once `total` shadows are accounted for.
        func counts(settlingAt total: Int) throws -> (compared: Int, errors: Int) {
            let shadow = try g.shadows(of: "shadowed", settlingAt: total).first ?? [:]
            return (shadow["comparisons"] as? Int ?? 0, shadow["shadowErrors"] as? Int ?? 0)
        }
        try send(5)
        #expect(try counts(settlingAt: 5) == (5, 0))
        try g.gateway.repository.unload("candidate")
        try send(5)
        #expect(try counts(settlingAt: 10) == (5, 5), "shadows after the unload ran a version no longer loaded")
        try g.gateway.repository.load("candidate")
        try send(5)
        #expect(try counts(settlingAt: 15) == (10, 5))
    }
}
